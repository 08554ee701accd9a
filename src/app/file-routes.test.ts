// The file routes end to end (test-api: the app over dynalite and s3rver): what the routes do with names
// and with an upload whose exam goes away while it is being completed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handle } from "lambdalith";
import { createApp } from "./app.ts";
import { createFiles, readyKey } from "./files.ts";
import { fileKey } from "./store/keys.ts";
import { callHandler, createTestApi, pdfBytes, question, teacher, type TestApi } from "./test-api.ts";

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi("file-routes");
});
afterAll(() => api.drop());

/** A draft with one uploaded (not yet completed) PDF: its ids. */
async function uploaded(fileName = "paper.pdf"): Promise<{ examId: string; fileId: string }> {
  const { examId } = await api.draft();
  const bytes = pdfBytes();
  const res = await api.call("POST", `/exams/${examId}/files`, { as: teacher, body: { fileName, contentType: "application/pdf", size: bytes.length } });
  expect(res.status).toBe(201);
  expect((await fetch(res.body.upload.url, { method: "PUT", headers: res.body.upload.headers, body: bytes })).status).toBe(200);
  return { examId, fileId: res.body.file.fileId };
}

describe("file names are well-formed Unicode", () => {
  it("a name with a lone surrogate (JSON's \\ud800) is a 422 naming body.fileName (was: stored, and every download of it a 500)", async () => {
    const { examId } = await api.draft();
    const res = await api.call("POST", `/exams/${examId}/files`, {
      as: teacher,
      raw: JSON.stringify({ fileName: "a\ud800.pdf", contentType: "application/pdf", size: 10 }),
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ path: "body.fileName", message: "Must be well-formed Unicode text (no lone surrogate)" }]);
  });

  it("a file whose name was stored with one before still downloads (U+FFFD in Content-Disposition)", async () => {
    const { examId, fileId } = await uploaded();
    expect((await api.call("POST", `/exams/${examId}/files/${fileId}/complete`, { as: teacher })).status).toBe(200);
    await api.db.update({
      TableName: api.store.tableName,
      Key: fileKey(examId, fileId),
      UpdateExpression: "SET fileName = :name",
      ExpressionAttributeValues: { ":name": "a\ud800.pdf" },
    });
    const res = await api.call("GET", `/exams/${examId}/files/${fileId}`, { as: teacher });
    expect(res.status).toBe(200);
    const got = await fetch(res.body.url);
    expect(got.status).toBe(200);
    expect(got.headers.get("content-disposition")).toBe(`attachment; filename="a_.pdf"; filename*=UTF-8''a%EF%BF%BD.pdf`);
  });
});

