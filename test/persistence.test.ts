// `npm start` keeps its data in .local/: what one run wrote, the next run reads (dynalite's LevelDB is
// closed cleanly on shutdown, s3rver keeps its files). Here in a temp directory instead of .local/.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startLocalApi } from "../src/dev/local-api.ts";

const TEACHER = { authorization: "Bearer dev.teacher.t-persist", "content-type": "application/json" };

describe("local data survives a restart", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "exambuddy-persist-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("finds the exam and the uploaded bytes written before the restart", async () => {
    const first = await startLocalApi({ port: 0, dataDir, log: () => {} });
    let examId: string;
    let fileId: string;
    const bytes = new Uint8Array(Buffer.from("%PDF-1.4\npersisted\n%%EOF\n"));
    try {
      examId = ((await (await fetch(`${first.url}/exams`, { method: "POST", headers: TEACHER, body: JSON.stringify({ title: "Kept", durationMinutes: 10 }) })).json()) as { examId: string }).examId;
      const started = (await (await fetch(`${first.url}/exams/${examId}/files`, { method: "POST", headers: TEACHER, body: JSON.stringify({ fileName: "a.pdf", contentType: "application/pdf", size: bytes.length }) })).json()) as { file: { fileId: string }; upload: { url: string } };
      fileId = started.file.fileId;
      expect((await fetch(started.upload.url, { method: "PUT", headers: { "content-type": "application/pdf" }, body: bytes })).status).toBe(200);
      expect((await fetch(`${first.url}/exams/${examId}/files/${fileId}/complete`, { method: "POST", headers: TEACHER })).status).toBe(200);
    } finally {
      await first.close();
    }

    const second = await startLocalApi({ port: 0, dataDir, log: () => {} });
    try {
      const exam = await fetch(`${second.url}/exams/${examId}`, { headers: TEACHER });
      expect(exam.status).toBe(200);
      expect(await exam.json()).toMatchObject({ examId, title: "Kept" });
      const link = (await (await fetch(`${second.url}/exams/${examId}/files/${fileId}`, { headers: TEACHER })).json()) as { url: string };
      expect(new Uint8Array(await (await fetch(link.url)).arrayBuffer())).toEqual(bytes);
    } finally {
      await second.close();
    }
  }, 60_000);
});
