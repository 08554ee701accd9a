// Attempts as a teacher and a student expect them (docs/exambuddy.md, "Attempts and retakes", "Grading",
// "Results export"): through the HTTP API on the local stand-ins, with the clock pinned where time matters.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStore, getExam, startAttempt } from "./store/index.ts";
import { createTestApi, question, student, teacher, type TestApi } from "./test-api.ts";

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi("attempts");
});
afterAll(() => api.drop());

async function publish(questions: unknown[] = [question(1)], exam: Record<string, unknown> = {}): Promise<string> {
  const examId = (await api.call("POST", "/exams", { as: teacher, body: { title: "Quiz", durationMinutes: 30, ...exam } })).body.examId;
  for (const q of questions) expect((await api.call("POST", `/exams/${examId}/questions`, { as: teacher, body: q })).status).toBe(201);
  expect((await api.call("POST", `/exams/${examId}/publish`, { as: teacher })).status).toBe(200);
  return examId;
}

const isLockWrite = (op: string, input: any) => op === "update" && typeof input.Key?.SK === "string" && input.Key.SK.startsWith("OPEN#");

describe("maxAttempts against parallel starts", () => {
  it("a start that loses the race for the lock leaves no attempt anyone can list, answer, submit or see graded (was: the loser's attempt was listed, answerable and graded before it was deleted: a second grading with maxAttempts 1)", async () => {
    const examId = await publish();
    let loserId = "";
    const gate = api.hold((op, input) => isLockWrite(op, input) && Boolean((loserId = input.ExpressionAttributeValues[":id"])));
    const loser = api.call("POST", `/exams/${examId}/attempts`, { as: student });
    await gate.reached; // the loser's attempt is written, its lock not yet taken
    const winner = await api.call("POST", `/exams/${examId}/attempts`, { as: student });
    expect(winner.status).toBe(201);
    expect(loserId).toMatch(/^[0-9A-Z]{26}$/);
    // Listed nowhere, and its id (the winner's ± 1 when made in the same millisecond) opens nothing.
    const listed = async (as = student) => (await api.call("GET", `/exams/${examId}/attempts`, { as })).body.items.map((a: any) => a.attemptId);
    expect(await listed()).toEqual([winner.body.attemptId]);
    expect(await listed(teacher)).toEqual([winner.body.attemptId]);
    const [q] = winner.body.questions;
    expect((await api.call("PUT", `/attempts/${loserId}/answers`, { as: student, body: { answers: { [q.questionId]: 1 } } })).status).toBe(404);
    expect((await api.call("POST", `/attempts/${loserId}/submit`, { as: student })).status).toBe(404);
    expect((await api.call("GET", `/attempts/${loserId}`, { as: student })).status).toBe(404);
    gate.release();
    expect(await loser).toMatchObject({ status: 409, body: { type: "tag:exambuddy,2026:attempt-open", attemptId: winner.body.attemptId } });
    expect((await api.db.get({ TableName: api.store.tableName, Key: { PK: `ATTEMPT#${loserId}`, SK: "ATTEMPT" } })).Item).toBeUndefined();
  });

  it("a start that stopped after taking the lock is finished by the next start: 409 attempt-open naming it, then it is listed and answerable", async () => {
    const examId = await publish();
    const isOpening = (op: string, input: any) => op === "update" && input.ExpressionAttributeValues?.[":starting"] === "starting";
    const gate = api.hold(isOpening);
    const first = api.call("POST", `/exams/${examId}/attempts`, { as: student });
    await gate.reached; // its lock names it; it is not open yet
    const again = await api.call("POST", `/exams/${examId}/attempts`, { as: student });
    expect(again).toMatchObject({ status: 409, body: { type: "tag:exambuddy,2026:attempt-open" } });
    const attemptId = again.body.attemptId;
    expect((await api.call("GET", `/exams/${examId}/attempts`, { as: student })).body.items).toMatchObject([{ attemptId, status: "open" }]);
    gate.release();
    expect(await first).toMatchObject({ status: 201, body: { attemptId, status: "open" } });
    const [q] = (await first).body.questions;
    expect((await api.call("PUT", `/attempts/${attemptId}/answers`, { as: student, body: { answers: { [q.questionId]: 1 } } })).status).toBe(200);
  });

  it("a lock write that landed but answered an error (a timeout) leaves the student their attempt: the next start names it (was: the attempt was deleted, the lock counted it, and with maxAttempts 1 the student had no attempt left)", async () => {
    const examId = await publish();
    const exam = (await getExam(api.store, examId))!;
    const real = await api.store.db();
    // The write is done, then the connection drops before the answer arrives.
    const flaky = createStore({
      tableName: api.store.tableName,
      now: () => api.clock.now,
      db: async () => ({ ...real, update: async (input) => (await real.update(input), isLockWrite("update", input) ? Promise.reject(Object.assign(new Error("socket hang up"), { name: "TimeoutError" })) : undefined) as never }),
    });
    const sub = `s-${examId}`;
    await expect(startAttempt(flaky, { exam, studentId: sub })).rejects.toThrow();
    const again = await api.call("POST", `/exams/${examId}/attempts`, { as: { sub, "cognito:groups": "[student]" } });
    expect(again).toMatchObject({ status: 409, body: { type: "tag:exambuddy,2026:attempt-open" } });
    const attempt = await api.call("GET", `/attempts/${again.body.attemptId}`, { as: { sub, "cognito:groups": "[student]" } });
    expect(attempt).toMatchObject({ status: 200, body: { status: "open", studentId: sub } });
  });
});

describe("time limits, by the server's clock", () => {
  it("answers are taken until the instant before the deadline and refused from it on (409 time-up with the deadline); a late submit grades the sheet saved in time, once", async () => {
    const examId = await publish([question(1)], { durationMinutes: 1 });
    const started = api.clock.now;
    const attempt = (await api.call("POST", `/exams/${examId}/attempts`, { as: student })).body;
    expect(Date.parse(attempt.deadline) - Date.parse(attempt.startedAt)).toBe(60_000);
    const [q] = attempt.questions;
    const save = (answer: number) => api.call("PUT", `/attempts/${attempt.attemptId}/answers`, { as: student, body: { answers: { [q.questionId]: answer } } });
    try {
      api.clock.now = Date.parse(attempt.deadline) - 1;
      expect((await save(1)).status).toBe(200); // question(1)'s key is 1
      api.clock.now = Date.parse(attempt.deadline);
      expect(await save(0)).toMatchObject({ status: 409, body: { type: "tag:exambuddy,2026:time-up", deadline: attempt.deadline } });
      api.clock.now += 60 * 60_000;
      const late = await api.call("POST", `/attempts/${attempt.attemptId}/submit`, { as: student });
      expect(late).toMatchObject({ status: 200, body: { status: "submitted", answers: { [q.questionId]: 1 }, result: { score: 1, maxScore: 1 } } });
      expect((await api.call("POST", `/attempts/${attempt.attemptId}/submit`, { as: student })).body).toEqual(late.body);
    } finally {
      api.clock.now = started;
    }
  });
});
