// ExamBuddy end to end through handle() with real events, against dynalite and s3rver.
import { createEvent, handle } from "lambdalith";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestBucket, createTestTable } from "../../test/local-aws.ts";
import { createApp } from "./app.ts";
import { createFiles } from "./files.ts";
import { newId } from "./ids.ts";
import { createStore, type Store } from "./store/index.ts";
import { callHandler, locatedPath, type CallInit } from "./test-api.ts";

let table: Awaited<ReturnType<typeof createTestTable>>;
let store: Store;
let handler: ReturnType<typeof handle>;
const logs: Record<string, unknown>[] = [];
let clock = Date.now();

beforeAll(async () => {
  table = await createTestTable("api");
  store = createStore({ tableName: table.tableName, now: () => clock });
  const files = createFiles({ bucket: await createTestBucket("api") });
  handler = handle(createApp({ services: () => ({ store, files }), stage: "test", version: "1.2.3", log: (e) => logs.push(e) }));
});
afterAll(() => table.drop());

type Claims = Record<string, unknown>;
const teacher: Claims = { sub: "t-ada", email: "ada@example.com", "cognito:groups": "[teacher]" };
const teacher2: Claims = { sub: "t-bob", "cognito:groups": "teacher" };
const student: Claims = { sub: "s-cy", email: "cy@example.com", "cognito:groups": "[student other]" };
const student2: Claims = { sub: "s-di", "cognito:groups": ["student"] };

const call = (method: string, path: string, init?: CallInit) => callHandler(handler, method, path, init);

const question = (n: number) => ({ kind: "single", text: `Q${n}`, points: 1, choices: ["a", "b", "c"], correct: n % 3 });

async function draft(as: Claims = teacher, title = "Algebra"): Promise<any> {
  const res = await call("POST", "/exams", { as, body: { title, durationMinutes: 30 } });
  expect(res.status).toBe(201);
  return res.body;
}

async function published(questions = [question(1)]): Promise<any> {
  const exam = await draft();
  for (const q of questions) expect((await call("POST", `/exams/${exam.examId}/questions`, { as: teacher, body: q })).status).toBe(201);
  const res = await call("POST", `/exams/${exam.examId}/publish`, { as: teacher });
  expect(res.status).toBe(200);
  return res.body;
}

describe("health and authentication", () => {
  it("serves /health without a token and without touching AWS", async () => {
    const res = await call("GET", "/health");
    expect(res).toMatchObject({ status: 200, body: { status: "ok", stage: "test", version: "1.2.3" } });
    expect(res.headers["x-request-id"]).toBeTruthy();
  });

  it("answers 401 everywhere else without verified claims, whatever headers the client sends", async () => {
    for (const [method, path] of [["GET", "/me"], ["GET", "/exams"], ["POST", "/exams"], ["GET", `/attempts/${newId()}`]] as const) {
      const res = await call(method, path, { headers: { "x-user-id": "t-ada", "x-role": "teacher" } });
      expect(res.status, path).toBe(401);
      expect(res.headers["content-type"]).toBe("application/problem+json");
      expect(res.headers["www-authenticate"]).toBe("Bearer");
    }
    // A Function URL with AWS_IAM carries no claims: only /health and /openapi.json (docs/exambuddy.md, Identity).
    expect((await call("GET", "/me", { source: "function-url" })).status).toBe(401);
    expect((await call("GET", "/health", { source: "function-url" })).status).toBe(200);
    expect((await call("GET", "/openapi.json", { source: "function-url" })).status).toBe(200);
  });

  it("reads identity from HTTP API JWT claims and REST Cognito claims alike", async () => {
    const v2 = await call("GET", "/me", { as: teacher });
    expect(v2).toMatchObject({ status: 200, body: { sub: "t-ada", role: "teacher", email: "ada@example.com", displayName: "ada", version: 1 } });
    const rest = await call("GET", "/me", { as: { sub: "s-rest", "cognito:groups": "student,beta" }, source: "apigw-v1" });
    expect(rest).toMatchObject({ status: 200, body: { sub: "s-rest", role: "student" } });
    expect((await call("GET", "/me", { as: { sub: "x", "custom:role": "admin" } })).body.role).toBeNull();
    // Issue 11: custom:role is user-writable in Cognito, so it never decides the role; groups do.
    expect((await call("GET", "/me", { as: { sub: "x2", "custom:role": "teacher" } })).body.role).toBeNull();
    expect((await call("GET", "/me", { as: { sub: "x3", "custom:role": "teacher", "cognito:groups": "[student]" } })).body.role).toBe("student");
    expect((await call("POST", "/exams", { as: { sub: "x4", "custom:role": "teacher" }, body: { title: "T", durationMinutes: 5 } })).status).toBe(403);
  });

  it("answers CORS preflights before authentication", async () => {
    const res = await call("OPTIONS", "/exams", { headers: { origin: "https://app.example", "access-control-request-method": "POST" }, source: "function-url" });
    expect(res.status).toBe(204);
    expect(res.headers["access-control-allow-origin"]).toBe("*");
    expect(res.headers["access-control-allow-headers"]).toContain("if-match");
  });

  it("logs one JSON line per request, with EMF metrics", async () => {
    logs.length = 0;
    await call("GET", "/health");
    await call("GET", "/nope", { as: teacher });
    expect(logs).toHaveLength(2);
    expect(logs[0]).toMatchObject({ message: "request", method: "GET", route: "/health", status: 200, Latency: expect.any(Number), _aws: { CloudWatchMetrics: [{ Namespace: "ExamBuddy" }] } });
    expect(logs[1]).toMatchObject({ route: null, path: "/nope", status: 404 });
  });
});

