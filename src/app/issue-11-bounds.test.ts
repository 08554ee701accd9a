// Issue 11, findings 1 and 2: bounded work per request, and no lock-out by an item DynamoDB refuses.
// Bounded tests: statuses, response sizes and issue counts, never timings (bench group "validation" times them).
import { createEvent, handle } from "lambdalith";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "./app.ts";
import { createFiles } from "./files.ts";
import { newId } from "./ids.ts";
import { answerSheetBytes, BODY_LIMITS, DYNAMO_ITEM_LIMIT, dynamoItemSize, MAX_ANSWER_SHEET_BYTES, MAX_FILES, MAX_QUESTIONS, MAX_TEXT_ANSWER } from "./limits.ts";
import { createStore } from "./store/index.ts";
import { attemptKey } from "./store/keys.ts";
import { createTestApi, otherStudent, otherTeacher, question, student, teacher, type TestApi } from "./test-api.ts";

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi("bounds");
});
afterAll(() => api.drop());

const choices = (n: number) => ({ kind: "single", text: "x", correct: 0, choices: Array(n).fill(1) });

// Tests that build 100-question exams take a few seconds on a loaded machine: they get room (sizes, not timings).
const SLOW = 60_000;

async function publishedWith(questions: unknown[], maxAttempts = 1): Promise<{ examId: string; questionIds: string[] }> {
  const res = await api.call("POST", "/exams", { as: teacher, body: { title: "Bounds", durationMinutes: 30, maxAttempts } });
  const examId = res.body.examId;
  const questionIds: string[] = [];
  for (let i = 0; i < questions.length; i += 10) {
    const added = await Promise.all(questions.slice(i, i + 10).map((q) => api.call("POST", `/exams/${examId}/questions`, { as: teacher, body: q })));
    for (const a of added) expect(a.status).toBe(201);
    questionIds.push(...added.map((a) => a.body.questionId));
  }
  expect((await api.call("POST", `/exams/${examId}/publish`, { as: teacher })).status).toBe(200);
  return { examId, questionIds };
}

