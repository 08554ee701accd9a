// Attempts as a teacher and a student expect them (docs/exambuddy.md, "Attempts and retakes", "Grading",
// "Results export"): through the HTTP API on the local stand-ins, with the clock pinned where time matters.
import { handle } from "lambdalith";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "./app.ts";
import { createStore, getExam, startAttempt } from "./store/index.ts";
import { callHandler, createTestApi, otherStudent, question, student, teacher, type TestApi } from "./test-api.ts";

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

describe("an attempt whose time ran out is graded when it is read (docs: Attempts and retakes)", () => {
  const raw = async (attemptId: string) => (await api.db.get({ TableName: api.store.tableName, Key: { PK: `ATTEMPT#${attemptId}`, SK: "ATTEMPT" }, ConsistentRead: true })).Item!;

  /** A published exam of three 1-point questions (keys 1, 2, 0) and `students`' attempts, each answering the first question right and the second wrong. */
  async function answeredAttempts(students: Array<Record<string, unknown>>, exam: Record<string, unknown> = {}) {
    const examId = await publish([question(1), question(2), question(3)], { durationMinutes: 10, maxAttempts: 2, ...exam });
    const attempts = [];
    for (const as of students) {
      const attempt = (await api.call("POST", `/exams/${examId}/attempts`, { as })).body;
      const [q1, q2] = attempt.questions;
      const saved = await api.call("PUT", `/attempts/${attempt.attemptId}/answers`, { as, body: { answers: { [q1.questionId]: 1, [q2.questionId]: 0 } } });
      expect(saved.status).toBe(200);
      attempts.push({ ...attempt, version: saved.body.version, answers: saved.body.answers });
    }
    return { examId, attempts };
  }

  const afterDeadline = async (deadline: string, run: () => Promise<void>) => {
    const started = api.clock.now;
    api.clock.now = Date.parse(deadline) + 5 * 60_000;
    try {
      await run();
    } finally {
      api.clock.now = started;
    }
  };

  it("the teacher's GET /attempts/{id} gets it submitted and graded with the saved answers, submittedAt = the deadline, submittedBy deadline; the student's read and late submit then return the same stored result (was: open and ungraded)", async () => {
    const { attempts: [attempt] } = await answeredAttempts([student]);
    await afterDeadline(attempt.deadline, async () => {
      const read = await api.call("GET", `/attempts/${attempt.attemptId}`, { as: teacher });
      expect(read).toMatchObject({
        status: 200,
        body: { status: "submitted", answers: attempt.answers, submittedAt: attempt.deadline, submittedBy: "deadline", version: attempt.version + 1, result: { score: 1, maxScore: 3 } },
      });
      expect(read.body.result.questions.map((q: any) => q.correct)).toEqual([true, false, false]);
      expect((await api.call("GET", `/attempts/${attempt.attemptId}`, { as: student })).body).toEqual(read.body);
      const submit = await api.call("POST", `/attempts/${attempt.attemptId}/submit`, { as: student });
      expect(submit).toMatchObject({ status: 200, body: read.body });
      expect((await raw(attempt.attemptId))["version"]).toBe(attempt.version + 1);
    });
  });

  it("the student's own GET /attempts/{id} grades it the same way", async () => {
    const { attempts: [attempt] } = await answeredAttempts([student]);
    await afterDeadline(attempt.deadline, async () => {
      const read = await api.call("GET", `/attempts/${attempt.attemptId}`, { as: student });
      expect(read).toMatchObject({ status: 200, body: { status: "submitted", submittedAt: attempt.deadline, submittedBy: "deadline", result: { score: 1, maxScore: 3 } } });
      expect((await raw(attempt.attemptId))).toMatchObject({ status: "submitted", submittedBy: "deadline", result: read.body.result });
    });
  });

  it("the teacher's listing and the student's own listing show it graded, and the next start keeps that result", async () => {
    const { examId, attempts: [mine, theirs] } = await answeredAttempts([student, otherStudent]);
    await afterDeadline(mine.deadline, async () => {
      const own = await api.call("GET", `/exams/${examId}/attempts`, { as: student });
      expect(own.body.items).toMatchObject([{ attemptId: mine.attemptId, status: "submitted", submittedBy: "deadline", result: { score: 1, maxScore: 3 } }]);
      expect((await raw(theirs.attemptId))["status"]).toBe("open"); // not on the student's page
      const all = await api.call("GET", `/exams/${examId}/attempts`, { as: teacher });
      expect(all.body.items).toHaveLength(2);
      for (const item of all.body.items) expect(item).toMatchObject({ status: "submitted", submittedAt: mine.deadline, result: { score: 1, maxScore: 3 } });
      const again = await api.call("POST", `/exams/${examId}/attempts`, { as: student });
      expect(again.status).toBe(201);
      expect((await api.call("GET", `/attempts/${mine.attemptId}`, { as: student })).body).toEqual(own.body.items[0]);
    });
  });

  it("a listing page grades only the expired attempts on that page", async () => {
    const { examId, attempts } = await answeredAttempts([student, otherStudent]);
    await afterDeadline(attempts[0].deadline, async () => {
      const page = await api.call("GET", `/exams/${examId}/attempts?limit=1`, { as: teacher });
      expect(page.body.items).toMatchObject([{ status: "submitted" }]);
      const other = attempts.find((a) => a.attemptId !== page.body.items[0].attemptId)!;
      expect((await raw(other.attemptId))["status"]).toBe("open");
    });
  });

  it("an attempt still within its deadline is untouched by every read", async () => {
    const { examId, attempts: [attempt] } = await answeredAttempts([student]);
    const before = await raw(attempt.attemptId);
    const started = api.clock.now;
    api.clock.now = Date.parse(attempt.deadline) - 1;
    try {
      expect((await api.call("GET", `/attempts/${attempt.attemptId}`, { as: teacher })).body).toMatchObject({ status: "open", version: attempt.version });
      expect((await api.call("GET", `/attempts/${attempt.attemptId}`, { as: student })).body).not.toHaveProperty("result");
      expect((await api.call("GET", `/exams/${examId}/attempts`, { as: teacher })).body.items).toMatchObject([{ status: "open" }]);
      expect((await api.call("GET", `/exams/${examId}/attempts`, { as: student })).body.items).toMatchObject([{ status: "open" }]);
    } finally {
      api.clock.now = started;
    }
    expect(await raw(attempt.attemptId)).toEqual(before);
  });

  it("a started but never answered attempt grades to 0 of its maxScore", async () => {
    const examId = await publish([{ ...question(1), points: 2 }, { ...question(2), points: 3 }], { durationMinutes: 5 });
    const attempt = (await api.call("POST", `/exams/${examId}/attempts`, { as: student })).body;
    await afterDeadline(attempt.deadline, async () => {
      const read = await api.call("GET", `/attempts/${attempt.attemptId}`, { as: teacher });
      expect(read.body).toMatchObject({ status: "submitted", answers: {}, result: { score: 0, maxScore: 5 } });
      expect(read.body.result.questions).toEqual(attempt.questions.map((q: any) => ({ questionId: q.questionId, points: q.points, earned: 0, correct: false })));
    });
  });

  it("a student submitting in time is recorded as submittedBy student at the submit's time; a late submit as the deadline", async () => {
    const { attempts: [inTime, late] } = await answeredAttempts([student, otherStudent]);
    const started = api.clock.now;
    try {
      api.clock.now = Date.parse(inTime.deadline) - 1000;
      expect((await api.call("POST", `/attempts/${inTime.attemptId}/submit`, { as: student })).body).toMatchObject({ submittedBy: "student", submittedAt: new Date(api.clock.now).toISOString() });
      api.clock.now = Date.parse(late.deadline) + 60_000;
      expect((await api.call("POST", `/attempts/${late.attemptId}/submit`, { as: otherStudent })).body).toMatchObject({ submittedBy: "deadline", submittedAt: late.deadline, result: { score: 1 } });
    } finally {
      api.clock.now = started;
    }
  });

  it("a submit arriving in time is the student's however long its grading takes: recorded submittedBy student at its arrival (was: submittedBy deadline, when the questions were read past the deadline)", async () => {
    const { attempts: [attempt] } = await answeredAttempts([student]);
    const started = api.clock.now;
    try {
      api.clock.now = Date.parse(attempt.deadline) - 1000;
      const arrival = new Date(api.clock.now).toISOString();
      // The grading's read of the questions: time passes the deadline while it runs.
      const gate = api.hold((op) => op === "query");
      const submit = api.call("POST", `/attempts/${attempt.attemptId}/submit`, { as: student });
      await gate.reached;
      api.clock.now = Date.parse(attempt.deadline) + 500;
      gate.release();
      expect((await submit).body).toMatchObject({ status: "submitted", submittedBy: "student", submittedAt: arrival, result: { score: 1 } });
    } finally {
      api.clock.now = started;
    }
  });
});

