// What every route module shares: the services (store + files, created on first use), exam access rules,
// versions ↔ ETag/If-Match.
import { HttpError } from "lambdalith";
import type { Files } from "./files.ts";
import type { Identity } from "./auth.ts";
import type { IfMatch } from "./schemas.ts";
import { STALE_VERSION } from "./store/errors.ts";
import { grade } from "./grading.ts";
import type { Grader } from "./store/attempts.ts";
import { getExam, listQuestions } from "./store/lazy.ts";
import { publishedFields } from "./store/published.ts";
import type { Store } from "./store/client.ts";
import type { Exam, PublishedExam, Question } from "./store/types.ts";

export interface Services {
  store: Store;
  files: Files;
}

/** Services are resolved per request from this (a lazy singleton in production, per test in tests). */
export type GetServices = () => Services;

/** A strong ETag for a version: `"3"`. */
export const etag = (version: number) => `"${version}"`;

/**
 * What a write is conditioned on for an entity tag that is no version of ours: versions start at 1, so
 * the write's condition fails and the store answers as for a stale version (412 via If-Match), after it
 * has answered 404/403/409 read-only as for any other version.
 */
export const NO_VERSION = 0;

/**
 * The version a write is conditioned on: `If-Match` or the body's `version` (they must agree).
 * `required` → 428 when neither is given. `If-Match: *` ("any current version", RFC 9110 §13.1.1) is a
 * precondition too, so it satisfies `required`; it conditions the write on no version (the resource must
 * exist, which every write checks anyway: a missing one is a 404), unless the body names one. A tag that is
 * no version of ours conditions it on {@link NO_VERSION}, which nothing has.
 */
export function expectedVersion(ifMatch: IfMatch | undefined, bodyVersion: number | undefined, required: boolean): { version: number | undefined; viaIfMatch: boolean } {
  if (ifMatch === "*") return { version: bodyVersion, viaIfMatch: false };
  const fromHeader = typeof ifMatch === "object" ? NO_VERSION : ifMatch;
  if (fromHeader !== undefined && bodyVersion !== undefined && fromHeader !== bodyVersion) {
    const sent = typeof ifMatch === "object" ? ifMatch.tag : fromHeader;
    throw new HttpError(400, `If-Match (${sent}) and the body's version (${bodyVersion}) disagree`);
  }
  const version = fromHeader ?? bodyVersion;
  if (version === undefined && required) {
    throw new HttpError(428, 'Send the version you read: an If-Match: "<version>" header or a "version" field');
  }
  return { version, viaIfMatch: fromHeader !== undefined };
}

/** A stale version under If-Match is a 412 Precondition Failed (a body version stays a 409). */
export function preconditionFailed(err: unknown, viaIfMatch: boolean): unknown {
  if (viaIfMatch && err instanceof HttpError && err.type === STALE_VERSION) {
    return new HttpError(412, err.detail, { type: err.type, title: "Precondition Failed", ...err.extensions });
  }
  return err;
}

/** Runs a versioned write, turning a stale version into 412 when the version came from If-Match. */
export async function versioned<T>(viaIfMatch: boolean, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw preconditionFailed(err, viaIfMatch);
  }
}

/**
 * An exam the caller may change: it exists (404), the caller is a teacher (403) and its owner (a draft of
 * someone else is a 404, their published exam a 403).
 */
export async function ownExam(store: Store, who: Identity, examId: string): Promise<Exam> {
  // Called before any request body is validated (guards.ts): a student's or stranger's request costs one read.
  if (who.role !== "teacher") throw new HttpError(403, "Only teachers may do this");
  const exam = await getExam(store, examId);
  if (!exam || (exam.teacherId !== who.sub && exam.status !== "published")) throw new HttpError(404, `No exam ${examId}`);
  if (exam.teacherId !== who.sub) throw new HttpError(403, "Only the exam's teacher may do this");
  return exam;
}

/**
 * An exam the caller may read: its owner reads everything; anyone else only published exams (a draft is
 * a 404 to them: its existence is not revealed). `owner` tells which view to give.
 */
export async function readableExam(store: Store, who: Identity, examId: string): Promise<{ exam: Exam; owner: boolean }> {
  const exam = await getExam(store, examId);
  if (!exam) throw new HttpError(404, `No exam ${examId}`);
  const owner = who.role === "teacher" && exam.teacherId === who.sub;
  if (!owner && exam.status !== "published") throw new HttpError(404, `No exam ${examId}`);
  return { exam, owner };
}

/** What anyone but the owner sees of an exam. */
export function publicExam(exam: Exam): PublishedExam & { status: "published" } {
  return { ...publishedFields(exam), status: "published" };
}

/** An exam's questions as attempts are graded against: attempts only exist for published exams, whose questions are the sealed ones (publishExam). */
export const examQuestions = (store: Store, examId: string): Promise<Question[]> => listQuestions(store, examId, { sealedOnly: true });

/**
 * An exam's questions, read once per exam for one request however often it asks: make one per request.
 * @example const questionsOf = questionsOnce(store); await questionsOf(examId); await questionsOf(examId) // one read
 */
export function questionsOnce(store: Store): (examId: string) => Promise<Question[]> {
  const questionsByExam = new Map<string, Promise<Question[]>>();
  return (examId) => {
    let questions = questionsByExam.get(examId);
    if (!questions) questionsByExam.set(examId, (questions = examQuestions(store, examId)));
    return questions;
  };
}

/**
 * Grades attempts against their exam's questions, read once per exam however many attempts one request
 * grades (a listing page, an export) or however often a submit retries: make one per request (or pass the
 * request's {@link questionsOnce} when it also answers with the questions).
 */
export function attemptGrader(store: Store, questionsOf = questionsOnce(store)): Grader {
  return async (attempt) => grade(await questionsOf(attempt.examId), attempt.answers);
}

// Attempts one request grades at once (a listing page, an export page): each grading reads one attempt whole
// (its sheet is up to 256 KiB) and writes it back, so a few at a time keep memory flat and a page's burst of
// consistent reads and writes small, however large the page.
const GRADING_CONCURRENCY = 8;

/**
 * `settle` over every item, {@link GRADING_CONCURRENCY} at a time, the results in the items' order.
 * @example const items = await inGradingBatches(page.items, (a) => settled(store, a, grade))
 */
export async function inGradingBatches<T, R>(items: readonly T[], settle: (item: T) => Promise<R>): Promise<R[]> {
  const settledItems: R[] = [];
  for (let i = 0; i < items.length; i += GRADING_CONCURRENCY) settledItems.push(...(await Promise.all(items.slice(i, i + GRADING_CONCURRENCY).map(settle))));
  return settledItems;
}
