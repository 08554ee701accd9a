// Issue 11, findings 3–5 that are not races: roles from groups, files that are what they claim, S3 cleanup
// of a deleted draft, If-Match: *, names without hidden characters, who acted in the request log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pendingKey, readyKey } from "./files.ts";
import { examKey } from "./store/keys.ts";
import { createTestApi, pdfBytes, question, student, teacher, type TestApi } from "./test-api.ts";

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi("misc");
});
afterAll(() => api.drop());

async function upload(examId: string, fileName: string, contentType: string, bytes: Uint8Array): Promise<string> {
  const res = await api.call("POST", `/exams/${examId}/files`, { as: teacher, body: { fileName, contentType, size: bytes.length } });
  expect(res.status).toBe(201);
  expect((await fetch(res.body.upload.url, { method: "PUT", headers: res.body.upload.headers, body: bytes })).status).toBe(200);
  return res.body.file.fileId;
}

describe("issue 11, finding 3: the role comes from groups", () => {
  it("custom:role grants nothing, whatever it says; groups do", async () => {
    const forged = { sub: "s-forger", "custom:role": "teacher", "cognito:groups": "[student]" };
    expect((await api.call("POST", "/exams", { as: forged, body: { title: "Mine", durationMinutes: 5 } })).status).toBe(403);
    expect((await api.call("GET", "/me", { as: forged })).body.role).toBe("student");
  });
});

describe("issue 11, finding 4: files are what they claim", () => {
  it("setup.exe declared as a PDF is refused; MZ bytes uploaded as scan.pdf are refused at complete", async () => {
    const { examId } = await api.draft("Misc");
    const exe = await api.call("POST", `/exams/${examId}/files`, { as: teacher, body: { fileName: "setup.exe", contentType: "application/pdf", size: 100 } });
    expect(exe).toMatchObject({ status: 422, body: { errors: [{ path: "body.fileName" }] } });

    const mz = new Uint8Array(4096);
    mz.set([0x4d, 0x5a, 0x90, 0x00]);
    const fileId = await upload(examId, "scan.pdf", "application/pdf", mz);
    const done = await api.call("POST", `/exams/${examId}/files/${fileId}/complete`, { as: teacher });
    expect(done).toMatchObject({ status: 422, body: { detail: "The uploaded bytes are not a PDF, as declared (application/pdf)" } });
    const [file] = (await api.call("GET", `/exams/${examId}/files`, { as: teacher })).body.items;
    expect(file).toMatchObject({ fileId, status: "pending" });
    // A real PDF completes.
    const pdf = await upload(examId, "real.pdf", "application/pdf", pdfBytes());
    expect((await api.call("POST", `/exams/${examId}/files/${pdf}/complete`, { as: teacher })).body).toMatchObject({ status: "ready" });
  });
});

