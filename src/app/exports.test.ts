// GET /exams/{examId}/results.csv through streamHandler (emulated runtime globals), against dynalite: who may
// export, what the CSV holds, and that a few thousand attempts stream in flat memory.
import { randomUUID } from "node:crypto";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createEvent, handle } from "lambdalith";
import { streamHandler } from "lambdalith/stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestTable } from "../../test/local-aws.ts";
import { createResponseStream, installAwsLambdaGlobal, invokeStreaming } from "../dev/lambda-runtime.ts";
import { createApp } from "./app.ts";
import type { Services } from "./context.ts";
import { newId } from "./ids.ts";
import { attemptGsi1Sk, attemptKey, examAttemptsPk } from "./store/keys.ts";
import { createStore, type Store } from "./store/index.ts";

let table: Awaited<ReturnType<typeof createTestTable>>;
let store: Store;
let uninstall: () => void;
/** The store's clock: tests move it past a deadline. */
const clock = { now: Date.now() };
let streaming: ReturnType<typeof streamHandler>;
let buffered: ReturnType<typeof handle>;
const logs: Record<string, unknown>[] = [];

const teacher = { sub: "t-ada", "cognito:groups": "teacher" };
const otherTeacher = { sub: "t-bob", "cognito:groups": "teacher" };
const student = { sub: "s-cy", "cognito:groups": "student" };

beforeAll(async () => {
  uninstall = installAwsLambdaGlobal();
  table = await createTestTable("exports");
  store = createStore({ tableName: table.tableName, now: () => clock.now });
  // The export touches no S3.
  const app = createApp({ services: () => ({ store, files: {} as Services["files"] }), log: (entry) => void logs.push(entry) });
  streaming = streamHandler(app);
  buffered = handle(app);
});
afterAll(async () => {
  uninstall();
  await table.drop();
});

const event = (path: string, as?: Record<string, unknown>, method = "GET") => createEvent("apigw-v1", { method, path, ...(as ? { auth: as } : {}) });

/** One request through the buffered function (HTTP API), its JSON answer parsed. */
async function callJson(method: string, path: string, body?: unknown, as: Record<string, unknown> = teacher): Promise<any> {
  const json = body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
  const res = await buffered(createEvent("http-api-v2", { method, path, ...json, auth: as }), { awsRequestId: "x" });
  return JSON.parse(res.body);
}

async function publishedExam(): Promise<string> {
  const exam = await callJson("POST", "/exams", { title: "Algebra", durationMinutes: 30 });
  await callJson("POST", `/exams/${exam.examId}/questions`, { kind: "single", text: "1+1?", choices: ["1", "2"], correct: 1 });
  await callJson("POST", `/exams/${exam.examId}/publish`, {});
  return exam.examId;
}

/** Writes attempts straight to the table (BatchWriteItem, 25 at a time), as startAttempt/submitAttempt leave them. */
async function seedAttempts(examId: string, students: string[], answerBytes = 0): Promise<void> {
  const { DynamoDBClient } = await import("@aws-sdk/client-dynamodb");
  const { BatchWriteCommand, DynamoDBDocumentClient } = await import("@aws-sdk/lib-dynamodb");
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const now = new Date("2026-05-04T10:00:00.000Z").toISOString();
  const items = students.map((studentId, i) => {
    const attemptId = newId();
    const submitted = i % 4 !== 3;
    return {
      ...attemptKey(attemptId),
      GSI1PK: examAttemptsPk(examId),
      GSI1SK: attemptGsi1Sk(studentId, attemptId),
      type: "attempt",
      attemptId,
      examId,
      studentId,
      teacherId: teacher.sub,
      status: submitted ? "submitted" : "open",
      // A real answer sheet: what an export must never hold for every attempt at once.
      answers: answerBytes ? { q1: "x".repeat(answerBytes) } : {},
      version: 2,
      startedAt: now,
      // An open attempt still running: one past its deadline would be graded by the export.
      deadline: submitted ? now : new Date(clock.now + 24 * 3600_000).toISOString(),
      updatedAt: now,
      ...(submitted ? { submittedAt: now, result: { score: i % 7, maxScore: 6, questions: [] } } : {}),
    };
  });
  const batches = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  for (let i = 0; i < batches.length; i += 8) {
    await Promise.all(batches.slice(i, i + 8).map((batch) => doc.send(new BatchWriteCommand({ RequestItems: { [table.tableName]: batch.map((Item) => ({ PutRequest: { Item } })) } }))));
  }
  doc.destroy();
}

