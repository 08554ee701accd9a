// Who may call what (docs/exambuddy.md §1), route by route, for five callers: no token, a student, the exam's
// teacher, another teacher and a signed-in user with neither role. A draft is hidden from everyone but its
// teacher (404); a published exam is readable, never its answer keys; an attempt belongs to its student and
// the exam's teacher. One table, so that a route whose guard regresses shows up as one changed cell.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, otherStudent, otherTeacher, pdfBytes, question, student, teacher, type Claims, type TestApi } from "./test-api.ts";

let api: TestApi;
const roleless: Claims = { sub: "u-nobody" };
const CALLERS = { anon: undefined, student, owner: teacher, other: otherTeacher, roleless } as const;
type Caller = keyof typeof CALLERS;

let draft: string, draftQ: string, draftFile: string;
let pub: string, pubQ: string, pubFile: string, attempt: string;

async function withFile(examId: string, complete: boolean): Promise<string> {
  const bytes = pdfBytes();
  const res = await api.call("POST", `/exams/${examId}/files`, { as: teacher, body: { fileName: "paper.pdf", contentType: "application/pdf", size: bytes.length } });
  await fetch(res.body.upload.url, { method: "PUT", headers: res.body.upload.headers, body: bytes });
  if (complete) expect((await api.call("POST", `/exams/${examId}/files/${res.body.file.fileId}/complete`, { as: teacher })).status).toBe(200);
  return res.body.file.fileId;
}

beforeAll(async () => {
  api = await createTestApi("access");
  draft = (await api.call("POST", "/exams", { as: teacher, body: { title: "Draft", durationMinutes: 30 } })).body.examId;
  draftQ = (await api.call("POST", `/exams/${draft}/questions`, { as: teacher, body: question(1) })).body.questionId;
  draftFile = await withFile(draft, false);
  pub = (await api.call("POST", "/exams", { as: teacher, body: { title: "Published", durationMinutes: 30 } })).body.examId;
  pubQ = (await api.call("POST", `/exams/${pub}/questions`, { as: teacher, body: { kind: "text", text: "Capital?", accepted: ["Paris"] } })).body.questionId;
  pubFile = await withFile(pub, true);
  expect((await api.call("POST", `/exams/${pub}/publish`, { as: teacher })).status).toBe(200);
  attempt = (await api.call("POST", `/exams/${pub}/attempts`, { as: student })).body.attemptId;
});
afterAll(() => api.drop());

