import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { newId } from "./ids.ts";
import {
  AnswersInput,
  applyQuestionPatch,
  ExamCreate,
  ExamListQuery,
  ExamParams,
  ExamPatch,
  FileUploadRequest,
  IfMatchHeaders,
  MAX_FILE_BYTES,
  normalizeText,
  PageQuery,
  ProfilePatch,
  QuestionInput,
  QuestionPatch,
} from "./schemas.ts";

const issues = (schema: v.GenericSchema, input: unknown) => {
  const r = v.safeParse(schema, input);
  return r.success ? [] : r.issues.map((i) => `${v.getDotPath(i) ?? ""}: ${i.message}`);
};

describe("schemas", () => {
  it("validates exams and trims text", () => {
    expect(v.parse(ExamCreate, { title: "  Algebra ", durationMinutes: 30 })).toEqual({ title: "Algebra", description: "", durationMinutes: 30 });
    expect(issues(ExamCreate, { title: " ", durationMinutes: 0 })).toEqual(["title: Must not be empty", "durationMinutes: At least 1"]);
    expect(issues(ExamCreate, { title: "a\u0000b", durationMinutes: 1.5 })).toHaveLength(2);
    expect(issues(ExamPatch, {})).toEqual([": Give at least one of title, description, durationMinutes"]);
    expect(v.parse(ExamPatch, { title: "x", version: 3 })).toEqual({ title: "x", version: 3 });
    expect(issues(ProfilePatch, { displayName: "" })).toHaveLength(1);
  });

  it("validates the three question kinds with their answer keys", () => {
    expect(v.parse(QuestionInput, { kind: "single", text: "Q", choices: ["a", "b"], correct: 1 })).toEqual({ kind: "single", text: "Q", points: 1, choices: ["a", "b"], correct: 1 });
    expect(issues(QuestionInput, { kind: "single", text: "Q", choices: ["a", "b"], correct: 2 })).toEqual(["correct: Must be the index of one of the choices"]);
    expect(issues(QuestionInput, { kind: "single", text: "Q", choices: ["a", "a"], correct: 0 })).toEqual(["choices: Choices must be distinct"]);
    expect(issues(QuestionInput, { kind: "single", text: "Q", choices: ["a"], correct: 0 })).toEqual(["choices: At least 2 choices"]);
    expect(issues(QuestionInput, { kind: "multiple", text: "Q", choices: ["a", "b", "c"], correct: [0, 3] })).toEqual(["correct: Must be indexes of the choices"]);
    expect(issues(QuestionInput, { kind: "multiple", text: "Q", choices: ["a", "b"], correct: [] })).toEqual(["correct: At least one correct choice"]);
    expect(issues(QuestionInput, { kind: "text", text: "Q", accepted: [] })).toEqual(["accepted: At least one accepted answer"]);
    expect(issues(QuestionInput, { kind: "essay", text: "Q" })).toHaveLength(1);
    expect(v.parse(QuestionInput, { kind: "text", text: "Q", points: 5, accepted: ["Paris"] })).toMatchObject({ points: 5 });
  });

  it("merges a question patch and re-validates the result", () => {
    const current = v.parse(QuestionInput, { kind: "single", text: "Q", choices: ["a", "b"], correct: 0 });
    const ok = applyQuestionPatch(current, v.parse(QuestionPatch, { text: "Q2", version: 1 }));
    expect(ok.success && ok.output).toEqual({ kind: "single", text: "Q2", points: 1, choices: ["a", "b"], correct: 0 });
    const switched = applyQuestionPatch(current, v.parse(QuestionPatch, { kind: "text", accepted: ["x"] }));
    expect(switched.success && switched.output).toEqual({ kind: "text", text: "Q", points: 1, accepted: ["x"] });
    const missingKey = applyQuestionPatch(current, v.parse(QuestionPatch, { kind: "multiple" }));
    expect(missingKey.success).toBe(false);
    const outOfRange = applyQuestionPatch(current, v.parse(QuestionPatch, { correct: 5 }));
    expect(outOfRange.success).toBe(false);
    expect(issues(QuestionPatch, { version: 2 })).toEqual([": Give at least one field to change"]);
  });

  it("validates answers sheets and file uploads", () => {
    const q = newId();
    expect(v.parse(AnswersInput, { answers: { [q]: 1 } })).toEqual({ answers: { [q]: 1 } });
    expect(v.parse(AnswersInput, { answers: { [q]: [0, 2] } })).toEqual({ answers: { [q]: [0, 2] } });
    expect(v.parse(AnswersInput, { answers: { [q]: " Paris " } })).toEqual({ answers: { [q]: " Paris " } });
    expect(issues(AnswersInput, { answers: { "../x": 1 } }).length).toBeGreaterThan(0);
    expect(issues(AnswersInput, { answers: { [q]: [1, 1] } }).length).toBeGreaterThan(0);
    expect(issues(AnswersInput, { answers: { [q]: { $ne: 1 } } }).length).toBeGreaterThan(0);

    expect(v.parse(FileUploadRequest, { fileName: "scan.pdf", contentType: "application/pdf", size: MAX_FILE_BYTES })).toMatchObject({ size: MAX_FILE_BYTES });
    expect(issues(FileUploadRequest, { fileName: "a.pdf", contentType: "application/pdf", size: MAX_FILE_BYTES + 1 })).toEqual([`size: At most ${MAX_FILE_BYTES}`]);
    expect(issues(FileUploadRequest, { fileName: "a.gif", contentType: "image/gif", size: 1 })).toEqual(["contentType: Must be application/pdf, image/png or image/jpeg"]);
    expect(issues(FileUploadRequest, { fileName: "..", contentType: "image/png", size: 0 })).toHaveLength(2);
  });

  it("coerces pagination from query strings", () => {
    expect(v.parse(PageQuery, {})).toEqual({ limit: 20 });
    expect(v.parse(PageQuery, { limit: "100", cursor: "abc_-1" })).toEqual({ limit: 100, cursor: "abc_-1" });
    expect(issues(PageQuery, { limit: "101" })).toEqual(["limit: At most 100"]);
    expect(issues(PageQuery, { limit: "0" })).toEqual(["limit: At least 1"]);
    expect(issues(PageQuery, { limit: "1e2" })).toEqual(["limit: Must be a whole number"]);
    expect(issues(PageQuery, { cursor: "a b" })).toEqual(["cursor: Malformed cursor"]);
    expect(v.parse(ExamListQuery, { status: "draft" })).toEqual({ limit: 20, status: "draft" });
    expect(issues(ExamListQuery, { status: "deleting" })).toHaveLength(1);
  });

  it("checks ids and parses If-Match", () => {
    expect(issues(ExamParams, { examId: newId() })).toEqual([]);
    expect(issues(ExamParams, { examId: "x" })).toHaveLength(1);
    expect(v.parse(IfMatchHeaders, { "if-match": '"3"' })).toEqual({ "if-match": 3 });
    expect(v.parse(IfMatchHeaders, { "if-match": 'W/"12"' })).toEqual({ "if-match": 12 });
    expect(v.parse(IfMatchHeaders, { "if-match": "7" })).toEqual({ "if-match": 7 });
    expect(v.parse(IfMatchHeaders, {})).toEqual({});
    expect(issues(IfMatchHeaders, { "if-match": "*" })).toHaveLength(1);
  });

  it("normalizes text answers for comparison", () => {
    expect(normalizeText("  New   York ")).toBe("new york");
    expect(normalizeText("ＰＡＲＩＳ")).toBe("paris");
  });
});