describe("grading expired attempts on a read costs one read of the exam's questions per request", () => {
  it("a teacher's listing of three expired attempts queries the questions once", async () => {
    const examId = await publish([question(1), question(2)], { durationMinutes: 5 });
    const students = ["s-q1", "s-q2", "s-q3"].map((sub) => ({ sub, "cognito:groups": "[student]" }));
    let deadline = "";
    for (const as of students) deadline = (await api.call("POST", `/exams/${examId}/attempts`, { as })).body.deadline;
    const real = await api.store.db();
    const questionQueries: unknown[] = [];
    const counting = createStore({
      tableName: api.store.tableName,
      now: () => Date.parse(deadline) + 60_000,
      db: async () => ({ ...real, query: (input) => (String(input.ExpressionAttributeValues?.[":q"]) === "Q#" && questionQueries.push(input), real.query(input)) }),
    });
    const handler = handle(createApp({ services: () => ({ store: counting, files: api.files }), log: () => {} }));
    const listed = await callHandler(handler, "GET", `/exams/${examId}/attempts`, { as: teacher });
    expect(listed.body.items.map((a: any) => [a.status, a.result?.maxScore])).toEqual([["submitted", 2], ["submitted", 2], ["submitted", 2]]);
    expect(questionQueries).toHaveLength(1);
  });

  it("a start that first grades the student's expired attempt reads the questions once for the grading and its answer (was: twice)", async () => {
    const examId = await publish([question(1)], { durationMinutes: 5, maxAttempts: 2 });
    const as = { sub: "s-q-start", "cognito:groups": "[student]" };
    const first = (await api.call("POST", `/exams/${examId}/attempts`, { as })).body;
    const real = await api.store.db();
    const questionQueries: unknown[] = [];
    const counting = createStore({
      tableName: api.store.tableName,
      now: () => Date.parse(first.deadline) + 60_000,
      db: async () => ({ ...real, query: (input) => (String(input.ExpressionAttributeValues?.[":q"]) === "Q#" && questionQueries.push(input), real.query(input)) }),
    });
    const handler = handle(createApp({ services: () => ({ store: counting, files: api.files }), log: () => {} }));
    const second = await callHandler(handler, "POST", `/exams/${examId}/attempts`, { as });
    expect(second.status).toBe(201);
    expect(second.body.questions).toHaveLength(1);
    expect((await callHandler(handler, "GET", `/attempts/${first.attemptId}`, { as })).body).toMatchObject({ status: "submitted", submittedBy: "deadline" });
    expect(questionQueries).toHaveLength(1);
  });
});