describe("issue 11, finding 1: unbounded validation work", () => {
  it("a student's 80,000-choice question (≈160 KB) is a small 403: the role is checked before the body", async () => {
    const { examId } = await api.draft("Bounds");
    const res = await api.call("POST", `/exams/${examId}/questions`, { as: student, body: choices(80_000) });
    expect(res.status).toBe(403);
    expect(res.size).toBeLessThan(1024);
    // Another teacher: the draft is not theirs (404), still before the body.
    expect((await api.call("POST", `/exams/${examId}/questions`, { as: otherTeacher, body: choices(60_000) })).status).toBe(404);
  });

  it("the exam's teacher: over the body cap a 413, under it a single issue", async () => {
    const { examId } = await api.draft("Bounds");
    const big = await api.call("POST", `/exams/${examId}/questions`, { as: teacher, body: choices(80_000) });
    expect(big).toMatchObject({ status: 413, headers: { "content-type": "application/problem+json" }, body: { limit: BODY_LIMITS.question } });
    expect(big.size).toBeLessThan(1024);
    const under = await api.call("POST", `/exams/${examId}/questions`, { as: teacher, body: choices(60_000) });
    expect(under.status).toBe(422);
    expect(under.body.errors).toEqual([{ path: "body.choices", message: "At most 20 choices" }]);
    expect(under.size).toBeLessThan(1024);
  });

  it("a 5.3 MB answer sheet with 600,000 bad keys is a small 413; another's attempt a 404; 600 bad keys one issue", async () => {
    const { examId } = await publishedWith([question(1)]);
    const attempt = (await api.call("POST", `/exams/${examId}/attempts`, { as: student })).body.attemptId;
    const answers = (n: number) => ({ answers: Object.fromEntries(Array.from({ length: n }, (_, i) => [`bad-key-${i}`, 1])) });
    const huge = JSON.stringify(answers(600_000));
    expect(huge.length).toBeGreaterThan(5_000_000);
    // The size is checked before anything is read: another student's huge body is refused the same way.
    expect((await api.call("PUT", `/attempts/${attempt}/answers`, { as: otherStudent, raw: huge })).status).toBe(413);
    expect((await api.call("PUT", `/attempts/${attempt}/answers`, { as: otherStudent, body: answers(600) })).status).toBe(404);
    const tooBig = await api.call("PUT", `/attempts/${attempt}/answers`, { as: student, raw: huge });
    expect(tooBig).toMatchObject({ status: 413, body: { limit: BODY_LIMITS.answers } });
    expect(tooBig.size).toBeLessThan(1024);
    const many = await api.call("PUT", `/attempts/${attempt}/answers`, { as: student, body: answers(600) });
    expect(many.status).toBe(422);
    expect(many.body.errors).toEqual([{ path: "body.answers", message: `At most ${MAX_QUESTIONS} answers` }]);
    // Building and sending three 5 MB bodies takes ~1.5 s on a quiet machine, over 5 s on a loaded one.
  }, 30_000);

  it("a 422 the app builds lists at most 20 issues and counts the rest", async () => {
    const { examId } = await publishedWith([question(1)]);
    const attempt = (await api.call("POST", `/exams/${examId}/attempts`, { as: student })).body.attemptId;
    const unknown = Object.fromEntries(Array.from({ length: 100 }, () => [newId(), 1]));
    const res = await api.call("PUT", `/attempts/${attempt}/answers`, { as: student, body: { answers: unknown } });
    expect(res.status).toBe(422);
    expect(res.body.errors).toHaveLength(20);
    expect(res.body.more).toBe(80);
    expect(res.body.detail).toBe("The answer sheet has 100 invalid values.");
    expect(res.size).toBeLessThan(4096);
  });

  it("the worst body under every cap still answers a bounded 422", async () => {
    // 100 answers (the cap), each of the wrong shape for any question: the router's own 422.
    const { examId } = await publishedWith([question(1)]);
    const attempt = (await api.call("POST", `/exams/${examId}/attempts`, { as: student })).body.attemptId;
    const wrong = Object.fromEntries(Array.from({ length: 100 }, () => [newId(), { nested: Array(20).fill("x") }]));
    const res = await api.call("PUT", `/attempts/${attempt}/answers`, { as: student, body: { answers: wrong } });
    expect(res.status).toBe(422);
    // One issue per answer at most (the library will list 20 and count the rest in `more`).
    expect(res.body.errors.length + (res.body.more ?? 0)).toBeLessThanOrEqual(100);
    expect(res.size).toBeLessThan(32 * 1024);
  });

  it("every route with a body has its cap: 413 problem+json one byte over", async () => {
    const { examId } = await api.draft("Bounds");
    const q = (await api.call("POST", `/exams/${examId}/questions`, { as: teacher, body: question(1) })).body.questionId;
    const { examId: pub } = await publishedWith([question(1)]);
    const attempt = (await api.call("POST", `/exams/${pub}/attempts`, { as: otherStudent })).body.attemptId;
    const over = (limit: number) => JSON.stringify({ pad: "x".repeat(limit - 10 + 1) });
    expect(Buffer.byteLength(over(100))).toBe(101);
    const routes: Array<[string, string, Record<string, unknown>, number]> = [
      ["PATCH", "/me", student, BODY_LIMITS.profile],
      ["POST", "/exams", teacher, BODY_LIMITS.exam],
      ["PATCH", `/exams/${examId}`, teacher, BODY_LIMITS.exam],
      ["POST", `/exams/${examId}/questions`, teacher, BODY_LIMITS.question],
      ["PATCH", `/exams/${examId}/questions/${q}`, teacher, BODY_LIMITS.question],
      ["POST", `/exams/${examId}/files`, teacher, BODY_LIMITS.file],
      ["PUT", `/attempts/${attempt}/answers`, otherStudent, BODY_LIMITS.answers],
    ];
    for (const [method, path, as, limit] of routes) {
      const res = await api.call(method, path, { as, raw: over(limit) });
      expect(res.status, `${method} ${path}`).toBe(413);
      expect(res.headers["content-type"]).toBe("application/problem+json");
      expect(res.body).toMatchObject({ status: 413, limit });
    }
  });

  it("malformed JSON is a 400 that quotes nothing of the body", async () => {
    const res = await api.call("POST", "/exams", { as: teacher, raw: '{"title": "secret-echo-1234' });
    expect(res).toMatchObject({ status: 400, body: { detail: "The request body is not valid JSON." } });
    expect(JSON.stringify(res.body)).not.toMatch(/secret|position|Unexpected|Unterminated/);
  });
});