describe("profile", () => {
  it("changes the display name, with optimistic concurrency", async () => {
    const me = await call("GET", "/me", { as: student });
    expect(me.headers["etag"]).toBe('"1"');
    const res = await call("PATCH", "/me", { as: student, body: { displayName: "  Cy  " }, headers: { "if-match": '"1"' } });
    expect(res).toMatchObject({ status: 200, body: { displayName: "Cy", version: 2 } });
    expect((await call("PATCH", "/me", { as: student, body: { displayName: "Again" }, headers: { "if-match": '"1"' } })).status).toBe(412);
    expect((await call("PATCH", "/me", { as: student, body: { displayName: "" } })).status).toBe(422);
  });
  it("email comes from the current token only: an access token (no email) shows none, not the stored one (was: the stale address)", async () => {
    const sub = `s-mail-${newId()}`;
    expect((await call("GET", "/me", { as: { sub, email: "old@example.com", "cognito:groups": "[student]" } })).body.email).toBe("old@example.com");
    expect((await call("GET", "/me", { as: { sub, "cognito:groups": "[student]" } })).body.email).toBeNull();
  });
  it("the first display name keeps to the limits PATCH /me applies: 100 UTF-16 units, one line (was: 200 units of astral letters, and U+2028 kept)", async () => {
    const long = await call("GET", "/me", { as: { sub: `s-long-${newId()}`, name: "\u{1D400}".repeat(150), "cognito:groups": "[student]" } });
    expect(long.body.displayName.length).toBeLessThanOrEqual(100);
    expect((await call("PATCH", "/me", { as: { sub: `s-long2-${newId()}`, "cognito:groups": "[student]" }, body: { displayName: long.body.displayName } })).status).toBe(200);
    const lines = await call("GET", "/me", { as: { sub: `s-lines-${newId()}`, name: "Ada\u2028Admin\u2029x", "cognito:groups": "[student]" } });
    expect(lines.body.displayName).toBe("AdaAdminx");
    expect((await call("PATCH", "/me", { as: student, body: { displayName: "Ada\u2028Teacher" } })).status).toBe(422);
  });
});

