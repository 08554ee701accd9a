import { HttpError } from "lambdalith";
import { newId } from "../ids.ts";
import type { AnswerValue } from "../schemas.ts";
import { iso, type Store } from "./client.ts";
import { guard, isConditionFailed, notFound } from "./errors.ts";
import { ATTEMPT_PREFIX, attemptGsi1Sk, attemptKey, examAttemptsPk, GSI1, openAttemptKey, strip, studentAttemptsPrefix } from "./keys.ts";
import { GSI1_CURSOR, queryPage } from "./query.ts";
import type { Attempt, AttemptResult, Exam, Page, PageOptions, SubmittedBy } from "./types.ts";

// One open attempt per student and exam is a lock item (USER#<student> / OPEN#<exam>) naming the attempt,
// created with attribute_not_exists. The attempt item is written before its lock, so a lock always names an
// existing attempt; a lock naming a submitted (or expired) attempt is stale and is taken over atomically
// (`attemptId = :stale` in the condition). The attempt is written `starting`, without its GSI1 keys, and only
// becomes `open` (listed, answerable, submittable) once the lock names it: a start that loses the race for
// the lock deletes an attempt nobody could have listed, answered or had graded (ids made in one millisecond
// differ by one, so an id alone is no secret). The lock also counts the attempts started (`count`), and taking
// it requires `count < maxAttempts`: the same write that makes an attempt current counts it, so parallel
// starts can't exceed the exam's limit. Submitting leaves the lock (stale) in place, keeping the count.
// Submit is one conditional write open → submitted that also pins the version the grade was computed
// from, so an attempt is graded exactly once. An attempt whose time ran out is graded by that same write
// when it is next read (gradeIfExpired), so readers, the student's late submit and the next start agree on
// one stored result, recorded as ended by its deadline whichever of them came first.

export const ATTEMPT_CONFLICT = "tag:exambuddy,2026:attempt-open";
export const TIME_UP = "tag:exambuddy,2026:time-up";
export const ALREADY_SUBMITTED = "tag:exambuddy,2026:already-submitted";
export const NO_ATTEMPTS_LEFT = "tag:exambuddy,2026:no-attempts-left";

export type Grader = (attempt: Attempt) => AttemptResult | Promise<AttemptResult>;

/** Written before the lock is taken; no one sees it until the lock names it (it is then made `open`). */
const STARTING = "starting";

/** An attempt by id; one still `starting` is no one's yet (null: every route answers 404). */
export async function getAttempt(store: Store, attemptId: string): Promise<Attempt | null> {
  const attempt = await readAttempt(store, attemptId);
  return attempt?.status === STARTING ? null : attempt;
}

async function readAttempt(store: Store, attemptId: string): Promise<Attempt | null> {
  return guard(async () => {
    const db = await store.db();
    const out = await db.get({ TableName: store.tableName, Key: attemptKey(attemptId), ConsistentRead: true });
    return out.Item ? strip<Attempt>(out.Item) : null;
  });
}

/**
 * `starting` → `open` with its GSI1 keys, once its lock names it: from then on it is listed and can be
 * answered. Also finishes a start that stopped after taking the lock. Already open (a parallel call made
 * it so): the attempt as it is.
 */
async function openAttempt(store: Store, attempt: Attempt): Promise<Attempt> {
  const db = await store.db();
  try {
    const out = await db.update({
      TableName: store.tableName,
      Key: attemptKey(attempt.attemptId),
      UpdateExpression: "SET #status = :open, GSI1PK = :pk, GSI1SK = :sk",
      ConditionExpression: "#status = :starting",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":open": "open", ":starting": STARTING, ":pk": examAttemptsPk(attempt.examId), ":sk": attemptGsi1Sk(attempt.studentId, attempt.attemptId) },
      ReturnValues: "ALL_NEW",
    });
    return strip<Attempt>(out.Attributes!);
  } catch (err) {
    if (!isConditionFailed(err)) throw err;
    const current = await readAttempt(store, attempt.attemptId);
    if (!current) throw notFound("attempt", attempt.attemptId);
    return current;
  }
}

const isExpired = (attempt: Pick<Attempt, "deadline">, now: number) => Date.parse(attempt.deadline) <= now;

const noAttemptsLeft = (max: number) =>
  new HttpError(409, `This exam allows ${max} attempt${max === 1 ? "" : "s"}; none is left`, { type: NO_ATTEMPTS_LEFT, maxAttempts: max });

