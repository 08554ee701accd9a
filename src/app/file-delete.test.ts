// DELETE /exams/{examId}/files/{fileId} end to end (test-api: the app over dynalite and s3rver): a wrong
// file, or a pending record whose upload URL expired, leaves its draft (with both S3 objects) and frees its
// slot under the 100-files cap. The races are made deterministic by holding one DynamoDB write (api.hold) or
// one S3 call (a Files whose client waits), as file-routes.test.ts does.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handle } from "lambdalith";
import { createApp } from "./app.ts";
import { createFiles, pendingKey, readyKey } from "./files.ts";
import { MAX_FILES } from "./limits.ts";
import { examKey, fileKey } from "./store/keys.ts";
import { callHandler, createTestApi, pdfBytes, question, student, teacher, type TestApi } from "./test-api.ts";

const READ_ONLY = "tag:exambuddy,2026:read-only";
const SLOW = 60_000;

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi("file-delete");
});
afterAll(() => api.drop());

/** A file of `examId`, uploaded (and completed with `complete`): its id. */
async function fileOf(examId: string, complete: boolean): Promise<string> {
  const bytes = pdfBytes();
  const res = await api.call("POST", `/exams/${examId}/files`, { as: teacher, body: { fileName: "paper.pdf", contentType: "application/pdf", size: bytes.length } });
  expect(res.status).toBe(201);
  expect((await fetch(res.body.upload.url, { method: "PUT", headers: res.body.upload.headers, body: bytes })).status).toBe(200);
  if (complete) expect((await api.call("POST", `/exams/${examId}/files/${res.body.file.fileId}/complete`, { as: teacher })).status).toBe(200);
  return res.body.file.fileId;
}

/** A draft with one question (so it can be published) and one file. */
async function draftWithFile(complete: boolean): Promise<{ examId: string; fileId: string }> {
  const { examId } = await api.draft();
  expect((await api.call("POST", `/exams/${examId}/questions`, { as: teacher, body: question(1) })).status).toBe(201);
  return { examId, fileId: await fileOf(examId, complete) };
}

/** Which of the file's two objects exist. */
async function objects(examId: string, fileId: string): Promise<{ ready: boolean; pending: boolean }> {
  const s3 = await api.files.s3();
  return { ready: (await s3.head(api.files.bucket, readyKey(examId, fileId))) !== null, pending: (await s3.head(api.files.bucket, pendingKey(examId, fileId))) !== null };
}

const record = async (examId: string, fileId: string) => (await api.db.get({ TableName: api.store.tableName, Key: fileKey(examId, fileId), ConsistentRead: true })).Item;
const fileSeq = async (examId: string) => (await api.db.get({ TableName: api.store.tableName, Key: examKey(examId), ConsistentRead: true })).Item?.["fileSeq"] as number;
const version = async (examId: string) => (await api.call("GET", `/exams/${examId}`, { as: teacher })).body.version as number;
const del = (examId: string, fileId: string, headers?: Record<string, string>) => api.call("DELETE", `/exams/${examId}/files/${fileId}`, { as: teacher, ...(headers ? { headers } : {}) });

// The store's writes a race is held at.
const atMark = (fileId: string) => (op: string, input: any) => op === "update" && input.Key?.SK === `FILE#${fileId}` && input.ExpressionAttributeValues?.[":deleting"] === "deleting";
const atRecordDelete = (fileId: string) => (op: string, input: any) => op === "delete" && input.Key?.SK === `FILE#${fileId}`;
const atSeal = (fileId: string) => (op: string, input: any) => op === "update" && input.Key?.SK === `FILE#${fileId}` && /sealed/.test(input.UpdateExpression);
const atMarkReady = (fileId: string) => (op: string, input: any) => op === "update" && input.Key?.SK === `FILE#${fileId}` && input.ExpressionAttributeValues?.[":ready"] === "ready";