describe("grading expired attempts on a read is bounded like the export's", () => {
  it("a teacher's listing of 20 expired attempts grades at most 8 at once (was: all 20 at once, up to 100 consistent reads and writes of whole attempts per request)", async () => {
    const examId = await publish([question(1)], { durationMinutes: 5 });
    const students = Array.from({ length: 20 }, (_, i) => ({ sub: `s-bound-${i}`, "cognito:groups": "[student]" }));
    let deadline = "";
    for (const as of students) deadline = (await api.call("POST", `/exams/${examId}/attempts`, { as })).body.deadline;
    const real = await api.store.db();
    let inFlight = 0;
    let most = 0;
    // A grading is its consistent read of the whole attempt, then its conditional write: counted from one to the other.
    const isAttempt = (input: any) => String(input.Key?.PK).startsWith("ATTEMPT#");
    const counting = createStore({
      tableName: api.store.tableName,
      now: () => Date.parse(deadline) + 60_000,
      db: async () => ({
        ...real,
        get: async (input) => {
          if (isAttempt(input)) most = Math.max(most, ++inFlight);
          return real.get(input);
        },
        update: async (input) => {
          try {
            return await real.update(input);
          } finally {
            if (isAttempt(input)) inFlight--;
          }
        },
      }),
    });
    const handler = handle(createApp({ services: () => ({ store: counting, files: api.files }), log: () => {} }));
    const listed = await callHandler(handler, "GET", `/exams/${examId}/attempts?limit=100`, { as: teacher });
    expect(listed.body.items).toHaveLength(20);
    for (const item of listed.body.items) expect(item).toMatchObject({ status: "submitted", submittedBy: "deadline" });
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(8);
  });
});
