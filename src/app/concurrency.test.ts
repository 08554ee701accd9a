// ExamBuddy with many users at once through one handler, as one Lambda Managed Instances worker serves them
// (concurrent invocations share the handler and every module's state: AWS, "Node.js runtime for Lambda
// Managed Instances"). Each user sees only their own data, an Idempotency-Key is the caller's own (two
// users sending the same key each get their own exam), every answer and access-log line carries its own
// request id and caller, and the lazily created clients are created once however many first requests race
// for them. Choices and pauses are seeded: CONCURRENCY_SEED=<seed> npx vitest run src/app/concurrency.test.ts
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Rng } from "../../test/seeded-random.ts";
import { createTestBucket, createTestTable } from "../../test/local-aws.ts";
import { callHandler, createTestApi, question, type CallInit, type Claims, type Res, type TestApi } from "./test-api.ts";
import { wholeNumberFromEnv } from "../../test/env-number.ts";

const SEED = wholeNumberFromEnv("CONCURRENCY_SEED", 20261201);
const TEACHERS = 6;
const STUDENTS = 8;

const teacherOf = (i: number): Claims => ({ sub: `t-${i}`, "cognito:groups": "[teacher]" });
const studentOf = (i: number): Claims => ({ sub: `s-${i}`, "cognito:groups": "[student]" });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Sent {
  requestId: string;
  sub: string;
  method: string;
  path: string;
  res: Res;
}

/** Calls as one user, each call with a request id of its own, every answer checked for carrying it. */
function caller(send: (method: string, path: string, init: CallInit) => Promise<Res>, sent: Sent[], rng: Rng) {
  let n = 0;
  return async (who: Claims, method: string, path: string, init: Omit<CallInit, "as" | "requestId"> = {}): Promise<Res> => {
    // A seeded pause before each call, so users' steps interleave differently from run to run of seeds.
    await sleep(rng.int(3));
    const requestId = `${String(who["sub"])}-${n++}`;
    const res = await send(method, path, { ...init, as: who, requestId });
    expect(res.headers["x-request-id"], `${method} ${path} by ${String(who["sub"])}`).toBe(requestId);
    if (res.headers["content-type"]?.startsWith("application/problem+json")) expect(res.body.requestId, `${method} ${path}`).toBe(requestId);
    sent.push({ requestId, sub: String(who["sub"]), method, path, res });
    return res;
  };
}

/** Each access-log line names the request and the caller of exactly one call. */
function expectOwnLogLines(logs: Array<Record<string, unknown>>, sent: Sent[]): void {
  const byId = new Map(sent.map((s) => [s.requestId, s]));
  const requestLines = logs.filter((line) => line["message"] === "request");
  expect(requestLines).toHaveLength(sent.length);
  // Each names its own invocation too (Lambda's id: invoke() gives every call its own).
  const invocations = requestLines.map((line) => line["lambdaRequestId"]);
  expect(invocations.every((id) => typeof id === "string" && id !== "")).toBe(true);
  expect(new Set(invocations).size).toBe(requestLines.length);
  for (const line of requestLines) {
    const call = byId.get(String(line["requestId"]));
    expect(call, `log line ${JSON.stringify(line)}`).toBeDefined();
    expect(line, `log line of ${call!.method} ${call!.path}`).toMatchObject({ userId: call!.sub, status: call!.res.status, method: call!.method });
  }
}