/** The app over the test table with an S3 client whose calls `wrap` may delay or fail. */
async function appWithS3(wrap: (real: Awaited<ReturnType<TestApi["files"]["s3"]>>) => Partial<Awaited<ReturnType<TestApi["files"]["s3"]>>>) {
  const real = await api.files.s3();
  const files = createFiles({ bucket: api.files.bucket, s3: async () => ({ ...real, ...wrap(real) }) });
  const handler = handle(createApp({ services: () => ({ store: api.store, files }), stage: "test", log: () => undefined }));
  return (method: string, path: string) => callHandler(handler, method, path, { as: teacher });
}

describe("DELETE /exams/{examId}/files/{fileId}", () => {
  it("removes a ready file: 204, both objects gone, no longer listed or downloadable, the exam's version +2 (admitted, then counted down)", async () => {
    const { examId, fileId } = await draftWithFile(true);
    expect(await objects(examId, fileId)).toEqual({ ready: true, pending: true });
    const before = await version(examId);
    const res = await del(examId, fileId);
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    expect(await objects(examId, fileId)).toEqual({ ready: false, pending: false });
    expect(await record(examId, fileId)).toBeUndefined();
    expect((await api.call("GET", `/exams/${examId}/files/${fileId}`, { as: teacher })).status).toBe(404);
    expect((await api.call("GET", `/exams/${examId}/files`, { as: teacher })).body.items).toEqual([]);
    expect(await version(examId)).toBe(before + 2);
  });

  it("removes a pending record whose upload was never made (an expired URL): 204, and complete is then a 404", async () => {
    const { examId } = await api.draft();
    const started = await api.call("POST", `/exams/${examId}/files`, { as: teacher, body: { fileName: "late.pdf", contentType: "application/pdf", size: 100 } });
    const fileId = started.body.file.fileId;
    expect((await del(examId, fileId)).status).toBe(204);
    expect((await api.call("POST", `/exams/${examId}/files/${fileId}/complete`, { as: teacher })).status).toBe(404);
  });

  it("an unknown file, a file of another exam and a file already removed are 404s; nothing is written for them", async () => {
    const a = await draftWithFile(false);
    const b = await draftWithFile(false);
    const before = await version(a.examId);
    expect((await del(a.examId, b.fileId)).status).toBe(404);
    expect((await del(a.examId, "01ARZ3NDEKTSV4RRFFQ69G5FAV")).status).toBe(404);
    expect(await version(a.examId)).toBe(before);
    expect(await record(b.examId, b.fileId)).toBeDefined();
    expect((await del(b.examId, b.fileId)).status).toBe(204);
    expect((await del(b.examId, b.fileId)).status).toBe(404);
  });

  it("a published exam's file is a 409 read-only (the other read-only refusals' type); its record and objects stay", async () => {
    const { examId, fileId } = await draftWithFile(true);
    expect((await api.call("POST", `/exams/${examId}/publish`, { as: teacher })).status).toBe(200);
    expect(await del(examId, fileId)).toMatchObject({ status: 409, body: { type: READ_ONLY } });
    expect(await objects(examId, fileId)).toEqual({ ready: true, pending: true });
    expect((await api.call("GET", `/exams/${examId}/files/${fileId}`, { as: student })).status).toBe(200);
  });

  it("If-Match: * removes the file; an entity tag is a 412 (files have no version), after the 404 and 409 checks, with nothing written", async () => {
    const { examId, fileId } = await draftWithFile(false);
    const before = await version(examId);
    for (const tag of ['"1"', `"${before}"`, 'W/"2"', '"abc"']) {
      expect(await del(examId, fileId, { "if-match": tag }), tag).toMatchObject({ status: 412, body: { title: "Precondition Failed" } });
    }
    expect(await version(examId)).toBe(before);
    expect(await record(examId, fileId)).toMatchObject({ status: "pending" });
    expect((await del(examId, "01ARZ3NDEKTSV4RRFFQ69G5FAV", { "if-match": '"1"' })).status).toBe(404);
    expect((await del(examId, fileId, { "if-match": "not a tag" })).status).toBe(422);
    expect((await del(examId, fileId, { "if-match": "*" })).status).toBe(204);

    const published = await draftWithFile(false);
    expect((await api.call("POST", `/exams/${published.examId}/publish`, { as: teacher })).status).toBe(200);
    expect(await del(published.examId, published.fileId, { "if-match": '"1"' })).toMatchObject({ status: 409, body: { type: READ_ONLY } });
  });

  it(
    `frees its slot under the ${MAX_FILES}-files cap: at the cap, a removed file makes room for exactly one more`,
    async () => {
      const { examId } = await api.draft("Full");
      const file = { fileName: "a.pdf", contentType: "application/pdf", size: 10 };
      const ids: string[] = [];
      for (let i = 0; i < MAX_FILES; i++) {
        const res = await api.call("POST", `/exams/${examId}/files`, { as: teacher, body: file });
        expect(res.status).toBe(201);
        ids.push(res.body.file.fileId);
      }
      expect((await api.call("POST", `/exams/${examId}/files`, { as: teacher, body: file })).body).toMatchObject({ type: "tag:exambuddy,2026:limit-reached" });
      expect((await del(examId, ids[0]!)).status).toBe(204);
      expect((await api.call("POST", `/exams/${examId}/files`, { as: teacher, body: file })).status).toBe(201);
      expect((await api.call("POST", `/exams/${examId}/files`, { as: teacher, body: file })).body).toMatchObject({ status: 409, limit: MAX_FILES });
    },
    SLOW,
  );
});

