// The store against a real (local) DynamoDB: dynalite from test/global-setup.ts, one table per file.
import { HttpError } from "lambdalith";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestTable } from "../../../test/local-aws.ts";
import { newId } from "../ids.ts";
import type { QuestionInput } from "../schemas.ts";
import {
  addQuestion,
  createExam,
  createFileRecord,
  createStore,
  deleteExam,
  deleteQuestion,
  encodeCursor,
  ensureUser,
  getAttempt,
  getExam,
  getFileRecord,
  getUser,
  listExamAttempts,
  listFiles,
  listPublishedExams,
  listQuestions,
  listTeacherExams,
  markFileReady,
  publishExam,
  replaceQuestion,
  saveAnswers,
  startAttempt,
  submitAttempt,
  updateExam,
  updateUser,
  type Attempt,
  type Exam,
  type Store,
} from "./index.ts";
import { STALE_VERSION, READ_ONLY } from "./errors.ts";
import { ATTEMPT_CONFLICT, TIME_UP, ALREADY_SUBMITTED, NO_ATTEMPTS_LEFT } from "./attempts.ts";

let table: Awaited<ReturnType<typeof createTestTable>>;
let store: Store;
let clock = Date.parse("2026-11-24T10:00:00.000Z");

beforeAll(async () => {
  table = await createTestTable("store");
  store = createStore({ tableName: table.tableName, now: () => clock });
});
afterAll(() => table.drop());

/** The HttpError a promise rejects with (fails the test if it resolves or rejects with anything else). */
async function httpError(p: Promise<unknown>): Promise<HttpError> {
  const err = await p.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HttpError);
  return err as HttpError;
}

const single: QuestionInput = { kind: "single", text: "2 + 2?", points: 1, choices: ["3", "4"], correct: 1 };
const multiple: QuestionInput = { kind: "multiple", text: "Primes?", points: 2, choices: ["2", "4", "5"], correct: [0, 2] };
const textQ: QuestionInput = { kind: "text", text: "Capital of France?", points: 3, accepted: ["Paris"] };

async function publishedExam(teacherId: string, questions: QuestionInput[] = [single], durationMinutes = 30, maxAttempts = 1): Promise<Exam> {
  const exam = await createExam(store, teacherId, { title: "Quiz", description: "", durationMinutes, maxAttempts });
  for (const input of questions) await addQuestion(store, { examId: exam.examId, teacherId, input });
  return publishExam(store, { examId: exam.examId, teacherId });
}

describe("users", () => {
  it("creates the profile on first call, once, even when called in parallel", async () => {
    const sub = `u-${newId()}`;
    expect(await getUser(store, sub)).toBeNull();
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => ensureUser(store, { sub, email: "ada@example.com", role: "teacher" })));
    expect(a).toEqual(b);
    expect(b).toEqual(c);
    expect(a).toMatchObject({ sub, email: "ada@example.com", role: "teacher", displayName: "ada", version: 1 });
    expect(await getUser(store, sub)).toEqual(a);
  });

  it("updates the display name with optimistic concurrency", async () => {
    const sub = `u-${newId()}`;
    await ensureUser(store, { sub, role: "student" });
    const v2 = await updateUser(store, sub, { displayName: "Grace" }, 1);
    expect(v2).toMatchObject({ displayName: "Grace", version: 2 });
    const stale = await httpError(updateUser(store, sub, { displayName: "Nope" }, 1));
    expect(stale.status).toBe(409);
    expect(stale.type).toBe(STALE_VERSION);
    expect(stale.extensions["currentVersion"]).toBe(2);
    expect((await httpError(updateUser(store, `u-${newId()}`, { displayName: "x" }))).status).toBe(404);
  });
});

