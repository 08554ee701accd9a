// Idempotency-Key against a DynamoDB that fails once at the worst moment: after the creating write has
// committed. A key given back on a 5xx makes the client's retry run again, so a 5xx must leave nothing
// created, and a success must stay a success.
import { handle } from "lambdalith";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "./app.ts";
import { createStore } from "./store/index.ts";
import type { Db } from "./store/sdk.ts";
import { readyKey } from "./files.ts";
import { examKey } from "./store/keys.ts";
import { callHandler, createTestApi, locatedPath, pdfBytes, question, teacher, type CallInit, type TestApi } from "./test-api.ts";

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi("idem");
});
afterAll(() => api.drop());
afterEach(() => void vi.restoreAllMocks());

const throttled = () => Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException", $metadata: { httpStatusCode: 400 } });

// The app on the test table, its DynamoDB failing the first call `fails` selects.
function appFailingOnce(fails: (op: keyof Db, input: any) => boolean, log: (entry: Record<string, unknown>) => void = () => undefined) {
  let failed = false;
  const real = api.db;
  const once = <O extends keyof Db>(op: O): Db[O] =>
    ((input: any) => {
      if (!failed && fails(op, input)) {
        failed = true;
        return Promise.reject(throttled());
      }
      return (real[op] as (input: any) => Promise<unknown>)(input);
    }) as Db[O];
  const db: Db = { get: once("get"), query: once("query"), put: once("put"), update: once("update"), delete: once("delete") };
  const store = createStore({ tableName: api.store.tableName, db: async () => db, now: () => Date.now() });
  const handler = handle(createApp({ services: () => ({ store, files: api.files }), log }));
  return (method: string, path: string, init?: CallInit) => callHandler(handler, method, path, init);
}

describe("Idempotency-Key when DynamoDB fails after the write", () => {
  it("a key that cannot be recorded leaves the 201 a 201 (was: a 503, and the retry created a second exam), and says so on the app's log (was: on stdout, past a custom log)", async () => {
    const stdout = vi.spyOn(process.stdout, "write").mockReturnValue(true);
    const logged: Record<string, unknown>[] = [];
    const call = appFailingOnce((op, input) => op === "update" && String(input.Key?.PK).startsWith("IDEM#") && String(input.UpdateExpression).includes(":done"), (entry) => logged.push(entry));
    const key = { "idempotency-key": `exam-${Date.now()}` };
    const title = `Once ${Date.now()}`;
    const first = await call("POST", "/exams", { as: teacher, body: { title, durationMinutes: 10 }, headers: key });
    expect(first.status).toBe(201);
    const mine = (await api.call("GET", "/exams?status=draft&limit=100", { as: teacher })).body.items.filter((e: { title: string }) => e.title === title);
    expect(mine).toHaveLength(1);
    // Through the app's log option, as every other line (was: written to stdout past a custom sink).
    expect(logged).toContainEqual(expect.objectContaining({ level: "warn", message: "idempotency key not recorded", status: 201, errorName: "HttpError", errorMessage: expect.stringContaining("retry") }));
    expect(stdout).not.toHaveBeenCalled();
  });

  it("adding a question whose check-in read fails takes the question back: the 503's retry adds it once (was: twice)", async () => {
    const examId = (await api.call("POST", "/exams", { as: teacher, body: { title: "Questions once", durationMinutes: 10 } })).body.examId;
    let written = false;
    const call = appFailingOnce((op, input) => {
      if (op === "put" && String(input.Item?.SK).startsWith("Q#")) written = true;
      return written && op === "get" && input.Key?.SK === "EXAM";
    });
    const key = { "idempotency-key": `q-${Date.now()}` };
    expect((await call("POST", `/exams/${examId}/questions`, { as: teacher, body: question(1), headers: key })).status).toBe(503);
    expect((await call("POST", `/exams/${examId}/questions`, { as: teacher, body: question(1), headers: key })).status).toBe(201);
    expect((await api.call("GET", `/exams/${examId}/questions`, { as: teacher })).body.items).toHaveLength(1);
    expect((await api.call("GET", `/exams/${examId}`, { as: teacher })).body.questionCount).toBe(1);
  });
});

describe("Idempotency-Key when the check-in read of a file upload's start fails", () => {
  it("the record is taken back: the 503's retry starts one upload, not two, and the cap counts one", async () => {
    const examId = (await api.call("POST", "/exams", { as: teacher, body: { title: "Files once", durationMinutes: 10 } })).body.examId;
    let written = false;
    const call = appFailingOnce((op, input) => {
      if (op === "put" && String(input.Item?.SK).startsWith("FILE#")) written = true;
      return written && op === "get" && input.Key?.SK === "EXAM";
    });
    const key = { "idempotency-key": `f-${Date.now()}` };
    const body = { fileName: "a.pdf", contentType: "application/pdf", size: 10 };
    expect((await call("POST", `/exams/${examId}/files`, { as: teacher, body, headers: key })).status).toBe(503);
    expect((await call("POST", `/exams/${examId}/files`, { as: teacher, body, headers: key })).status).toBe(201);
    expect((await api.call("GET", `/exams/${examId}/files`, { as: teacher })).body.items).toHaveLength(1);
    expect((await api.db.get({ TableName: api.store.tableName, Key: examKey(examId), ConsistentRead: true })).Item?.["fileSeq"]).toBe(1);
  });
});