describe("two DELETEs of one file: one 204, one 404, one slot given back", () => {
  it.each([
    ["both read it before either marked it (the second is held at its mark)", atMark],
    ["the first had marked it and removed its objects (it is held at the record's delete)", atRecordDelete],
  ])("%s", async (_, at) => {
    const { examId, fileId } = await draftWithFile(true);
    const count = await fileSeq(examId);
    const gate = api.hold(at(fileId));
    const first = del(examId, fileId);
    await gate.reached;
    expect((await del(examId, fileId)).status).toBe(204);
    gate.release();
    expect((await first).status).toBe(404);
    expect(await fileSeq(examId)).toBe(count - 1);
    expect(await objects(examId, fileId)).toEqual({ ready: false, pending: false });
  });
});

describe("DELETE racing complete: complete never leaves a ready record or a files/ copy of a removed file", () => {
  it("the DELETE lands while complete is between its copy and marking the record ready: complete is a 404, no copy stays", async () => {
    const { examId, fileId } = await draftWithFile(false);
    const gate = api.hold(atMarkReady(fileId));
    const completing = api.call("POST", `/exams/${examId}/files/${fileId}/complete`, { as: teacher });
    await gate.reached;
    expect((await del(examId, fileId)).status).toBe(204);
    gate.release();
    expect((await completing).status).toBe(404);
    expect(await record(examId, fileId)).toBeUndefined();
    expect(await objects(examId, fileId)).toEqual({ ready: false, pending: false });
  });

  it("the DELETE runs whole just before complete's copy (the upload is gone): complete is a 404 naming the file, not a 409 'start a new upload'", async () => {
    const { examId, fileId } = await draftWithFile(false);
    let beforeCopy: (() => Promise<void>) | undefined;
    const call = await appWithS3((real) => ({ copy: async (...args) => (await beforeCopy?.(), real.copy(...args)) }));
    beforeCopy = async () => {
      beforeCopy = undefined;
      expect((await del(examId, fileId)).status).toBe(204);
    };
    const res = await call("POST", `/exams/${examId}/files/${fileId}/complete`);
    expect(res).toMatchObject({ status: 404, body: { detail: `No file ${fileId}` } });
    expect(await objects(examId, fileId)).toEqual({ ready: false, pending: false });
  });

  it("complete's copy lands after the DELETE removed files/ and before it removes the record: complete is a 404 and removes the copy", async () => {
    // The DELETE's files/ delete is done; its pending/ delete (and so the record's) waits until complete
    // answered. Without the record's `deleting` mark, complete would make it ready (200) and the record's
    // removal would then leave the copy under files/ forever.
    let deleted!: () => void;
    let completed!: () => void;
    const readyDeleted = new Promise<void>((r) => (deleted = r));
    const completeAnswered = new Promise<void>((r) => (completed = r));
    let beforeCopy: (() => Promise<void>) | undefined;
    const call = await appWithS3((real) => ({
      copy: async (...args) => (await beforeCopy?.(), real.copy(...args)),
      delete: async (bucket, key) => {
        if (key.startsWith("pending/")) await completeAnswered;
        await real.delete(bucket, key);
        if (key.startsWith("files/")) deleted();
      },
    }));
    const { examId, fileId } = await draftWithFile(false);
    let deleting!: Promise<{ status: number }>;
    beforeCopy = async () => {
      beforeCopy = undefined;
      deleting = call("DELETE", `/exams/${examId}/files/${fileId}`);
      await readyDeleted;
    };
    const res = await call("POST", `/exams/${examId}/files/${fileId}/complete`);
    completed();
    expect(res.status).toBe(404);
    expect((await deleting).status).toBe(204);
    expect(await record(examId, fileId)).toBeUndefined();
    expect(await objects(examId, fileId)).toEqual({ ready: false, pending: false });
  });
});

