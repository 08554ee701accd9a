// Every cap ExamBuddy enforces, in one place (docs/exambuddy.md "Limits" lists them with their status codes),
// and the DynamoDB item-size arithmetic that sizes them. Real DynamoDB counts strings in UTF-8 bytes and
// attribute names too (AWS: "DynamoDB item sizes and formats"); dynalite counts UTF-16 units, so the local
// stand-in would accept items AWS refuses: the caps are computed here, never learnt from the stand-in.

/** A 422 lists at most this many issues; the rest are counted in `more`. */
export const MAX_ISSUES = 20;

/**
 * File records per exam, pending or ready (deleting one, or its exam, frees its slot): what publish seals
 * and DELETE removes, with their S3 objects, in one invocation.
 */
export const MAX_FILES = 100;

/** Questions per exam. 100 questions of the largest size (CJK text, 20 choices) list in ≈ 3.7 MB, under Lambda's 6 MB response. */
export const MAX_QUESTIONS = 100;
export const MAX_CHOICES = 20;
export const MAX_ACCEPTED = 20;
/** Characters (UTF-16 units, at most 3 UTF-8 bytes each) of one text answer. */
export const MAX_TEXT_ANSWER = 1000;
/** One answer per question at most. */
export const MAX_ANSWERS = MAX_QUESTIONS;
/** The answer sheet as DynamoDB sizes it (UTF-8 keys and values, per-element overhead). */
export const MAX_ANSWER_SHEET_BYTES = 256 * 1024;
/** Attempts per student and exam unless the exam says otherwise (`maxAttempts`, 1–100). */
export const DEFAULT_MAX_ATTEMPTS = 1;
export const MAX_ATTEMPTS_LIMIT = 100;

/** Request bodies per route, in bytes: room for the largest valid input even with every character \u-escaped (6 bytes). */
export const BODY_LIMITS = {
  profile: 8 * 1024,
  exam: 64 * 1024,
  question: 128 * 1024,
  file: 8 * 1024,
  answers: 1024 * 1024,
} as const;

/** DynamoDB's item limit: 400 KB, attribute names included. */
export const DYNAMO_ITEM_LIMIT = 400 * 1024;

/** An OIDC `sub` is at most 255 ASCII characters (OpenID Connect Core 1.0, §2); budgets assume the longest. */
export const MAX_SUB_BYTES = 255;

/** UTF-8 bytes of a string, as DynamoDB counts strings and attribute names. */
export function utf8Length(s: string): number {
  // Counting code units by range is exact and allocates nothing (TextEncoder would copy the string).
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4; // a surrogate pair: one 4-byte code point
      i++;
    } else bytes += 3; // the rest of the BMP (a lone surrogate is encoded as U+FFFD: 3 bytes)
  }
  return bytes;
}

/** DynamoDB's size of a number: 1 byte per two significant digits, plus 1. */
function numberSize(n: number): number {
  const digits = Math.abs(n).toExponential().split("e")[0]!.replace(".", "").replace(/0+$/, "") || "0";
  return Math.ceil(digits.length / 2) + 1;
}

/**
 * The size DynamoDB gives a value (without its attribute name): strings and binary by bytes, numbers by
 * significant digits, booleans and null 1 byte, lists and maps 3 bytes plus 1 per element plus the elements
 * (and, in a map, each key's UTF-8 bytes). `undefined` members are left out, as the document client does.
 * @example dynamoValueSize({ a: "é" }) // 3 + 1 + 1 + 2 = 7
 */
export function dynamoValueSize(value: unknown): number {
  if (typeof value === "string") return utf8Length(value);
  if (typeof value === "number") return numberSize(value);
  if (typeof value === "boolean" || value === null) return 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) {
    let size = 3;
    for (const item of value) size += 1 + dynamoValueSize(item);
    return size;
  }
  if (typeof value === "object") {
    let size = 3;
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      if (item === undefined) continue;
      size += 1 + utf8Length(key) + dynamoValueSize(item);
    }
    return size;
  }
  return 0;
}

/**
 * The size of an item as DynamoDB counts it against the 400 KB limit: every top-level attribute's name and value.
 * @example dynamoItemSize({ PK: "EXAM#1", n: 12 }) // 2 + 6 + 1 + 2
 */
export function dynamoItemSize(item: Record<string, unknown>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    size += utf8Length(name) + dynamoValueSize(value);
  }
  return size;
}

/** What an answer sheet adds to its attempt item: the `answers` attribute, as DynamoDB sizes it. */
export function answerSheetBytes(answers: Record<string, unknown>): number {
  return dynamoItemSize({ answers });
}

/**
 * The most a graded result can add to an attempt item: `result` with `score`, `maxScore` and one entry
 * `{ questionId, points, earned, correct }` per question, at {@link MAX_QUESTIONS} questions of 1000 points,
 * and `submittedAt` / `submittedBy` (its longer value).
 */
export function maxResultBytes(questions = MAX_QUESTIONS): number {
  const id = "0".repeat(26);
  const entries = Array.from({ length: questions }, () => ({ questionId: id, points: 1000, earned: 1000, correct: true }));
  return dynamoItemSize({ result: { score: 1000 * questions, maxScore: 1000 * questions, questions: entries }, submittedAt: new Date(0).toISOString(), submittedBy: "deadline" });
}