describe("teacher → student flow", () => {
  it("creates, fills, publishes; a student takes the exam and gets a server-side grade", async () => {
    const exam = await draft(teacher, "Capitals");
    expect(exam).toMatchObject({ status: "draft", version: 1 });
    const q1 = (await call("POST", `/exams/${exam.examId}/questions`, { as: teacher, body: { kind: "single", text: "2+2", choices: ["3", "4"], correct: 1 } })).body;
    const q2 = (await call("POST", `/exams/${exam.examId}/questions`, { as: teacher, body: { kind: "multiple", text: "Primes", points: 2, choices: ["2", "4", "5"], correct: [0, 2] } })).body;
    const q3 = (await call("POST", `/exams/${exam.examId}/questions`, { as: teacher, body: { kind: "text", text: "Capital of France", points: 3, accepted: ["Paris"] } })).body;

    // Drafts are invisible to students and other teachers.
    expect((await call("GET", `/exams/${exam.examId}`, { as: student })).status).toBe(404);
    expect((await call("GET", `/exams/${exam.examId}/questions/${q1.questionId}`, { as: student })).status).toBe(404);
    const created = await call("POST", `/exams/${exam.examId}/questions`, { as: teacher, body: { kind: "single", text: "Extra", choices: ["a", "b"], correct: 0 } });
    const createdAt = locatedPath(created.headers["location"], `/exams/${exam.examId}/questions`);
    expect(createdAt).toBe(`/exams/${exam.examId}/questions/${created.body.questionId}`);
    expect((await call("GET", createdAt, { as: teacher })).body).toEqual(created.body);
    expect((await call("DELETE", createdAt, { as: teacher })).status).toBe(204);
    expect((await call("GET", `/exams/${exam.examId}/questions`, { as: teacher2 })).status).toBe(404);
    expect((await call("POST", `/exams/${exam.examId}/attempts`, { as: student })).status).toBe(404);

    // Each question change was a new version of the exam (its questionCount and updatedAt changed, so did its
    // ETag): publishing what was read before them is a 412; what the teacher reviewed last is published.
    expect((await call("POST", `/exams/${exam.examId}/publish`, { as: teacher, headers: { "if-match": '"1"' } })).status).toBe(412);
    const reviewed = await call("GET", `/exams/${exam.examId}`, { as: teacher });
    expect(reviewed).toMatchObject({ headers: { etag: '"7"' }, body: { questionCount: 3, version: 7 } });
    const pub = await call("POST", `/exams/${exam.examId}/publish`, { as: teacher, headers: { "if-match": reviewed.headers["etag"]! } });
    expect(pub).toMatchObject({ status: 200, body: { status: "published", version: 9 } });

    // Students see it listed and read its questions without answer keys.
    const list = await call("GET", "/exams?limit=100", { as: student });
    expect(list.body.items.map((e: any) => e.examId)).toContain(exam.examId);
    const studentView = await call("GET", `/exams/${exam.examId}`, { as: student });
    expect(studentView.body).not.toHaveProperty("version");
    const qs = await call("GET", `/exams/${exam.examId}/questions`, { as: student });
    expect(qs.body.items.map((q: any) => q.questionId)).toEqual([q1.questionId, q2.questionId, q3.questionId]);
    expect(JSON.stringify(qs.body)).not.toMatch(/"correct"|"accepted"|Paris/);
    // The teacher sees the keys.
    expect((await call("GET", `/exams/${exam.examId}/questions`, { as: teacher })).body.items[2].accepted).toEqual(["Paris"]);
    // One question, where its Location points (was: 405): the student's without its key.
    const one = await call("GET", `/exams/${exam.examId}/questions/${q3.questionId}`, { as: student });
    expect(one).toMatchObject({ status: 200, body: { questionId: q3.questionId, kind: "text", position: 3 } });
    expect(JSON.stringify(one.body)).not.toMatch(/"accepted"|Paris/);
    expect(one.headers).not.toHaveProperty("etag");
    expect(await call("GET", `/exams/${exam.examId}/questions/${q3.questionId}`, { as: teacher })).toMatchObject({ status: 200, headers: { etag: '"1"' }, body: { accepted: ["Paris"] } });
    expect((await call("GET", createdAt, { as: teacher })).status).toBe(404);

    const start = await call("POST", `/exams/${exam.examId}/attempts`, { as: student });
    expect(start.status).toBe(201);
    expect(JSON.stringify(start.body.questions)).not.toMatch(/"correct"|"accepted"/);
    const attemptId = start.body.attemptId;
    expect((await call("POST", `/exams/${exam.examId}/attempts`, { as: student })).body).toMatchObject({ status: 409, attemptId });

    const answers = { [q1.questionId]: 1, [q2.questionId]: [2, 0], [q3.questionId]: "  paris " };
    const put = await call("PUT", `/attempts/${attemptId}/answers`, { as: student, body: { answers } });
    expect(put).toMatchObject({ status: 200, body: { answers, status: "open" } });
    expect((await call("PUT", `/attempts/${attemptId}/answers`, { as: student, body: { answers } })).body.answers).toEqual(answers);

    // Another student can't read or write it; the teacher can read it.
    expect((await call("GET", `/attempts/${attemptId}`, { as: student2 })).status).toBe(404);
    expect((await call("PUT", `/attempts/${attemptId}/answers`, { as: student2, body: { answers } })).status).toBe(404);
    expect((await call("POST", `/attempts/${attemptId}/submit`, { as: student2 })).status).toBe(404);
    expect((await call("GET", `/attempts/${attemptId}`, { as: teacher })).status).toBe(200);
    expect((await call("GET", `/attempts/${attemptId}`, { as: teacher2 })).status).toBe(404);

    // Two parallel submits: one grading, the same result twice.
    const [s1, s2] = await Promise.all([call("POST", `/attempts/${attemptId}/submit`, { as: student }), call("POST", `/attempts/${attemptId}/submit`, { as: student })]);
    expect(s1.status).toBe(200);
    expect(s1.body).toEqual(s2.body);
    expect(s1.body).toMatchObject({ status: "submitted", result: { score: 6, maxScore: 6 } });
    expect(JSON.stringify(s1.body)).not.toMatch(/"accepted"/);
    expect((await call("PUT", `/attempts/${attemptId}/answers`, { as: student, body: { answers } })).status).toBe(409);

    // Results: the teacher sees everyone's, a student only their own.
    const results = await call("GET", `/exams/${exam.examId}/attempts`, { as: teacher });
    expect(results.body.items).toHaveLength(1);
    expect(results.body.items[0]).toMatchObject({ studentId: "s-cy", result: { score: 6 } });
    expect((await call("GET", `/exams/${exam.examId}/attempts`, { as: student2 })).body.items).toEqual([]);
    expect((await call("GET", `/exams/${exam.examId}/attempts`, { as: teacher2 })).status).toBe(403);

    // Published exams are read-only.
    expect((await call("PATCH", `/exams/${exam.examId}`, { as: teacher, body: { title: "x", version: 2 } })).status).toBe(409);
    expect((await call("POST", `/exams/${exam.examId}/questions`, { as: teacher, body: question(1) })).status).toBe(409);
    expect((await call("DELETE", `/exams/${exam.examId}/questions/${q1.questionId}`, { as: teacher })).status).toBe(409);
    expect((await call("DELETE", `/exams/${exam.examId}`, { as: teacher })).status).toBe(409);
  });

  it("refuses answers after the exam's duration", async () => {
    const exam = await published();
    const start = await call("POST", `/exams/${exam.examId}/attempts`, { as: student2 });
    const saved = clock;
    try {
      clock += 31 * 60_000;
      const late = await call("PUT", `/attempts/${start.body.attemptId}/answers`, { as: student2, body: { answers: {} } });
      expect(late.status).toBe(409);
      expect(late.body.detail).toMatch(/Time is up/);
      // Submitting still grades what was saved.
      expect((await call("POST", `/attempts/${start.body.attemptId}/submit`, { as: student2 })).body).toMatchObject({ status: "submitted", result: { score: 0 } });
    } finally {
      clock = saved;
    }
  });
});