describe("DELETE racing publish: a file sealed by the publish stays, one marked before the seal goes", () => {
  it("the publish seals the record before the DELETE marks it: 409 read-only, the published file and its objects intact", async () => {
    const { examId, fileId } = await draftWithFile(true);
    const gate = api.hold(atMark(fileId));
    const deleting = del(examId, fileId);
    await gate.reached;
    expect((await api.call("POST", `/exams/${examId}/publish`, { as: teacher })).status).toBe(200);
    gate.release();
    expect(await deleting).toMatchObject({ status: 409, body: { type: READ_ONLY } });
    expect(await record(examId, fileId)).toMatchObject({ status: "ready", sealed: true });
    expect(await objects(examId, fileId)).toEqual({ ready: true, pending: true });
    const link = await api.call("GET", `/exams/${examId}/files/${fileId}`, { as: student });
    expect(link.status).toBe(200);
    expect((await fetch(link.body.url)).status).toBe(200);
  });

  it("the DELETE marks the record before the publish seals it: 204, and the published exam has no such file", async () => {
    const { examId, fileId } = await draftWithFile(true);
    const marking = api.hold(atMark(fileId));
    const deleting = del(examId, fileId);
    await marking.reached; // admitted while a draft
    const sealing = api.hold(atSeal(fileId));
    const publishing = api.call("POST", `/exams/${examId}/publish`, { as: teacher });
    await sealing.reached; // the exam is `publishing`
    marking.release();
    expect((await deleting).status).toBe(204);
    sealing.release();
    expect((await publishing).status).toBe(200);
    expect((await api.call("GET", `/exams/${examId}/files`, { as: student })).body.items).toEqual([]);
    expect((await api.call("GET", `/exams/${examId}/files/${fileId}`, { as: student })).status).toBe(404);
    expect(await objects(examId, fileId)).toEqual({ ready: false, pending: false });
  });

  it("a publish that runs whole while the DELETE removes the objects: students never see the file, and the DELETE ends with 204", async () => {
    const { examId, fileId } = await draftWithFile(true);
    const gate = api.hold(atRecordDelete(fileId));
    const deleting = del(examId, fileId);
    await gate.reached; // marked, objects removed, record not yet
    expect((await api.call("POST", `/exams/${examId}/publish`, { as: teacher })).status).toBe(200);
    expect((await api.call("GET", `/exams/${examId}/files`, { as: student })).body.items).toEqual([]);
    expect((await api.call("GET", `/exams/${examId}/files/${fileId}`, { as: student })).status).toBe(404);
    gate.release();
    expect((await deleting).status).toBe(204);
    expect(await record(examId, fileId)).toBeUndefined();
  });
});

