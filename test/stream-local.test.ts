// `npm start -- --stream`, as a test: ExamBuddy's streaming entry behind the dev server (REST events), the
// results export read with curl -N.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalApi, type LocalApi } from "../src/dev/local-api.ts";

let api: LocalApi;
beforeAll(async () => {
  api = await startLocalApi({ port: 0, source: "rest", entry: "src/app/stream.ts", log: () => {} });
}, 60_000);
afterAll(() => api?.close());

async function call(method: string, path: string, token: string, body?: unknown): Promise<any> {
  const res = await fetch(api.url + path, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return res.status === 204 ? undefined : res.json();
}

describe("ExamBuddy's streaming entry on the dev server", () => {
  it("serves every route through the stream, and the results export to curl -N", async () => {
    const teacher = "dev.teacher.t-stream";
    const exam = await call("POST", "/exams", teacher, { title: "Streamed", durationMinutes: 10 });
    await call("POST", `/exams/${exam.examId}/questions`, teacher, { kind: "single", text: "2+2?", choices: ["4", "5"], correct: 0 });
    expect((await call("POST", `/exams/${exam.examId}/publish`, teacher)).status).toBe("published");
    for (const student of ["s-1", "s-2", "s-3"]) {
      const attempt = await call("POST", `/exams/${exam.examId}/attempts`, `dev.student.${student}`);
      if (student !== "s-3") await call("POST", `/attempts/${attempt.attemptId}/submit`, `dev.student.${student}`);
    }
    const { stdout } = await promisify(execFile)("curl", ["-sN", "-D", "-", "-H", `Authorization: Bearer ${teacher}`, `${api.url}/exams/${exam.examId}/results.csv`], { encoding: "utf8" });
    const [head, csv] = stdout.split("\r\n\r\n");
    expect(head).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(head).toMatch(/content-type: text\/csv; charset=utf-8/i);
    expect(head).toMatch(/transfer-encoding: chunked/i);
    const rows = csv!.trimEnd().split("\r\n");
    expect(rows[0]).toBe("student,status,score,submittedAt,maxScore,attemptId,startedAt,submittedBy");
    expect(rows.slice(1).map((r) => r.split(",").slice(0, 2).join(",")).sort()).toEqual(["s-1,submitted", "s-2,submitted", "s-3,open"]);
    const forbidden = await fetch(`${api.url}/exams/${exam.examId}/results.csv`, { headers: { authorization: "Bearer dev.teacher.t-other" } });
    expect(forbidden.status).toBe(403);
  }, 60_000);
});