describe("exams", () => {
  it("creates, reads and updates a draft, bumping its version", async () => {
    const exam = await createExam(store, "t-crud", { title: "Algebra", description: "Ch. 1", durationMinutes: 45 });
    expect(exam).toMatchObject({ title: "Algebra", status: "draft", version: 1, questionCount: 0, teacherId: "t-crud" });
    expect(exam).not.toHaveProperty("PK");
    expect(await getExam(store, exam.examId)).toEqual(exam);
    const updated = await updateExam(store, { examId: exam.examId, teacherId: "t-crud", changes: { title: "Algebra I" }, expectedVersion: 1 });
    expect(updated).toMatchObject({ title: "Algebra I", description: "Ch. 1", version: 2 });
    expect(await getExam(store, newId())).toBeNull();
  });

  it("two updates with the same version: exactly one wins, the other changes nothing", async () => {
    const exam = await createExam(store, "t-race", { title: "Race", description: "", durationMinutes: 10 });
    const results = await Promise.allSettled(
      ["A", "B", "C", "D"].map((title) => updateExam(store, { examId: exam.examId, teacherId: "t-race", changes: { title }, expectedVersion: 1 })),
    );
    const won = results.filter((r): r is PromiseFulfilledResult<Exam> => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(3);
    for (const l of lost) {
      expect(l.reason).toBeInstanceOf(HttpError);
      expect(l.reason).toMatchObject({ status: 409, type: STALE_VERSION, extensions: { currentVersion: 2 } });
    }
    const stored = await getExam(store, exam.examId);
    expect(stored).toMatchObject({ title: won[0]!.value.title, version: 2 });
  });

  it("answers 404 / 403 / 409 read-only for missing, foreign and published exams", async () => {
    const missing = await httpError(updateExam(store, { examId: newId(), teacherId: "t", changes: { title: "x" } }));
    expect(missing.status).toBe(404);
    const exam = await createExam(store, "t-owner", { title: "Mine", description: "", durationMinutes: 10 });
    const foreign = await httpError(updateExam(store, { examId: exam.examId, teacherId: "t-other", changes: { title: "x" } }));
    expect(foreign.status).toBe(403);
    const published = await publishedExam("t-owner");
    const ro = await httpError(updateExam(store, { examId: published.examId, teacherId: "t-owner", changes: { title: "x" } }));
    expect(ro).toMatchObject({ status: 409, type: READ_ONLY });
  });

  it("publishes only with a question; published exams are read-only and listed for students", async () => {
    const exam = await createExam(store, "t-pub", { title: "Pub", description: "", durationMinutes: 20 });
    const empty = await httpError(publishExam(store, { examId: exam.examId, teacherId: "t-pub" }));
    expect(empty.status).toBe(409);
    expect(empty.detail).toMatch(/at least one question/);
    await addQuestion(store, { examId: exam.examId, teacherId: "t-pub", input: single });
    // Adding the question made version 2 of the exam (its questionCount changed): version 1 is stale.
    expect(await httpError(publishExam(store, { examId: exam.examId, teacherId: "t-pub", expectedVersion: 1 }))).toMatchObject({ status: 409 });
    const published = await publishExam(store, { examId: exam.examId, teacherId: "t-pub", expectedVersion: 2 });
    expect(published).toMatchObject({ status: "published", version: 4, questionCount: 1 });
    expect(published.publishedAt).toBe(new Date(clock).toISOString());
    // Idempotent:
    expect(await publishExam(store, { examId: exam.examId, teacherId: "t-pub" })).toEqual(published);
    // Read-only: questions can't be added, changed or deleted; the exam can't be deleted.
    const [q] = await listQuestions(store, exam.examId);
    for (const attempt of [
      () => addQuestion(store, { examId: exam.examId, teacherId: "t-pub", input: textQ }),
      () => replaceQuestion(store, { examId: exam.examId, teacherId: "t-pub", questionId: q!.questionId, next: textQ }),
      () => deleteQuestion(store, { examId: exam.examId, teacherId: "t-pub", questionId: q!.questionId }),
      () => deleteExam(store, { examId: exam.examId, teacherId: "t-pub" }),
    ]) {
      expect(await httpError(attempt())).toMatchObject({ status: 409, type: READ_ONLY });
    }
    expect((await listQuestions(store, exam.examId)).map((x) => x.text)).toEqual([single.text]);
    const page = await listPublishedExams(store, { limit: 100 });
    const entry = page.items.find((e) => e.examId === exam.examId);
    expect(entry).toEqual({
      examId: exam.examId,
      teacherId: "t-pub",
      title: "Pub",
      description: "",
      durationMinutes: 20,
      maxAttempts: 1,
      questionCount: 1,
      publishedAt: published.publishedAt,
    });
  });

  it("deletes a draft with its questions and file records", async () => {
    const exam = await createExam(store, "t-del", { title: "Del", description: "", durationMinutes: 5 });
    await addQuestion(store, { examId: exam.examId, teacherId: "t-del", input: single });
    await addQuestion(store, { examId: exam.examId, teacherId: "t-del", input: textQ });
    const fileId = newId();
    await createFileRecord(store, { examId: exam.examId, teacherId: "t-del", fileId, key: `pending/${exam.examId}/${fileId}`, fileName: "a.pdf", contentType: "application/pdf", size: 3 });
    expect((await httpError(deleteExam(store, { examId: exam.examId, teacherId: "t-other" }))).status).toBe(403);
    expect((await httpError(deleteExam(store, { examId: exam.examId, teacherId: "t-del", expectedVersion: 7 }))).type).toBe(STALE_VERSION);
    const seen: string[][] = [];
    // The callback runs before any record is removed; if it fails, the next DELETE gets the same ids again.
    const failing = await deleteExam(store, { examId: exam.examId, teacherId: "t-del", beforeChildren: async () => Promise.reject(new Error("S3 down")) }).catch((e: Error) => e);
    expect(failing).toMatchObject({ message: "S3 down" });
    expect(await getFileRecord(store, exam.examId, fileId)).not.toBeNull();
    const { fileIds } = await deleteExam(store, { examId: exam.examId, teacherId: "t-del", beforeChildren: async (ids) => void seen.push(ids) });
    expect(fileIds).toEqual([fileId]);
    expect(seen).toEqual([[fileId]]);
    expect(await getExam(store, exam.examId)).toBeNull();
    expect(await listQuestions(store, exam.examId)).toEqual([]);
    expect(await getFileRecord(store, exam.examId, fileId)).toBeNull();
    expect((await listTeacherExams(store, "t-del", { limit: 10 })).items).toEqual([]);
    expect((await httpError(deleteExam(store, { examId: exam.examId, teacherId: "t-del" }))).status).toBe(404);
  });
});

describe("questions", () => {
  it("keeps creation order, versions replacements, and counts for publishing", async () => {
    const exam = await createExam(store, "t-q", { title: "Q", description: "", durationMinutes: 5 });
    const added = [];
    for (const input of [single, multiple, textQ]) added.push(await addQuestion(store, { examId: exam.examId, teacherId: "t-q", input }));
    expect(added.map((q) => q.position)).toEqual([1, 2, 3]);
    expect((await listQuestions(store, exam.examId)).map((q) => q.kind)).toEqual(["single", "multiple", "text"]);
    expect((await getExam(store, exam.examId))!.questionCount).toBe(3);

    const q = added[1]!;
    const next: QuestionInput = { ...multiple, text: "Which are prime?" };
    const replaced = await replaceQuestion(store, { examId: exam.examId, teacherId: "t-q", questionId: q.questionId, next, expectedVersion: 1 });
    expect(replaced).toMatchObject({ text: "Which are prime?", version: 2, position: 2, createdAt: q.createdAt });
    const stale = await httpError(replaceQuestion(store, { examId: exam.examId, teacherId: "t-q", questionId: q.questionId, next, expectedVersion: 1 }));
    expect(stale).toMatchObject({ status: 409, type: STALE_VERSION });

    await deleteQuestion(store, { examId: exam.examId, teacherId: "t-q", questionId: added[0]!.questionId });
    expect((await httpError(deleteQuestion(store, { examId: exam.examId, teacherId: "t-q", questionId: added[0]!.questionId }))).status).toBe(404);
    expect((await listQuestions(store, exam.examId)).map((x) => x.position)).toEqual([2, 3]);
    expect((await getExam(store, exam.examId))!.questionCount).toBe(2);
    // New questions still go last.
    const last = await addQuestion(store, { examId: exam.examId, teacherId: "t-q", input: single });
    expect(last.position).toBe(4);
    expect((await httpError(addQuestion(store, { examId: exam.examId, teacherId: "t-intruder", input: single }))).status).toBe(403);
  });
  it("a question write refused for a stale version leaves the exam's version (a refused DELETE moved it)", async () => {
    const exam = await createExam(store, "t-stale", { title: "Q", description: "", durationMinutes: 5 });
    const q = await addQuestion(store, { examId: exam.examId, teacherId: "t-stale", input: single });
    await replaceQuestion(store, { examId: exam.examId, teacherId: "t-stale", questionId: q.questionId, next: { ...single, text: "Again?" }, expectedVersion: 1 });
    const before = (await getExam(store, exam.examId))!.version;
    for (const write of [
      () => deleteQuestion(store, { examId: exam.examId, teacherId: "t-stale", questionId: q.questionId, expectedVersion: 1 }),
      () => replaceQuestion(store, { examId: exam.examId, teacherId: "t-stale", questionId: q.questionId, next: single, expectedVersion: 1 }),
    ]) {
      expect(await httpError(write())).toMatchObject({ status: 409, type: STALE_VERSION });
    }
    expect((await getExam(store, exam.examId))!.version).toBe(before);
  });
});

describe("pagination", () => {
  it("pages through a teacher's exams with an opaque cursor, optionally by status", async () => {
    const teacher = `t-page-${newId()}`;
    const created: string[] = [];
    for (let i = 0; i < 5; i++) created.push((await createExam(store, teacher, { title: `E${i}`, description: "", durationMinutes: 5 })).examId);
    const pub = await publishedExam(teacher);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listTeacherExams(store, teacher, { limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((e) => e.examId));
      cursor = page.next ?? undefined;
      if (cursor) expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      pages++;
    } while (cursor && pages < 10);
    expect(new Set(seen).size).toBe(6);
    expect(seen).toEqual(expect.arrayContaining([...created, pub.examId]));

    const drafts = await listTeacherExams(store, teacher, { limit: 10, status: "draft" });
    expect(drafts.items.map((e) => e.examId)).toEqual([...created].reverse()); // newest first
    expect(drafts.next).toBeNull();
    const published = await listTeacherExams(store, teacher, { limit: 10, status: "published" });
    expect(published.items.map((e) => e.examId)).toEqual([pub.examId]);
  });

  it("rejects malformed and foreign cursors with a 400 before asking DynamoDB", async () => {
    const teacher = `t-cursor-${newId()}`;
    for (let i = 0; i < 3; i++) await createExam(store, teacher, { title: `E${i}`, description: "", durationMinutes: 5 });
    const first = await listTeacherExams(store, teacher, { limit: 1 });
    expect(first.next).not.toBeNull();
    const key = JSON.parse(Buffer.from(first.next!, "base64url").toString());
    const b64 = (v: unknown) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");
    const bad = [
      "not base64!",
      b64("not json"),
      b64([1, 2]),
      b64(null),
      b64({ ...key, GSI1PK: "TEACHER#someone-else" }), // another teacher's listing
      b64({ PK: key.PK, SK: key.SK }), // a key of another shape
      b64({ ...key, extra: "x" }),
      b64({ ...key, SK: 5 }),
      encodeCursor({ PK: "PUBLISHED", SK: "x" })!,
    ];
    for (const cursor of bad) {
      const err = await httpError(listTeacherExams(store, teacher, { limit: 1, cursor }));
      expect(err.status, cursor).toBe(400);
    }
    // A status-filtered listing only accepts cursors inside that status.
    const draftsCursor = b64({ ...key, GSI1SK: key.GSI1SK.replace(/^draft#/, "published#") });
    expect((await httpError(listTeacherExams(store, teacher, { limit: 1, cursor: draftsCursor, status: "draft" }))).status).toBe(400);
    // The genuine cursor works.
    expect((await listTeacherExams(store, teacher, { limit: 5, cursor: first.next! })).items).toHaveLength(2);
    expect((await httpError(listPublishedExams(store, { limit: 1, cursor: first.next! }))).status).toBe(400);
  });
});

describe("attempts", () => {
  const gradeAll = (attempt: Attempt) => ({ score: Object.keys(attempt.answers).length, maxScore: 1, questions: [] });

  it("allows one open attempt per student and exam", async () => {
    const exam = await publishedExam("t-att");
    const a = await startAttempt(store, { exam, studentId: "s-1" });
    expect(a).toMatchObject({ status: "open", studentId: "s-1", teacherId: "t-att", examId: exam.examId, version: 1, answers: {} });
    expect(Date.parse(a.deadline) - Date.parse(a.startedAt)).toBe(30 * 60_000);
    const again = await httpError(startAttempt(store, { exam, studentId: "s-1" }));
    expect(again).toMatchObject({ status: 409, type: ATTEMPT_CONFLICT, extensions: { attemptId: a.attemptId } });
    // Parallel starts by another student: exactly one attempt.
    const parallel = await Promise.allSettled([1, 2, 3].map(() => startAttempt(store, { exam, studentId: "s-2" })));
    expect(parallel.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const listed = await listExamAttempts(store, exam.examId, { limit: 10, studentId: "s-2" });
    expect(listed.items).toHaveLength(1);
    expect((await listExamAttempts(store, exam.examId, { limit: 10 })).items.map((x) => x.studentId).sort()).toEqual(["s-1", "s-2"]);
    // Drafts can't be attempted.
    const draft = await createExam(store, "t-att", { title: "D", description: "", durationMinutes: 5 });
    expect((await httpError(startAttempt(store, { exam: draft, studentId: "s-1" }))).status).toBe(409);
  });

  it("saves answers idempotently until submitted; two parallel submits grade once", async () => {
    const exam = await publishedExam("t-sub", [single], 30, 2);
    const a = await startAttempt(store, { exam, studentId: "s-sub" });
    const answers = { [newId()]: 1 };
    const v2 = await saveAnswers(store, { attemptId: a.attemptId, studentId: "s-sub", answers });
    const v3 = await saveAnswers(store, { attemptId: a.attemptId, studentId: "s-sub", answers });
    expect(v3.answers).toEqual(v2.answers);
    expect((await httpError(saveAnswers(store, { attemptId: a.attemptId, studentId: "s-other", answers }))).status).toBe(403);
    expect((await httpError(saveAnswers(store, { attemptId: newId(), studentId: "s-sub", answers }))).status).toBe(404);

    let gradings = 0;
    const grade = async (attempt: Attempt) => {
      gradings++;
      await new Promise((r) => setTimeout(r, 20)); // both read "open" before either writes
      return gradeAll(attempt);
    };
    const [r1, r2] = await Promise.all([
      submitAttempt(store, { attemptId: a.attemptId, studentId: "s-sub", grade }),
      submitAttempt(store, { attemptId: a.attemptId, studentId: "s-sub", grade }),
    ]);
    expect([r1.graded, r2.graded].filter(Boolean)).toHaveLength(1);
    expect(r1.attempt).toEqual(r2.attempt);
    expect(r1.attempt).toMatchObject({ status: "submitted", result: { score: 1, maxScore: 1 } });
    const stored = await getAttempt(store, a.attemptId);
    expect(stored).toEqual(r1.attempt);
    // A third submit returns the stored result, never regrades.
    const before = gradings;
    const r3 = await submitAttempt(store, { attemptId: a.attemptId, studentId: "s-sub", grade });
    expect(r3).toEqual({ attempt: stored, graded: false });
    expect(gradings).toBe(before);
    expect(await httpError(saveAnswers(store, { attemptId: a.attemptId, studentId: "s-sub", answers }))).toMatchObject({ status: 409, type: ALREADY_SUBMITTED });
    expect((await httpError(submitAttempt(store, { attemptId: a.attemptId, studentId: "s-other", grade }))).status).toBe(403);
    // Submitting made the lock stale: a second attempt may start (maxAttempts 2), a third may not.
    const next = await startAttempt(store, { exam, studentId: "s-sub" });
    expect(next.attemptId).not.toBe(a.attemptId);
    await submitAttempt(store, { attemptId: next.attemptId, studentId: "s-sub", grade });
    expect(await httpError(startAttempt(store, { exam, studentId: "s-sub" }))).toMatchObject({ status: 409, type: NO_ATTEMPTS_LEFT, extensions: { maxAttempts: 2 } });
  });

  it("refuses answers after the deadline and submits an expired attempt before starting anew", async () => {
    const exam = await publishedExam("t-time", [single], 1, 2);
    const a = await startAttempt(store, { exam, studentId: "s-time" });
    const saved = clock;
    try {
      clock += 61_000;
      const late = await httpError(saveAnswers(store, { attemptId: a.attemptId, studentId: "s-time", answers: {} }));
      expect(late).toMatchObject({ status: 409, type: TIME_UP });
      expect((await httpError(startAttempt(store, { exam, studentId: "s-time" }))).extensions["attemptId"]).toBe(a.attemptId);
      const fresh = await startAttempt(store, { exam, studentId: "s-time", gradeExpired: gradeAll });
      expect(fresh.attemptId).not.toBe(a.attemptId);
      expect(await getAttempt(store, a.attemptId)).toMatchObject({ status: "submitted", result: { score: 0 } });
    } finally {
      clock = saved;
    }
  });
});

describe("file records", () => {
  it("records a pending upload, completes it once, lists it", async () => {
    const exam = await createExam(store, "t-files", { title: "F", description: "", durationMinutes: 5 });
    const fileId = newId();
    const rec = await createFileRecord(store, { examId: exam.examId, teacherId: "t-files", fileId, key: `pending/${exam.examId}/${fileId}`, fileName: "notes.pdf", contentType: "application/pdf", size: 10 });
    expect(rec).toMatchObject({ status: "pending", uploadedBy: "t-files" });
    const ready = await markFileReady(store, { examId: exam.examId, fileId, key: `files/${exam.examId}/${fileId}`, etag: '"abc"' });
    expect(ready).toMatchObject({ status: "ready", key: `files/${exam.examId}/${fileId}`, etag: '"abc"' });
    expect(await markFileReady(store, { examId: exam.examId, fileId, key: "other" })).toEqual(ready);
    expect((await httpError(markFileReady(store, { examId: exam.examId, fileId: newId(), key: "k" }))).status).toBe(404);
    expect((await listFiles(store, exam.examId, { limit: 10 })).items).toEqual([ready]);
    expect((await httpError(createFileRecord(store, { examId: exam.examId, teacherId: "t-x", fileId: newId(), key: "k", fileName: "n", contentType: "image/png", size: 1 }))).status).toBe(403);
  });
});

describe("issue 11: publishing seals the questions", () => {
  it("lists only sealed questions of a published exam; an exam published before sealing existed keeps all of its own", async () => {
    const exam = await publishedExam("t-seal", [single, textQ]);
    expect(await listQuestions(store, exam.examId, { sealedOnly: true })).toHaveLength(2);
    // A late, unsealed item under a published exam is not part of it.
    const db = await store.db();
    const late = newId();
    await db.put({ TableName: store.tableName, Item: { PK: `EXAM#${exam.examId}`, SK: `Q#${late}`, type: "question", ...single, questionId: late, examId: exam.examId, position: 9, version: 1 } });
    expect((await listQuestions(store, exam.examId, { sealedOnly: true })).map((q) => q.questionId)).not.toContain(late);
    expect(await listQuestions(store, exam.examId)).toHaveLength(3);
    // Legacy: no sealed question at all.
    const legacy = await createExam(store, "t-seal", { title: "Old", description: "", durationMinutes: 5 });
    await addQuestion(store, { examId: legacy.examId, teacherId: "t-seal", input: single });
    expect(await listQuestions(store, legacy.examId, { sealedOnly: true })).toHaveLength(1);
  });
});