/**
 * Starts an attempt at a published exam. If the student has an open attempt at it still running, that is a
 * 409 carrying its `attemptId`. An open attempt whose time is up is submitted first with `gradeExpired`
 * (without it, 409 as well), then the new one starts, if the exam's `maxAttempts` allows one more (else
 * 409 no-attempts-left).
 */
export async function startAttempt(store: Store, args: { exam: Exam; studentId: string; gradeExpired?: Grader | undefined }): Promise<Attempt> {
  const { exam, studentId, gradeExpired } = args;
  if (exam.status !== "published") throw new HttpError(409, "Only published exams can be attempted");
  const maxAttempts = exam.maxAttempts ?? 1;
  return guard(async () => {
    const db = await store.db();
    const lockKey = openAttemptKey(studentId, exam.examId);
    for (let round = 0; round < 4; round++) {
      // 1. Is there a lock, and is it live?
      const lock = (await db.get({ TableName: store.tableName, Key: lockKey, ConsistentRead: true })).Item;
      const staleId = lock?.["attemptId"] as string | undefined;
      // A lock written before attempts were counted names one attempt.
      const used = lock === undefined ? 0 : typeof lock["count"] === "number" ? lock["count"] : 1;
      if (staleId !== undefined) {
        let current = await readAttempt(store, staleId);
        // The lock names it, so it is the student's: a start that stopped before opening it is finished here.
        if (current?.status === STARTING) current = await openAttempt(store, current);
        if (current && current.status === "open") {
          if (!isExpired(current, store.now()) || !gradeExpired) {
            throw new HttpError(409, "You already have an open attempt at this exam", { type: ATTEMPT_CONFLICT, attemptId: current.attemptId });
          }
          await submitAttempt(store, { attemptId: current.attemptId, studentId, grade: gradeExpired });
        }
      }
      if (used >= maxAttempts) throw noAttemptsLeft(maxAttempts);
      // 2. Write the attempt, then take the lock (or take over the stale one).
      const now = store.now();
      const attempt: Attempt = {
        attemptId: newId(now),
        examId: exam.examId,
        studentId,
        teacherId: exam.teacherId,
        status: STARTING,
        answers: {},
        version: 1,
        startedAt: iso(now),
        deadline: iso(now + exam.durationMinutes * 60_000),
        updatedAt: iso(now),
      };
      await db.put({
        TableName: store.tableName,
        // No GSI1 keys yet: listings and the export see it once it is open.
        Item: { ...attemptKey(attempt.attemptId), type: "attempt", ...attempt },
        ConditionExpression: "attribute_not_exists(PK)",
      });
      try {
        const taken = staleId === undefined ? "attribute_not_exists(PK)" : "(attribute_not_exists(PK) OR attemptId = :stale)";
        await db.update({
          TableName: store.tableName,
          Key: lockKey,
          UpdateExpression: "SET #type = :type, attemptId = :id, examId = :exam, startedAt = :started, #count = if_not_exists(#count, :legacy) + :one",
          ConditionExpression: `${taken} AND (attribute_not_exists(#count) OR #count < :max)`,
          ExpressionAttributeNames: { "#type": "type", "#count": "count" },
          ExpressionAttributeValues: {
            ":type": "open-attempt",
            ":id": attempt.attemptId,
            ":exam": exam.examId,
            ":started": attempt.startedAt,
            ":legacy": lock === undefined ? 0 : 1,
            ":one": 1,
            ":max": maxAttempts,
            ...(staleId === undefined ? {} : { ":stale": staleId }),
          },
        });
      } catch (err) {
        // Any other error may have come after the lock was written (a timeout): the attempt stays `starting`,
        // which no one sees; if the lock names it, the next start opens it, else it is an unlisted leftover.
        if (!isConditionFailed(err)) throw err;
        // Someone else started one first: ours was never listed nor answerable; remove it and look again.
        await db.delete({ TableName: store.tableName, Key: attemptKey(attempt.attemptId) });
        continue;
      }
      return openAttempt(store, attempt);
    }
    throw new HttpError(409, "Could not start an attempt; retry", { type: ATTEMPT_CONFLICT });
  });
}

/**
 * Replaces the answer sheet of an open attempt (idempotent). Refused once submitted (409) or once the
 * deadline has passed (409 time-up); only the attempt's student may write (403).
 */