describe("issue 11, finding 5: leftovers and small things", () => {
  it("deleting a draft deletes its objects under files/ and pending/", async () => {
    const { examId } = await api.draft("Misc");
    const done = await upload(examId, "a.pdf", "application/pdf", pdfBytes());
    expect((await api.call("POST", `/exams/${examId}/files/${done}/complete`, { as: teacher })).status).toBe(200);
    const pending = await upload(examId, "b.pdf", "application/pdf", pdfBytes());
    const s3 = await api.files.s3();
    const keys = [readyKey(examId, done), pendingKey(examId, done), pendingKey(examId, pending)];
    for (const key of keys) expect(await s3.head(api.files.bucket, key), key).not.toBeNull();
    expect((await api.call("DELETE", `/exams/${examId}`, { as: teacher })).status).toBe(204);
    for (const key of [...keys, readyKey(examId, pending)]) expect(await s3.head(api.files.bucket, key), key).toBeNull();
  });

  it("a DELETE that stopped half-way (status deleting, children left) is finished by the next one; to anyone else it stays a 404 (was: 404 forever, records and objects orphaned)", async () => {
    const { examId } = await api.draft("Misc");
    await api.call("POST", `/exams/${examId}/questions`, { as: teacher, body: question(1) });
    const fileId = await upload(examId, "a.pdf", "application/pdf", pdfBytes());
    // Where a DELETE stops when S3 or the function gives out after its first write.
    await api.db.update({ TableName: api.store.tableName, Key: examKey(examId), UpdateExpression: "SET #s = :d REMOVE GSI1PK, GSI1SK", ExpressionAttributeNames: { "#s": "status" }, ExpressionAttributeValues: { ":d": "deleting" } });
    expect((await api.call("GET", `/exams/${examId}`, { as: teacher })).status).toBe(404);
    const stranger = { ...teacher, sub: "t-stranger" };
    expect((await api.call("DELETE", `/exams/${examId}`, { as: stranger })).status).toBe(404);
    expect((await api.call("DELETE", `/exams/${examId}`, { as: teacher })).status).toBe(204);
    const left = await api.db.query({ TableName: api.store.tableName, KeyConditionExpression: "PK = :pk", ExpressionAttributeValues: { ":pk": examKey(examId).PK } });
    expect(left.Items ?? []).toEqual([]);
    expect(await (await api.files.s3()).head(api.files.bucket, pendingKey(examId, fileId))).toBeNull();
    expect((await api.call("DELETE", `/exams/${examId}`, { as: teacher })).status).toBe(404);
  });

  it("If-Match: * means any current version: no 428, no 422, and a missing exam is still a 404", async () => {
    const { examId } = await api.draft("Misc");
    const any = { "if-match": "*" };
    expect(await api.call("PATCH", `/exams/${examId}`, { as: teacher, body: { title: "Renamed" }, headers: any })).toMatchObject({ status: 200, body: { title: "Renamed", version: 2 } });
    // With a body version as well, the body's version decides (a stale one is a 409).
    expect((await api.call("PATCH", `/exams/${examId}`, { as: teacher, body: { title: "Again", version: 1 }, headers: any })).status).toBe(409);
    expect((await api.call("PATCH", "/me", { as: student, body: { displayName: "Cy" }, headers: any })).status).toBe(200);
    await api.call("POST", `/exams/${examId}/questions`, { as: teacher, body: question(1) });
    expect((await api.call("POST", `/exams/${examId}/publish`, { as: teacher, headers: any })).status).toBe(200);
    const gone = (await api.draft("Misc")).examId;
    expect((await api.call("DELETE", `/exams/${gone}`, { as: teacher, headers: any })).status).toBe(204);
    expect((await api.call("PATCH", `/exams/${gone}`, { as: teacher, body: { title: "x" }, headers: any })).status).toBe(404);
  });

  it("display names and file names refuse CR/LF, bidi overrides and zero-width characters", async () => {
    for (const displayName of ["Ada\r\nAdmin", "Ada\u202Enimda", "Ad\u200Ba"]) {
      const res = await api.call("PATCH", "/me", { as: student, body: { displayName } });
      expect(res.status, JSON.stringify(displayName)).toBe(422);
    }
    const { examId } = await api.draft("Misc");
    for (const fileName of ["notes\n.pdf", "exe.\u202Efdp.pdf", "a\u2066b\u2069.pdf", "a\uFEFF.pdf"]) {
      const res = await api.call("POST", `/exams/${examId}/files`, { as: teacher, body: { fileName, contentType: "application/pdf", size: 10 } });
      expect(res.status, JSON.stringify(fileName)).toBe(422);
    }
    // A name from the token is cleaned, not refused: it is the first display name.
    const me = await api.call("GET", "/me", { as: { sub: "s-named", name: "Eve\n\u202Eadmin\u200B", "cognito:groups": "[student]" } });
    expect(me.body.displayName).toBe("Eveadmin");
  });

  it("the request log names who acted (user id and role), never the token", async () => {
    api.logs.length = 0;
    const token = "eyJhbGciOiJSUzI1NiJ9.secret-token-body.signature";
    await api.call("GET", "/me", { as: teacher, headers: { authorization: `Bearer ${token}` } });
    await api.call("GET", "/health", { headers: { authorization: `Bearer ${token}` } });
    const [me, health] = api.logs.filter((l) => l["message"] === "request");
    expect(me).toMatchObject({ route: "/me", status: 200, userId: "t-ada", role: "teacher" });
    expect(health).toMatchObject({ route: "/health", userId: null, role: null });
    expect(JSON.stringify(api.logs)).not.toContain("secret-token-body");
  });
});