describe("a DELETE that S3 stopped half-way", () => {
  const s3Failure = () => Object.assign(new Error("We encountered an internal error"), { name: "InternalError", $metadata: { httpStatusCode: 500 } });

  it("is a 502 that leaves the record naming the objects (hidden from readers), and the next DELETE finishes it, even after a publish", async () => {
    let failing = true;
    const call = await appWithS3((real) => ({
      delete: async (bucket, key) => {
        if (failing && key.startsWith("pending/")) throw s3Failure();
        await real.delete(bucket, key);
      },
    }));
    const { examId, fileId } = await draftWithFile(true);
    expect((await call("DELETE", `/exams/${examId}/files/${fileId}`)).status).toBe(502);
    expect(await record(examId, fileId)).toMatchObject({ status: "deleting" });
    expect(await objects(examId, fileId)).toEqual({ ready: false, pending: true });
    expect((await api.call("GET", `/exams/${examId}/files`, { as: teacher })).body.items).toEqual([]);
    expect((await api.call("GET", `/exams/${examId}/files/${fileId}`, { as: teacher })).status).toBe(404);
    // Admitted while a draft: the exam published since does not stop the retry from finishing it.
    expect((await api.call("POST", `/exams/${examId}/publish`, { as: teacher })).status).toBe(200);
    failing = false;
    expect((await call("DELETE", `/exams/${examId}/files/${fileId}`)).status).toBe(204);
    expect(await record(examId, fileId)).toBeUndefined();
    expect(await objects(examId, fileId)).toEqual({ ready: false, pending: false });
  });
});

describe("a complete that crashed between its copy to files/ and the ready mark leaves no orphan", () => {
  // The Lambda stops (a timeout, the process exits) once CopyObject has landed: no catch runs, the record
  // stays `pending` and the files/ copy has nothing naming it ready. Simulated by an S3 client whose copy
  // lands and then throws an error that is no HttpError (the route keeps a copy for a 5xx's retry).
  const crash = () => Object.assign(new Error("Task timed out after 10.00 seconds"), { name: "Sandbox.Timedout" });
  const crashingAfterCopy = () => appWithS3((real) => ({ copy: async (...args) => (await real.copy(...args), Promise.reject(crash())) }));

  async function crashedComplete(): Promise<{ examId: string; fileId: string }> {
    const call = await crashingAfterCopy();
    const { examId, fileId } = await draftWithFile(false);
    expect((await call("POST", `/exams/${examId}/files/${fileId}/complete`)).status).toBe(500);
    expect(await record(examId, fileId)).toMatchObject({ status: "pending" });
    expect(await objects(examId, fileId)).toEqual({ ready: true, pending: true });
    return { examId, fileId };
  }

  it("the file then DELETEd: 204 and both objects gone, though the record never said `ready`", async () => {
    const { examId, fileId } = await crashedComplete();
    expect((await del(examId, fileId)).status).toBe(204);
    expect(await objects(examId, fileId)).toEqual({ ready: false, pending: false });
  });

  it("the exam then DELETEd: 204 and both objects gone", async () => {
    const { examId, fileId } = await crashedComplete();
    expect((await api.call("DELETE", `/exams/${examId}`, { as: teacher })).status).toBe(204);
    expect(await objects(examId, fileId)).toEqual({ ready: false, pending: false });
  });

  it("the exam then published: the sealed pending record never becomes ready, so the publish removes its files/ copy (was: kept forever, a published exam can't be deleted)", async () => {
    const { examId, fileId } = await crashedComplete();
    expect((await api.call("POST", `/exams/${examId}/publish`, { as: teacher })).status).toBe(200);
    expect(await record(examId, fileId)).toMatchObject({ status: "pending", sealed: true });
    expect((await objects(examId, fileId)).ready).toBe(false);
    expect((await api.call("GET", `/exams/${examId}/files`, { as: student })).body.items).toEqual([]);
  });

  it("a publish that ran whole before the copy, then the complete retried: 409 read-only and no files/ copy (was: the copy kept forever)", async () => {
    // The complete found the exam a draft; the publish sealed the record and found no copy to remove; then the
    // copy landed and the Lambda stopped. Only the retry of the complete can still see it.
    let beforeCopy: (() => Promise<void>) | undefined;
    const call = await appWithS3((real) => ({ copy: async (...args) => (await beforeCopy?.(), await real.copy(...args), Promise.reject(crash())) }));
    const { examId, fileId } = await draftWithFile(false);
    beforeCopy = async () => {
      beforeCopy = undefined;
      expect((await api.call("POST", `/exams/${examId}/publish`, { as: teacher })).status).toBe(200);
    };
    expect((await call("POST", `/exams/${examId}/files/${fileId}/complete`)).status).toBe(500);
    expect((await objects(examId, fileId)).ready).toBe(true);
    expect(await api.call("POST", `/exams/${examId}/files/${fileId}/complete`, { as: teacher })).toMatchObject({ status: 409, body: { type: READ_ONLY } });
    expect((await objects(examId, fileId)).ready).toBe(false);
    expect(await record(examId, fileId)).toMatchObject({ status: "pending", sealed: true });
  });

  it("a publish whose removal of the copy fails is a 502 that leaves the exam `publishing`; the next publish removes it and publishes", async () => {
    const { examId, fileId } = await crashedComplete();
    let failing = true;
    const call = await appWithS3((real) => ({
      delete: async (bucket, key) => (failing ? Promise.reject(Object.assign(new Error("We encountered an internal error"), { name: "InternalError", $metadata: { httpStatusCode: 500 } })) : real.delete(bucket, key)),
    }));
    expect((await call("POST", `/exams/${examId}/publish`)).status).toBe(502);
    expect((await api.call("GET", `/exams/${examId}`, { as: teacher })).body.status).toBe("publishing");
    expect((await objects(examId, fileId)).ready).toBe(true);
    failing = false;
    expect((await call("POST", `/exams/${examId}/publish`)).status).toBe(200);
    expect((await objects(examId, fileId)).ready).toBe(false);
  });

  it("a ready file is kept by the publish: its copy is what students download", async () => {
    const { examId, fileId } = await draftWithFile(true);
    expect((await api.call("POST", `/exams/${examId}/publish`, { as: teacher })).status).toBe(200);
    expect(await objects(examId, fileId)).toEqual({ ready: true, pending: true });
  });
});

