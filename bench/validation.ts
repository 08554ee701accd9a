// bench group "validation": the worst requests issue 11 found, timed in-process against ExamBuddy's handler
// (handle(createApp(...)), HTTP API events) with a stub DynamoDB that answers every GetItem with an exam owned
// by the bench teacher, or an open attempt of the bench student. Each figure is the median of 5 to 21 calls
// (as many as fit in about 3 s); every call checks the status and reports the response size, so a fast wrong
// answer is never a figure. Before issue 11 the first row took 0.87 s and answered 6.8 MB (Node 20, this
// machine class); see bench/README.md.
import { createEvent, handle } from "../src/index.ts";
import { createApp } from "../src/app/app.ts";
import { createFiles } from "../src/app/files.ts";
import { createStore } from "../src/app/store/client.ts";
import { median, table } from "./measure.ts";

const EXAM = "01JD5X3K9V7Q2M4N6P8R0T2V4X";
const ATTEMPT = "01JD5X3K9V7Q2M4N6P8R0T2V4Y";
const teacher = { sub: "t-bench", "cognito:groups": "[teacher]" };
const student = { sub: "s-bench", "cognito:groups": "[student]" };

const now = new Date().toISOString();
const items: Record<string, Record<string, unknown>> = {
  [`EXAM#${EXAM}`]: { PK: `EXAM#${EXAM}`, SK: "EXAM", examId: EXAM, teacherId: "t-bench", title: "Bench", description: "", durationMinutes: 60, status: "draft", version: 1, questionCount: 0, maxAttempts: 1, createdAt: now, updatedAt: now },
  [`ATTEMPT#${ATTEMPT}`]: { PK: `ATTEMPT#${ATTEMPT}`, SK: "ATTEMPT", attemptId: ATTEMPT, examId: EXAM, studentId: "s-bench", teacherId: "t-bench", status: "open", answers: {}, version: 1, startedAt: now, deadline: new Date(Date.now() + 3600_000).toISOString(), updatedAt: now },
};
const db = {
  get: async (input: { Key: { PK: string } }) => ({ Item: items[input.Key.PK] }),
  query: async () => ({ Items: [] }),
  put: async () => ({}),
  update: async () => ({}),
  delete: async () => ({}),
};
const store = createStore({ tableName: "bench", db: async () => db as never });
const files = createFiles({ bucket: "bench", s3: async () => ({}) as never });
const handler = handle(createApp({ services: () => ({ store, files }), log: () => undefined }));

const json = (value: unknown) => JSON.stringify(value);
const choices = (n: number) => ({ kind: "single", text: "x", correct: 0, choices: Array(n).fill(1) });
const badAnswers = (n: number) => ({ answers: Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 1])) });

interface BenchCase {
  name: string;
  method: string;
  path: string;
  as: Record<string, unknown>;
  body: string;
}

const cases: BenchCase[] = [
  { name: "student POST questions, 80,000 choices (issue 11)", method: "POST", path: `/exams/${EXAM}/questions`, as: student, body: json(choices(80_000)) },
  { name: "owner POST questions, 80,000 choices", method: "POST", path: `/exams/${EXAM}/questions`, as: teacher, body: json(choices(80_000)) },
  { name: "owner POST questions, 60,000 choices (under the body cap)", method: "POST", path: `/exams/${EXAM}/questions`, as: teacher, body: json(choices(60_000)) },
  { name: "student PUT answers, 100,000 bad keys", method: "PUT", path: `/attempts/${ATTEMPT}/answers`, as: student, body: json(badAnswers(100_000)) },
];

const rows: Array<Array<string | number>> = [];
const results: Record<string, { ms: number; status: number; bytes: number; bodyBytes: number }> = {};
for (const c of cases) {
  const times: number[] = [];
  let status = 0;
  let bytes = 0;
  const began = process.hrtime.bigint();
  for (let i = 0; i < 21 && (i < 5 || Number(process.hrtime.bigint() - began) < 3e9); i++) {
    const event = createEvent("http-api-v2", { method: c.method, path: c.path, headers: { "content-type": "application/json" }, body: c.body, auth: c.as });
    const t0 = process.hrtime.bigint();
    const res = (await handler(event, { awsRequestId: "bench" })) as { statusCode: number; body?: string };
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    status = res.statusCode;
    bytes = Buffer.byteLength(res.body ?? "");
    // A right answer is a refusal: 403, 413 or 422 (never a 2xx, never a 5xx).
    if (![403, 413, 422].includes(status)) throw new Error(`${c.name}: answered ${status}`);
  }
  const ms = median(times);
  results[c.name] = { ms, status, bytes, bodyBytes: Buffer.byteLength(c.body) };
  rows.push([c.name, (Buffer.byteLength(c.body) / 1024).toFixed(0), status, (bytes / 1024).toFixed(1), ms.toFixed(2)]);
}

console.log(`## validation: the worst validation requests, in-process (Node ${process.version}, median ms)\n`);
console.log(table(["request", "body KiB", "status", "response KiB", "ms"], rows));
if (process.argv.includes("--json")) console.log("JSON " + JSON.stringify(results));
