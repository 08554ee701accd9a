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
    expect(v.parse(ExamCreate, { title: "  Algebra ", durationMinutes: 30 })).toEqual({ title: "Algebra", description: "", durationMinutes: 30, maxAttempts: 1 });
    expect(v.parse(ExamCreate, { title: "A", durationMinutes: 30, maxAttempts: 3 })).toMatchObject({ maxAttempts: 3 });
    expect(issues(ExamCreate, { title: "A", durationMinutes: 30, maxAttempts: 0 })).toEqual(["maxAttempts: At least 1"]);
    expect(v.parse(ExamPatch, { maxAttempts: 2 })).toEqual({ maxAttempts: 2 });
    expect(issues(ExamCreate, { title: " ", durationMinutes: 0 })).toEqual(["title: Must not be empty", "durationMinutes: At least 1"]);
    expect(issues(ExamCreate, { title: "a\u0000b", durationMinutes: 1.5 })).toHaveLength(2);
    expect(issues(ExamPatch, {})).toEqual([": Give at least one of title, description, durationMinutes, maxAttempts"]);
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
    expect(issues(FileUploadRequest, { fileName: "..", contentType: "image/png", size: 0 })).toHaveLength(3);
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
    expect(v.parse(IfMatchHeaders, { "if-match": "*" })).toEqual({ "if-match": "*" });
    expect(v.parse(IfMatchHeaders, { "if-match": " * " })).toEqual({ "if-match": "*" });
    expect(issues(IfMatchHeaders, { "if-match": '"3", "4"' })).toEqual(['if-match: Send one entity tag: a list of them ("3", "4") is not supported']);
    expect(issues(IfMatchHeaders, { "if-match": "**" })).toHaveLength(1);
    // Well formed, but no version of ours: kept as sent, matching nothing (RFC 9110 §13.1.1: a 412).
    for (const tag of ['"abc"', '""', 'W/"x"', '"0"', '"007"', '"2147483648"', "12345678901", '"a,b"']) {
      expect(v.parse(IfMatchHeaders, { "if-match": tag }), tag).toEqual({ "if-match": { tag } });
    }
    expect(v.parse(IfMatchHeaders, { "if-match": '"2147483647"' })).toEqual({ "if-match": 2147483647 });
  });

  it("issue 11: checks an array's length before its elements, so an oversized array is one issue", () => {
    // 80,000 invalid elements: validating them would give 80,000 issues; the length check stops the pipe first.
    const huge = { kind: "single", text: "x", correct: 0, choices: Array(80_000).fill(1) };
    expect(issues(QuestionInput, huge)).toEqual(["choices: At most 20 choices"]);
    expect(issues(QuestionInput, { kind: "text", text: "x", accepted: Array(50_000).fill(null) })).toEqual(["accepted: At most 20 accepted answers"]);
    expect(issues(QuestionInput, { kind: "multiple", text: "x", choices: ["a", "b"], correct: Array(50_000).fill("z") })).toEqual(["correct: At most 20 correct choices"]);
    expect(issues(QuestionPatch, { choices: Array(50_000).fill(1) })).toEqual(["choices: At most 20 choices"]);
    // 600,000 bad keys: counted (up to 101) before any key is checked.
    const answers = Object.fromEntries(Array.from({ length: 600_000 }, (_, i) => [`bad-${i}`, "x"]));
    expect(issues(AnswersInput, { answers })).toEqual(["answers: At most 100 answers"]);
    // An answer that is a huge array: one issue from the union, not one per element.
    const [q] = [newId()];
    expect(issues(AnswersInput, { answers: { [q!]: Array(100_000).fill(-1) } })).toHaveLength(1);
    // Within the caps, elements are still validated.
    expect(issues(QuestionInput, { kind: "single", text: "x", correct: 0, choices: ["a", 2] })).toEqual(["choices.1: Invalid type: Expected string but received 2"]);
  });

  it("refuses line breaks, bidi controls and invisible characters in names", () => {
    for (const name of ["a\nb", "a\rb", "a\tb", "exe.\u202Egpj", "a\u2066b\u2069", "a\u200Bb", "a\u200Db", "a\uFEFFb", "a\u2060b", "a\u061Cb"]) {
      expect(issues(ProfilePatch, { displayName: name }), JSON.stringify(name)).toEqual(["displayName: Must be one line, without bidirectional controls or invisible characters"]);
      expect(issues(FileUploadRequest, { fileName: `${name}.pdf`, contentType: "application/pdf", size: 1 }), JSON.stringify(name)).toHaveLength(1);
    }
    expect(issues(ExamCreate, { title: "Quiz\u202E1", durationMinutes: 5 })).toHaveLength(1);
    expect(v.parse(ProfilePatch, { displayName: " Zoë 李 " })).toEqual({ displayName: "Zoë 李" });
    // Descriptions keep their line breaks.
    expect(issues(ExamCreate, { title: "A", description: "line 1\nline 2", durationMinutes: 5 })).toEqual([]);
  });

  it("issue 11: a file name's extension must match its declared type", () => {
    const upload = (fileName: string, contentType: string) => issues(FileUploadRequest, { fileName, contentType, size: 10 });
    expect(upload("setup.exe", "application/pdf")).toEqual(["fileName: The extension must match the content type (.pdf, .png, .jpg or .jpeg)"]);
    expect(upload("scan.PDF", "application/pdf")).toEqual([]);
    expect(upload("photo.jpeg", "image/jpeg")).toEqual([]);
    expect(upload("photo.JPG", "image/jpeg")).toEqual([]);
    expect(upload("photo.png", "image/jpeg")).toHaveLength(1);
    expect(upload("diagram.png.exe", "image/png")).toHaveLength(1);
    expect(upload(".pdf", "application/pdf")).toHaveLength(1);
  });

  it("normalizes text answers for comparison", () => {
    expect(normalizeText("  New   York ")).toBe("new york");
    expect(normalizeText("ＰＡＲＩＳ")).toBe("paris");
  });
});