describe(`many users at once through one handler (seed ${SEED})`, () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi("concurrency");
  });
  afterAll(() => api.drop());

  it("each user sees only their own exams, keys, attempts and log lines", async () => {
    const rng = new Rng(SEED);
    const sent: Sent[] = [];
    const call = caller(api.call, sent, rng);
    const teachers = Array.from({ length: TEACHERS }, (_, i) => teacherOf(i));
    const students = Array.from({ length: STUDENTS }, (_, i) => studentOf(i));

    // Teachers, all at once. Each sends its first POST twice at once under the same Idempotency-Key, which
    // every teacher uses: a key is its caller's own.
    const exams = await Promise.all(
      teachers.map(async (t) => {
        const sub = String(t["sub"]);
        const key = { "idempotency-key": "the-same-key-for-everyone" };
        const body = { title: `First of ${sub}`, durationMinutes: 30 };
        const twice = await Promise.all([call(t, "POST", "/exams", { body, headers: key }), call(t, "POST", "/exams", { body, headers: key })]);
        const created = twice.filter((r) => r.status === 201);
        expect(created.length, `${sub}'s retried create`).toBeGreaterThanOrEqual(1);
        for (const r of twice) {
          if (r.status === 409) expect(r.body.detail).toMatch(/still being processed/);
          else expect(r.body, `${sub}'s exam`).toMatchObject({ status: "draft", teacherId: sub, title: `First of ${sub}` });
        }
        const first = created[0]!.body.examId as string;
        for (const r of created) expect(r.body.examId, `${sub}: one exam for one key`).toBe(first);
        const second = (await call(t, "POST", "/exams", { body: { title: `Second of ${sub}`, durationMinutes: 10 } })).body.examId as string;
        for (let q = 0; q < 2; q++) expect((await call(t, "POST", `/exams/${first}/questions`, { body: question(q) })).status).toBe(201);
        const upload = await call(t, "POST", `/exams/${first}/files`, { body: { fileName: `${sub}.pdf`, contentType: "application/pdf", size: 1000 }, headers: { "idempotency-key": "file-key" } });
        expect(upload.status, `${sub}'s upload`).toBe(201);
        expect(upload.body.upload.url, `${sub}'s upload URL`).toContain(`pending/${first}/`);
        expect((await call(t, "POST", `/exams/${first}/publish`)).status).toBe(200);
        return { teacher: t, sub, first, second };
      }),
    );

    // Each teacher lists exactly their own two exams; another's draft is a 404 to them.
    await Promise.all(
      exams.map(async ({ teacher, sub, first, second }, i) => {
        const list = await call(teacher, "GET", "/exams");
        expect(list.body.items.map((e: { examId: string }) => e.examId).sort(), `${sub}'s exams`).toEqual([first, second].sort());
        expect(list.body.items.every((e: { teacherId: string }) => e.teacherId === sub)).toBe(true);
        const other = exams[(i + 1) % exams.length]!;
        expect((await call(teacher, "GET", `/exams/${other.second}`)).status, `${sub} reading ${other.sub}'s draft`).toBe(404);
        const me = await call(teacher, "GET", "/me");
        expect(me.body).toMatchObject({ sub, role: "teacher" });
      }),
    );

    // Students, all at once: each takes two published exams chosen by the seed, answers and submits.
    const choices = students.map(() => {
      const a = rng.int(exams.length);
      return [exams[a]!, exams[(a + 1 + rng.int(exams.length - 1)) % exams.length]!];
    });
    const attempts = await Promise.all(
      students.map(async (s, i) => {
        const sub = String(s["sub"]);
        const me = await call(s, "GET", "/me");
        expect(me.body).toMatchObject({ sub, role: "student" });
        const mine: Array<{ attemptId: string; examId: string }> = [];
        for (const exam of choices[i]!) {
          const started = await call(s, "POST", `/exams/${exam.first}/attempts`);
          expect(started.status, `${sub} starting ${exam.first}`).toBe(201);
          expect(started.body).toMatchObject({ studentId: sub, examId: exam.first });
          const attemptId = started.body.attemptId as string;
          const answers = Object.fromEntries(started.body.questions.map((q: { questionId: string }) => [q.questionId, i % 3]));
          const saved = await call(s, "PUT", `/attempts/${attemptId}/answers`, { body: { answers } });
          expect(saved.status, `${sub} answering`).toBe(200);
          const submitted = await call(s, "POST", `/attempts/${attemptId}/submit`);
          expect(submitted.body).toMatchObject({ attemptId, studentId: sub, status: "submitted" });
          mine.push({ attemptId, examId: exam.first });
        }
        return { student: s, sub, mine };
      }),
    );

    // Everyone reads back: a student their own attempts only (another's is a 404), a teacher the attempts
    // on their own exam only.
    await Promise.all([
      ...attempts.map(async ({ student, sub, mine }, i) => {
        for (const { attemptId, examId } of mine) {
          expect((await call(student, "GET", `/attempts/${attemptId}`)).body).toMatchObject({ attemptId, studentId: sub });
          const listed = await call(student, "GET", `/exams/${examId}/attempts`);
          expect(listed.body.items.map((a: { studentId: string }) => a.studentId), `${sub}'s attempts on ${examId}`).toEqual([sub]);
        }
        const other = attempts[(i + 1) % attempts.length]!;
        expect((await call(student, "GET", `/attempts/${other.mine[0]!.attemptId}`)).status, `${sub} reading ${other.sub}'s attempt`).toBe(404);
      }),
      ...exams.map(async ({ teacher, sub, first }) => {
        const expected = attempts.flatMap(({ sub: s, mine }) => mine.filter((a) => a.examId === first).map(() => s)).sort();
        const listed = await call(teacher, "GET", `/exams/${first}/attempts`);
        expect(listed.body.items.map((a: { studentId: string }) => a.studentId).sort(), `attempts on ${sub}'s exam`).toEqual(expected);
        expect(listed.body.items.every((a: { examId: string }) => a.examId === first)).toBe(true);
      }),
    ]);

    expectOwnLogLines(api.logs, sent);
  });
});