describe("permissions and concurrency", () => {
  it("a student's own attempts are theirs whatever the subs look like: \"acme\" never lists \"acme#alice\"'s (was: a prefix match listed them, answers included)", async () => {
    const exam = await published();
    const alice = { sub: "acme#alice", "cognito:groups": "[student]" };
    const acme = { sub: "acme", "cognito:groups": "[student]" };
    expect((await call("POST", `/exams/${exam.examId}/attempts`, { as: alice })).status).toBe(201);
    expect((await call("GET", `/exams/${exam.examId}/attempts`, { as: acme })).body.items).toEqual([]);
    expect((await call("GET", `/exams/${exam.examId}/attempts`, { as: alice })).body.items.map((a: { studentId: string }) => a.studentId)).toEqual(["acme#alice"]);
  });

  it("students can't write exams or questions", async () => {
    const exam = await draft();
    expect((await call("POST", "/exams", { as: student, body: { title: "x", durationMinutes: 5 } })).status).toBe(403);
    expect((await call("PATCH", `/exams/${exam.examId}`, { as: student, body: { title: "x", version: 1 } })).status).toBe(403);
    expect((await call("POST", `/exams/${exam.examId}/questions`, { as: student, body: question(1) })).status).toBe(403);
    expect((await call("POST", `/exams/${exam.examId}/publish`, { as: student })).status).toBe(403);
    expect((await call("DELETE", `/exams/${exam.examId}`, { as: student })).status).toBe(403);
    expect((await call("GET", "/exams?status=draft", { as: student })).status).toBe(403);
    // Another teacher doesn't even see the draft.
    expect((await call("PATCH", `/exams/${exam.examId}`, { as: teacher2, body: { title: "x", version: 1 } })).status).toBe(404);
    // Teachers don't take exams.
    const pub = await published();
    expect((await call("POST", `/exams/${pub.examId}/attempts`, { as: teacher })).status).toBe(403);
  });

  it("two PATCHes with the same version: exactly one wins", async () => {
    const exam = await draft();
    const [a, b] = await Promise.all([
      call("PATCH", `/exams/${exam.examId}`, { as: teacher, body: { title: "A" }, headers: { "if-match": '"1"' } }),
      call("PATCH", `/exams/${exam.examId}`, { as: teacher, body: { title: "B", version: 1 } }),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses[0]).toBe(200);
    expect([409, 412]).toContain(statuses[1]);
    const loser = a.status === 200 ? b : a;
    expect(loser.status).toBe(loser === a ? 412 : 409);
    expect(loser.body).toMatchObject({ currentVersion: 2 });
    const winner = a.status === 200 ? "A" : "B";
    expect((await call("GET", `/exams/${exam.examId}`, { as: teacher })).body).toMatchObject({ title: winner, version: 2 });
    expect((await call("PATCH", `/exams/${exam.examId}`, { as: teacher, body: { title: "C" } })).status).toBe(428);
    expect((await call("PATCH", `/exams/${exam.examId}`, { as: teacher, body: { title: "C", version: 1 }, headers: { "if-match": '"2"' } })).status).toBe(400);
  });

  it("lists a teacher's exams by status with cursor pagination; a bad cursor is a 400", async () => {
    const t = { sub: `t-${newId()}`, "cognito:groups": "[teacher]" };
    for (let i = 0; i < 3; i++) await draft(t, `E${i}`);
    const p1 = await call("GET", "/exams?limit=2&status=draft", { as: t });
    expect(p1.body.items).toHaveLength(2);
    expect(p1.body.next).toEqual(expect.any(String));
    const p2 = await call("GET", `/exams?limit=2&status=draft&cursor=${p1.body.next}`, { as: t });
    expect(p2.body).toMatchObject({ items: [expect.anything()], next: null });
    expect((await call("GET", `/exams?cursor=${p1.body.next}`, { as: teacher })).status).toBe(400);
    expect((await call("GET", "/exams?cursor=bm9wZQ", { as: t })).status).toBe(400);
    expect((await call("GET", "/exams?limit=101", { as: t })).status).toBe(422);
    expect((await call("GET", "/exams?limit=abc", { as: t })).body.errors).toEqual([{ path: "query.limit", message: "Must be a whole number" }]);
    // Given twice, a parameter is a 422 naming it (docs: Pagination), not its first value.
    const twice = await call("GET", "/exams?limit=5&limit=50", { as: t });
    expect(twice.status).toBe(422);
    expect(twice.body.errors.map((e: { path: string }) => e.path)).toEqual(["query.limit"]);
  });

  it("deletes a draft with its questions", async () => {
    const exam = await draft();
    await call("POST", `/exams/${exam.examId}/questions`, { as: teacher, body: question(1) });
    expect((await call("DELETE", `/exams/${exam.examId}`, { as: teacher, headers: { "if-match": '"5"' } })).status).toBe(412);
    expect((await call("DELETE", `/exams/${exam.examId}`, { as: teacher })).status).toBe(204);
    expect((await call("GET", `/exams/${exam.examId}`, { as: teacher })).status).toBe(404);
  });

  it("edits questions with a merged patch, re-validated", async () => {
    const exam = await draft();
    const q = (await call("POST", `/exams/${exam.examId}/questions`, { as: teacher, body: question(1) })).body;
    const patched = await call("PATCH", `/exams/${exam.examId}/questions/${q.questionId}`, { as: teacher, body: { text: "New text" } });
    expect(patched).toMatchObject({ status: 200, body: { text: "New text", choices: ["a", "b", "c"], version: 2 } });
    const bad = await call("PATCH", `/exams/${exam.examId}/questions/${q.questionId}`, { as: teacher, body: { correct: 7 } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([{ path: "body.correct", message: "Must be the index of one of the choices" }]);
    const switched = await call("PATCH", `/exams/${exam.examId}/questions/${q.questionId}`, { as: teacher, body: { kind: "text", accepted: ["x"] } });
    expect(switched.body).toMatchObject({ kind: "text", accepted: ["x"], text: "New text" });
    expect(switched.body).not.toHaveProperty("choices");
    expect((await call("PATCH", `/exams/${exam.examId}/questions/${q.questionId}`, { as: teacher, body: { text: "y" }, headers: { "if-match": '"1"' } })).status).toBe(412);
    expect((await call("DELETE", `/exams/${exam.examId}/questions/${q.questionId}`, { as: teacher })).status).toBe(204);
    expect((await call("DELETE", `/exams/${exam.examId}/questions/${q.questionId}`, { as: teacher })).status).toBe(404);
  });
});

describe("bad input on every route", () => {
  it("rejects malformed ids, bodies and media types", async () => {
    const exam = await draft();
    const id = exam.examId;
    const cases: [string, string, Record<string, unknown>, number][] = [
      ["GET", "/exams/not-an-id", { as: teacher }, 422],
      ["PATCH", "/exams/not-an-id", { as: teacher, body: { title: "x", version: 1 } }, 422],
      ["DELETE", "/exams/not-an-id", { as: teacher }, 422],
      ["POST", "/exams/not-an-id/publish", { as: teacher }, 422],
      ["POST", "/exams", { as: teacher, body: { title: "", durationMinutes: -1 } }, 422],
      ["POST", "/exams", { as: teacher, raw: "{not json" }, 400],
      ["POST", "/exams", { as: teacher, raw: "title=x", headers: { "content-type": "application/x-www-form-urlencoded" } }, 415],
      ["PATCH", `/exams/${id}`, { as: teacher, body: { version: 1 } }, 422],
      ["PATCH", `/exams/${id}`, { as: teacher, body: { title: "x" }, headers: { "if-match": "3, 4" } }, 422],
      ["POST", `/exams/${id}/questions`, { as: teacher, body: { kind: "single", text: "q", choices: ["a"], correct: 3 } }, 422],
      ["POST", `/exams/${id}/questions`, { as: teacher, body: { kind: "essay", text: "q" } }, 422],
      ["GET", `/exams/${id}/questions`, { as: { sub: "nobody" } }, 404],
      ["PATCH", `/exams/${id}/questions/${newId()}`, { as: teacher, body: { text: "x" } }, 404],
      ["PATCH", `/exams/${id}/questions/x`, { as: teacher, body: { text: "x" } }, 422],
      ["DELETE", `/exams/${id}/questions/x`, { as: teacher }, 422],
      ["POST", `/exams/${id}/attempts`, { as: student }, 404],
      ["PUT", `/attempts/${newId()}/answers`, { as: student, body: { answers: {} } }, 404],
      ["PUT", `/attempts/x/answers`, { as: student, body: { answers: {} } }, 422],
      // Ownership is checked before the body: someone else's (or no) attempt is a 404 whatever the body.
      ["PUT", `/attempts/${newId()}/answers`, { as: student, body: { answers: { x: 1 } } }, 404],
      ["POST", `/attempts/${newId()}/submit`, { as: student }, 404],
      ["GET", `/attempts/${newId()}`, { as: student }, 404],
      ["GET", `/exams/${id}/attempts?limit=0`, { as: teacher }, 422],
      ["POST", `/exams/${id}/files`, { as: teacher, body: { fileName: "a.exe", contentType: "application/x-msdownload", size: 10 } }, 422],
      ["POST", `/exams/${id}/files`, { as: teacher, body: { fileName: "big.pdf", contentType: "application/pdf", size: 10 * 1024 * 1024 + 1 } }, 422],
      ["POST", `/exams/${id}/files/${newId()}/complete`, { as: teacher }, 404],
      ["GET", `/exams/${id}/files/${newId()}`, { as: teacher }, 404],
      ["GET", `/exams/${id}/files?cursor=%%%`, { as: teacher }, 422],
      ["PATCH", "/me", { as: teacher, body: { displayName: 5 } }, 422],
      ["PUT", "/exams", { as: teacher, body: {} }, 405],
    ];
    for (const [method, path, init, status] of cases) {
      const res = await call(method, path, init as Parameters<typeof call>[2]);
      expect(res.status, `${method} ${path}`).toBe(status);
      expect(res.headers["content-type"], `${method} ${path}`).toBe("application/problem+json");
    }
  });

  it("rejects answers that don't fit the exam's questions", async () => {
    const exam = await published([question(1)]);
    const start = await call("POST", `/exams/${exam.examId}/attempts`, { as: { sub: `s-${newId()}`, "cognito:groups": "[student]" } });
    const who = { sub: start.body.studentId, "cognito:groups": "[student]" };
    const [q] = start.body.questions;
    const res = await call("PUT", `/attempts/${start.body.attemptId}/answers`, { as: who, body: { answers: { [q.questionId]: 9, [newId()]: 1 } } });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: any) => e.path)).toEqual([`body.answers.${q.questionId}`, expect.stringMatching(/^body\.answers\./)]);
  });
});