export async function saveAnswers(store: Store, args: { attemptId: string; studentId: string; answers: Record<string, AnswerValue> }): Promise<Attempt> {
  const { attemptId, studentId, answers } = args;
  return guard(async () => {
    const db = await store.db();
    const now = store.now();
    try {
      const out = await db.update({
        TableName: store.tableName,
        Key: attemptKey(attemptId),
        UpdateExpression: "SET #answers = :answers, #v = #v + :one, #updated = :now",
        ConditionExpression: "attribute_exists(PK) AND #student = :student AND #status = :open AND #deadline > :now",
        ExpressionAttributeNames: { "#answers": "answers", "#v": "version", "#updated": "updatedAt", "#student": "studentId", "#status": "status", "#deadline": "deadline" },
        ExpressionAttributeValues: { ":answers": answers, ":one": 1, ":now": iso(now), ":student": studentId, ":open": "open" },
        ReturnValues: "ALL_NEW",
      });
      return strip<Attempt>(out.Attributes!);
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      const current = await getAttempt(store, attemptId);
      if (!current) throw notFound("attempt", attemptId);
      if (current.studentId !== studentId) throw new HttpError(403, "Only the attempt's student may answer");
      if (current.status === "submitted") throw new HttpError(409, "The attempt was already submitted", { type: ALREADY_SUBMITTED });
      if (isExpired(current, now)) throw new HttpError(409, "Time is up: the exam's duration has passed", { type: TIME_UP, deadline: current.deadline });
      throw new HttpError(409, "The attempt was changed concurrently; retry");
    }
  });
}

/**
 * Submits and grades an attempt exactly once. `graded` is true for the one call that stored the result;
 * every other call (a retry, a parallel submit) gets the stored result back, never a new grading.
 */
export async function submitAttempt(store: Store, args: { attemptId: string; studentId: string; grade: Grader }): Promise<{ attempt: Attempt; graded: boolean }> {
  const { attemptId, studentId, grade } = args;
  // In time or not is decided when the submit arrives: grading (reading the questions) may outlast the deadline.
  const arrived = store.now();
  return gradeOnce(store, attemptId, grade, arrived, (current) => {
    if (current.studentId !== studentId) throw new HttpError(403, "Only the attempt's student may submit it");
  });
}

/** What deciding whether an attempt is due for grading needs (an export's projection has it). */
export type DueCheck = Pick<Attempt, "attemptId" | "status" | "deadline">;

/**
 * An attempt read `open` past its deadline, submitted and graded now with its saved sheet, exactly as a late
 * submit grades it (the same conditional write: readers racing each other or the student's submit grade it
 * once, and the losers get the stored result). Null when `seen` is not due: still running, or submitted.
 * `seen` may be a listing's copy (GSI1 is eventually consistent): the attempt is read again, consistently,
 * before it is graded. The caller has authorized the read.
 */
export async function gradeIfExpired(store: Store, seen: DueCheck, grade: Grader): Promise<Attempt | null> {
  if (seen.status !== "open" || !isExpired(seen, store.now())) return null;
  return (await gradeOnce(store, seen.attemptId, grade, store.now(), () => undefined)).attempt;
}

/**
 * How a submitted attempt ended, as the teacher reads it: its student submitted before the deadline (at
 * `now`), or time ran out first (at the deadline, whoever's request graded it later: a read, a late submit,
 * the next start). The record then does not depend on when someone happened to look.
 */
function submission(attempt: DueCheck, now: number): { submittedAt: string; submittedBy: SubmittedBy } {
  return isExpired(attempt, now) ? { submittedAt: attempt.deadline, submittedBy: "deadline" } : { submittedAt: iso(now), submittedBy: "student" };
}

/**
 * open → submitted with its result, once: the write pins the version graded; a lost race re-reads. `at` is
 * when the submit (or the read) came: what decides whether it came in time.
 */
async function gradeOnce(store: Store, attemptId: string, grade: Grader, at: number, authorize: (current: Attempt) => void): Promise<{ attempt: Attempt; graded: boolean }> {
  return guard(async () => {
    const db = await store.db();
    for (let round = 0; round < 5; round++) {
      const current = await getAttempt(store, attemptId);
      if (!current) throw notFound("attempt", attemptId);
      authorize(current);
      if (current.status === "submitted") return { attempt: current, graded: false };
      const result = await grade(current);
      const now = store.now();
      const { submittedAt, submittedBy } = submission(current, at);
      try {
        const out = await db.update({
          TableName: store.tableName,
          Key: attemptKey(attemptId),
          UpdateExpression: "SET #status = :submitted, #result = :result, #submittedAt = :at, #submittedBy = :by, #updated = :now, #v = #v + :one",
          // The version pins the answers the grade was computed from.
          ConditionExpression: "#status = :open AND #v = :seen",
          ExpressionAttributeNames: { "#status": "status", "#result": "result", "#submittedAt": "submittedAt", "#submittedBy": "submittedBy", "#updated": "updatedAt", "#v": "version" },
          ExpressionAttributeValues: { ":submitted": "submitted", ":open": "open", ":result": result, ":at": submittedAt, ":by": submittedBy, ":now": iso(now), ":one": 1, ":seen": current.version },
          ReturnValues: "ALL_NEW",
        });
        // The lock stays: it names a submitted attempt now (stale, taken over by the next start) and keeps
        // the count of attempts started.
        return { attempt: strip<Attempt>(out.Attributes!), graded: true };
      } catch (err) {
        if (!isConditionFailed(err)) throw err;
        // Submitted by a parallel call, or the answers changed since we read them: look again.
      }
    }
    throw new HttpError(409, "The attempt keeps changing; retry");
  });
}