describe("the deployed handler's lazy clients (index.ts), under concurrent first requests", () => {
  let drop: () => Promise<void>;
  let lines: Array<Record<string, unknown>>;
  beforeAll(async () => {
    const table = await createTestTable("concurrency-clients");
    drop = table.drop;
    process.env["TABLE_NAME"] = table.tableName;
    process.env["BUCKET_NAME"] = await createTestBucket("concurrency-clients");
    lines = [];
    vi.spyOn(process.stdout, "write").mockImplementation(((chunk: unknown) => {
      for (const line of String(chunk).split("\n").filter((l) => l.startsWith("{"))) lines.push(JSON.parse(line));
      return true;
    }) as typeof process.stdout.write);
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    delete process.env["TABLE_NAME"];
    delete process.env["BUCKET_NAME"];
    await drop();
  });

  it("one DynamoDB client and one S3 client for the whole worker, however many first requests race", async () => {
    // A fresh module graph, as a new worker starts with: the first describe's harness already made the S3
    // client files.ts keeps per process and endpoint.
    vi.resetModules();
    const { handler } = await import("./index.ts");
    // Each client factory counted where the app calls it (the module namespace its import() returns).
    const createDb = vi.spyOn(await import("./store/sdk.ts"), "createDb");
    const createS3 = vi.spyOn(await import("./s3-sdk.ts"), "createS3");
    const created = { get db() { return createDb.mock.calls.length; }, get s3() { return createS3.mock.calls.length; } };
    const rng = new Rng(SEED + 1);
    const sent: Sent[] = [];
    const call = caller((method, path, init) => callHandler(handler, method, path, init), sent, rng);
    const teachers = Array.from({ length: 12 }, (_, i) => teacherOf(100 + i));

    // The first DynamoDB calls of the process, all at once.
    const profiles = await Promise.all(teachers.map((t) => call(t, "GET", "/me")));
    profiles.forEach((res, i) => expect(res.body, "each caller's own profile").toMatchObject({ sub: teachers[i]!["sub"] }));
    expect(created.db, "DynamoDB clients created").toBe(1);

    const exams = await Promise.all(teachers.map(async (t) => (await call(t, "POST", "/exams", { body: { title: `Of ${String(t["sub"])}`, durationMinutes: 5 } })).body.examId as string));
    expect(created.s3, "no S3 client before a route needs one").toBe(0);
    // Routes reach S3 after a DynamoDB read, seldom in the same turn: these first calls all are.
    const { filesFromEnv } = await import("./files.ts");
    const clients = await Promise.all(teachers.map(() => filesFromEnv().s3()));
    expect(new Set(clients).size, "one S3 client for every Files of the bucket").toBe(1);
    // The first S3 calls of the process, all at once.
    const uploads = await Promise.all(teachers.map((t, i) => call(t, "POST", `/exams/${exams[i]}/files`, { body: { fileName: "a.pdf", contentType: "application/pdf", size: 10 } })));
    uploads.forEach((res, i) => expect(res.body.upload.url, "each teacher's own upload").toContain(`pending/${exams[i]}/`));
    expect(created.s3, "S3 clients created").toBe(1);
    expect(created.db, "DynamoDB clients created").toBe(1);

    expectOwnLogLines(lines, sent);
  });
});