describe("files through the API", () => {
  it("uploads real bytes with the pre-signed PUT, completes, and downloads them under a name that is no path (was: filename=\"../../etc/passwd.pdf\")", async () => {
    const exam = await draft();
    const bytes = new Uint8Array(50_000).map((_, i) => (i * 7) % 256);
    bytes.set([0x25, 0x50, 0x44, 0x46, 0x2d], 0); // %PDF-
    const start = await call("POST", `/exams/${exam.examId}/files`, { as: teacher, body: { fileName: "../../etc/passwd.pdf", contentType: "application/pdf", size: bytes.length } });
    expect(start.status).toBe(201);
    const { file, upload } = start.body;
    expect(file).toMatchObject({ status: "pending", fileName: "../../etc/passwd.pdf", size: bytes.length });
    expect(file).not.toHaveProperty("key");
    expect(new URL(upload.url).pathname).toMatch(new RegExp(`/pending/${exam.examId}/${file.fileId}$`));
    expect(upload.url).not.toMatch(/x-amz-checksum|x-amz-sdk-checksum/i);

    expect((await call("POST", `/exams/${exam.examId}/files/${file.fileId}/complete`, { as: teacher })).status).toBe(409); // not uploaded yet
    expect((await fetch(upload.url, { method: "PUT", headers: upload.headers, body: bytes })).status).toBe(200);
    const done = await call("POST", `/exams/${exam.examId}/files/${file.fileId}/complete`, { as: teacher });
    expect(done).toMatchObject({ status: 200, body: { status: "ready" } });
    expect((await call("POST", `/exams/${exam.examId}/files/${file.fileId}/complete`, { as: teacher })).body).toEqual(done.body);

    const list = await call("GET", `/exams/${exam.examId}/files`, { as: teacher });
    expect(list.body.items.map((f: any) => f.fileId)).toEqual([file.fileId]);
    const link = await call("GET", `/exams/${exam.examId}/files/${file.fileId}`, { as: teacher });
    expect(link.status).toBe(200);
    expect(new URL(link.body.url).pathname).toMatch(new RegExp(`/files/${exam.examId}/${file.fileId}$`));
    const got = await fetch(link.body.url);
    // The name S3 sends is no path (RFC 6266 §4.3); the stored name is kept as given.
    expect(got.headers.get("content-disposition")).toBe(`attachment; filename=".._.._etc_passwd.pdf"; filename*=UTF-8''.._.._etc_passwd.pdf`);
    expect(link.body.file.fileName).toBe("../../etc/passwd.pdf");
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(bytes);

    // Students: nothing while the exam is a draft.
    expect((await call("GET", `/exams/${exam.examId}/files`, { as: student })).status).toBe(404);
    expect((await call("POST", `/exams/${exam.examId}/files`, { as: student, body: { fileName: "a.pdf", contentType: "application/pdf", size: 1 } })).status).toBe(403);
  });
});

