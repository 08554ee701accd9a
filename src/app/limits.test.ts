// The caps are sized by DynamoDB's rules, not by what the local stand-in accepts (dynalite counts UTF-16
// units; AWS counts UTF-8 bytes, attribute names included).
import { describe, expect, it } from "vitest";
import {
  answerSheetBytes,
  DYNAMO_ITEM_LIMIT,
  dynamoItemSize,
  dynamoValueSize,
  MAX_ANSWER_SHEET_BYTES,
  MAX_ANSWERS,
  MAX_QUESTIONS,
  MAX_SUB_BYTES,
  MAX_TEXT_ANSWER,
  maxResultBytes,
  utf8Length,
} from "./limits.ts";

describe("DynamoDB item size, by AWS's rules (\"DynamoDB item sizes and formats\")", () => {
  it("counts strings and attribute names in UTF-8 bytes", () => {
    expect(utf8Length("abc")).toBe(3);
    expect(utf8Length("é")).toBe(2);
    expect(utf8Length("試")).toBe(3); // one UTF-16 unit, three UTF-8 bytes
    expect(utf8Length("😀")).toBe(4); // two UTF-16 units, four UTF-8 bytes
    expect(utf8Length("\ud800")).toBe(3); // a lone surrogate is sent as U+FFFD
    expect(utf8Length("試".repeat(1000))).toBe(Buffer.byteLength("試".repeat(1000)));
    expect(dynamoItemSize({ 名前: "試験" })).toBe(6 + 6);
  });

  it("sizes numbers by significant digits, booleans and null as 1, lists and maps with 3 + 1 per element", () => {
    expect(dynamoValueSize(7)).toBe(2);
    expect(dynamoValueSize(1000)).toBe(2); // one significant digit
    expect(dynamoValueSize(12345)).toBe(4);
    expect(dynamoValueSize(true)).toBe(1);
    expect(dynamoValueSize(null)).toBe(1);
    expect(dynamoValueSize([])).toBe(3);
    expect(dynamoValueSize(["ab", 1])).toBe(3 + (1 + 2) + (1 + 2));
    expect(dynamoValueSize({ k: "v" })).toBe(3 + 1 + 1 + 1);
    expect(dynamoValueSize({ k: undefined })).toBe(3);
    expect(dynamoItemSize({ PK: "EXAM#1", SK: "EXAM", n: 12 })).toBe(2 + 6 + 2 + 4 + 1 + 2);
  });
});

describe("issue 11: every attempt at a valid exam can be stored and graded", () => {
  it("the largest answer sheet plus the largest result fits one item, with the longest subs", () => {
    const sub = "s".repeat(MAX_SUB_BYTES);
    const id = "0".repeat(26);
    const iso = new Date(0).toISOString();
    // Everything an attempt item holds besides answers and result, at its largest.
    const overhead = dynamoItemSize({
      PK: `ATTEMPT#${id}`,
      SK: "ATTEMPT",
      GSI1PK: `EXAM#${id}`,
      GSI1SK: `ATTEMPT#${sub}#${id}`,
      type: "attempt",
      attemptId: id,
      examId: id,
      studentId: sub,
      teacherId: sub,
      status: "submitted",
      version: 2 ** 31 - 1,
      startedAt: iso,
      deadline: iso,
      updatedAt: iso,
    });
    const total = overhead + MAX_ANSWER_SHEET_BYTES + maxResultBytes();
    expect(total).toBeLessThanOrEqual(DYNAMO_ITEM_LIMIT);
    // And the margin is real, not a rounding accident: over 100 KB to spare.
    expect(DYNAMO_ITEM_LIMIT - total).toBeGreaterThan(100_000);
  });

  it("the sheet cap binds for long CJK answers, in UTF-8 (dynalite would have counted a third)", () => {
    const id = "0".repeat(26);
    const cjk = "試".repeat(MAX_TEXT_ANSWER);
    const sheet = Object.fromEntries(Array.from({ length: MAX_ANSWERS }, (_, i) => [`${id.slice(0, 24)}${String(i).padStart(2, "0")}`, cjk]));
    expect(answerSheetBytes(sheet)).toBeGreaterThan(MAX_ANSWER_SHEET_BYTES);
    // The same sheet in Latin letters stays well under it.
    const latin = Object.fromEntries(Object.keys(sheet).map((k) => [k, "x".repeat(MAX_TEXT_ANSWER)]));
    expect(answerSheetBytes(latin)).toBeLessThan(MAX_ANSWER_SHEET_BYTES / 2);
    expect(MAX_ANSWERS).toBe(MAX_QUESTIONS);
  });
});