describe("Idempotency-Key replayed after what it created was deleted", () => {
  // A replay is the recorded answer (the IETF draft's and Stripe's rule): it says what the first request did,
  // not what exists now. The Location it names answers 404; nothing is created again, and an upload URL in it
  // leads nowhere: the bytes land under pending/ (expired by the lifecycle rule) and complete is a 404.
  it("a file: the same 201 with idempotent-replayed, and no record, slot or files/ object comes back from it", async () => {
    const { examId } = await api.draft();
    const body = { fileName: "paper.pdf", contentType: "application/pdf", size: 2048 };
    const key = { "idempotency-key": `file-${Date.now()}` };
    const first = await api.call("POST", `/exams/${examId}/files`, { as: teacher, body, headers: key });
    expect(first.status).toBe(201);
    const fileId = first.body.file.fileId;
    expect((await api.call("DELETE", `/exams/${examId}/files/${fileId}`, { as: teacher })).status).toBe(204);
    const fileSeq = async () => (await api.db.get({ TableName: api.store.tableName, Key: examKey(examId), ConsistentRead: true })).Item?.["fileSeq"];
    const slots = await fileSeq();

    const replay = await api.call("POST", `/exams/${examId}/files`, { as: teacher, body, headers: key });
    expect(replay).toMatchObject({ status: 201, body: first.body, headers: { "idempotent-replayed": "true", location: first.headers["location"] } });
    const named = locatedPath(replay.headers["location"], `/exams/${examId}/files`);
    expect(named).toBe(`/exams/${examId}/files/${fileId}`);
    expect((await api.call("GET", named, { as: teacher })).status).toBe(404);

    expect((await fetch(replay.body.upload.url, { method: "PUT", headers: replay.body.upload.headers, body: pdfBytes() })).status).toBe(200);
    expect((await api.call("POST", `/exams/${examId}/files/${fileId}/complete`, { as: teacher })).status).toBe(404);
    expect((await api.call("GET", `/exams/${examId}/files`, { as: teacher })).body.items).toEqual([]);
    expect(await fileSeq()).toBe(slots);
    const s3 = await api.files.s3();
    expect(await s3.head(api.files.bucket, readyKey(examId, fileId))).toBeNull();
  });

  it("an exam and a question: the same 201, whose Location is a 404; nothing is created again", async () => {
    const examKeyHeader = { "idempotency-key": `exam-gone-${Date.now()}` };
    const exam = { title: `Gone ${Date.now()}`, durationMinutes: 10 };
    const created = await api.call("POST", "/exams", { as: teacher, body: exam, headers: examKeyHeader });
    const { examId } = created.body;
    const questionKeyHeader = { "idempotency-key": `question-gone-${Date.now()}` };
    const added = await api.call("POST", `/exams/${examId}/questions`, { as: teacher, body: question(1), headers: questionKeyHeader });
    expect(added.status).toBe(201);
    expect((await api.call("DELETE", `/exams/${examId}/questions/${added.body.questionId}`, { as: teacher })).status).toBe(204);
    const again = await api.call("POST", `/exams/${examId}/questions`, { as: teacher, body: question(1), headers: questionKeyHeader });
    expect(again).toMatchObject({ status: 201, body: added.body, headers: { "idempotent-replayed": "true" } });
    expect((await api.call("GET", `/exams/${examId}/questions`, { as: teacher })).body.items).toEqual([]);

    expect((await api.call("DELETE", `/exams/${examId}`, { as: teacher })).status).toBe(204);
    const replay = await api.call("POST", "/exams", { as: teacher, body: exam, headers: examKeyHeader });
    expect(replay).toMatchObject({ status: 201, body: created.body, headers: { "idempotent-replayed": "true" } });
    expect((await api.call("GET", `/exams/${examId}`, { as: teacher })).status).toBe(404);
    const mine = (await api.call("GET", "/exams?limit=100", { as: teacher })).body.items.filter((e: { title: string }) => e.title === exam.title);
    expect(mine).toEqual([]);
  });
});

describe("Idempotency-Key through the path's other spelling", () => {
  it("a retry through POST /exams/ (one trailing slash, which the router ignores) is a replay of POST /exams, not a 422 'used for another request'", async () => {
    const key = { "idempotency-key": `slash-${Date.now()}` };
    const exam = { title: `Slash ${Date.now()}`, durationMinutes: 10 };
    const first = await api.call("POST", "/exams", { as: teacher, body: exam, headers: key });
    expect(first.status).toBe(201);
    const retry = await api.call("POST", "/exams/", { as: teacher, body: exam, headers: key });
    expect(retry).toMatchObject({ status: 201, body: first.body, headers: { "idempotent-replayed": "true" } });
    // Relative to its own request: the same exam either way.
    expect(locatedPath(retry.headers["location"], "/exams/")).toBe(locatedPath(first.headers["location"], "/exams"));
    const mine = (await api.call("GET", "/exams?limit=100", { as: teacher })).body.items.filter((e: { title: string }) => e.title === exam.title);
    expect(mine).toHaveLength(1);
  });
});