/** Attempts at an exam (the teacher's results), or only one student's with `studentId`. */
export async function listExamAttempts(store: Store, examId: string, options: PageOptions & { studentId?: string | undefined }): Promise<Page<Attempt>> {
  return guard(async () => {
    const pk = examAttemptsPk(examId);
    const prefix = options.studentId === undefined ? ATTEMPT_PREFIX : studentAttemptsPrefix(options.studentId);
    return queryPage(
      store,
      {
        IndexName: GSI1,
        KeyConditionExpression: "GSI1PK = :pk AND begins_with(GSI1SK, :prefix)",
        // Keys escape "#" in subs (keys.ts); the filter still keeps a student's listing to their own attempts
        // should an item written before that hold a raw one.
        ...(options.studentId === undefined ? {} : { FilterExpression: "studentId = :me" }),
        ExpressionAttributeValues: { ":pk": pk, ":prefix": prefix, ...(options.studentId === undefined ? {} : { ":me": options.studentId }) },
      },
      { names: GSI1_CURSOR, partition: ["GSI1PK", pk], sort: ["GSI1SK", prefix] },
      options,
      (item) => strip<Attempt>(item),
    );
  });
}

/** What a results export reads of an attempt (`deadline`: to grade one whose time ran out). */
export type AttemptSummary = Pick<Attempt, "attemptId" | "studentId" | "status" | "startedAt" | "deadline" | "submittedAt" | "submittedBy"> & { score?: number; maxScore?: number };

/** An attempt as a results export shows it. */
export function attemptSummary({ attemptId, studentId, status, startedAt, deadline, submittedAt, submittedBy, result }: Attempt): AttemptSummary {
  return { attemptId, studentId, status, startedAt, deadline, submittedAt, submittedBy, score: result?.score, maxScore: result?.maxScore };
}

/**
 * Every attempt at an exam, one DynamoDB page at a time (GSI1, in student then attempt order), with only
 * the fields an export needs: never the answer sheets, never more than one page in memory. A page is at
 * most `pageSize` items and, as for any Query, at most 1 MB read.
 * @example for await (const page of examAttemptPages(store, examId)) write(page)
 */
export async function* examAttemptPages(store: Store, examId: string, pageSize = 200): AsyncGenerator<AttemptSummary[]> {
  const db = await store.db();
  let start: Record<string, unknown> | undefined;
  do {
    const out = await guard(() =>
      db.query({
        TableName: store.tableName,
        IndexName: GSI1,
        KeyConditionExpression: "GSI1PK = :pk AND begins_with(GSI1SK, :prefix)",
        ExpressionAttributeValues: { ":pk": examAttemptsPk(examId), ":prefix": ATTEMPT_PREFIX },
        // Placeholders for every name: `status` and `result` are DynamoDB reserved words.
        ProjectionExpression: "#id, #student, #status, #started, #deadline, #submitted, #by, #result.#score, #result.#max",
        ExpressionAttributeNames: { "#id": "attemptId", "#student": "studentId", "#status": "status", "#started": "startedAt", "#deadline": "deadline", "#submitted": "submittedAt", "#by": "submittedBy", "#result": "result", "#score": "score", "#max": "maxScore" },
        Limit: pageSize,
        ExclusiveStartKey: start,
      }),
    );
    yield (out.Items ?? []).map(({ attemptId, studentId, status, startedAt, deadline, submittedAt, submittedBy, result }) => ({ attemptId, studentId, status, startedAt, deadline, submittedAt, submittedBy, ...(result as AttemptSummary | undefined) }) as AttemptSummary);
    start = out.LastEvaluatedKey;
  } while (start !== undefined);
}