describe("an attempt whose time ran out, read twice and submitted at the same moment", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi("concurrency-deadline");
  });
  afterAll(() => api.drop());

  /** Resolves when `reached` does, or fails after `ms` naming what never came (a read that grades nothing never writes). */
  const within = (reached: Promise<void>, ms: number, what: string) =>
    Promise.race([reached, sleep(ms).then(() => Promise.reject(new Error(`${what} never reached its write`)))]);

  it("is graded exactly once: every caller gets the one stored result, the others' writes lose and re-read it", async () => {
    const teacher = teacherOf(900);
    const student = studentOf(900);
    const examId = (await api.call("POST", "/exams", { as: teacher, body: { title: "Race", durationMinutes: 5 } })).body.examId;
    for (let q = 1; q <= 2; q++) expect((await api.call("POST", `/exams/${examId}/questions`, { as: teacher, body: question(q) })).status).toBe(201);
    expect((await api.call("POST", `/exams/${examId}/publish`, { as: teacher })).status).toBe(200);
    const attempt = (await api.call("POST", `/exams/${examId}/attempts`, { as: student })).body;
    const [q1] = attempt.questions;
    const saved = await api.call("PUT", `/attempts/${attempt.attemptId}/answers`, { as: student, body: { answers: { [q1.questionId]: 1 } } });
    expect(saved.status).toBe(200);

    const started = api.clock.now;
    api.clock.now = Date.parse(attempt.deadline) + 1;
    // Each of the three calls reads the attempt open and grades it; all three writes are held, then let go at once.
    const isGrading = (op: string, input: any) => op === "update" && input.Key?.PK === `ATTEMPT#${attempt.attemptId}` && input.ExpressionAttributeValues?.[":submitted"] === "submitted";
    const gates = [api.hold(isGrading), api.hold(isGrading), api.hold(isGrading)];
    const calls = [
      api.call("GET", `/attempts/${attempt.attemptId}`, { as: teacher }),
      api.call("GET", `/attempts/${attempt.attemptId}`, { as: student }),
      api.call("POST", `/attempts/${attempt.attemptId}/submit`, { as: student }),
    ];
    try {
      await Promise.all(gates.map((g, i) => within(g.reached, 3_000, ["the teacher's read", "the student's read", "the submit"][i]!)));
    } finally {
      for (const g of gates) g.release();
    }
    const answers = await Promise.all(calls);
    api.clock.now = started;
    for (const res of answers) expect(res.status).toBe(200);
    const [first, ...others] = answers.map((r) => r.body);
    expect(first).toMatchObject({ status: "submitted", version: saved.body.version + 1, submittedAt: attempt.deadline, submittedBy: "deadline", result: { score: 1, maxScore: 2 } });
    for (const body of others) expect(body).toEqual(first);
    // One write landed: the version moved once.
    const stored = (await api.db.get({ TableName: api.store.tableName, Key: { PK: `ATTEMPT#${attempt.attemptId}`, SK: "ATTEMPT" }, ConsistentRead: true })).Item!;
    expect(stored).toMatchObject({ version: saved.body.version + 1, updatedAt: first.updatedAt });
  }, 15_000);
});