/** RFC 4180 parser, enough to read our own output back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  for (let i = 0, quoted = false; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(cell), (cell = "");
    else if (c === "\r" && text[i + 1] === "\n") row.push(cell), rows.push(row), (row = []), (cell = ""), i++;
    else cell += c;
  }
  return rows;
}

describe("GET /exams/{examId}/results.csv", () => {
  let examId: string;
  beforeAll(async () => {
    examId = await publishedExam();
    await seedAttempts(examId, ["s-1", "=HYPERLINK(\"http://evil\")", "a,b \"quoted\"\nnext", "s-4"]);
  });

  it("the owner gets every attempt as CSV: header, one row per attempt, escaped and formula-safe", async () => {
    const res = await invokeStreaming(streaming, event(`/exams/${examId}/results.csv`, teacher));
    expect(res.prelude).toMatchObject({ statusCode: 200, headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="results-${examId}.csv"` } });
    const rows = parseCsv(res.body.toString());
    // The first four columns as before; then what tells a score's scale and one attempt from a retake (was: absent).
    expect(rows[0]).toEqual(["student", "status", "score", "submittedAt", "maxScore", "attemptId", "startedAt", "submittedBy"]);
    expect(rows).toHaveLength(5);
    const byStudent = Object.fromEntries(rows.slice(1).map((r) => [r[0], r]));
    const ulid = expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    // Seeded as attempts submitted before submittedBy was recorded: that cell is empty.
    expect(byStudent["s-1"]).toEqual(["s-1", "submitted", "0", "2026-05-04T10:00:00.000Z", "6", ulid, "2026-05-04T10:00:00.000Z", ""]);
    expect(byStudent["s-4"]).toEqual(["s-4", "open", "", "", "", ulid, "2026-05-04T10:00:00.000Z", ""]);
    // A spreadsheet shows these; it does not evaluate them.
    expect(byStudent[`'=HYPERLINK("http://evil")`]).toBeDefined();
    expect(byStudent['a,b "quoted"\nnext']).toBeDefined();
    expect(res.ends).toBe(1);
  });

  it("only the exam's teacher: another teacher 403, a student 403, no token 401, an unknown exam 404", async () => {
    expect((await invokeStreaming(streaming, event(`/exams/${examId}/results.csv`, otherTeacher))).prelude?.statusCode).toBe(403);
    expect((await invokeStreaming(streaming, event(`/exams/${examId}/results.csv`, student))).prelude?.statusCode).toBe(403);
    expect((await invokeStreaming(streaming, event(`/exams/${examId}/results.csv`))).prelude?.statusCode).toBe(401);
    const missing = await invokeStreaming(streaming, event(`/exams/${newId()}/results.csv`, teacher));
    expect(missing.prelude).toMatchObject({ statusCode: 404, headers: { "content-type": "application/problem+json" } });
  });

  it("HEAD answers the headers without reading DynamoDB pages", async () => {
    const res = await invokeStreaming(streaming, event(`/exams/${examId}/results.csv`, teacher, "HEAD"));
    expect(res.prelude?.statusCode).toBe(200);
    expect(res.body.length).toBe(0);
  });

  it("the buffered function (HTTP API, ALB…) cannot stream it: 404 naming the streaming API, never an empty 200", async () => {
    const res = await buffered(createEvent("http-api-v2", { path: `/exams/${examId}/results.csv`, auth: teacher }), { awsRequestId: "x" });
    expect(res.statusCode).toBe(404);
    expect(JSON.parse(res.body).detail).toMatch(/streaming REST API/);
  });

  it("a cell holding the separator a spreadsheet may use instead of a comma (; in many locales, tab) is quoted, so no formula starts a cell there (was: `s;=1+1` unquoted)", async () => {
    const exam = await publishedExam();
    await seedAttempts(exam, ["s;=1+1", "s\t=1+1"]);
    const body = (await invokeStreaming(streaming, event(`/exams/${exam}/results.csv`, teacher))).body.toString();
    // Read as Excel reads a .csv where the list separator is ";" (or a tab): quoted cells stay whole.
    for (const separator of [";", "\t"]) {
      const cells = parseCsv(body.replaceAll(",", "\u0000").replaceAll(separator, ",")).flat();
      expect(cells.filter((c) => /^[=+\-@]/.test(c)), JSON.stringify(separator)).toEqual([]);
    }
    const students = parseCsv(body).slice(1).map((r) => r[0]).sort();
    expect(students).toEqual(["s\t=1+1", "s;=1+1"]);
  });

  it("an attempt whose time ran out without a submit is exported graded with its saved answers (submittedAt = its deadline), and stays graded so: the student's read and submit return that result (was: open, score empty)", async () => {
    const exam = await publishedExam();
    const attempt = await callJson("POST", `/exams/${exam}/attempts`, {}, student);
    const [q] = attempt.questions;
    const saved = await callJson("PUT", `/attempts/${attempt.attemptId}/answers`, { answers: { [q.questionId]: 1 } }, student);
    expect(saved.status).toBe("open");
    const running = parseCsv((await invokeStreaming(streaming, event(`/exams/${exam}/results.csv`, teacher))).body.toString());
    expect(running[1]).toEqual(["s-cy", "open", "", "", "", attempt.attemptId, attempt.startedAt, ""]);
    const started = clock.now;
    clock.now = Date.parse(attempt.deadline) + 60_000;
    try {
      const rows = parseCsv((await invokeStreaming(streaming, event(`/exams/${exam}/results.csv`, teacher))).body.toString());
      expect(rows.slice(1)).toEqual([["s-cy", "submitted", "1", attempt.deadline, "1", attempt.attemptId, attempt.startedAt, "deadline"]]);
      const read = await callJson("GET", `/attempts/${attempt.attemptId}`, undefined, student);
      expect(read).toMatchObject({ status: "submitted", version: saved.version + 1, submittedBy: "deadline", result: { score: 1, maxScore: 1 } });
      expect(await callJson("POST", `/attempts/${attempt.attemptId}/submit`, undefined, student)).toEqual(read);
    } finally {
      clock.now = started;
    }
  });

  it("with too little of the invocation left to grade, the export writes expired attempts as stored and logs a warning, so the file ends whole instead of being cut by the timeout; the next export grades them", async () => {
    const exam = await publishedExam();
    const attempt = await callJson("POST", `/exams/${exam}/attempts`, {}, student);
    const started = clock.now;
    clock.now = Date.parse(attempt.deadline) + 60_000;
    try {
      logs.length = 0;
      const short = await invokeStreaming(streaming, event(`/exams/${exam}/results.csv`, teacher), { context: { awsRequestId: "short", getRemainingTimeInMillis: () => 5_000 } });
      expect(short.finished).toBe(true);
      expect(parseCsv(short.body.toString()).slice(1)).toEqual([["s-cy", "open", "", "", "", attempt.attemptId, attempt.startedAt, ""]]);
      expect(logs).toContainEqual(expect.objectContaining({ level: "warn", examId: exam, timeLeftMs: 5_000 }));
      const later = await invokeStreaming(streaming, event(`/exams/${exam}/results.csv`, teacher), { context: { awsRequestId: "later", getRemainingTimeInMillis: () => 60_000 } });
      expect(parseCsv(later.body.toString()).slice(1)).toEqual([["s-cy", "submitted", "0", attempt.deadline, "1", attempt.attemptId, attempt.startedAt, "deadline"]]);
    } finally {
      clock.now = started;
    }
  });

  it("an exam without attempts is the header alone", async () => {
    const empty = await publishedExam();
    const res = await invokeStreaming(streaming, event(`/exams/${empty}/results.csv`, teacher));
    expect(res.body.toString()).toBe("student,status,score,submittedAt,maxScore,attemptId,startedAt,submittedBy\r\n");
  });
});

describe("results.csv over a few thousand attempts", () => {
  const ATTEMPTS = 3000;
  const ANSWER_BYTES = 2048;
  let examId: string;
  beforeAll(async () => {
    examId = await publishedExam();
    await seedAttempts(examId, Array.from({ length: ATTEMPTS }, (_, i) => `s-${String(i).padStart(5, "0")}-${randomUUID().slice(0, 8)}`), ANSWER_BYTES);
  }, 120_000);

  it("streams every row page by page in flat memory", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const live = () => (gc(), process.memoryUsage().heapUsed);
    // Warm up: the SDK and the store chunk are loaded once per process, not per export.
    await invokeStreaming(streaming, event(`/exams/${examId}/results.csv`, teacher), { sink: () => {} });
    const before = live();
    let peak = before;
    let rows = 0;
    let chunks = 0;
    let bytes = 0;
    const out = createResponseStream({
      sink: (chunk) => {
        chunks++;
        bytes += chunk.length;
        for (const c of chunk) if (c === 10) rows++;
        peak = Math.max(peak, live());
      },
    });
    const done = new Promise((resolve) => out.once("finish", resolve));
    await streaming(event(`/exams/${examId}/results.csv`, teacher), out, { awsRequestId: "x" });
    await done;
    const after = live();
    // For contrast, what the bound guards against: an export that first loads every attempt.
    const { listExamAttempts } = await import("./store/attempts.ts");
    const everything: unknown[] = [];
    for (let cursor: string | undefined, page; (page = await listExamAttempts(store, examId, { limit: 200, cursor })); cursor = page.next ?? undefined) {
      everything.push(...page.items);
      if (!page.next) break;
    }
    const naive = live() - before;
    expect(everything).toHaveLength(ATTEMPTS);
    const mb = (n: number) => +(n / 2 ** 20).toFixed(2);
    const stored = ATTEMPTS * ANSWER_BYTES;
    console.info(`results.csv: ${rows - 1} rows, ${chunks} writes, ${bytes} bytes; live heap before ${mb(before)} MB, peak ${mb(peak)} MB (+${mb(peak - before)}), after ${mb(after)} MB; answer sheets stored ${mb(stored)} MB; every attempt held at once: +${mb(naive)} MB`);
    expect(naive).toBeGreaterThan(4 * 2 ** 20);
    expect(rows).toBe(ATTEMPTS + 1);
    // Prelude, delimiter, then one write per DynamoDB page (200 attempts each).
    expect(chunks).toBe(2 + Math.ceil(ATTEMPTS / 200));
    // Generous: the answer sheets alone are 6 MB; holding every attempt would show as tens of MB.
    expect(peak - before).toBeLessThan(4 * 2 ** 20);
    expect(after - before).toBeLessThan(2 * 2 ** 20);
  }, 120_000);
});
