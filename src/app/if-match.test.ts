// If-Match as RFC 9110 §13.1.1 has it: an entity tag that is well formed but is no version of ours ("abc",
// "0", "007", a number above 2147483647) is a tag that does not match the current one, so the answer is
// 412 Precondition Failed, as for a stale version (was: 422, as if the header were malformed). A missing
// resource stays a 404. Lists of tags are refused with a 422 that says so; malformed syntax stays a 422.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "./ids.ts";
import { STALE_VERSION } from "./store/errors.ts";
import { createTestApi, question, student, teacher, type TestApi } from "./test-api.ts";

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi("ifmatch");
});
afterAll(() => api.drop());

// Well-formed entity tags (RFC 9110 §8.8.3) that no ExamBuddy version ever is: our ETags are "1", "2", …
const FOREIGN_TAGS = ['"abc"', '""', 'W/"abc"', '"0"', '"007"', '"2147483648"', '"12345678901"', '"99999999999999999999"', '"a,b"'];

describe("If-Match with an entity tag that is no version of ours", () => {
  it("PATCH /exams/{id}: 412 stale-version with the current version, nothing written (was: 422)", async () => {
    const exam = await api.draft("Tags");
    for (const tag of FOREIGN_TAGS) {
      const res = await api.call("PATCH", `/exams/${exam.examId}`, { as: teacher, body: { title: "Changed" }, headers: { "if-match": tag } });
      expect(res.status, tag).toBe(412);
      expect(res.body, tag).toMatchObject({ type: STALE_VERSION, currentVersion: exam.version });
    }
    expect((await api.call("GET", `/exams/${exam.examId}`, { as: teacher })).body).toMatchObject({ title: "Tags", version: exam.version });
  });

  it("every other conditional route answers 412 too, and a missing exam stays a 404", async () => {
    const exam = await api.draft("Tags");
    const q = (await api.call("POST", `/exams/${exam.examId}/questions`, { as: teacher, body: question(1) })).body;
    const tag = { "if-match": '"abc"' };
    expect((await api.call("PATCH", `/exams/${exam.examId}/questions/${q.questionId}`, { as: teacher, body: { text: "x" }, headers: tag })).status).toBe(412);
    expect((await api.call("DELETE", `/exams/${exam.examId}/questions/${q.questionId}`, { as: teacher, headers: tag })).status).toBe(412);
    expect((await api.call("POST", `/exams/${exam.examId}/publish`, { as: teacher, headers: tag })).status).toBe(412);
    expect((await api.call("DELETE", `/exams/${exam.examId}`, { as: teacher, headers: tag })).status).toBe(412);
    expect((await api.call("PATCH", "/me", { as: student, body: { displayName: "Cy" }, headers: tag })).status).toBe(412);
    // Nothing was written by any of them.
    expect((await api.call("GET", `/exams/${exam.examId}/questions`, { as: teacher })).body.items).toHaveLength(1);
    expect((await api.call("GET", `/exams/${exam.examId}`, { as: teacher })).body.status).toBe("draft");
    expect((await api.call("PATCH", `/exams/${newId()}`, { as: teacher, body: { title: "x" }, headers: tag })).status).toBe(404);
  });

  it("with a body version as well, the two disagree: 400, naming the header as sent", async () => {
    const exam = await api.draft("Tags");
    const res = await api.call("PATCH", `/exams/${exam.examId}`, { as: teacher, body: { title: "x", version: exam.version }, headers: { "if-match": '"abc"' } });
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain('"abc"');
  });

  it("versions as before: \"1\", 1 and W/\"1\" match version 1, * matches any", async () => {
    for (const tag of ['"1"', "1", 'W/"1"', "*"]) {
      const exam = await api.draft("Tags");
      expect((await api.call("PATCH", `/exams/${exam.examId}`, { as: teacher, body: { title: "Changed" }, headers: { "if-match": tag } })).status, tag).toBe(200);
    }
  });

  it("a list of tags is a 422 that says lists are not supported; malformed syntax stays a 422", async () => {
    const exam = await api.draft("Tags");
    for (const list of ['"1", "2"', '"1","abc"', 'W/"1", "1"']) {
      const res = await api.call("PATCH", `/exams/${exam.examId}`, { as: teacher, body: { title: "x" }, headers: { "if-match": list } });
      expect(res.status, list).toBe(422);
      expect(res.body.errors, list).toEqual([{ path: "headers.if-match", message: expect.stringContaining("one entity tag") }]);
    }
    for (const malformed of ['"1', '1"', "W/1", "abc", '"a"b"', "**", '*, "1"']) {
      const res = await api.call("PATCH", `/exams/${exam.examId}`, { as: teacher, body: { title: "x" }, headers: { "if-match": malformed } });
      expect(res.status, malformed).toBe(422);
      expect(res.body.errors, malformed).toEqual([{ path: "headers.if-match", message: expect.stringContaining("entity tag") }]);
    }
    expect((await api.call("GET", `/exams/${exam.examId}`, { as: teacher })).body.title).toBe("Tags");
  });
});