// [method, path, body, expected status for anon, student, owner, other teacher, roleless]. Writes the owner may
// make are left out (other tests cover them); their refusals for everyone else are in.
type Row = [string, () => string, unknown, [number, number, number, number, number]];
const ROWS: Row[] = [
  ["GET", () => `/exams/${draft}`, undefined, [401, 404, 200, 404, 404]],
  ["PATCH", () => `/exams/${draft}`, { title: "Mine", version: 1 }, [401, 403, 409, 404, 403]],
  ["DELETE", () => `/exams/${draft}`, undefined, [401, 403, -1, 404, 403]],
  ["POST", () => `/exams/${draft}/publish`, undefined, [401, 403, -1, 404, 403]],
  ["GET", () => `/exams/${draft}/questions`, undefined, [401, 404, 200, 404, 404]],
  ["GET", () => `/exams/${draft}/questions/${draftQ}`, undefined, [401, 404, 200, 404, 404]],
  ["POST", () => `/exams/${draft}/questions`, question(2), [401, 403, -1, 404, 403]],
  ["PATCH", () => `/exams/${draft}/questions/${draftQ}`, { text: "Mine" }, [401, 403, -1, 404, 403]],
  ["DELETE", () => `/exams/${draft}/questions/${draftQ}`, undefined, [401, 403, -1, 404, 403]],
  ["GET", () => `/exams/${draft}/files`, undefined, [401, 404, 200, 404, 404]],
  ["GET", () => `/exams/${draft}/files/${draftFile}`, undefined, [401, 404, 409, 404, 404]],
  ["POST", () => `/exams/${draft}/files`, { fileName: "x.pdf", contentType: "application/pdf", size: 10 }, [401, 403, -1, 404, 403]],
  ["POST", () => `/exams/${draft}/files/${draftFile}/complete`, undefined, [401, 403, -1, 404, 403]],
  ["DELETE", () => `/exams/${draft}/files/${draftFile}`, undefined, [401, 403, -1, 404, 403]],
  ["POST", () => `/exams/${draft}/attempts`, undefined, [401, 404, 403, 403, 403]],
  ["GET", () => `/exams/${draft}/attempts`, undefined, [401, 404, 200, 404, 404]],
  ["GET", () => `/exams/${pub}`, undefined, [401, 200, 200, 200, 200]],
  ["PATCH", () => `/exams/${pub}`, { title: "Mine", version: 1 }, [401, 403, 409, 403, 403]],
  ["DELETE", () => `/exams/${pub}`, undefined, [401, 403, 409, 403, 403]],
  ["GET", () => `/exams/${pub}/questions`, undefined, [401, 200, 200, 200, 200]],
  ["GET", () => `/exams/${pub}/questions/${pubQ}`, undefined, [401, 200, 200, 200, 200]],
  ["POST", () => `/exams/${pub}/questions`, question(2), [401, 403, 409, 403, 403]],
  ["GET", () => `/exams/${pub}/files/${pubFile}`, undefined, [401, 200, 200, 200, 200]],
  ["GET", () => `/exams/${pub}/attempts`, undefined, [401, 200, 200, 403, 403]],
  ["GET", () => `/attempts/${attempt}`, undefined, [401, 200, 200, 404, 404]],
  ["PUT", () => `/attempts/${attempt}/answers`, { answers: {} }, [401, 200, 403, 403, 403]],
  ["GET", () => "/me", undefined, [401, 200, 200, 200, 200]],
  ["GET", () => "/exams", undefined, [401, 200, 200, 200, 200]],
  ["POST", () => "/exams", { title: "x", durationMinutes: 1 }, [401, 403, -1, -1, 403]],
  ["GET", () => "/health", undefined, [200, 200, 200, 200, 200]],
  // Files: the listing, a file id under another exam's path (never found there), writes to a published exam.
  ["GET", () => `/exams/${pub}/files`, undefined, [401, 200, 200, 200, 200]],
  ["GET", () => `/exams/${pub}/files/${draftFile}`, undefined, [401, 404, 404, 404, 404]],
  ["GET", () => `/exams/${draft}/files/${pubFile}`, undefined, [401, 404, 404, 404, 404]],
  ["POST", () => `/exams/${pub}/files`, { fileName: "x.pdf", contentType: "application/pdf", size: 10 }, [401, 403, 409, 403, 403]],
  ["POST", () => `/exams/${pub}/files/${pubFile}/complete`, undefined, [401, 403, 200, 403, 403]],
  ["POST", () => `/exams/${pub}/files/${draftFile}/complete`, undefined, [401, 403, 404, 403, 403]],
  ["POST", () => `/exams/${draft}/files/${pubFile}/complete`, undefined, [401, 403, 404, 404, 403]],
  ["DELETE", () => `/exams/${pub}/files/${pubFile}`, undefined, [401, 403, 409, 403, 403]],
  ["DELETE", () => `/exams/${pub}/files/${draftFile}`, undefined, [401, 403, 404, 403, 403]],
  ["DELETE", () => `/exams/${draft}/files/${pubFile}`, undefined, [401, 403, 404, 404, 403]],
  // The rest of the routes: a published exam's writes, attempts, the export (404 from the buffered function), the profile.
  ["POST", () => `/exams/${pub}/publish`, undefined, [401, 403, 200, 403, 403]],
  ["PATCH", () => `/exams/${pub}/questions/${pubQ}`, { text: "Mine" }, [401, 403, 409, 403, 403]],
  ["DELETE", () => `/exams/${pub}/questions/${pubQ}`, undefined, [401, 403, 409, 403, 403]],
  ["POST", () => `/exams/${pub}/attempts`, undefined, [401, 409, 403, 403, 403]],
  ["POST", () => `/attempts/${attempt}/submit`, undefined, [401, -1, 403, 403, 403]],
  ["GET", () => `/exams/${pub}/results.csv`, undefined, [401, 403, 404, 403, 403]],
  ["GET", () => `/exams/${draft}/results.csv`, undefined, [401, 403, 404, 404, 403]],
  ["PATCH", () => "/me", { displayName: "Me" }, [401, 200, 200, 200, 200]],
  ["GET", () => "/openapi.json", undefined, [200, 200, 200, 200, 200]],
  ["GET", () => "/nowhere", undefined, [401, 404, 404, 404, 404]],
];

describe("authorization matrix (docs/exambuddy.md §1)", () => {
  it("every route answers each caller as documented", async () => {
    const got: string[] = [];
    const want: string[] = [];
    for (const [method, path, body, expected] of ROWS) {
      for (const [i, who] of (Object.keys(CALLERS) as Caller[]).entries()) {
        if (expected[i] === -1) continue;
        const as = CALLERS[who];
        const res = await api.call(method, path(), { ...(as ? { as } : {}), ...(body !== undefined ? { body } : {}) });
        got.push(`${method} ${path()} as ${who}: ${res.status}`);
        want.push(`${method} ${path()} as ${who}: ${expected[i]}`);
      }
    }
    expect(got).toEqual(want);
  });

  it("no caller but the owner ever receives an answer key, from any route", async () => {
    const leaks = (body: unknown) => JSON.stringify(body ?? null).match(/"(correct|accepted)"/g) ?? [];
    for (const who of ["student", "other", "roleless"] as const) {
      const as = CALLERS[who];
      for (const path of [`/exams/${pub}`, `/exams/${pub}/questions`, `/exams/${pub}/questions/${pubQ}`, "/exams", `/exams/${pub}/files`]) {
        expect(leaks((await api.call("GET", path, { as })).body), `${path} as ${who}`).toEqual([]);
      }
    }
    // The student's own attempt, started and read back, carries the questions without keys.
    const second = await api.call("POST", `/exams/${pub}/attempts`, { as: otherStudent });
    expect(second.status).toBe(201);
    expect(leaks(second.body.questions)).toEqual([]);
    expect(leaks((await api.call("GET", `/attempts/${second.body.attemptId}`, { as: otherStudent })).body)).toEqual([]);
    // The owner does get them.
    expect(leaks((await api.call("GET", `/exams/${pub}/questions`, { as: teacher })).body)).toEqual(['"accepted"']);
  });
});
