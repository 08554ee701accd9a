// A field that belongs to another kind of question (`choices`/`correct` on a text question, `accepted` on a
// choice question) is refused by name, on POST as on PATCH: the object schema used to drop it, so a POST
// answered 201 with part of what the teacher wrote silently gone, while the same field on PATCH was a 422.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, teacher, type TestApi } from "./test-api.ts";

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi("kindfields");
});
afterAll(() => api.drop());

const paths = (res: { body: { errors?: Array<{ path: string; message: string }> } }) => (res.body.errors ?? []).map((e) => e.path).sort();

describe("fields of another question kind", () => {
  it("POST of a text question with choices and correct is a 422 naming both, and creates nothing (was: 201, both dropped)", async () => {
    const { examId } = await api.draft("Kinds");
    const res = await api.call("POST", `/exams/${examId}/questions`, { as: teacher, body: { kind: "text", text: "Capital?", accepted: ["Paris"], choices: ["Paris", "Lyon"], correct: 0 } });
    expect(res.status).toBe(422);
    expect(paths(res)).toEqual(["body.choices", "body.correct"]);
    expect(res.body.errors[0].message).toBe("Not a field of a text question");
    expect((await api.call("GET", `/exams/${examId}/questions`, { as: teacher })).body.items).toEqual([]);
  });

  it("POST of a single or multiple choice question with accepted is a 422 naming it", async () => {
    const { examId } = await api.draft("Kinds");
    for (const kind of ["single", "multiple"] as const) {
      const body = { kind, text: "2+2?", choices: ["3", "4"], correct: kind === "single" ? 1 : [1], accepted: ["4"] };
      const res = await api.call("POST", `/exams/${examId}/questions`, { as: teacher, body });
      expect(res.status, kind).toBe(422);
      expect(res.body.errors, kind).toEqual([{ path: "body.accepted", message: `Not a field of a ${kind} question` }]);
    }
  });

  it("all problems of the body in one 422: a foreign field beside an invalid one", async () => {
    const { examId } = await api.draft("Kinds");
    const res = await api.call("POST", `/exams/${examId}/questions`, { as: teacher, body: { kind: "text", text: "", accepted: ["x"], choices: ["a", "b"] } });
    expect(res.status).toBe(422);
    expect(paths(res)).toEqual(["body.choices", "body.text"]);
  });

  it("PATCH answers the same, also when the kind changes; fields the API adds (questionId, version) are still ignored on POST", async () => {
    const { examId } = await api.draft("Kinds");
    const created = await api.call("POST", `/exams/${examId}/questions`, { as: teacher, body: { kind: "single", text: "2+2?", choices: ["3", "4"], correct: 1, questionId: "x", position: 9 } });
    expect(created.status).toBe(201);
    const q = created.body;
    const toText = await api.call("PATCH", `/exams/${examId}/questions/${q.questionId}`, { as: teacher, body: { kind: "text", accepted: ["4"], choices: ["3", "4"] } });
    expect(toText.status).toBe(422);
    expect(toText.body.errors).toEqual([{ path: "body.choices", message: "Not a field of a text question" }]);
    const accepted = await api.call("PATCH", `/exams/${examId}/questions/${q.questionId}`, { as: teacher, body: { accepted: ["4"] } });
    expect(accepted.body.errors).toEqual([{ path: "body.accepted", message: "Not a field of a single question" }]);
    expect((await api.call("GET", `/exams/${examId}/questions/${q.questionId}`, { as: teacher })).body).toMatchObject({ kind: "single", version: 1 });
  });
});