// JSON's \ud800 escape gives JavaScript a string with half a surrogate pair: no Unicode text (UTF-8 can't
// encode it), and encodeURIComponent throws on it. A file named "a\ud800.pdf" was stored, completed, and then
// every download of it answered 500 (contentDisposition's URIError).
describe("text is well-formed Unicode (a lone surrogate is a 422 naming the field)", () => {
  const LONE = "\ud800";
  it("in every text field: titles, descriptions, names, question texts, choices, accepted and text answers", () => {
    expect(issues(FileUploadRequest, { fileName: `a${LONE}.pdf`, contentType: "application/pdf", size: 1 })).toEqual(["fileName: Must be well-formed Unicode text (no lone surrogate)"]);
    expect(issues(ExamCreate, { title: `T${LONE}`, description: `\udc00d`, durationMinutes: 5 })).toEqual([
      "title: Must be well-formed Unicode text (no lone surrogate)",
      "description: Must be well-formed Unicode text (no lone surrogate)",
    ]);
    expect(issues(ProfilePatch, { displayName: `${LONE}x` })).toEqual(["displayName: Must be well-formed Unicode text (no lone surrogate)"]);
    expect(issues(QuestionInput, { kind: "single", text: `Q${LONE}`, choices: ["a", `b${LONE}`], correct: 0 })).toEqual([
      "text: Must be well-formed Unicode text (no lone surrogate)",
      "choices.1: Must be well-formed Unicode text (no lone surrogate)",
    ]);
    expect(issues(QuestionInput, { kind: "text", text: "Q", accepted: [`P${LONE}`] })).toEqual(["accepted.0: Must be well-formed Unicode text (no lone surrogate)"]);
    const id = newId();
    expect(issues(AnswersInput, { answers: { [id]: `a${LONE}` } })).toEqual([`answers.${id}: Must be well-formed Unicode text (no lone surrogate)`]);
  });

  it("a whole surrogate pair (an emoji, a rare CJK character) is text like any other", () => {
    expect(v.parse(FileUploadRequest, { fileName: "📄 𠀋.pdf", contentType: "application/pdf", size: 1 })).toMatchObject({ fileName: "📄 𠀋.pdf" });
    expect(v.parse(AnswersInput, { answers: { [newId()]: "😀" } }).answers).toEqual(expect.any(Object));
  });
});
