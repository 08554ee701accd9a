// What ExamBuddy's routes answer with, as valibot schemas, and which route answers what (RESPONSES):
// documentation only, read by openapi-document.ts when /openapi.json is built; nothing validates a
// response at run time. Not in the routes' own options, because route options are built by every cold
// start: ~4.5 KB here (schemas and the valibot they use) cost /health about 0.5 ms of import
// (bench/cold.ts runner, min of 120 interleaved runs). Beside schemas.ts, which holds what the API accepts.
import type { RouteOptions } from "lambdalith";
import * as v from "valibot";
import { AnswerValue, ExamStatuses, FILE_TYPES, QuestionInput, QuestionKinds, Roles } from "./schemas.ts";

const Timestamp = v.pipe(v.string(), v.description("ISO 8601, UTC"));
const Count = v.pipe(v.number(), v.integer(), v.minValue(0));
const Version = v.pipe(v.number(), v.integer(), v.minValue(1));
/** The cursor of the next page (`?cursor=`), or null on the last one. */
const Next = v.nullable(v.pipe(v.string(), v.description("Pass as ?cursor= for the next page; null on the last page")));

/** `GET /health` */
export const Health = v.object({ status: v.literal("ok"), stage: v.string(), version: v.string() });

/** `GET /me`, `PATCH /me`: the stored profile; role and email from the current token. */
export const Profile = v.object({
  sub: v.string(),
  email: v.nullable(v.string()),
  role: v.nullable(v.picklist(Roles)),
  displayName: v.string(),
  version: Version,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const publishedEntries = {
  examId: v.string(),
  teacherId: v.string(),
  title: v.string(),
  description: v.string(),
  durationMinutes: Count,
  maxAttempts: v.pipe(v.number(), v.integer(), v.minValue(1), v.description("Attempts a student may start (1 = no retakes)")),
  questionCount: Count,
  publishedAt: Timestamp,
};

/** What anyone may see of a published exam (student listings). */
export const PublishedExam = v.object(publishedEntries);

/** The whole exam, as its teacher sees it. */
export const Exam = v.object({
  ...publishedEntries,
  // "publishing" while a publish seals the questions and files; only the owner sees it.
  status: v.picklist([...ExamStatuses, "publishing"]),
  version: Version,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  publishedAt: v.optional(Timestamp),
});

/** `GET /exams/:examId`: the whole exam for its teacher, the published view for everyone else. */
export const ExamView = v.union([Exam, v.object({ ...publishedEntries, status: v.literal("published") })]);

/** `GET /exams` */
export const ExamPage = v.object({ items: v.array(v.union([Exam, PublishedExam])), next: Next });

const questionMeta = { questionId: v.string(), examId: v.string(), position: Count };

/** A question with its answer key (its teacher's view). */
export const Question = v.intersect([QuestionInput, v.object({ ...questionMeta, version: Version, createdAt: Timestamp, updatedAt: Timestamp })]);

/** A question without its answer key (students). */
export const PublicQuestion = v.object({ ...questionMeta, kind: v.picklist(QuestionKinds), text: v.string(), points: Count, choices: v.optional(v.array(v.string())) });

/** `GET /exams/:examId/questions` */
export const QuestionList = v.object({ items: v.array(v.union([Question, PublicQuestion])) });

const attemptEntries = {
  attemptId: v.string(),
  examId: v.string(),
  studentId: v.string(),
  teacherId: v.string(),
  status: v.picklist(["open", "submitted"]),
  answers: v.record(v.string(), AnswerValue),
  version: Version,
  startedAt: Timestamp,
  deadline: v.pipe(Timestamp, v.description("Answers are refused from this instant on")),
  updatedAt: Timestamp,
  submittedAt: v.optional(v.pipe(Timestamp, v.description("When it was submitted; its deadline when time ran out first (submittedBy: deadline)"))),
  submittedBy: v.optional(
    v.pipe(v.picklist(["student", "deadline"]), v.description("student: submitted before the deadline; deadline: time ran out first, graded with the answers saved by then")),
  ),
  result: v.optional(
    v.object({
      score: v.number(),
      maxScore: v.number(),
      questions: v.array(v.object({ questionId: v.string(), points: v.number(), earned: v.number(), correct: v.boolean() })),
    }),
  ),
};

/** An attempt: its answer sheet and, once submitted, its result. */
export const Attempt = v.object(attemptEntries);

/** `POST /exams/:examId/attempts`: the attempt and the questions to answer. */
export const StartedAttempt = v.object({ ...attemptEntries, questions: v.array(PublicQuestion) });

/** `GET /exams/:examId/attempts` */
export const AttemptPage = v.object({ items: v.array(Attempt), next: Next });

/** A file's record (its S3 key is never shown). */
export const FileRecord = v.object({
  fileId: v.string(),
  examId: v.string(),
  fileName: v.string(),
  contentType: v.picklist(FILE_TYPES),
  size: Count,
  status: v.picklist(["pending", "ready"]),
  uploadedBy: v.string(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  etag: v.optional(v.string()),
});

/** `POST /exams/:examId/files`: PUT the bytes to `upload.url` with `upload.headers`, then complete. */
export const StartedUpload = v.object({
  file: FileRecord,
  upload: v.object({ url: v.string(), method: v.literal("PUT"), headers: v.record(v.string(), v.string()), expiresAt: Timestamp }),
});

/** `GET /exams/:examId/files` */
export const FilePage = v.object({ items: v.array(FileRecord), next: Next });

/** `GET /exams/:examId/files/:fileId` */
export const DownloadLink = v.object({ url: v.string(), expiresAt: Timestamp, file: FileRecord });

// Refusals and conflicts the app answers with (problem+json bodies).
const FORBIDDEN = { 403: { description: "Not allowed for the caller's role, or not the exam's teacher" } };
const TOO_LARGE = { 413: { description: "The body is over this route's size limit" } };
const VERSIONED = {
  409: { description: "The version sent is stale, or the item's state forbids the change" },
  412: { description: "If-Match names a stale version, or an entity tag that is no version" },
};

/** Each route's responses by `"METHOD /pattern"`, as `responses` in route options would give them. */
export const RESPONSES: Record<string, NonNullable<RouteOptions["responses"]>> = {
  "GET /health": { 200: Health },
  "GET /openapi.json": { 200: { description: "This document (OpenAPI 3.1)" } },
  "GET /me": { 200: Profile },
  "PATCH /me": { 200: Profile, ...TOO_LARGE, ...VERSIONED },
  "POST /exams": { 201: Exam, ...FORBIDDEN, ...TOO_LARGE, 409: { description: "A request with this Idempotency-Key is still running" } },
  "GET /exams": { 200: ExamPage, ...FORBIDDEN },
  "GET /exams/:examId": { 200: ExamView },
  "PATCH /exams/:examId": { 200: Exam, ...FORBIDDEN, ...TOO_LARGE, ...VERSIONED, 428: { description: "Neither If-Match nor version was sent" } },
  "DELETE /exams/:examId": { 204: { description: "Deleted" }, ...FORBIDDEN, ...VERSIONED },
  "POST /exams/:examId/publish": { 200: Exam, ...FORBIDDEN, ...VERSIONED },
  "POST /exams/:examId/questions": { 201: Question, ...FORBIDDEN, ...TOO_LARGE, 409: { description: "A request with this Idempotency-Key is still running" } },
  "GET /exams/:examId/questions": { 200: QuestionList },
  "GET /exams/:examId/questions/:questionId": { 200: v.union([Question, PublicQuestion]) },
  "PATCH /exams/:examId/questions/:questionId": { 200: Question, ...FORBIDDEN, ...TOO_LARGE, ...VERSIONED },
  "DELETE /exams/:examId/questions/:questionId": { 204: { description: "Removed" }, ...FORBIDDEN },
  "POST /exams/:examId/attempts": { 201: StartedAttempt, 403: { description: "Only students start attempts" }, 409: { description: "An attempt is already open, or none is left (maxAttempts)" } },
  "PUT /attempts/:attemptId/answers": { 200: Attempt, ...TOO_LARGE, 409: { description: "Submitted, or past the deadline" } },
  "POST /attempts/:attemptId/submit": { 200: Attempt, 409: { description: "Already submitted" } },
  "GET /attempts/:attemptId": { 200: Attempt },
  "GET /exams/:examId/attempts": { 200: AttemptPage },
  "POST /exams/:examId/files": { 201: StartedUpload, ...FORBIDDEN, ...TOO_LARGE, 409: { description: "A request with this Idempotency-Key is still running" } },
  "POST /exams/:examId/files/:fileId/complete": { 200: FileRecord, ...FORBIDDEN, 409: { description: "Not uploaded yet" } },
  "GET /exams/:examId/files": { 200: FilePage },
  "GET /exams/:examId/results.csv": {
    200: { description: "text/csv: student, status, score, submittedAt; one row per attempt, streamed. Only the streaming REST API (StreamApiUrl) serves it" },
    ...FORBIDDEN,
  },
  "GET /exams/:examId/files/:fileId": { 200: DownloadLink, 409: { description: "The upload has not been completed yet" } },
};