describe("AWS errors", () => {
  const awsError = (name: string) => Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: 400, requestId: "aws-1" } });
  const failing = (name: string) => {
    const logged: Record<string, unknown>[] = [];
    const broken = createStore({ tableName: "t", db: async () => ({ get: () => Promise.reject(awsError(name)) }) as never });
    const h = handle(createApp({ services: () => ({ store: broken, files: createFiles({ bucket: "b" }) }), log: (e) => logged.push(e) }));
    return { h, logged };
  };

  it("maps throttling to 503 with Retry-After", async () => {
    const { h } = failing("ThrottlingException");
    const res = await h(createEvent("http-api-v2", { path: "/me", auth: teacher }), { awsRequestId: "x" });
    expect(res.statusCode).toBe(503);
    expect(res.headers["retry-after"]).toBe("1");
  });

  it("logs a throttled call with the AWS error behind the 503, and sends none of it (was: only the request line's status 503, nothing saying which service throttled)", async () => {
    const { h, logged } = failing("ThrottlingException");
    const res = await h(createEvent("http-api-v2", { path: "/me", auth: teacher, requestId: "req-503" }), { awsRequestId: "x" });
    expect(res.statusCode).toBe(503);
    expect(res.body).not.toContain("Throttling");
    expect(res.body).not.toContain("aws-1");
    expect(logged.find((l) => l["message"] === "AWS error")).toMatchObject({ level: "error", requestId: "req-503", route: "/me", status: 503, errorName: "ThrottlingException", awsRequestId: "aws-1", stack: expect.any(String) });
  });

  it("answers any other AWS error with a 502 carrying the request id; details only in the log", async () => {
    const { h, logged } = failing("ResourceNotFoundException");
    const res = await h(createEvent("http-api-v2", { path: "/me", auth: teacher, requestId: "req-502" }), { awsRequestId: "x" });
    expect(res.statusCode).toBe(502);
    const body = JSON.parse(res.body);
    expect(body).toMatchObject({ status: 502, requestId: "req-502" });
    expect(res.body).not.toContain("ResourceNotFound");
    expect(logged.find((l) => l["message"] === "AWS error")).toMatchObject({ requestId: "req-502", errorName: "ResourceNotFoundException", awsRequestId: "aws-1", stack: expect.any(String) });
  });
});

