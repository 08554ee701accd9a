// The contract of GET /openapi.json against the API that serves it: every operation is driven, through the
// real handler and the DynamoDB/S3 stand-ins, into each status it can really answer, and each answer must
// be one the document lists for that operation: its status (or range, or default), its content type (a body
// only where content is documented, of a documented media type), its body against the documented schema,
// its headers (each one the document requires is there, each one it sends is documented, as its schema says).
// The request side too: every header and query key a request carries is a documented parameter of its
// operation, and an answer in 2xx proves the documented required flags and schemas let that request through.
// Besides each row, every operation that reads the table is also asked without credentials (401), with
// DynamoDB throttling (503) and with DynamoDB failing (502).
import { Ajv2020 } from "ajv/dist/2020.js";
import type { OpenApiDocument } from "lambdalith";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTemplate } from "../dev/cfn.ts";
import { newId } from "./ids.ts";
import { awsError, createTestApi, otherStudent, otherTeacher, pdfBytes, question, student, teacher, type CallInit, type Res, type TestApi } from "./test-api.ts";

type Json = Record<string, any>;
/** A request as sent (for the request-side checks) and its answer. */
interface Sent {
  path: string;
  init: SendInit;
  res: Res;
}
/** A request, sent to the streaming function (stream.ts) with `streaming`, else to the buffered one. */
type SendInit = CallInit & { streaming?: boolean };
interface Tools {
  api: TestApi;
  /** Sends the row's own request (the one whose answer is checked); setup calls go through `api.call`. */
  send(path: string, init?: SendInit): Promise<Sent>;
}
type Row = [operation: string, status: number, what: string, run: (t: Tools) => Promise<Sent>];

let api: TestApi;
let document: OpenApiDocument;
const ajv = new Ajv2020({ allErrors: true, strict: false });

beforeAll(async () => {
  api = await createTestApi("contract");
  const served = await api.call("GET", "/openapi.json");
  expect(served.status).toBe(200);
  document = served.body;
  ajv.addSchema(document, "doc");
});
afterAll(() => api.drop());

// ---- Fixtures: each row makes what it needs, so rows run in any order and change nothing another reads.