describe("starting an upload (or adding a question) racing the exam's DELETE or publish", () => {
  const atFilePut = (op: string, input: any) => op === "put" && String(input.Item?.SK).startsWith("FILE#");

  it("the DELETE runs whole between the admission and the record's put: the POST is a 404 and leaves no record (was: 201, and a record under a deleted exam forever)", async () => {
    const { examId } = await api.draft();
    const gate = api.hold(atFilePut);
    const starting = api.call("POST", `/exams/${examId}/files`, { as: teacher, body: { fileName: "late.pdf", contentType: "application/pdf", size: 10 } });
    await gate.reached;
    expect((await api.call("DELETE", `/exams/${examId}`, { as: teacher })).status).toBe(204);
    gate.release();
    expect(await starting).toMatchObject({ status: 404 });
    const left = await api.db.query({ TableName: api.store.tableName, KeyConditionExpression: "PK = :pk", ExpressionAttributeValues: { ":pk": `EXAM#${examId}` }, ConsistentRead: true });
    expect(left.Items ?? []).toEqual([]);
  });

  it("a question add in the same spot is a 404 too, as the exam is gone, not a 409 'published' (was: 409 read-only)", async () => {
    const { examId } = await api.draft();
    const gate = api.hold((op, input) => op === "put" && String(input.Item?.SK).startsWith("Q#"));
    const adding = api.call("POST", `/exams/${examId}/questions`, { as: teacher, body: question(1) });
    await gate.reached;
    expect((await api.call("DELETE", `/exams/${examId}`, { as: teacher })).status).toBe(204);
    gate.release();
    expect(await adding).toMatchObject({ status: 404, body: { detail: `No exam ${examId}` } });
    const left = await api.db.query({ TableName: api.store.tableName, KeyConditionExpression: "PK = :pk", ExpressionAttributeValues: { ":pk": `EXAM#${examId}` }, ConsistentRead: true });
    expect(left.Items ?? []).toEqual([]);
  });

  it("a publish that runs whole between the admission and the record's put: 409 read-only and no record the published exam could neither complete nor delete (was: 201)", async () => {
    const { examId } = await api.draft();
    expect((await api.call("POST", `/exams/${examId}/questions`, { as: teacher, body: question(1) })).status).toBe(201);
    const gate = api.hold(atFilePut);
    const starting = api.call("POST", `/exams/${examId}/files`, { as: teacher, body: { fileName: "late.pdf", contentType: "application/pdf", size: 10 } });
    await gate.reached;
    expect((await api.call("POST", `/exams/${examId}/publish`, { as: teacher })).status).toBe(200);
    gate.release();
    expect(await starting).toMatchObject({ status: 409, body: { type: READ_ONLY } });
    expect((await api.call("GET", `/exams/${examId}/files`, { as: teacher })).body.items).toEqual([]);
  });

  it("a publish that sealed the record before the POST checked: the 201 stands, the file is part of the published exam", async () => {
    const { examId } = await api.draft();
    expect((await api.call("POST", `/exams/${examId}/questions`, { as: teacher, body: question(1) })).status).toBe(201);
    let examReads = 0;
    // The POST reads the exam for its owner check, then once after its put: hold that one.
    const gate = api.hold((op, input) => op === "get" && input.Key?.PK === `EXAM#${examId}` && input.Key?.SK === "EXAM" && ++examReads === 2);
    const starting = api.call("POST", `/exams/${examId}/files`, { as: teacher, body: { fileName: "late.pdf", contentType: "application/pdf", size: 10 } });
    await gate.reached;
    expect((await api.call("POST", `/exams/${examId}/publish`, { as: teacher })).status).toBe(200);
    gate.release();
    const res = await starting;
    expect(res.status).toBe(201);
    expect(await record(examId, res.body.file.fileId)).toMatchObject({ status: "pending", sealed: true });
  });
});