describe("a completed file carries only the headers the server chose", () => {
  // The pre-signed PUT signs host, content-type and content-length; S3 takes any other standard header as
  // sent (only x-amz-* ones must be signed) and stores it with the object. CopyObject with COPY kept it.
  it("Content-Encoding, Cache-Control, Content-Language and Expires sent with the PUT do not reach downloads (was: copied to files/ and served)", async () => {
    const { examId } = await api.draft();
    const bytes = pdfBytes();
    const res = await api.call("POST", `/exams/${examId}/files`, { as: teacher, body: { fileName: "paper.pdf", contentType: "application/pdf", size: bytes.length } });
    const extra = { "content-encoding": "gzip", "cache-control": "public, max-age=31536000", "content-language": "xx", expires: "Thu, 01 Jan 2037 00:00:00 GMT" };
    expect((await fetch(res.body.upload.url, { method: "PUT", headers: { ...res.body.upload.headers, ...extra }, body: bytes })).status).toBe(200);
    expect((await api.call("POST", `/exams/${examId}/files/${res.body.file.fileId}/complete`, { as: teacher })).status).toBe(200);

    const link = await api.call("GET", `/exams/${examId}/files/${res.body.file.fileId}`, { as: teacher });
    const got = await fetch(link.body.url);
    expect(got.status).toBe(200);
    // A browser told "gzip" would try to inflate the checked %PDF- bytes (a broken download), or inflate bytes
    // that never were what the first-bytes check saw.
    expect({
      "content-encoding": got.headers.get("content-encoding"),
      "cache-control": got.headers.get("cache-control"),
      "content-language": got.headers.get("content-language"),
      expires: got.headers.get("expires"),
    }).toEqual({ "content-encoding": null, "cache-control": null, "content-language": null, expires: null });
    expect(got.headers.get("content-type")).toBe("application/pdf");
    expect(Buffer.from(await got.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe("a copy no record will name is removed", () => {
  // Complete copies pending/ → files/ and then marks the record ready. A DELETE of the draft (which removes
  // the objects, then the records) or a publish (which seals the record: it never becomes ready) can land
  // in between; the copy made then belonged to nothing, under files/, which no lifecycle rule expires.
  const heldAtMarkReady = (fileId: string) => api.hold((op, input) => op === "update" && input.Key?.SK === `FILE#${fileId}` && /:ready/.test(input.UpdateExpression));

  it("the draft deleted while complete copies: complete answers 404 and leaves no files/ object (was: kept forever)", async () => {
    // The DELETE lands after complete found the exam a draft and before its copy: S3 calls have no hook in
    // test-api, so this app's copy waits for the DELETE.
    let beforeCopy: (() => Promise<void>) | undefined;
    const real = await api.files.s3();
    const files = createFiles({ bucket: api.files.bucket, s3: async () => ({ ...real, copy: async (...args) => (await beforeCopy?.(), real.copy(...args)) }) });
    const handler = handle(createApp({ services: () => ({ store: api.store, files }), stage: "test", log: () => undefined }));
    const { examId, fileId } = await uploaded();
    beforeCopy = async () => {
      beforeCopy = undefined;
      expect((await api.call("DELETE", `/exams/${examId}`, { as: teacher })).status).toBe(204);
    };
    expect((await callHandler(handler, "POST", `/exams/${examId}/files/${fileId}/complete`, { as: teacher })).status).toBe(404);
    expect(await real.head(api.files.bucket, readyKey(examId, fileId))).toBeNull();
  });

  it("the copy landing between DELETE's removal of files/ and of pending/: complete answers 404 and removes it (was: 200, and the copy kept forever)", async () => {
    // DELETE removes both objects of a file at once; here its files/ delete is done and its pending/ delete
    // waits until complete's copy has landed and complete has answered.
    const real = await api.files.s3();
    let deleted!: () => void;
    let completed!: () => void;
    const readyDeleted = new Promise<void>((r) => (deleted = r));
    const completeAnswered = new Promise<void>((r) => (completed = r));
    let beforeCopy: (() => Promise<void>) | undefined;
    const files = createFiles({
      bucket: api.files.bucket,
      s3: async () => ({
        ...real,
        copy: async (...args) => (await beforeCopy?.(), real.copy(...args)),
        delete: async (bucket, key) => {
          if (key.startsWith("pending/")) await completeAnswered;
          await real.delete(bucket, key);
          if (key.startsWith("files/")) deleted();
        },
      }),
    });
    const handler = handle(createApp({ services: () => ({ store: api.store, files }), stage: "test", log: () => undefined }));
    const { examId, fileId } = await uploaded();
    let deleting!: Promise<{ status: number }>;
    beforeCopy = async () => {
      beforeCopy = undefined;
      deleting = callHandler(handler, "DELETE", `/exams/${examId}`, { as: teacher });
      await readyDeleted;
    };
    const res = await callHandler(handler, "POST", `/exams/${examId}/files/${fileId}/complete`, { as: teacher });
    completed();
    expect(res.status).toBe(404);
    expect((await deleting).status).toBe(204);
    expect(await real.head(api.files.bucket, readyKey(examId, fileId))).toBeNull();
  });

  it("the draft deleted after complete found its file, before it checked the exam is a draft: 404, not 409 'The exam was published'", async () => {
    const { examId, fileId } = await uploaded();
    // Complete reads the exam twice: ownExam, then the draft check after the file record. Hold the second.
    let examReads = 0;
    const gate = api.hold((op, input) => op === "get" && input.Key?.PK === `EXAM#${examId}` && input.Key?.SK === "EXAM" && ++examReads === 2);
    const completing = api.call("POST", `/exams/${examId}/files/${fileId}/complete`, { as: teacher });
    await gate.reached;
    expect((await api.call("DELETE", `/exams/${examId}`, { as: teacher })).status).toBe(204);
    gate.release();
    expect(await completing).toMatchObject({ status: 404, body: { detail: `No exam ${examId}` } });
  });

  it("the exam published while complete copies: 409 read-only and no files/ object for the sealed pending record", async () => {
    const { examId, fileId } = await uploaded();
    expect((await api.call("POST", `/exams/${examId}/questions`, { as: teacher, body: question(1) })).status).toBe(201);
    const gate = heldAtMarkReady(fileId);
    const completing = api.call("POST", `/exams/${examId}/files/${fileId}/complete`, { as: teacher });
    await gate.reached;
    expect((await api.call("POST", `/exams/${examId}/publish`, { as: teacher })).status).toBe(200);
    gate.release();
    expect(await completing).toMatchObject({ status: 409, body: { type: "tag:exambuddy,2026:read-only" } });
    const s3 = await api.files.s3();
    expect(await s3.head(api.files.bucket, readyKey(examId, fileId))).toBeNull();
  });
});