describe("issue 11, finding 2: no lock-out by an oversized item", () => {
  it(`CJK answers at the caps (${MAX_QUESTIONS} text questions): over 256 KiB of UTF-8 a 413; at the cap stored, submitted, graded, under 400 KB by AWS's count`, async () => {
    const cjk = "試".repeat(MAX_TEXT_ANSWER);
    const { examId, questionIds } = await publishedWith(Array.from({ length: MAX_QUESTIONS }, (_, i) => ({ kind: "text", text: `問題 ${i}`, points: 1000, accepted: ["正解"] })));
    const who = { sub: `s-cjk-${"x".repeat(200)}`, "cognito:groups": "[student]" };
    const start = await api.call("POST", `/exams/${examId}/attempts`, { as: who });
    expect(start.status).toBe(201);
    const attemptId = start.body.attemptId;

    // Every answer at its 1000-character cap: 300 KB of UTF-8 (dynalite would count 100 KB).
    const full = Object.fromEntries(questionIds.map((id) => [id, cjk]));
    const refused = await api.call("PUT", `/attempts/${attemptId}/answers`, { as: who, body: { answers: full } });
    expect(refused).toMatchObject({ status: 413, body: { limit: MAX_ANSWER_SHEET_BYTES, size: answerSheetBytes(full) } });

    // Filled up to the cap: stored.
    const sheet: Record<string, string> = {};
    for (const id of questionIds) {
      const room = Math.floor((MAX_ANSWER_SHEET_BYTES - answerSheetBytes(sheet) - 1 - id.length) / 3);
      if (room <= 0) break;
      sheet[id] = "試".repeat(Math.min(MAX_TEXT_ANSWER, room));
    }
    expect(answerSheetBytes(sheet)).toBeLessThanOrEqual(MAX_ANSWER_SHEET_BYTES);
    expect(answerSheetBytes(sheet)).toBeGreaterThan(MAX_ANSWER_SHEET_BYTES - 8);
    expect((await api.call("PUT", `/attempts/${attemptId}/answers`, { as: who, body: { answers: sheet } })).status).toBe(200);

    // Submitted and graded, even after the deadline (the lock-out the issue saw: 502 forever).
    api.clock.now += 31 * 60_000;
    try {
      const submitted = await api.call("POST", `/attempts/${attemptId}/submit`, { as: who });
      expect(submitted.status).toBe(200);
      expect(submitted.body.result.maxScore).toBe(MAX_QUESTIONS * 1000);
      expect(submitted.body.result.score).toBe(0);
      expect(submitted.body.result.questions).toHaveLength(MAX_QUESTIONS);
    } finally {
      api.clock.now -= 31 * 60_000;
    }
    const item = (await api.db.get({ TableName: api.store.tableName, Key: attemptKey(attemptId), ConsistentRead: true })).Item!;
    expect(dynamoItemSize(item)).toBeGreaterThan(MAX_ANSWER_SHEET_BYTES);
    expect(dynamoItemSize(item)).toBeLessThanOrEqual(DYNAMO_ITEM_LIMIT);
  }, SLOW);

  it(`a question past the ${MAX_QUESTIONS}th is a 409 limit-reached, not a bigger exam`, async () => {
    const res = await api.call("POST", "/exams", { as: teacher, body: { title: "Full", durationMinutes: 5 } });
    const examId = res.body.examId;
    for (let i = 0; i < MAX_QUESTIONS; i++) expect((await api.call("POST", `/exams/${examId}/questions`, { as: teacher, body: question(i) })).status).toBe(201);
    const extra = await api.call("POST", `/exams/${examId}/questions`, { as: teacher, body: question(0) });
    expect(extra).toMatchObject({ status: 409, body: { type: "tag:exambuddy,2026:limit-reached", limit: MAX_QUESTIONS } });
  }, SLOW);

  it(`a file record past the ${MAX_FILES}th is a 409 limit-reached, so publish and DELETE stay bounded (was: no cap, thousands of writes in one request)`, async () => {
    const examId = (await api.call("POST", "/exams", { as: teacher, body: { title: "Many files", durationMinutes: 5 } })).body.examId;
    const file = { fileName: "a.pdf", contentType: "application/pdf", size: 10 };
    for (let i = 0; i < MAX_FILES; i++) expect((await api.call("POST", `/exams/${examId}/files`, { as: teacher, body: file })).status).toBe(201);
    const extra = await api.call("POST", `/exams/${examId}/files`, { as: teacher, body: file });
    expect(extra).toMatchObject({ status: 409, body: { type: "tag:exambuddy,2026:limit-reached", limit: MAX_FILES } });
    // The counter is bookkeeping: never in the exam the API shows.
    expect((await api.call("GET", `/exams/${examId}`, { as: teacher })).body).not.toHaveProperty("fileSeq");
    expect((await api.call("DELETE", `/exams/${examId}`, { as: teacher })).status).toBe(204);
  }, SLOW);

  it("a write DynamoDB refuses for its size is a 413, never a 502", async () => {
    const tooLarge = Object.assign(new Error("Item size to update has exceeded the maximum allowed size"), { name: "ValidationException", $metadata: { httpStatusCode: 400 } });
    const item = { PK: "USER#t", SK: "PROFILE", sub: "t", displayName: "T", version: 1, createdAt: "", updatedAt: "" };
    const store = createStore({ tableName: "t", db: async () => ({ get: async () => ({ Item: item }), update: () => Promise.reject(tooLarge) }) as never });
    const h = handle(createApp({ services: () => ({ store, files: createFiles({ bucket: "b" }) }), log: () => undefined }));
    const res = await h(createEvent("http-api-v2", { method: "PATCH", path: "/me", headers: { "content-type": "application/json" }, body: '{"displayName":"x"}', auth: { sub: "t" } }), { awsRequestId: "r" });
    expect(res.statusCode).toBe(413);
  });
});