describe("a record taken back after a failed check-in read, while a DELETE of it runs", () => {
  // The check-in read after the put fails (a 5xx), so the add takes its record back and gives its slot back.
  // Meanwhile the teacher, who sees the pending record listed, DELETEs it: that DELETE gives the slot back too.
  // A take-back that finds the record already gone must not give it back a second time: the count would err
  // low, a looser cap (deleteFile's rule: it only ever errs high).
  const dbError = () => Object.assign(new Error("Internal server error"), { name: "InternalServerError", $metadata: { httpStatusCode: 500 } });
  const atTakeBack = (sk: string) => (op: string, input: any) => op === "delete" && String(input.Key?.SK).startsWith(sk) && /sealed/.test(input.ConditionExpression ?? "");

  it("a file: the slot is given back once (was: twice, one file listed and fileSeq 0, so a 101st file got in)", async () => {
    const { examId } = await api.draft();
    await fileOf(examId, false);
    let put = false;
    api.fail((op, input) => {
      if (op === "put" && String(input.Item?.SK).startsWith("FILE#")) put = true;
      return put && op === "get" && input.Key?.SK === "EXAM";
    }, dbError());
    const gate = api.hold(atTakeBack("FILE#"));
    const starting = api.call("POST", `/exams/${examId}/files`, { as: teacher, body: { fileName: "b.pdf", contentType: "application/pdf", size: 10 } });
    await gate.reached;
    const listed = (await api.call("GET", `/exams/${examId}/files`, { as: teacher })).body.items as Array<{ fileId: string; fileName: string }>;
    expect((await del(examId, listed.find((f) => f.fileName === "b.pdf")!.fileId)).status).toBe(204);
    gate.release();
    expect((await starting).status).toBeGreaterThanOrEqual(500);
    expect((await api.call("GET", `/exams/${examId}/files`, { as: teacher })).body.items).toHaveLength(1);
    expect(await fileSeq(examId)).toBe(1);
  });

  it("a question: counted down once (was: twice, one question listed and questionCount 0, so the exam could not be published)", async () => {
    const { examId } = await api.draft();
    expect((await api.call("POST", `/exams/${examId}/questions`, { as: teacher, body: question(1) })).status).toBe(201);
    let put = false;
    api.fail((op, input) => {
      if (op === "put" && String(input.Item?.SK).startsWith("Q#")) put = true;
      return put && op === "get" && input.Key?.SK === "EXAM";
    }, dbError());
    const gate = api.hold(atTakeBack("Q#"));
    const adding = api.call("POST", `/exams/${examId}/questions`, { as: teacher, body: question(2) });
    await gate.reached;
    const listed = (await api.call("GET", `/exams/${examId}/questions`, { as: teacher })).body.items as Array<{ questionId: string; text: string }>;
    expect((await api.call("DELETE", `/exams/${examId}/questions/${listed.find((q) => q.text === "Q2")!.questionId}`, { as: teacher })).status).toBe(204);
    gate.release();
    expect((await adding).status).toBeGreaterThanOrEqual(500);
    expect((await api.call("GET", `/exams/${examId}`, { as: teacher })).body.questionCount).toBe(1);
    expect((await api.call("POST", `/exams/${examId}/publish`, { as: teacher })).status).toBe(200);
  });

  it("a file a publish sealed before the take-back is part of the exam: 201, as a question's add answers (was: the read's 5xx for a record that stays)", async () => {
    const { examId } = await api.draft();
    let put = false;
    api.fail((op, input) => {
      if (op === "put" && String(input.Item?.SK).startsWith("FILE#")) put = true;
      return put && op === "get" && input.Key?.SK === "EXAM";
    }, dbError());
    const gate = api.hold(atTakeBack("FILE#"));
    const starting = api.call("POST", `/exams/${examId}/files`, { as: teacher, body: { fileName: "c.pdf", contentType: "application/pdf", size: 10 } });
    await gate.reached;
    // What a publish's seal does to the record between the put and the take-back.
    const [written] = (await api.call("GET", `/exams/${examId}/files`, { as: teacher })).body.items as Array<{ fileId: string }>;
    await api.db.update({ TableName: api.store.tableName, Key: fileKey(examId, written!.fileId), UpdateExpression: "SET sealed = :true", ExpressionAttributeValues: { ":true": true } });
    gate.release();
    expect((await starting).status).toBe(201);
    expect(await record(examId, written!.fileId)).toMatchObject({ sealed: true });
  });
});

