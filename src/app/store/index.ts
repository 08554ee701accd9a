// ExamBuddy's DynamoDB store: plain functions over a small Store context (see keys.ts for the table layout).
export { createStore, storeFromEnv, type Store } from "./client.ts";
export * from "./errors.ts";
export { encodeCursor, decodeCursor } from "./cursor.ts";
export * from "./users.ts";
export * from "./exams.ts";
export * from "./questions.ts";
export * from "./attempts.ts";
export * from "./files.ts";
export type * from "./types.ts";
export * from "./idempotency.ts";