describe("audience: tokens of this API's app clients only", () => {
  // REST's Cognito authorizer accepts an ID token from any app client of the user pool (only the HTTP API's JWT
  // authorizer checks the audience), so the function checks `aud` (ID tokens) or `client_id` (access tokens).
  let strict: ReturnType<typeof handle>;
  beforeAll(() => {
    strict = handle(createApp({ services: () => ({ store, files: undefined as never }), audiences: ["client-web", "client-cli"], log: () => {} }));
  });
  const me = (claims: Claims, source: "apigw-v1" | "http-api-v2" = "apigw-v1") => callHandler(strict, "GET", "/me", { as: { sub: "s-aud", ...claims }, source });

  it("accepts an ID token's aud or an access token's client_id that is listed, on every API Gateway source", async () => {
    expect((await me({ aud: "client-web" })).status).toBe(200);
    expect((await me({ client_id: "client-cli", token_use: "access" })).status).toBe(200);
    expect((await me({ aud: "client-cli" }, "http-api-v2")).status).toBe(200);
  });

  it("answers 401 for a token of another app client, or of none, naming the reason", async () => {
    for (const claims of [{ aud: "client-other" }, { client_id: "client-other" }, {}, { aud: "" }, { aud: ["client-other"] }]) {
      const res = await me(claims);
      expect(res.status, JSON.stringify(claims)).toBe(401);
      expect(res.body.detail).toMatch(/app client/);
    }
    // /health stays open.
    expect((await callHandler(strict, "GET", "/health", { source: "apigw-v1" })).status).toBe(200);
  });

  it("checks nothing when no audience is configured (local runs, tests)", async () => {
    expect((await call("GET", "/me", { as: { sub: "s-any", aud: "whatever" }, source: "apigw-v1" })).status).toBe(200);
  });
});