describe("complete on a published exam never removes the copy of a file that is ready", () => {
  it("a complete that read the record pending, while a retry of it marked the file ready before the publish sealed it: the copy stays (was: deleted, the published file downloads nothing)", async () => {
    const { examId, fileId } = await draftWithFile(false);
    let sawRecord = false;
    // The first complete has read the record (pending); hold its next read of the exam.
    const gate = api.hold((op, input) => {
      if (op === "get" && input.Key?.SK === `FILE#${fileId}`) sawRecord = true;
      return sawRecord && op === "get" && input.Key?.SK === "EXAM";
    });
    const first = api.call("POST", `/exams/${examId}/files/${fileId}/complete`, { as: teacher });
    await gate.reached;
    expect(await api.call("POST", `/exams/${examId}/files/${fileId}/complete`, { as: teacher })).toMatchObject({ status: 200, body: { status: "ready" } });
    expect((await api.call("POST", `/exams/${examId}/publish`, { as: teacher })).status).toBe(200);
    gate.release();
    expect(await first).toMatchObject({ status: 200, body: { status: "ready" } });
    expect(await record(examId, fileId)).toMatchObject({ status: "ready", sealed: true });
    expect((await objects(examId, fileId)).ready).toBe(true);
    const link = await api.call("GET", `/exams/${examId}/files/${fileId}`, { as: student });
    expect(link.status).toBe(200);
    expect((await fetch(link.body.url)).status).toBe(200);
  }, SLOW);
});