const ifMatch = (version: number) => ({ "if-match": `"${version}"` });
const ok = (res: Res, what: string) => {
  if (res.status >= 300) throw new Error(`${what} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
};
async function withQuestions(n = 1, as = teacher) {
  const exam = await api.draft("Contract", as);
  const questions: Json[] = [];
  for (let i = 1; i <= n; i++) questions.push(ok(await api.call("POST", `/exams/${exam.examId}/questions`, { as, body: question(i) }), "add question"));
  return { exam: ok(await api.call("GET", `/exams/${exam.examId}`, { as }), "read exam"), questions };
}
async function published(n = 1, as = teacher) {
  const { exam, questions } = await withQuestions(n, as);
  return { exam: ok(await api.call("POST", `/exams/${exam.examId}/publish`, { as }), "publish"), questions };
}
async function startedUpload(examId: string, size = 2048) {
  return ok(await api.call("POST", `/exams/${examId}/files`, { as: teacher, body: { fileName: "notes.pdf", contentType: "application/pdf", size } }), "start upload");
}
async function uploaded(examId: string, bytes = pdfBytes()) {
  const started = await startedUpload(examId, bytes.length);
  const put = await fetch(started.upload.url, { method: "PUT", headers: started.upload.headers, body: bytes });
  if (put.status !== 200) throw new Error(`S3 PUT answered ${put.status}`);
  return started.file as Json;
}
async function readyFile(examId: string) {
  const file = await uploaded(examId);
  return ok(await api.call("POST", `/exams/${examId}/files/${file.fileId}/complete`, { as: teacher }), "complete");
}
async function attempt(as = student) {
  const { exam } = await published(2);
  return { exam, attempt: ok(await api.call("POST", `/exams/${exam.examId}/attempts`, { as }), "start attempt") };
}
const cursorOf = (key: Json) => Buffer.from(JSON.stringify(key)).toString("base64url");

// ---- The table: [operation as documented, status, what drives it there, the request].

const ROWS: Row[] = [
  ["GET /health", 200, "liveness", (t) => t.send("/health")],
  ["GET /openapi.json", 200, "the document", (t) => t.send("/openapi.json")],

  ["GET /me", 200, "the profile", (t) => t.send("/me", { as: teacher })],
  ["PATCH /me", 200, "a new display name under If-Match", async (t) => t.send("/me", { as: otherTeacher, body: { displayName: "Bob" }, headers: ifMatch(ok(await t.api.call("GET", "/me", { as: otherTeacher }), "me").version) })],
  ["PATCH /me", 400, "malformed JSON", (t) => t.send("/me", { as: teacher, raw: "{" })],
  ["PATCH /me", 400, "If-Match and the body's version disagree", (t) => t.send("/me", { as: teacher, body: { displayName: "Ada", version: 2 }, headers: ifMatch(3) })],
  ["PATCH /me", 409, "a stale body version", async (t) => (await t.api.call("GET", "/me", { as: teacher }), t.send("/me", { as: teacher, body: { displayName: "Ada", version: 99 } }))],
  ["PATCH /me", 412, "a stale If-Match", async (t) => (await t.api.call("GET", "/me", { as: teacher }), t.send("/me", { as: teacher, body: { displayName: "Ada" }, headers: ifMatch(99) }))],
  ["PATCH /me", 413, "a body over 8 KiB", (t) => t.send("/me", { as: teacher, raw: JSON.stringify({ displayName: "x".repeat(9000) }) })],
  ["PATCH /me", 415, "a text/plain body", (t) => t.send("/me", { as: teacher, raw: "Ada", headers: { "content-type": "text/plain" } })],
  ["PATCH /me", 422, "an empty display name", (t) => t.send("/me", { as: teacher, body: { displayName: "" } })],

  ["POST /exams", 201, "a draft", (t) => t.send("/exams", { as: teacher, body: { title: "Algebra", durationMinutes: 30 } })],
  ["POST /exams", 201, "a replay under the same Idempotency-Key", async (t) => {
    const init = { as: teacher, body: { title: "Once", durationMinutes: 30 }, headers: { "idempotency-key": newId() } };
    ok(await t.api.call("POST", "/exams", init), "first");
    return t.send("/exams", init);
  }],
  ["POST /exams", 400, "malformed JSON", (t) => t.send("/exams", { as: teacher, raw: "{" })],
  ["POST /exams", 400, "an Idempotency-Key that is no visible ASCII", (t) => t.send("/exams", { as: teacher, body: { title: "A", durationMinutes: 5 }, headers: { "idempotency-key": "é" } })],
  ["POST /exams", 403, "a student", (t) => t.send("/exams", { as: student, body: { title: "Mine", durationMinutes: 5 } })],
  ["POST /exams", 409, "the same Idempotency-Key while the first request still runs", async (t) => {
    const title = `Held ${newId()}`;
    const init = { as: teacher, body: { title, durationMinutes: 5 }, headers: { "idempotency-key": newId() } };
    const gate = t.api.hold((op, input) => op === "put" && input?.Item?.title === title);
    const first = t.api.call("POST", "/exams", init);
    await gate.reached;
    const second = await t.send("/exams", init);
    gate.release();
    ok(await first, "first");
    return second;
  }],
  ["POST /exams", 413, "a body over 64 KiB", (t) => t.send("/exams", { as: teacher, raw: JSON.stringify({ title: "x".repeat(70_000), durationMinutes: 5 }) })],
  ["POST /exams", 415, "a text/plain body", (t) => t.send("/exams", { as: teacher, raw: "title", headers: { "content-type": "text/plain" } })],
  ["POST /exams", 422, "no title", (t) => t.send("/exams", { as: teacher, body: { durationMinutes: 5 } })],
  ["POST /exams", 422, "an Idempotency-Key used for another body", async (t) => {
    const key = { "idempotency-key": newId() };
    ok(await t.api.call("POST", "/exams", { as: teacher, body: { title: "One", durationMinutes: 5 }, headers: key }), "first");
    return t.send("/exams", { as: teacher, body: { title: "Two", durationMinutes: 5 }, headers: key });
  }],

  ["GET /exams", 200, "a teacher's drafts", (t) => t.send("/exams?status=draft&limit=5", { as: teacher })],
  ["GET /exams", 200, "published exams, for a student", (t) => t.send("/exams", { as: student })],
  ["GET /exams", 400, "a cursor that is no cursor of ours", (t) => t.send(`/exams?cursor=${cursorOf({ nope: 1 })}`, { as: teacher })],
  ["GET /exams", 403, "a student asking for drafts", (t) => t.send("/exams?status=draft", { as: student })],
  ["GET /exams", 422, "a limit that is no number", (t) => t.send("/exams?limit=five", { as: teacher })],

  ["GET /exams/{examId}", 200, "its teacher", async (t) => t.send(`/exams/${(await api.draft()).examId}`, { as: teacher })],
  ["GET /exams/{examId}", 400, "a %-escape that is no UTF-8 (REST keeps the path encoded)", (t) => t.send("/exams/%C3%28", { as: teacher, source: "apigw-v1" })],
  ["GET /exams/{examId}", 404, "no such exam", (t) => t.send(`/exams/${newId()}`, { as: teacher })],
  ["GET /exams/{examId}", 404, "another teacher's draft", async (t) => t.send(`/exams/${(await api.draft()).examId}`, { as: otherTeacher })],
  ["GET /exams/{examId}", 422, "an id that is no id", (t) => t.send("/exams/e-1", { as: teacher })],

  ["PATCH /exams/{examId}", 200, "a change under If-Match", async (t) => {
    const exam = await api.draft();
    return t.send(`/exams/${exam.examId}`, { as: teacher, body: { title: "Renamed" }, headers: ifMatch(exam.version) });
  }],
  ["PATCH /exams/{examId}", 400, "malformed JSON", async (t) => t.send(`/exams/${(await api.draft()).examId}`, { as: teacher, raw: "{", headers: ifMatch(1) })],
  ["PATCH /exams/{examId}", 403, "a student", async (t) => t.send(`/exams/${newId()}`, { as: student, body: { title: "Mine" }, headers: ifMatch(1) })],
  ["PATCH /exams/{examId}", 403, "another teacher's published exam", async (t) => t.send(`/exams/${(await published()).exam.examId}`, { as: otherTeacher, body: { title: "Mine" }, headers: ifMatch(1) })],
  ["PATCH /exams/{examId}", 404, "no such exam", (t) => t.send(`/exams/${newId()}`, { as: teacher, body: { title: "Gone" }, headers: ifMatch(1) })],
  ["PATCH /exams/{examId}", 409, "a stale body version", async (t) => t.send(`/exams/${(await api.draft()).examId}`, { as: teacher, body: { title: "Stale", version: 9 } })],
  ["PATCH /exams/{examId}", 409, "a published exam", async (t) => {
    const { exam } = await published();
    return t.send(`/exams/${exam.examId}`, { as: teacher, body: { title: "Late", version: exam.version } });
  }],
  ["PATCH /exams/{examId}", 412, "a stale If-Match", async (t) => t.send(`/exams/${(await api.draft()).examId}`, { as: teacher, body: { title: "Stale" }, headers: ifMatch(9) })],
  ["PATCH /exams/{examId}", 413, "a body over 64 KiB", async (t) => t.send(`/exams/${(await api.draft()).examId}`, { as: teacher, raw: JSON.stringify({ description: "x".repeat(70_000) }), headers: ifMatch(1) })],
  ["PATCH /exams/{examId}", 415, "a text/plain body", async (t) => t.send(`/exams/${(await api.draft()).examId}`, { as: teacher, raw: "t", headers: { "content-type": "text/plain", ...ifMatch(1) } })],
  ["PATCH /exams/{examId}", 422, "a duration of 0", async (t) => t.send(`/exams/${(await api.draft()).examId}`, { as: teacher, body: { durationMinutes: 0 }, headers: ifMatch(1) })],
  ["PATCH /exams/{examId}", 428, "neither If-Match nor version", async (t) => t.send(`/exams/${(await api.draft()).examId}`, { as: teacher, body: { title: "Blind" } })],

  ["DELETE /exams/{examId}", 204, "a draft", async (t) => t.send(`/exams/${(await api.draft()).examId}`, { as: teacher })],
  ["DELETE /exams/{examId}", 403, "a student", (t) => t.send(`/exams/${newId()}`, { as: student })],
  ["DELETE /exams/{examId}", 404, "no such exam", (t) => t.send(`/exams/${newId()}`, { as: teacher })],
  ["DELETE /exams/{examId}", 409, "a published exam", async (t) => t.send(`/exams/${(await published()).exam.examId}`, { as: teacher })],
  ["DELETE /exams/{examId}", 412, "a stale If-Match", async (t) => t.send(`/exams/${(await api.draft()).examId}`, { as: teacher, headers: ifMatch(9) })],
  ["DELETE /exams/{examId}", 422, "an If-Match that is no entity tag", async (t) => t.send(`/exams/${(await api.draft()).examId}`, { as: teacher, headers: { "if-match": "abc" } })],

  ["POST /exams/{examId}/publish", 200, "a draft with a question", async (t) => t.send(`/exams/${(await withQuestions()).exam.examId}/publish`, { as: teacher })],
  ["POST /exams/{examId}/publish", 403, "a student", (t) => t.send(`/exams/${newId()}/publish`, { as: student })],
  ["POST /exams/{examId}/publish", 404, "no such exam", (t) => t.send(`/exams/${newId()}/publish`, { as: teacher })],
  ["POST /exams/{examId}/publish", 409, "a draft without questions", async (t) => t.send(`/exams/${(await api.draft()).examId}/publish`, { as: teacher })],
  ["POST /exams/{examId}/publish", 412, "a stale If-Match", async (t) => t.send(`/exams/${(await withQuestions()).exam.examId}/publish`, { as: teacher, headers: ifMatch(99) })],

  ["POST /exams/{examId}/questions", 201, "a question", async (t) => t.send(`/exams/${(await api.draft()).examId}/questions`, { as: teacher, body: question(1) })],
  ["POST /exams/{examId}/questions", 400, "malformed JSON", async (t) => t.send(`/exams/${(await api.draft()).examId}/questions`, { as: teacher, raw: "[" })],
  ["POST /exams/{examId}/questions", 403, "a student", (t) => t.send(`/exams/${newId()}/questions`, { as: student, body: question(1) })],
  ["POST /exams/{examId}/questions", 404, "no such exam", (t) => t.send(`/exams/${newId()}/questions`, { as: teacher, body: question(1) })],
  ["POST /exams/{examId}/questions", 409, "a published exam", async (t) => t.send(`/exams/${(await published()).exam.examId}/questions`, { as: teacher, body: question(2) })],
  ["POST /exams/{examId}/questions", 413, "a body over 128 KiB", async (t) => t.send(`/exams/${(await api.draft()).examId}/questions`, { as: teacher, raw: JSON.stringify({ ...question(1), text: "x".repeat(140_000) }) })],
  ["POST /exams/{examId}/questions", 415, "a text/plain body", async (t) => t.send(`/exams/${(await api.draft()).examId}/questions`, { as: teacher, raw: "q", headers: { "content-type": "text/plain" } })],
  ["POST /exams/{examId}/questions", 422, "an unknown kind", async (t) => t.send(`/exams/${(await api.draft()).examId}/questions`, { as: teacher, body: { ...question(1), kind: "essay" } })],

  ["GET /exams/{examId}/questions", 200, "its teacher", async (t) => t.send(`/exams/${(await withQuestions(2)).exam.examId}/questions`, { as: teacher })],
  ["GET /exams/{examId}/questions", 200, "a student, published", async (t) => t.send(`/exams/${(await published()).exam.examId}/questions`, { as: student })],
  ["GET /exams/{examId}/questions", 404, "a student, a draft", async (t) => t.send(`/exams/${(await api.draft()).examId}/questions`, { as: student })],

  ["GET /exams/{examId}/questions/{questionId}", 200, "its teacher", async (t) => {
    const { exam, questions } = await withQuestions();
    return t.send(`/exams/${exam.examId}/questions/${questions[0]!.questionId}`, { as: teacher });
  }],
  ["GET /exams/{examId}/questions/{questionId}", 404, "no such question", async (t) => t.send(`/exams/${(await api.draft()).examId}/questions/${newId()}`, { as: teacher })],

  ["PATCH /exams/{examId}/questions/{questionId}", 200, "a change", async (t) => {
    const { exam, questions } = await withQuestions();
    return t.send(`/exams/${exam.examId}/questions/${questions[0]!.questionId}`, { as: teacher, body: { text: "New?" }, headers: ifMatch(questions[0]!.version) });
  }],
  ["PATCH /exams/{examId}/questions/{questionId}", 400, "malformed JSON", async (t) => {
    const { exam, questions } = await withQuestions();
    return t.send(`/exams/${exam.examId}/questions/${questions[0]!.questionId}`, { as: teacher, raw: "{" });
  }],
  ["PATCH /exams/{examId}/questions/{questionId}", 403, "a student", (t) => t.send(`/exams/${newId()}/questions/${newId()}`, { as: student, body: { text: "x" } })],
  ["PATCH /exams/{examId}/questions/{questionId}", 404, "no such question", async (t) => t.send(`/exams/${(await api.draft()).examId}/questions/${newId()}`, { as: teacher, body: { text: "x" } })],
  ["PATCH /exams/{examId}/questions/{questionId}", 409, "a published exam", async (t) => {
    const { exam, questions } = await published();
    return t.send(`/exams/${exam.examId}/questions/${questions[0]!.questionId}`, { as: teacher, body: { text: "Late" } });
  }],
  ["PATCH /exams/{examId}/questions/{questionId}", 412, "a stale If-Match", async (t) => {
    const { exam, questions } = await withQuestions();
    return t.send(`/exams/${exam.examId}/questions/${questions[0]!.questionId}`, { as: teacher, body: { text: "x" }, headers: ifMatch(99) });
  }],
  ["PATCH /exams/{examId}/questions/{questionId}", 413, "a body over 128 KiB", async (t) => {
    const { exam, questions } = await withQuestions();
    return t.send(`/exams/${exam.examId}/questions/${questions[0]!.questionId}`, { as: teacher, raw: JSON.stringify({ text: "x".repeat(140_000) }) });
  }],
  ["PATCH /exams/{examId}/questions/{questionId}", 415, "a text/plain body", async (t) => {
    const { exam, questions } = await withQuestions();
    return t.send(`/exams/${exam.examId}/questions/${questions[0]!.questionId}`, { as: teacher, raw: "x", headers: { "content-type": "text/plain" } });
  }],
  ["PATCH /exams/{examId}/questions/{questionId}", 422, "a change that leaves the question invalid", async (t) => {
    const { exam, questions } = await withQuestions();
    return t.send(`/exams/${exam.examId}/questions/${questions[0]!.questionId}`, { as: teacher, body: { choices: ["only"] } });
  }],

  ["DELETE /exams/{examId}/questions/{questionId}", 204, "a question of a draft", async (t) => {
    const { exam, questions } = await withQuestions();
    return t.send(`/exams/${exam.examId}/questions/${questions[0]!.questionId}`, { as: teacher });
  }],
  ["DELETE /exams/{examId}/questions/{questionId}", 403, "a student", (t) => t.send(`/exams/${newId()}/questions/${newId()}`, { as: student })],
  ["DELETE /exams/{examId}/questions/{questionId}", 404, "no such exam", (t) => t.send(`/exams/${newId()}/questions/${newId()}`, { as: teacher })],
  ["DELETE /exams/{examId}/questions/{questionId}", 409, "a question of a published exam", async (t) => {
    const { exam, questions } = await published();
    return t.send(`/exams/${exam.examId}/questions/${questions[0]!.questionId}`, { as: teacher });
  }],
  ["DELETE /exams/{examId}/questions/{questionId}", 412, "a stale If-Match", async (t) => {
    const { exam, questions } = await withQuestions();
    return t.send(`/exams/${exam.examId}/questions/${questions[0]!.questionId}`, { as: teacher, headers: ifMatch(99) });
  }],

  ["POST /exams/{examId}/attempts", 201, "a student, a published exam", async (t) => t.send(`/exams/${(await published()).exam.examId}/attempts`, { as: student })],
  ["POST /exams/{examId}/attempts", 403, "a teacher", async (t) => t.send(`/exams/${(await published()).exam.examId}/attempts`, { as: teacher })],
  ["POST /exams/{examId}/attempts", 404, "a draft", async (t) => t.send(`/exams/${(await withQuestions()).exam.examId}/attempts`, { as: student })],
  ["POST /exams/{examId}/attempts", 409, "an attempt already open", async (t) => t.send(`/exams/${(await attempt()).exam.examId}/attempts`, { as: student })],

  ["GET /exams/{examId}/attempts", 200, "the exam's teacher", async (t) => t.send(`/exams/${(await attempt()).exam.examId}/attempts?limit=10`, { as: teacher })],
  ["GET /exams/{examId}/attempts", 200, "a student, their own", async (t) => t.send(`/exams/${(await attempt()).exam.examId}/attempts`, { as: student })],
  ["GET /exams/{examId}/attempts", 400, "a cursor that is no cursor of ours", async (t) => t.send(`/exams/${(await published()).exam.examId}/attempts?cursor=${cursorOf({ nope: 1 })}`, { as: teacher })],
  ["GET /exams/{examId}/attempts", 403, "another teacher", async (t) => t.send(`/exams/${(await published()).exam.examId}/attempts`, { as: otherTeacher })],
  ["GET /exams/{examId}/attempts", 404, "no such exam", (t) => t.send(`/exams/${newId()}/attempts`, { as: teacher })],

  ["PUT /attempts/{attemptId}/answers", 200, "the sheet", async (t) => {
    const { attempt: a } = await attempt();
    return t.send(`/attempts/${a.attemptId}/answers`, { as: student, body: { answers: { [a.questions[0].questionId]: 1 } } });
  }],
  ["PUT /attempts/{attemptId}/answers", 400, "malformed JSON", async (t) => t.send(`/attempts/${(await attempt()).attempt.attemptId}/answers`, { as: student, raw: "{" })],
  ["PUT /attempts/{attemptId}/answers", 403, "a teacher", async (t) => t.send(`/attempts/${(await attempt()).attempt.attemptId}/answers`, { as: teacher, body: { answers: {} } })],
  ["PUT /attempts/{attemptId}/answers", 404, "another student's attempt", async (t) => t.send(`/attempts/${(await attempt()).attempt.attemptId}/answers`, { as: otherStudent, body: { answers: {} } })],
  ["PUT /attempts/{attemptId}/answers", 409, "a submitted attempt", async (t) => {
    const { attempt: a } = await attempt();
    ok(await t.api.call("POST", `/attempts/${a.attemptId}/submit`, { as: student }), "submit");
    return t.send(`/attempts/${a.attemptId}/answers`, { as: student, body: { answers: {} } });
  }],
  ["PUT /attempts/{attemptId}/answers", 413, "a body over 1 MiB", async (t) => t.send(`/attempts/${(await attempt()).attempt.attemptId}/answers`, { as: student, raw: JSON.stringify({ answers: { x: "y".repeat(1_100_000) } }) })],
  ["PUT /attempts/{attemptId}/answers", 415, "a text/plain body", async (t) => t.send(`/attempts/${(await attempt()).attempt.attemptId}/answers`, { as: student, raw: "a", headers: { "content-type": "text/plain" } })],
  ["PUT /attempts/{attemptId}/answers", 422, "an answer to no question of the exam", async (t) => t.send(`/attempts/${(await attempt()).attempt.attemptId}/answers`, { as: student, body: { answers: { [newId()]: 1 } } })],

  ["POST /attempts/{attemptId}/submit", 200, "an open attempt", async (t) => t.send(`/attempts/${(await attempt()).attempt.attemptId}/submit`, { as: student })],
  ["POST /attempts/{attemptId}/submit", 200, "a submitted one again: the stored result", async (t) => {
    const { attempt: a } = await attempt();
    ok(await t.api.call("POST", `/attempts/${a.attemptId}/submit`, { as: student }), "submit");
    return t.send(`/attempts/${a.attemptId}/submit`, { as: student });
  }],
  ["POST /attempts/{attemptId}/submit", 403, "a teacher", async (t) => t.send(`/attempts/${(await attempt()).attempt.attemptId}/submit`, { as: teacher })],
  ["POST /attempts/{attemptId}/submit", 404, "another student's attempt", async (t) => t.send(`/attempts/${(await attempt()).attempt.attemptId}/submit`, { as: otherStudent })],

  ["GET /attempts/{attemptId}", 200, "its student", async (t) => t.send(`/attempts/${(await attempt()).attempt.attemptId}`, { as: student })],
  ["GET /attempts/{attemptId}", 404, "another student", async (t) => t.send(`/attempts/${(await attempt()).attempt.attemptId}`, { as: otherStudent })],

  ["POST /exams/{examId}/files", 201, "an upload", async (t) => t.send(`/exams/${(await api.draft()).examId}/files`, { as: teacher, body: { fileName: "a.pdf", contentType: "application/pdf", size: 100 } })],
  ["POST /exams/{examId}/files", 400, "malformed JSON", async (t) => t.send(`/exams/${(await api.draft()).examId}/files`, { as: teacher, raw: "{" })],
  ["POST /exams/{examId}/files", 403, "a student", (t) => t.send(`/exams/${newId()}/files`, { as: student, body: { fileName: "a.pdf", contentType: "application/pdf", size: 100 } })],
  ["POST /exams/{examId}/files", 404, "no such exam", (t) => t.send(`/exams/${newId()}/files`, { as: teacher, body: { fileName: "a.pdf", contentType: "application/pdf", size: 100 } })],
  ["POST /exams/{examId}/files", 409, "a published exam", async (t) => t.send(`/exams/${(await published()).exam.examId}/files`, { as: teacher, body: { fileName: "a.pdf", contentType: "application/pdf", size: 100 } })],
  ["POST /exams/{examId}/files", 413, "a body over 8 KiB", async (t) => t.send(`/exams/${(await api.draft()).examId}/files`, { as: teacher, raw: JSON.stringify({ fileName: "x".repeat(9000), contentType: "application/pdf", size: 1 }) })],
  ["POST /exams/{examId}/files", 415, "a text/plain body", async (t) => t.send(`/exams/${(await api.draft()).examId}/files`, { as: teacher, raw: "f", headers: { "content-type": "text/plain" } })],
  ["POST /exams/{examId}/files", 422, "a type not taken", async (t) => t.send(`/exams/${(await api.draft()).examId}/files`, { as: teacher, body: { fileName: "a.exe", contentType: "application/x-msdownload", size: 100 } })],

  ["POST /exams/{examId}/files/{fileId}/complete", 200, "an uploaded file", async (t) => {
    const exam = await api.draft();
    return t.send(`/exams/${exam.examId}/files/${(await uploaded(exam.examId)).fileId}/complete`, { as: teacher });
  }],
  ["POST /exams/{examId}/files/{fileId}/complete", 403, "a student", (t) => t.send(`/exams/${newId()}/files/${newId()}/complete`, { as: student })],
  ["POST /exams/{examId}/files/{fileId}/complete", 404, "no such file", async (t) => t.send(`/exams/${(await api.draft()).examId}/files/${newId()}/complete`, { as: teacher })],
  ["POST /exams/{examId}/files/{fileId}/complete", 409, "nothing uploaded yet", async (t) => {
    const exam = await api.draft();
    return t.send(`/exams/${exam.examId}/files/${(await startedUpload(exam.examId)).file.fileId}/complete`, { as: teacher });
  }],
  ["POST /exams/{examId}/files/{fileId}/complete", 422, "bytes that are no PDF", async (t) => {
    const exam = await api.draft();
    return t.send(`/exams/${exam.examId}/files/${(await uploaded(exam.examId, new Uint8Array(2048).fill(0x41))).fileId}/complete`, { as: teacher });
  }],

  ["GET /exams/{examId}/files", 200, "its teacher", async (t) => {
    const exam = await api.draft();
    await readyFile(exam.examId);
    return t.send(`/exams/${exam.examId}/files?limit=5`, { as: teacher });
  }],
  ["GET /exams/{examId}/files", 400, "a cursor that is no cursor of ours", async (t) => t.send(`/exams/${(await api.draft()).examId}/files?cursor=${cursorOf({ nope: 1 })}`, { as: teacher })],
  ["GET /exams/{examId}/files", 404, "a student, a draft", async (t) => t.send(`/exams/${(await api.draft()).examId}/files`, { as: student })],

  ["GET /exams/{examId}/files/{fileId}", 200, "a ready file", async (t) => {
    const exam = await api.draft();
    return t.send(`/exams/${exam.examId}/files/${(await readyFile(exam.examId)).fileId}`, { as: teacher });
  }],
  ["GET /exams/{examId}/files/{fileId}", 404, "no such file", async (t) => t.send(`/exams/${(await api.draft()).examId}/files/${newId()}`, { as: teacher })],
  ["GET /exams/{examId}/files/{fileId}", 409, "an upload not completed", async (t) => {
    const exam = await api.draft();
    return t.send(`/exams/${exam.examId}/files/${(await startedUpload(exam.examId)).file.fileId}`, { as: teacher });
  }],

  ["DELETE /exams/{examId}/files/{fileId}", 204, "a ready file of a draft", async (t) => {
    const exam = await api.draft();
    return t.send(`/exams/${exam.examId}/files/${(await readyFile(exam.examId)).fileId}`, { as: teacher });
  }],
  ["DELETE /exams/{examId}/files/{fileId}", 403, "a student", (t) => t.send(`/exams/${newId()}/files/${newId()}`, { as: student })],
  ["DELETE /exams/{examId}/files/{fileId}", 404, "no such file", async (t) => t.send(`/exams/${(await api.draft()).examId}/files/${newId()}`, { as: teacher })],
  ["DELETE /exams/{examId}/files/{fileId}", 409, "a file of a published exam", async (t) => {
    const { exam } = await withQuestions();
    const file = await readyFile(exam.examId);
    ok(await api.call("POST", `/exams/${exam.examId}/publish`, { as: teacher }), "publish");
    return t.send(`/exams/${exam.examId}/files/${file.fileId}`, { as: teacher });
  }],
  ["DELETE /exams/{examId}/files/{fileId}", 412, "an If-Match naming a tag (files have none)", async (t) => {
    const exam = await api.draft();
    return t.send(`/exams/${exam.examId}/files/${(await startedUpload(exam.examId)).file.fileId}`, { as: teacher, headers: ifMatch(1) });
  }],

  ["GET /exams/{examId}/results.csv", 200, "its teacher, from the streaming function", async (t) => t.send(`/exams/${(await attempt()).exam.examId}/results.csv`, { as: teacher, streaming: true })],
  ["GET /exams/{examId}/results.csv", 403, "a student", async (t) => t.send(`/exams/${(await published()).exam.examId}/results.csv`, { as: student })],
  ["GET /exams/{examId}/results.csv", 404, "the buffered API, which cannot stream it", async (t) => t.send(`/exams/${(await published()).exam.examId}/results.csv`, { as: teacher })],
];

// ---- Reading the document.

const esc = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1");
const methodAndPath = (operation: string) => operation.split(" ") as [string, string];

function operationOf(operation: string): Json | undefined {
  const [method, path] = methodAndPath(operation);
  return (document.paths[path] as Json | undefined)?.[method.toLowerCase()];
}

// The documented response for a status: exact, then its range ("4XX"), then default; references followed.
function documentedResponse(op: Json, status: number): { key: string; response: Json } | undefined {
  const key = [String(status), `${String(status)[0]}XX`, "default"].find((k) => op["responses"][k] !== undefined);
  if (key === undefined) return undefined;
  let response = op["responses"][key] as Json;
  const ref = response["$ref"] as string | undefined;
  if (ref !== undefined) response = (document.components.responses as Json)[ref.slice("#/components/responses/".length)];
  return { key, response };
}

function validAt(pointer: string, value: unknown): string | undefined {
  return ajv.validate({ $ref: `doc#${encodeURI(pointer)}` }, value) ? undefined : ajv.errorsText();
}

// Every {name} of the template and the value the URL gives it, decoded once as the router does.
function pathValues(template: string, url: string): Record<string, string> {
  const names: string[] = [];
  const pattern = new RegExp(`^${template.replace(/\{([^}]+)\}/g, (_, name: string) => (names.push(name), "([^/]+)"))}$`);
  const found = pattern.exec(url.split("?")[0]!);
  const values: Record<string, string> = {};
  names.forEach((name, i) => {
    try {
      values[name] = decodeURIComponent(found?.[i + 1] ?? "");
    } catch {
      values[name] = found?.[i + 1] ?? "";
    }
  });
  return values;
}

// Headers the document may not list as parameters (OpenAPI: content negotiation and security describe them).
const IMPLIED = new Set(["authorization", "content-type", "accept"]);

/** What the document says differently from this answer, and from this request. */
function contractViolations(operation: string, sent: Sent): string[] {
  const [method, template] = methodAndPath(operation);
  const op = operationOf(operation);
  if (op === undefined) return [`${operation} is not in /openapi.json`];
  const found: string[] = [];
  const { res, init } = sent;
  const at = `/paths/${esc(template)}/${method.toLowerCase()}`;

  // The answer: status, content type, body.
  const documented = documentedResponse(op, res.status);
  if (documented === undefined) found.push(`answered ${res.status}, which is not documented (documented: ${Object.keys(op["responses"]).join(", ")})`);
  else {
    const content = documented.response["content"] as Json | undefined;
    const ref = op["responses"][documented.key]["$ref"] as string | undefined;
    const responseAt = ref !== undefined ? ref.slice(1) : `${at}/responses/${documented.key}`;
    const mediaType = res.headers["content-type"]?.split(";")[0]!.trim().toLowerCase();
    // A documented key may carry parameters ("text/csv; charset=utf-8"): its type and subtype are what an answer matches.
    const key = Object.keys(content ?? {}).find((type) => type.split(";")[0]!.trim().toLowerCase() === mediaType);
    if (res.size > 0 && content === undefined) found.push(`${res.status} has a ${mediaType} body; the document describes none`);
    else if (res.size > 0 && key === undefined) found.push(`${res.status} is ${mediaType}; the document says ${Object.keys(content!).join(", ")}`);
    else if (res.size === 0 && content !== undefined) found.push(`${res.status} has no body; the document describes ${Object.keys(content).join(", ")}`);
    else if (key !== undefined && content![key]["schema"] !== undefined) {
      const invalid = validAt(`${responseAt}/content/${esc(key)}/schema`, res.body);
      if (invalid !== undefined) found.push(`${res.status} body does not match the documented schema: ${invalid}\n${JSON.stringify(res.body).slice(0, 400)}`);
    }
    found.push(...headerViolations(res, (documented.response["headers"] ?? {}) as Json, responseAt));
  }

  // The request: what it carries is documented; a 2xx proves the documented constraints let it through.
  const parameters = (op["parameters"] ?? []) as Json[];
  const parameter = (place: string, name: string) => parameters.findIndex((p) => p["in"] === place && String(p["name"]).toLowerCase() === name.toLowerCase());
  const headers = Object.entries(init.headers ?? {}).filter(([name]) => !IMPLIED.has(name.toLowerCase()));
  const query = [...new URLSearchParams(sent.path.split("?")[1] ?? "")];
  for (const [name] of headers) if (parameter("header", name) === -1) found.push(`sends header ${name}, which is no documented parameter`);
  for (const [name] of query) if (parameter("query", name) === -1) found.push(`sends ?${name}, which is no documented parameter`);
  if (res.status >= 200 && res.status < 300) {
    const sentValue = (p: Json): string | undefined =>
      p["in"] === "header" ? headers.find(([name]) => name.toLowerCase() === String(p["name"]).toLowerCase())?.[1] : p["in"] === "query" ? query.find(([name]) => name === p["name"])?.[1] : pathValues(template, sent.path)[p["name"]];
    parameters.forEach((p, i) => {
      const value = sentValue(p);
      if (value === undefined) {
        if (p["required"]) found.push(`answered ${res.status} without ${p["in"]} parameter ${p["name"]}, which the document requires`);
        return;
      }
      const invalid = validAt(`${at}/parameters/${i}/schema`, value);
      if (invalid !== undefined) found.push(`answered ${res.status} to ${p["in"]} ${p["name"]}=${value}, which the document's schema refuses: ${invalid}`);
    });
    const body = op["requestBody"] as Json | undefined;
    const sentBody = init.body !== undefined ? init.body : init.raw !== undefined ? init.raw : undefined;
    if (body === undefined && sentBody !== undefined) found.push(`answered ${res.status} to a body; the document describes none`);
    if (body?.["required"] && sentBody === undefined) found.push(`answered ${res.status} without a body, which the document requires`);
    if (body !== undefined && init.body !== undefined) {
      const invalid = validAt(`${at}/requestBody/content/application~1json/schema`, init.body);
      if (invalid !== undefined) found.push(`answered ${res.status} to a body the document's schema refuses: ${invalid}`);
    }
  }
  return found;
}

// Headers an answer may carry that no response documents: its content's type and length (content describes
// them), CORS's (cors() adds them to any answer a browser reads), and the request id every answer carries.
const UNDOCUMENTED = /^(content-type|content-length|vary|access-control-.*|x-request-id)$/;

/** Each required header is sent, each header sent (but those above) is documented, each as its schema says. */
function headerViolations(res: Res, headers: Json, responseAt: string): string[] {
  const found: string[] = [];
  const documented = new Map(Object.keys(headers).map((name) => [name.toLowerCase(), name]));
  for (const [name, header] of Object.entries(headers)) if (header["required"] && res.headers[name.toLowerCase()] === undefined) found.push(`${res.status} has no ${name} header, which the document requires`);
  for (const [name, value] of Object.entries(res.headers)) {
    const documentedAs = documented.get(name.toLowerCase());
    if (documentedAs === undefined) {
      if (!UNDOCUMENTED.test(name.toLowerCase())) found.push(`${res.status} sends ${name}: ${value}, a header the document does not describe`);
      continue;
    }
    const invalid = validAt(`${responseAt}/headers/${esc(documentedAs)}/schema`, value);
    if (invalid !== undefined) found.push(`${res.status} sends ${name}: ${value}, which the documented schema refuses: ${invalid}`);
  }
  return found;
}

// ---- The runs.

const tools = (method: string, arm?: () => () => boolean): Tools & { armed?: () => boolean } => {
  const t: Tools & { armed?: () => boolean } = {
    api,
    send: async (path, init = {}) => {
      if (arm) t.armed = arm();
      return { path, init, res: await (init.streaming ? api.stream : api.call)(method, path, init) };
    },
  };
  return t;
};

describe("GET /openapi.json tells the truth about every answer of every operation", () => {
  it.each(ROWS)("%s → %i (%s)", async (operation, status, _what, run) => {
    const sent = await run(tools(methodAndPath(operation)[0]));
    expect(sent.res.status, JSON.stringify(sent.res.body)).toBe(status);
    expect(contractViolations(operation, sent)).toEqual([]);
  });

  it("the table drives every documented operation, and each into a 2xx", () => {
    const operations = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
    const successes = new Set(ROWS.filter(([, status]) => status < 300).map(([operation]) => operation));
    // results.csv's 200 through the streaming function (stream.ts): the buffered one cannot send it.
    expect(operations.filter((operation) => !successes.has(operation)).sort()).toEqual([]);
    expect([...new Set(ROWS.map(([operation]) => operation))].sort()).toEqual(operations.sort());
  });
});

// Each operation's first success row (results.csv's from the streaming function), again: without
// credentials, and with DynamoDB throttled or failing on its first call.
const BASE_ROWS = ROWS.filter(([, status]) => status < 300);
const FIRST_SUCCESS = [...new Map(BASE_ROWS.reverse().map((row) => [row[0], row] as const)).values()];
const PUBLIC = new Set(["GET /health", "GET /openapi.json"]);

describe("and about the answers every secured operation can give: 401, 502, 503", () => {
  it.each(FIRST_SUCCESS.filter(([operation]) => !PUBLIC.has(operation)))("%s → 401 without credentials", async (operation, _status, _what, run) => {
    const t = tools(methodAndPath(operation)[0]);
    const send = t.send;
    t.send = (path, init = {}) => send(path, { ...init, as: undefined });
    const sent = await run(t);
    expect(sent.res.status).toBe(401);
    expect(contractViolations(operation, sent)).toEqual([]);
  });

  it.each(FIRST_SUCCESS.filter(([operation]) => !PUBLIC.has(operation)).flatMap(([operation, , , run]) => [[operation, 503, "ThrottlingException", run] as const, [operation, 502, "InternalServerError", run] as const]))(
    "%s → %i when DynamoDB answers %s",
    async (operation, status, error, run) => {
      const t = tools(methodAndPath(operation)[0], () => api.fail(() => true, awsError(error)).failed);
      const sent = await run(t);
      expect(t.armed?.(), "the request reached DynamoDB").toBe(true);
      expect(sent.res.status, JSON.stringify(sent.res.body)).toBe(status);
      expect(contractViolations(operation, sent)).toEqual([]);
    },
  );
});

// The same request with its first path parameter spoiled: an id that is no id (422, the params schema), and
// a %-escape that is no UTF-8 (400; REST delivers the path encoded, as a client sent it).
const spoiled = (operation: string, path: string, value: string) => {
  const at = methodAndPath(operation)[1].split("/").findIndex((segment) => segment.startsWith("{"));
  const [pathOnly, query] = path.split("?") as [string, string | undefined];
  const segments = pathOnly.split("/");
  segments[at] = value;
  return segments.join("/") + (query === undefined ? "" : `?${query}`);
};
const WITH_PATH_PARAMS = FIRST_SUCCESS.filter(([operation]) => operation.includes("{"));

describe("and about every operation's path parameters", () => {
  it.each(WITH_PATH_PARAMS.flatMap(([operation, , , run]) => [[operation, 422, "an id that is no id", "e-1", undefined, run] as const, [operation, 400, "a %-escape that is no UTF-8", "%C3%28", "apigw-v1", run] as const]))(
    "%s → %i (%s)",
    async (operation, status, _what, value, source, run) => {
      const t = tools(methodAndPath(operation)[0]);
      const send = t.send;
      t.send = (path, init = {}) => send(spoiled(operation, path, value), { ...init, ...(source ? { source } : {}) });
      const sent = await run(t);
      expect(sent.res.status, JSON.stringify(sent.res.body)).toBe(status);
      expect(contractViolations(operation, sent)).toEqual([]);
    },
  );
});

// Documented statuses no request here can bring about, and why: the rest are each driven above.
const NOT_DRIVEN: Record<string, string> = {
  "POST /attempts/{attemptId}/submit 409": "only when the attempt keeps changing through every retry of the grading write",
};

it("every status the document lists is one a request above really got (but 500: a bug; 429: API Gateway's)", () => {
  const driven = new Set([
    ...ROWS.map(([operation, status]) => `${operation} ${status}`),
    ...FIRST_SUCCESS.flatMap(([operation]) => (PUBLIC.has(operation) ? [] : [401, 502, 503].map((status) => `${operation} ${status}`))),
    ...WITH_PATH_PARAMS.flatMap(([operation]) => [`${operation} 400`, `${operation} 422`]),
  ]);
  const listed = Object.entries(document.paths).flatMap(([path, item]) => Object.entries(item as Json).flatMap(([method, op]) => Object.keys(op["responses"]).map((status) => `${method.toUpperCase()} ${path} ${status}`)));
  const undriven = listed.filter((key) => !/ (500|429)$/.test(key) && !driven.has(key));
  expect(undriven.sort()).toEqual(Object.keys(NOT_DRIVEN).sort());
});

// What the deployment adds in front of the function (template.yaml), which the document must say too.
describe("and about what the deployed APIs add (template.yaml)", () => {
  const template = loadTemplate();
  const resources = template.Resources as Json;
  // The URL an output names, with the template's ${…} filled in: ${Stage} as deployed ("Prod"), the rest a host.
  const outputUrl = (name: string) => {
    const value = (template.Outputs as Json)[name]["Value"];
    return String(value["Fn::Sub"] ?? value).replace(/\$\{Stage\}/g, "Prod").replace(/\$\{[^}]+\}/g, "x");
  };

  it("each path, under the document's servers resolved as OpenAPI 3.1 says (relative to where the document is served), is on the API that served it, its stage included (was: no servers, so / — the REST API's paths without /Prod)", () => {
    for (const output of ["HttpApiUrl", "RestApiUrl"]) {
      const root = new URL(outputUrl(output));
      const served = new URL("openapi.json", root);
      // No servers means one server "/" (OpenAPI 3.1 §4.8.1.1); a tool appends the path to it.
      const server = new URL(document.servers?.[0]?.url ?? "/", served).href.replace(/\/$/, "");
      for (const path of Object.keys(document.paths)) expect(new URL(server + path).href, `${output} ${path}`).toBe(new URL(path.slice(1), root).href);
    }
  });

  it("every operation lists API Gateway's 429: both APIs throttle every route (was: not documented)", () => {
    expect(resources["HttpApi"]["Properties"]["DefaultRouteSettings"]).toMatchObject({ ThrottlingRateLimit: expect.anything(), ThrottlingBurstLimit: expect.anything() });
    expect(resources["RestApi"]["Properties"]["MethodSettings"]).toContainEqual(expect.objectContaining({ ResourcePath: "/*", HttpMethod: "*", ThrottlingRateLimit: expect.anything() }));
    const missing = Object.entries(document.paths).flatMap(([path, item]) => Object.entries(item as Json).filter(([, op]) => op["responses"]["429"] === undefined).map(([method]) => `${method.toUpperCase()} ${path}`));
    expect(missing).toEqual([]);
    // API Gateway's own body: {"message":"Too Many Requests"} as JSON, not a problem of the app's.
    const sample = { message: "Too Many Requests" };
    for (const [path, item] of Object.entries(document.paths)) for (const method of Object.keys(item)) expect(validAt(`/paths/${esc(path)}/${method}/responses/429/content/application~1json/schema`, sample), `${method} ${path}`).toBeUndefined();
  });
});

