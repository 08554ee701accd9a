// A deterministic, seeded, model-based (stateful) fuzz of ExamBuddy's HTTP API.
//
// Each sequence starts from a fresh table and bucket (createTestApi), then makes random calls as a few users
// (three teachers, three students, a signed-in user with no role, an anonymous caller). Every call is checked
// against a small in-memory model written from docs/exambuddy.md, not from the code: the status (and the
// problem `type` where the docs name one) and what the model holds (fields, counts, order, what each role may
// see, grading, pagination that returns every item exactly once). Invariants hold for every response: no 5xx
// for a client's mistake, problem+json for every 4xx, no stack or internal name in a body, an ETag that is
// never reused for another representation.
//
// Where the docs leave an order of checks or an outcome open, the model accepts every documented answer (see
// `either`) and changes nothing unless the outcome is a success. Operations are recorded as data (resources
// named by the index of the op that created them), so a failing sequence is replayed and shrunk (ddmin) into a
// short, readable call list.
//
//   npx vitest run src/app/model.fuzz.test.ts
//   EXAM_FUZZ_SEED=7 EXAM_FUZZ_SEQUENCES=300 EXAM_FUZZ_OPS=60 npx vitest run src/app/model.fuzz.test.ts
//   EXAM_FUZZ_MINIMIZE=0 (no shrinking) · EXAM_FUZZ_VERBOSE=1 (every call of every sequence)
import { HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getExam as getStoredExam } from "./store/exams.ts";
import { createTestApi, type Claims, type Res, type TestApi } from "./test-api.ts";
import { Rng } from "../../test/seeded-random.ts";
import { wholeNumberFromEnv } from "../../test/env-number.ts";

const SEED = wholeNumberFromEnv("EXAM_FUZZ_SEED", 20261201);
const SEQUENCES = wholeNumberFromEnv("EXAM_FUZZ_SEQUENCES", 32, { min: 1 });
const OPS = wholeNumberFromEnv("EXAM_FUZZ_OPS", 50, { min: 1 });
const MINIMIZE = process.env["EXAM_FUZZ_MINIMIZE"] !== "0";
const MINIMIZE_MS = wholeNumberFromEnv("EXAM_FUZZ_MINIMIZE_MS", 8_000, { min: 0 });
const VERBOSE = process.env["EXAM_FUZZ_VERBOSE"] === "1";

// ---- users ------------------------------------------------------------------------------------------------

type U = "t0" | "t1" | "t2" | "s0" | "s1" | "s2" | "n0" | "anon";
type Role = "teacher" | "student";
const TEACHERS = ["t0", "t1", "t2"] as const;
const STUDENTS = ["s0", "s1", "s2"] as const;
const SIGNED_IN: readonly U[] = [...TEACHERS, ...STUDENTS, "n0"];

// Groups in each shape the docs list (array, "[a b]", JSON array string, comma separated); custom:role is never read.
const CLAIMS: Record<Exclude<U, "anon">, Claims> = {
  t0: { sub: "t-ada", name: "Ada\u2028Lovelace", "cognito:groups": "[teacher]" },
  t1: { sub: "t-bob", email: "bob@example.com", "cognito:groups": ["teacher", "admin"] },
  t2: { sub: "t-cyd", "cognito:groups": "student,teacher,staff" }, // teacher first, whatever the order
  s0: { sub: "s", email: "s@example.com", "cognito:groups": "[student]" },
  s1: { sub: "s#1", name: "Di", "cognito:groups": "student", "custom:role": "teacher" },
  s2: { sub: "s-2", groups: '["student"]' }, // another OIDC provider's `groups`, as a JSON array string
  n0: { sub: "n-0", "custom:role": "teacher", "cognito:groups": "[reader]" },
};
const ROLE: Record<U, Role | null> = { t0: "teacher", t1: "teacher", t2: "teacher", s0: "student", s1: "student", s2: "student", n0: null, anon: null };
/** Identity: `name` (line breaks, bidi and invisible characters removed), else the part of `email` before `@`, else "User". */
const FIRST_NAME: Record<Exclude<U, "anon">, string> = { t0: "AdaLovelace", t1: "bob", t2: "User", s0: "s", s1: "Di", s2: "User", n0: "User" };
const EMAIL: Record<Exclude<U, "anon">, string | null> = { t0: null, t1: "bob@example.com", t2: null, s0: "s@example.com", s1: null, s2: null, n0: null };
const sub = (u: U): string => (u === "anon" ? "" : String(CLAIMS[u]["sub"]));

// ---- ids --------------------------------------------------------------------------------------------------

/** A well-formed id that names nothing. */
const GHOST = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
const MALFORMED_IDS = ["not-an-id", "01ARZ3NDEKTSV4RRFFQ69G5FA", "01ARZ3NDEKTSV4RRFFQ69G5FAVV"] as const;
/** A resource by the id of the op that created it, or a well-formed id of nothing, or a malformed id. */
type Ref = number | "ghost" | `bad:${string}`;
const isBad = (r: Ref): boolean => typeof r === "string" && r.startsWith("bad:");

// ---- the documented input rules (docs/exambuddy.md, Limits and Conventions) ------------------------------

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/** One line, no bidi controls or invisible characters (Conventions, Validation). */
const HIDDEN = /[\t\n\r\u061C\u180E\u200B-\u200F\u2028\u2029\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min: number, max: number): v is number => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;
const text = (v: unknown, min: number, max: number): boolean => typeof v === "string" && v.length >= min && v.length <= max && !CONTROL.test(v);
const label = (v: unknown, max: number): boolean => text(v, 1, max) && !HIDDEN.test(v as string);
const distinct = (xs: readonly unknown[]) => new Set(xs).size === xs.length;

function validExamCreate(v: unknown): boolean {
  if (!isObj(v)) return false;
  return (
    label(v["title"], 200) &&
    (v["description"] === undefined || text(v["description"], 0, 5000)) &&
    isInt(v["durationMinutes"], 1, 1440) &&
    (v["maxAttempts"] === undefined || isInt(v["maxAttempts"], 1, 100))
  );
}

function validExamPatch(v: unknown): boolean {
  if (!isObj(v)) return false;
  return (
    (v["title"] === undefined || label(v["title"], 200)) &&
    (v["description"] === undefined || text(v["description"], 0, 5000)) &&
    (v["durationMinutes"] === undefined || isInt(v["durationMinutes"], 1, 1440)) &&
    (v["maxAttempts"] === undefined || isInt(v["maxAttempts"], 1, 100)) &&
    (v["version"] === undefined || isInt(v["version"], 1, 2 ** 31 - 1))
  );
}

type Kind = "single" | "multiple" | "text";
const KINDS: readonly Kind[] = ["single", "multiple", "text"];
interface QBody {
  kind: Kind;
  text: string;
  points: number;
  choices?: string[];
  correct?: number | number[];
  accepted?: string[];
}
const KIND_FIELDS: Record<Kind, readonly string[]> = {
  single: ["kind", "text", "points", "choices", "correct"],
  multiple: ["kind", "text", "points", "choices", "correct"],
  text: ["kind", "text", "points", "accepted"],
};

/** A question with its answer key, as POST …/questions takes it; the stored form (points defaulted), or null. */
function validQuestion(v: unknown): QBody | null {
  if (!isObj(v) || !KINDS.includes(v["kind"] as Kind)) return null;
  const kind = v["kind"] as Kind;
  // docs: a field of another kind of question (`choices` on a text question) is a 422, never dropped.
  if (["choices", "correct", "accepted"].some((f) => v[f] !== undefined && !KIND_FIELDS[kind].includes(f))) return null;
  if (!text(v["text"], 1, 2000)) return null;
  const points = v["points"] === undefined ? 1 : v["points"];
  if (!isInt(points, 0, 1000)) return null;
  if (kind === "text") {
    const acc = v["accepted"];
    if (!Array.isArray(acc) || acc.length < 1 || acc.length > 20 || !acc.every((a) => text(a, 1, 200))) return null;
    return { kind, text: v["text"] as string, points, accepted: acc as string[] };
  }
  const ch = v["choices"];
  if (!Array.isArray(ch) || ch.length < 2 || ch.length > 20 || !ch.every((c) => text(c, 1, 500)) || !distinct(ch)) return null;
  const c = v["correct"];
  if (kind === "single") {
    if (!isInt(c, 0, ch.length - 1)) return null;
    return { kind, text: v["text"] as string, points, choices: ch as string[], correct: c };
  }
  if (!Array.isArray(c) || c.length < 1 || c.length > 20 || !distinct(c) || !c.every((i) => isInt(i, 0, ch.length - 1))) return null;
  return { kind, text: v["text"] as string, points, choices: ch as string[], correct: c as number[] };
}

/** Problems with a PATCH body that need no stored question (types of the fields it sends). */
function patchShapeOk(v: unknown): boolean {
  if (!isObj(v)) return false;
  if (v["kind"] !== undefined && !KINDS.includes(v["kind"] as Kind)) return false;
  if (v["text"] !== undefined && !text(v["text"], 1, 2000)) return false;
  if (v["points"] !== undefined && !isInt(v["points"], 0, 1000)) return false;
  if (v["choices"] !== undefined && (!Array.isArray(v["choices"]) || v["choices"].length > 20)) return false;
  if (v["correct"] !== undefined && typeof v["correct"] !== "number" && (!Array.isArray(v["correct"]) || v["correct"].length > 20)) return false;
  if (v["accepted"] !== undefined && (!Array.isArray(v["accepted"]) || v["accepted"].length > 20)) return false;
  if (v["version"] !== undefined && !isInt(v["version"], 1, 2 ** 31 - 1)) return false;
  return true;
}

/** The question a PATCH makes (docs: changing `kind` keeps only text/points; a field of another kind is a 422). */
function mergeQuestion(cur: QBody, patch: Record<string, unknown>): QBody | null {
  const changes = Object.fromEntries(Object.entries(patch).filter(([k, v]) => k !== "version" && v !== undefined));
  const kind = (changes["kind"] as Kind | undefined) ?? cur.kind;
  if (Object.keys(changes).some((k) => !KIND_FIELDS[kind].includes(k))) return null;
  const base: Record<string, unknown> = kind !== cur.kind ? { kind, text: cur.text, points: cur.points } : { ...cur };
  return validQuestion({ ...base, ...changes });
}

function validFile(v: unknown): boolean {
  if (!isObj(v)) return false;
  const name = v["fileName"];
  const type = v["contentType"];
  const ext: Record<string, readonly string[]> = { "application/pdf": [".pdf"], "image/png": [".png"], "image/jpeg": [".jpg", ".jpeg"] };
  if (!label(name, 255) || typeof type !== "string" || !(type in ext)) return false;
  if (!isInt(v["size"], 1, 10 * 1024 * 1024)) return false;
  const lower = (name as string).toLowerCase();
  return ext[type]!.some((e) => lower.endsWith(e) && lower.length > e.length);
}

function validProfilePatch(v: unknown): boolean {
  return isObj(v) && label(v["displayName"], 100) && (v["version"] === undefined || isInt(v["version"], 1, 2 ** 31 - 1));
}

/** Grading: NFKC, trimmed, inner whitespace collapsed, lower case with ß folded to ss. */
const norm = (s: string) => s.normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase().replaceAll("ß", "ss");

function isRight(q: QBody, a: unknown): boolean {
  if (a === undefined) return false;
  if (q.kind === "single") return a === q.correct;
  if (q.kind === "multiple") {
    const want = q.correct as number[];
    return Array.isArray(a) && a.length === want.length && a.every((i) => want.includes(i as number));
  }
  return typeof a === "string" && q.accepted!.some((x) => norm(x) === norm(a));
}

/** Is this a valid answer to this question (docs: wrong shape, index out of range, 1–20 distinct indexes, text ≤ 1000)? */
function answerFits(q: QBody, a: unknown): boolean {
  if (q.kind === "single") return isInt(a, 0, q.choices!.length - 1);
  if (q.kind === "multiple") return Array.isArray(a) && a.length >= 1 && a.length <= 20 && distinct(a) && a.every((i) => isInt(i, 0, q.choices!.length - 1));
  return typeof a === "string" && a.length <= 1000 && !CONTROL.test(a);
}

// ---- the model --------------------------------------------------------------------------------------------

interface MExam {
  ref: number;
  id: string;
  owner: U;
  title: string;
  description: string;
  durationMinutes: number;
  maxAttempts: number;
  /** `publishing` only while a test holds a publish half-way (docs: read-only, only the owner sees it). */
  status: "draft" | "publishing" | "published" | "deleted";
  version: number;
  /** Live questions, in creation order. */
  questions: number[];
  files: number[];
  pubSeq: number;
}
interface MQuestion {
  ref: number;
  id: string;
  exam: number;
  body: QBody;
  version: number;
  live: boolean;
}
type Upload = "none" | "ok" | "magic" | "size" | "type";
interface MFile {
  ref: number;
  id: string;
  exam: number;
  fileName: string;
  contentType: string;
  size: number;
  status: "pending" | "ready";
  upload: Upload;
  url: string;
  headers: Record<string, string>;
  /** Removed by DELETE /exams/{examId}/files/{fileId}. */
  gone?: true;
}
interface Result {
  score: number;
  maxScore: number;
  questions: Array<{ questionId: string; points: number; earned: number; correct: boolean }>;
}
interface MAttempt {
  ref: number;
  id: string;
  exam: number;
  student: U;
  status: "open" | "submitted";
  answers: Record<string, unknown>;
  deadline: number;
  result?: Result;
  submitted?: unknown;
}
interface Stored {
  /** When it was stored (the model's clock): a key is remembered for 24 hours. */
  at: number;
  fp: string;
  status: number;
  body: unknown;
  location: string | undefined;
  etag: string | undefined;
}

class Model {
  exams = new Map<number, MExam>();
  questions = new Map<number, MQuestion>();
  files = new Map<number, MFile>();
  attempts = new Map<number, MAttempt>();
  /** Attempts started per `<student>|<exam ref>` (what maxAttempts counts). */
  starts = new Map<string, number>();
  profiles = new Map<U, { displayName: string; version: number }>();
  idem = new Map<string, Stored>();
  pubCounter = 0;
  /** `<path>|<sub>` → ETag → the representation it named. */
  etags = new Map<string, Map<string, string>>();
  labels = new Map<string, string>();

  exam(r: Ref): MExam | undefined {
    return typeof r === "number" ? this.exams.get(r) : undefined;
  }
  question(r: Ref): MQuestion | undefined {
    return typeof r === "number" ? this.questions.get(r) : undefined;
  }
  file(r: Ref): MFile | undefined {
    return typeof r === "number" ? this.files.get(r) : undefined;
  }
  attempt(r: Ref): MAttempt | undefined {
    return typeof r === "number" ? this.attempts.get(r) : undefined;
  }
  idOf(r: Ref, kind: "exam" | "question" | "file" | "attempt"): string {
    if (r === "ghost") return GHOST;
    if (typeof r === "string") return r.slice(4);
    const x = kind === "exam" ? this.exams.get(r) : kind === "question" ? this.questions.get(r) : kind === "file" ? this.files.get(r) : this.attempts.get(r);
    return x?.id ?? GHOST;
  }
  openAttempt(student: U, examRef: number): MAttempt | undefined {
    for (const a of this.attempts.values()) if (a.student === student && a.exam === examRef && a.status === "open") return a;
    return undefined;
  }
  liveQuestions(e: MExam): MQuestion[] {
    return e.questions.map((r) => this.questions.get(r)!);
  }
}

// ---- ops (data, so a sequence can be replayed and shrunk) ------------------------------------------------

type IfMatch = "none" | "cur" | "bare" | "weak" | "stale" | "star" | "bad";
type BodyVer = "none" | "cur" | "stale";
type Body = { json: unknown } | { raw: string; ct?: string };
type AnswerIntent = "right" | "wrong" | "variant" | "shape" | "range" | "emptyMulti" | "dupMulti" | "long" | "ctrl" | "cjk";
interface Sheet {
  entries: Array<{ q: Ref; how: AnswerIntent; n: number }>;
  /** Extra keys: an unknown (well-formed) id, a malformed key, or 101 answers. */
  extra?: "unknown" | "badKey" | "tooMany" | "manyUnknown";
}
type ListSpec = { u: U; kind: "exams"; status?: string } | { u: U; kind: "attempts"; e: Ref } | { u: U; kind: "files"; e: Ref };
/** Two requests that overlap: one is held at a DynamoDB write (test-api.ts hold()) while the other runs. */
type Race = "patch2" | "submit2" | "start2" | "addPublish" | "idem2" | "publish2" | "deletePublish" | "heldPublish" | "heldDelete";
type Misc = "405" | "404" | "health" | "openapi" | "preflight" | "csv" | "414";

interface Base {
  id: number;
  u: U;
  /** Milliseconds the clock moves before the op. */
  dt: number;
}
type Op = Base &
  (
    | { k: "createExam"; body: Body; key?: string }
    | { k: "getExam"; e: Ref; head?: boolean; inm?: "cur" | "stale" }
    | { k: "patchExam"; e: Ref; body: Body; im: IfMatch; bv: BodyVer }
    | { k: "deleteExam"; e: Ref; im: IfMatch }
    | { k: "publish"; e: Ref; im: IfMatch }
    | { k: "listExams"; status?: string; limit?: string; head?: boolean }
    | { k: "addQuestion"; e: Ref; body: Body; key?: string }
    | { k: "listQuestions"; e: Ref; head?: boolean }
    | { k: "getQuestion"; e: Ref; q: Ref; inm?: "cur" | "stale" }
    | { k: "patchQuestion"; e: Ref; q: Ref; body: Body; im: IfMatch; bv: BodyVer }
    | { k: "deleteQuestion"; e: Ref; q: Ref; im: IfMatch }
    | { k: "startAttempt"; e: Ref }
    | { k: "putAnswers"; a: Ref; sheet?: Sheet; body?: Body }
    | { k: "submit"; a: Ref }
    | { k: "getAttempt"; a: Ref }
    | { k: "listAttempts"; e: Ref; limit?: string }
    | { k: "createFile"; e: Ref; body: Body; key?: string }
    | { k: "upload"; f: Ref; mode: Exclude<Upload, "none"> }
    | { k: "complete"; e: Ref; f: Ref }
    | { k: "listFiles"; e: Ref; limit?: string }
    | { k: "getFile"; e: Ref; f: Ref; download?: boolean }
    | { k: "deleteFile"; e: Ref; f: Ref; im: IfMatch }
    | { k: "getMe"; head?: boolean; inm?: "cur" | "stale" }
    | { k: "patchMe"; body: Body; im: IfMatch; bv: BodyVer }
    | { k: "advance"; ms: number }
    | { k: "cursor"; from: ListSpec; to: ListSpec }
    | { k: "badCursor"; list: ListSpec; cursor: string }
    | { k: "misc"; what: Misc; e: Ref }
    | { k: "race"; what: Race; e: Ref; a: Ref; order: 0 | 1; body?: Body; key?: string }
    | { k: "audit" }
    | { k: "fill"; e: Ref }
  );
type OpOf<K extends Op["k"]> = Extract<Op, { k: K }>;

// ---- expected outcomes ------------------------------------------------------------------------------------

const TAG = (s: string) => `tag:exambuddy,2026:${s}`;
const TAGS = ["stale-version", "read-only", "conflict", "attempt-open", "time-up", "already-submitted", "limit-reached", "no-attempts-left"].map(TAG);

interface Outcome {
  /** Statuses the docs allow here. */
  allow: number[];
  /** The problem types the docs name, per status. */
  types?: Record<number, string[]>;
  why: string;
  /** On a 2xx: apply the change to the model and check the body. */
  then?: (res: Res) => void | Promise<void>;
  /** On an error status: extra checks (extensions). */
  onError?: (res: Res) => void;
  /** On any accepted status. */
  always?: (res: Res) => void;
  replay?: Stored;
  /** Every 422 this outcome allows is a validation failure (Conventions: a 422 with `errors`). */
  validation?: boolean;
  /** The request reached the Idempotency-Key stage with this key: its response is stored. */
  keyStage?: { id: string; fp: string };
}

const err = (status: number, why: string, type?: string | string[]): Outcome => ({ allow: [status], why, ...(type ? { types: { [status]: Array.isArray(type) ? type : [type] } } : {}) });
const v422 = (why: string): Outcome => ({ allow: [422], why, validation: true });
const ok = (status: number, why: string, then?: (res: Res) => void | Promise<void>): Outcome => ({ allow: [status], why, ...(then ? { then } : {}) });

/** Any of these (the docs leave the order open); never a change of state unless one is a success. */
function either(...outs: Outcome[]): Outcome {
  const [first, ...rest] = outs;
  if (rest.length === 0) return first!;
  const allow = [...new Set(outs.flatMap((o) => o.allow))];
  const types: Record<number, string[]> = {};
  const typed = new Set<number>();
  for (const o of outs) {
    for (const s of o.allow) {
      const t = o.types?.[s];
      if (t === undefined) typed.add(s); // one outcome names no type for this status: any type
      else types[s] = [...new Set([...(types[s] ?? []), ...t])];
    }
  }
  for (const s of typed) delete types[s];
  const success = outs.find((o) => o.then);
  const validation = outs.filter((o) => o.allow.includes(422)).every((o) => o.validation === true);
  const onErrors = outs.filter((o) => o.onError).map((o) => o.onError!);
  return {
    allow,
    types,
    why: outs.map((o) => o.why).join(" | "),
    ...(validation ? { validation } : {}),
    ...(success?.then ? { then: success.then } : {}),
    ...(onErrors.length ? { onError: (res: Res) => onErrors.forEach((f) => f(res)) } : {}),
  };
}

class Disagreement extends Error {
  constructor(
    readonly sig: string,
    message: string,
  ) {
    super(message);
  }
}

// ---- running a sequence -----------------------------------------------------------------------------------

interface Tally {
  ops: Map<string, number>;
  statuses: Map<string, Map<number, number>>;
}
const newTally = (): Tally => ({ ops: new Map(), statuses: new Map() });

interface Req {
  u: U;
  route: string;
  method: string;
  path: string;
  raw?: string;
  ct?: string;
  headers?: Record<string, string>;
}

interface Ctx {
  api: TestApi;
  m: Model;
  log: string[];
  tally: Tally;
  op: Op;
  /** The route of the request being checked (names a disagreement). */
  route: string;
  /** Index of the op being run. */
  index: number;
  soft: Failure[];
}

let s3client: S3Client | undefined;
const s3 = () => (s3client ??= new S3Client({ forcePathStyle: true, requestChecksumCalculation: "WHEN_REQUIRED" }));
afterAll(() => s3client?.destroy());

function show(ctx: Ctx, s: string): string {
  let out = s;
  for (const [id, name] of ctx.m.labels) out = out.split(id).join(`{${name}}`);
  return out.split(GHOST).join("{ghost}");
}
const trunc = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s);
const brief = (body: unknown) => trunc(typeof body === "string" ? body : JSON.stringify(body) ?? "", 300);

function fail(ctx: Ctx, check: string, message: string): never {
  throw new Disagreement(`${ctx.route} ${check}`, `${ctx.route}: ${check}: ${show(ctx, message)}`);
}

/** A disagreement that leaves the model in step (a header, a problem's shape, an ETag): noted, and the sequence goes on. */
function soft(ctx: Ctx, check: string, message: string, anyRoute = false): void {
  const sig = anyRoute ? check : `${ctx.route} ${check}`;
  if (!ctx.soft.some((f) => f.sig === sig)) ctx.soft.push({ sig, message: `${ctx.route}: ${check}: ${show(ctx, message)}`, index: ctx.index });
}

/** Canonical JSON (sorted keys) for comparing representations. */
function canon(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canon).join(",")}]`;
  if (isObj(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canon(v[k])}`).join(",")}}`;
  return JSON.stringify(v) ?? "undefined";
}
const same = (a: unknown, b: unknown) => canon(a) === canon(b);

const INTERNAL = [
  /\n\s+at /,
  /\bat [\w$.<>]+ \(/,
  /node_modules/,
  /\.[tj]s:\d+/,
  /Exception/,
  /TypeError|ReferenceError|RangeError|SyntaxError/,
  /dynalite|s3rver/i,
  /GSI1|USER#|EXAM#|ATTEMPT#|IDEM#|OPEN#|PUBLISHED#|"PK"|"SK"/,
  /\[object Object\]/,
  /\bNaN\b/,
];

async function send(ctx: Ctx, req: Req): Promise<Res> {
  const { api, m } = ctx;
  // The docs leave "at the deadline" open: never call exactly at one.
  while ([...m.attempts.values()].some((a) => a.status === "open" && a.deadline === api.clock.now)) api.clock.now += 1;
  const headers: Record<string, string> = { ...req.headers };
  if (req.ct !== undefined) headers["content-type"] = req.ct;
  const res = await api.call(req.method, req.path, {
    ...(req.u !== "anon" ? { as: CLAIMS[req.u] } : {}),
    ...(req.raw !== undefined ? { raw: req.raw } : {}),
    ...(Object.keys(headers).length ? { headers } : {}),
  });
  const hs = Object.entries(req.headers ?? {})
    .map(([k, v]) => ` ${k}: ${v}`)
    .join("");
  const ct = req.ct !== undefined ? ` content-type: ${req.ct}` : "";
  const line = `${req.u.padEnd(4)} ${req.method} ${trunc(req.path, 120)}${hs}${ct}${req.raw !== undefined ? ` ${trunc(req.raw)}` : ""}  → ${res.status}${res.headers["idempotent-replayed"] ? " (replayed)" : ""}`;
  ctx.log.push(show(ctx, line));
  const t = ctx.tally.statuses.get(req.route) ?? new Map<number, number>();
  t.set(res.status, (t.get(res.status) ?? 0) + 1);
  ctx.tally.statuses.set(req.route, t);
  invariants(ctx, req, res);
  return res;
}

/** What holds for every response. */
function invariants(ctx: Ctx, req: Req, res: Res): void {
  if (res.status >= 500) fail(ctx, "5xx", `a client's call answered ${res.status}: ${brief(res.body)}`);
  if (!res.headers["x-request-id"]) soft(ctx, "x-request-id", "no x-request-id header");
  const head = req.method === "HEAD";
  if (res.status === 401 && res.headers["www-authenticate"] !== "Bearer") soft(ctx, "401 WWW-Authenticate", `www-authenticate: ${res.headers["www-authenticate"]}`);
  if (res.status === 405 && !res.headers["allow"]) soft(ctx, "405 Allow", "405 without Allow");
  const scrubbed = JSON.stringify(res.body ?? "", (k, v: unknown) => (k === "url" ? "<url>" : v));
  if (req.route !== "GET /openapi.json") for (const re of INTERNAL) if (re.test(scrubbed)) soft(ctx, "internal detail in body", `${re} matches ${brief(res.body)}`);
  if (res.status >= 400 && !head) {
    if (!res.headers["content-type"]?.startsWith("application/problem+json")) soft(ctx, "problem+json", `content-type ${res.headers["content-type"]} for ${res.status}`);
    const p = res.body;
    if (!isObj(p) || typeof p["type"] !== "string" || typeof p["title"] !== "string" || p["status"] !== res.status || typeof p["detail"] !== "string" || typeof p["requestId"] !== "string") {
      soft(ctx, `problem fields (${res.status})`, `a problem needs type, title, status, detail, requestId: ${brief(p)}`, true);
      return;
    }
    if (!res.headers["idempotent-replayed"] && p["requestId"] !== res.headers["x-request-id"]) soft(ctx, "problem requestId", `requestId ${String(p["requestId"])} ≠ x-request-id ${res.headers["x-request-id"]}`);
    const type = p["type"] as string;
    if (res.status !== 409 && res.status !== 412 && type !== "about:blank") soft(ctx, "problem type about:blank", `a ${res.status} with type ${type} (docs: other problems use about:blank)`);
    if ((res.status === 409 || res.status === 412) && type !== "about:blank" && !TAGS.includes(type)) soft(ctx, "problem type", `unknown type ${type}`);
    if (type === TAG("stale-version") && typeof p["currentVersion"] !== "number") soft(ctx, "stale-version currentVersion", brief(p));
    if (type === TAG("attempt-open") && typeof p["attemptId"] !== "string") soft(ctx, "attempt-open attemptId", brief(p));
    if (type === TAG("time-up") && typeof p["deadline"] !== "string") soft(ctx, "time-up deadline", brief(p));
    if (type === TAG("limit-reached") && typeof p["limit"] !== "number") soft(ctx, "limit-reached limit", brief(p));
    if (type === TAG("no-attempts-left") && typeof p["maxAttempts"] !== "number") soft(ctx, "no-attempts-left maxAttempts", brief(p));
    if (res.status === 413 && typeof p["limit"] !== "number") soft(ctx, "413 limit", brief(p));
    if (res.status === 422 && p["errors"] !== undefined) {
      const errors = p["errors"];
      if (!Array.isArray(errors) || errors.length === 0 || errors.length > 20) soft(ctx, "422 errors", `errors must list 1–20 issues: ${brief(p)}`);
      else {
        for (const e of errors as unknown[]) {
          if (!isObj(e) || typeof e["path"] !== "string" || typeof e["message"] !== "string" || !/^(params|query|headers|body)(\.|$)/.test(e["path"])) soft(ctx, "422 issue shape", `issue ${brief(e)}`);
        }
      }
    }
  }
  if (res.status === 400 && req.raw?.includes("ZQXMARK") && JSON.stringify(res.body ?? "").includes("ZQXMARK")) soft(ctx, "400 quotes the body", brief(res.body));
  if (res.status < 300 && !head && res.status !== 204 && req.route !== "GET /openapi.json" && !res.headers["content-type"]?.includes("json")) {
    soft(ctx, "json content-type", `content-type ${res.headers["content-type"]}`);
  }
  // Answer keys: a student or a user without a role never sees one; `correct` only as a graded boolean.
  if (ROLE[req.u] !== "teacher" && res.body !== undefined && req.route !== "GET /openapi.json") noKeys(ctx, res.body, false);
}

function noKeys(ctx: Ctx, v: unknown, inResult: boolean): void {
  if (Array.isArray(v)) return v.forEach((x) => noKeys(ctx, x, inResult));
  if (!isObj(v)) return;
  for (const [k, x] of Object.entries(v)) {
    if (k === "accepted") soft(ctx, "answer key shown", `"accepted" in a non-owner's response`);
    if (k === "correct" && !(inResult && typeof x === "boolean")) soft(ctx, "answer key shown", `"correct": ${JSON.stringify(x)} in a non-owner's response`);
    noKeys(ctx, x, inResult || k === "result");
  }
}

/** A strong ETag names one representation: the same ETag for the same resource and caller means the same body. */
function etagSeen(ctx: Ctx, path: string, u: U, etag: string | undefined, body: unknown): void {
  if (etag === undefined) return;
  const key = `${path}|${sub(u)}`;
  const seen = ctx.m.etags.get(key) ?? new Map<string, string>();
  const c = canon(body);
  const before = seen.get(etag);
  if (before !== undefined && before !== c) {
    const old = JSON.parse(before) as Record<string, unknown>;
    const now = body as Record<string, unknown>;
    const diff = [...new Set([...Object.keys(old), ...Object.keys(now)])].filter((k) => canon(old[k]) !== canon(now[k])).map((k) => `${k}: ${canon(old[k])} → ${canon(now[k])}`);
    soft(ctx, "ETag kept for another representation", `ETag ${etag} of ${path} named two representations (${trunc(diff.join("; "), 400)})`);
  }
  seen.set(etag, c);
  ctx.m.etags.set(key, seen);
}

async function expectOutcome(ctx: Ctx, req: Req, res: Res, out: Outcome): Promise<void> {
  if (!out.allow.includes(res.status)) fail(ctx, `status ∉ [${out.allow.join(",")}] (${out.why})`, `${req.method} ${req.path} expected ${out.allow.join("/")} (${out.why}), got ${res.status} ${brief(res.body)}`);
  const types = out.types?.[res.status];
  if (types && res.status >= 400 && req.method !== "HEAD" && !types.includes((res.body as { type?: string })?.type ?? "")) {
    fail(ctx, `problem type for ${res.status}`, `expected type ${types.join(" or ")} (${out.why}), got ${brief(res.body)}`);
  }
  const replayed = res.headers["idempotent-replayed"];
  if (out.replay) {
    const s = out.replay;
    if (replayed !== "true") fail(ctx, "idempotent replay", `a repeat with the same Idempotency-Key and body must be replayed (idempotent-replayed: true); got ${res.status} ${brief(res.body)}`);
    if (res.status !== s.status || !same(res.body, s.body) || res.headers["location"] !== s.location || res.headers["etag"] !== s.etag) {
      fail(ctx, "idempotent replay", `the replay differs from the first answer: ${s.status} ${brief(s.body)} vs ${res.status} ${brief(res.body)}`);
    }
    return;
  }
  if (res.status === 422 && out.validation && req.method !== "HEAD" && !Array.isArray((res.body as { errors?: unknown })?.errors)) soft(ctx, "422 without errors", `a validation 422 must list errors [{ path, message }]: ${brief(res.body)}`);
  if (replayed !== undefined) fail(ctx, "unexpected replay", `idempotent-replayed on a request the model did not expect to be replayed (${out.why})`);
  if (out.keyStage && res.status < 500) {
    ctx.m.idem.set(out.keyStage.id, { at: ctx.api.clock.now, fp: out.keyStage.fp, status: res.status, body: res.body, location: res.headers["location"], etag: res.headers["etag"] });
  }
  out.always?.(res);
  if (req.method === "HEAD") {
    if (res.size !== 0) fail(ctx, "HEAD body", `HEAD answered with ${res.size} bytes`);
    return;
  }
  if (res.status < 300) await out.then?.(res);
  else out.onError?.(res);
}

// ---- shared gates -----------------------------------------------------------------------------------------

const bytesOf = (b: Body): string => ("json" in b ? JSON.stringify(b.json) : b.raw);
const ctOf = (b: Body): string => ("json" in b ? "application/json" : (b.ct ?? "application/json"));
const isJsonCt = (ct: string) => /^\s*application\/(?:[^;\s]*\+)?json\s*(?:;|$)/i.test(ct);
const utf8 = (s: string) => Buffer.byteLength(s, "utf8");
function parsed(b: Body): { ok: true; value: unknown } | { ok: false } {
  if ("json" in b) return { ok: true, value: b.json };
  try {
    return { ok: true, value: JSON.parse(b.raw) };
  } catch {
    return { ok: false };
  }
}

/** Published, or being published: read-only. */
const isReadOnly = (e: MExam) => e.status === "published" || e.status === "publishing";

/** The exam in the path of an owner-only route: missing → 404, someone else's draft → 404, their published exam → 403 (or 404). */
function ownership(m: Model, u: U, r: Ref): Outcome | null {
  const e = m.exam(r);
  if (!e || e.status === "deleted") return err(404, "no such exam");
  if (e.owner === u) return null;
  if (e.status === "draft") return err(404, "someone else's draft");
  return either(err(403, "someone else's exam"), err(404, "someone else's exam"));
}

/** An exam the caller may read: the owner any, others only published (a draft is a 404). */
function readable(m: Model, u: U, r: Ref): { e: MExam; owner: boolean } | Outcome {
  const e = m.exam(r);
  if (!e || e.status === "deleted") return err(404, "no such exam");
  if (e.owner === u) return { e, owner: true };
  if (e.status !== "published") return err(404, "someone else's draft");
  return { e, owner: false };
}
const isOutcome = (x: unknown): x is Outcome => isObj(x) && Array.isArray((x as { allow?: unknown }).allow);

/** Routes with a body: role (403), size (413), JSON (400), ownership (404/403), Idempotency-Key, then validation (415/422), then the route. */
function bodyPipeline(
  ctx: Ctx,
  p: {
    u: U;
    role?: Role;
    cap: number;
    body: Body;
    owner?: () => Outcome | null;
    key?: { header: string; fp: string };
    valid: () => Outcome | null;
    handle: () => Outcome;
  },
): Outcome {
  if (p.u === "anon") return err(401, "no claims");
  if (p.role && ROLE[p.u] !== p.role) return err(403, `only ${p.role}s`);
  const bytes = bytesOf(p.body);
  if (utf8(bytes) > p.cap) return err(413, `body over ${p.cap} bytes`);
  if (isJsonCt(ctOf(p.body)) && bytes.length > 0 && !parsed(p.body).ok) return err(400, "malformed JSON");
  const owned = p.owner?.();
  if (owned) return owned;
  if (p.key) {
    const match = /^"?([\x21\x23-\x7e]{1,255})"?$/.exec(p.key.header.trim());
    if (!match) return err(400, "malformed Idempotency-Key");
    const id = `${sub(p.u)}\n${match[1]}`;
    const kept = ctx.m.idem.get(id);
    const stored = kept && ctx.api.clock.now - kept.at < 24 * 3600_000 ? kept : undefined;
    if (stored) return stored.fp === p.key.fp ? { allow: [stored.status], why: "replay of the stored response", replay: stored } : err(422, "Idempotency-Key reused for another request");
    return { ...(p.valid() ?? p.handle()), keyStage: { id, fp: p.key.fp } };
  }
  return p.valid() ?? p.handle();
}

/** Routes without a body: validation of params/query/headers (422) and the route's own checks, in an order the docs leave open. */
function plainPipeline(u: U, invalid: string | null, handle: () => Outcome): Outcome {
  if (u === "anon") return err(401, "no claims");
  const b = handle();
  if (invalid === null) return b;
  const a = v422(invalid);
  return b.allow.some((s) => s >= 400) ? either(a, { ...b, allow: b.allow.filter((s) => s >= 400) }) : a;
}

function bodyValidation(b: Body, extra: string | null, valid: (v: unknown) => boolean): Outcome | null {
  // Path, headers and body are validated at one stage; which problem comes first is not documented.
  if (extra) return isJsonCt(ctOf(b)) ? v422(extra) : either(v422(extra), err(415, "not JSON"));
  if (!isJsonCt(ctOf(b))) return err(415, "not JSON");
  const p = parsed(b);
  if (!p.ok || !valid(p.value)) return v422("invalid body");
  return null;
}

function ifMatchHeader(im: IfMatch, version: number | undefined): { header?: string; value?: number | "*"; malformed?: boolean } {
  const v = version ?? 1;
  switch (im) {
    case "none":
      return {};
    case "cur":
      return { header: `"${v}"`, value: v };
    case "bare":
      return { header: `${v}`, value: v };
    case "weak":
      return { header: `W/"${v}"`, value: v };
    case "stale":
      return { header: `"${v + 1}"`, value: v + 1 };
    case "star":
      return { header: "*", value: "*" };
    case "bad":
      return { header: ["W/3", '"3', '3"', '"3", "4"', "abc"][v % 5]!, malformed: true };
  }
}
const bodyVersion = (bv: BodyVer, version: number | undefined): number | undefined => (bv === "none" ? undefined : bv === "cur" ? (version ?? 1) : (version ?? 1) + 1);
const withVersion = (b: Body, v: number | undefined): Body => ("json" in b && isObj(b.json) && v !== undefined ? { json: { ...b.json, version: v } } : b);

/**
 * The documented version rules of a write: both sent and different → 400; required and none → 428 (`*` counts);
 * a stale one → 412 from If-Match, 409 stale-version from the body. Returns the applicable errors.
 */
function versionErrors(h: { value?: number | "*" }, body: number | undefined, current: number, required: boolean): Outcome[] {
  const out: Outcome[] = [];
  const hv = h.value;
  if (typeof hv === "number" && body !== undefined && hv !== body) out.push(err(400, "If-Match and body version differ"));
  if (required && hv === undefined && body === undefined) out.push(err(428, "version required"));
  if (typeof hv === "number" && hv !== current) out.push(err(412, "stale If-Match"));
  if (body !== undefined && body !== current && !(typeof hv === "number" && hv !== body)) {
    out.push({ ...err(409, "stale body version", TAG("stale-version")), onError: (res) => staleCurrent(res, current) });
  }
  return out;
}
function staleCurrent(res: Res, current: number): void {
  const p = res.body as { type?: string; currentVersion?: unknown };
  if (res.status === 409 && p.type === TAG("stale-version") && p.currentVersion !== current) {
    throw new Disagreement("stale-version currentVersion", `currentVersion ${String(p.currentVersion)}, the model holds ${current}`);
  }
}

// ---- representation checks --------------------------------------------------------------------------------

function want(ctx: Ctx, what: string, got: unknown, expected: unknown): void {
  if (!same(got, expected)) fail(ctx, `${what} differs`, `expected ${brief(expected)}, got ${brief(got)}`);
}

function checkExamFull(ctx: Ctx, body: unknown, e: MExam, etag?: string): void {
  if (!isObj(body)) fail(ctx, "exam body", brief(body));
  want(ctx, "exam", pick(body, ["examId", "title", "description", "durationMinutes", "maxAttempts", "status", "version", "questionCount"]), {
    examId: e.id,
    title: e.title,
    description: e.description,
    durationMinutes: e.durationMinutes,
    maxAttempts: e.maxAttempts,
    status: e.status,
    version: e.version,
    questionCount: e.questions.length,
  });
  if (e.status === "published" && typeof body["publishedAt"] !== "string") fail(ctx, "publishedAt", brief(body));
  if (etag !== undefined && etag !== `"${e.version}"`) fail(ctx, "exam ETag", `ETag ${etag} for version ${e.version}`);
}

function checkExamSummary(ctx: Ctx, body: unknown, e: MExam): void {
  if (!isObj(body)) fail(ctx, "summary body", brief(body));
  want(ctx, "published summary", pick(body, ["examId", "title", "description", "durationMinutes", "maxAttempts", "questionCount"]), {
    examId: e.id,
    title: e.title,
    description: e.description,
    durationMinutes: e.durationMinutes,
    maxAttempts: e.maxAttempts,
    questionCount: e.questions.length,
  });
  if (typeof body["publishedAt"] !== "string") fail(ctx, "publishedAt", brief(body));
}

function pick(o: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
}

function checkQuestion(ctx: Ctx, body: unknown, q: MQuestion, owner: boolean): void {
  if (!isObj(body)) fail(ctx, "question body", brief(body));
  const b = q.body;
  if (owner) {
    const expected: Record<string, unknown> = { questionId: q.id, kind: b.kind, text: b.text, points: b.points, version: q.version };
    if (b.kind === "text") expected["accepted"] = b.accepted;
    else Object.assign(expected, { choices: b.choices, correct: b.correct });
    want(ctx, "question (owner)", pick(body, ["questionId", "kind", "text", "points", "choices", "correct", "accepted", "version"]), expected);
  } else {
    const expected: Record<string, unknown> = { questionId: q.id, kind: b.kind, text: b.text, points: b.points };
    if (b.kind !== "text") expected["choices"] = b.choices;
    want(ctx, "question (non-owner)", pick(body, ["questionId", "kind", "text", "points", "choices", "correct", "accepted"]), expected);
  }
}

function grade(m: Model, e: MExam, answers: Record<string, unknown>): Result {
  let score = 0;
  let maxScore = 0;
  const questions = m.liveQuestions(e).map((q) => {
    const correct = isRight(q.body, answers[q.id]);
    const earned = correct ? q.body.points : 0;
    score += earned;
    maxScore += q.body.points;
    return { questionId: q.id, points: q.body.points, earned, correct };
  });
  return { score, maxScore, questions };
}

function checkAttempt(ctx: Ctx, body: unknown, a: MAttempt): void {
  const e = ctx.m.exams.get(a.exam)!;
  if (!isObj(body)) fail(ctx, "attempt body", brief(body));
  want(ctx, "attempt", pick(body, ["attemptId", "examId", "studentId", "status", "answers"]), {
    attemptId: a.id,
    examId: e.id,
    studentId: sub(a.student),
    status: a.status,
    answers: a.answers,
  });
  if (typeof body["deadline"] !== "string" || Date.parse(body["deadline"]) !== a.deadline) fail(ctx, "deadline", `deadline ${String(body["deadline"])}, expected ${new Date(a.deadline).toISOString()} (startedAt + durationMinutes)`);
  if (a.status === "open" && body["result"] !== undefined) fail(ctx, "result of an open attempt", brief(body));
  if (a.status === "submitted") {
    const r = body["result"];
    if (!isObj(r) || !Array.isArray(r["questions"])) fail(ctx, "result", `a submitted attempt needs its result: ${brief(body)}`);
    const exp = a.result!;
    const byId = (xs: Result["questions"]) => [...xs].sort((x, y) => (x.questionId < y.questionId ? -1 : 1));
    want(ctx, "grading result", { score: r["score"], maxScore: r["maxScore"], questions: byId(r["questions"] as Result["questions"]) }, { ...exp, questions: byId(exp.questions) });
  }
}

/** Walks every page of a listing: each page at most `limit` items, every item exactly once. */
async function walk(ctx: Ctx, req: Req, limit: number): Promise<{ items: unknown[]; first: Res } | { first: Res }> {
  const items: unknown[] = [];
  let path = req.path;
  let first: Res | undefined;
  for (let page = 0; page < 60; page++) {
    const res = await send(ctx, { ...req, path });
    first ??= res;
    if (res.status !== 200 || req.method === "HEAD") return { first };
    const b = res.body as { items?: unknown; next?: unknown };
    if (!isObj(b) || !Array.isArray(b.items) || !(b.next === null || typeof b.next === "string")) fail(ctx, "page shape", `{ items, next } expected: ${brief(b)}`);
    if (b.items.length > limit) fail(ctx, "page size", `${b.items.length} items on a page of limit ${limit}`);
    items.push(...b.items);
    if (b.next === null) return { items, first };
    const sep = req.path.includes("?") ? "&" : "?";
    path = `${req.path}${sep}cursor=${b.next}`;
  }
  fail(ctx, "pagination", "more than 60 pages");
}

function exactlyOnce(ctx: Ctx, items: unknown[], idKey: string, expectedIds: string[], ordered: boolean): void {
  const ids = items.map((i) => (isObj(i) ? String(i[idKey]) : "?"));
  if (new Set(ids).size !== ids.length) fail(ctx, "pagination duplicates", `an item came twice: ${ids.join(",")}`);
  const a = ordered ? ids : [...ids].sort();
  const b = ordered ? expectedIds : [...expectedIds].sort();
  if (!same(a, b)) fail(ctx, `listing ${ordered ? "content/order" : "content"}`, `expected ${b.join(",") || "(none)"}, got ${a.join(",") || "(none)"}`);
}

function limitOf(limit: string | undefined): { ok: boolean; n: number } {
  if (limit === undefined) return { ok: true, n: 20 };
  if (!/^[0-9]+$/.test(limit)) return { ok: false, n: 20 };
  const n = Number(limit);
  return { ok: n >= 1 && n <= 100, n };
}
const q = (params: Record<string, string | undefined>): string => {
  const s = Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  return s ? `?${s}` : "";
};

// ---- executing ops ---------------------------------------------------------------------------------------

// Ops that change a draft's questions or files: each admitted change is a new version of the exam (docs,
// "Question and file changes": `version + 1`). How many versions a request makes (a DELETE of a question is
// admitted, then counted down; a failed add is taken back) is not the docs' to say: after such an op the model
// reads each draft's stored version, which may only have grown, and must have if the op changed the draft.
const ADMITTING = new Set<Op["k"]>(["addQuestion", "patchQuestion", "deleteQuestion", "createFile", "deleteFile", "fill", "race"]);

async function exec(ctx: Ctx, op: Op): Promise<void> {
  if (!ADMITTING.has(op.k)) return execOp(ctx, op);
  const shape = (e: MExam) => `${e.questions.join(",")}|${e.files.join(",")}|${e.questions.map((ref) => ctx.m.questions.get(ref)?.version).join(",")}`;
  const before = new Map([...ctx.m.exams].map(([ref, e]) => [ref, shape(e)]));
  await execOp(ctx, op);
  for (const [ref, e] of ctx.m.exams) {
    if (e.status !== "draft") continue;
    const stored = await getStoredExam(ctx.api.store, e.id);
    if (!stored) continue;
    if (stored.version < e.version) fail(ctx, "exam version", `the stored version ${stored.version} is below the ${e.version} the model saw`);
    if (before.get(ref) !== undefined && before.get(ref) !== shape(e) && stored.version === e.version) fail(ctx, "exam version", `the draft's questions or files changed, its version stayed ${e.version}`);
    e.version = stored.version;
  }
}

async function execOp(ctx: Ctx, op: Op): Promise<void> {
  const { api } = ctx;
  api.clock.now += op.dt;
  ctx.op = op;
  ctx.tally.ops.set(op.k, (ctx.tally.ops.get(op.k) ?? 0) + 1);
  switch (op.k) {
    case "createExam":
      return createExam(ctx, op);
    case "getExam":
      return getExam(ctx, op);
    case "patchExam":
      return patchExam(ctx, op);
    case "deleteExam":
      return deleteExam(ctx, op);
    case "publish":
      return publish(ctx, op);
    case "listExams":
      return listExams(ctx, op);
    case "addQuestion":
      return addQuestion(ctx, op);
    case "listQuestions":
      return listQuestions(ctx, op);
    case "getQuestion":
      return getQuestion(ctx, op);
    case "patchQuestion":
      return patchQuestion(ctx, op);
    case "deleteQuestion":
      return deleteQuestion(ctx, op);
    case "startAttempt":
      return startAttempt(ctx, op);
    case "putAnswers":
      return putAnswers(ctx, op);
    case "submit":
      return submit(ctx, op);
    case "getAttempt":
      return getAttempt(ctx, op);
    case "listAttempts":
      return listAttempts(ctx, op);
    case "createFile":
      return createFile(ctx, op);
    case "upload":
      return upload(ctx, op);
    case "complete":
      return complete(ctx, op);
    case "listFiles":
      return listFiles(ctx, op);
    case "getFile":
      return getFile(ctx, op);
    case "deleteFile":
      return deleteFile(ctx, op);
    case "getMe":
      return getMe(ctx, op);
    case "patchMe":
      return patchMe(ctx, op);
    case "advance":
      api.clock.now += op.ms;
      ctx.log.push(`     (the clock moves ${Math.round(op.ms / 1000)} s)`);
      return;
    case "cursor":
      return cursorAbuse(ctx, op);
    case "badCursor":
      return badCursor(ctx, op);
    case "misc":
      return misc(ctx, op);
    case "race":
      return race(ctx, op);
    case "audit":
      return audit(ctx, op);
    case "fill":
      return fill(ctx, op);
  }
}

async function run(ctx: Ctx, req: Req, out: Outcome): Promise<Res> {
  ctx.route = req.route;
  const res = await send(ctx, req);
  await expectOutcome(ctx, req, res, out);
  return res;
}

const keyHeader = (key: string | undefined): Record<string, string> => (key === undefined ? {} : { "idempotency-key": key });

async function createExam(ctx: Ctx, op: OpOf<"createExam">): Promise<void> {
  const { m } = ctx;
  const raw = bytesOf(op.body);
  const out = bodyPipeline(ctx, {
    u: op.u,
    role: "teacher",
    cap: 64 * 1024,
    body: op.body,
    ...(op.key !== undefined ? { key: { header: op.key, fp: `POST /exams\n${raw}` } } : {}),
    valid: () => bodyValidation(op.body, null, validExamCreate),
    handle: () =>
      ok(201, "a new draft", (res) => {
        const v = parsed(op.body) as { ok: true; value: Record<string, unknown> };
        const b = res.body as Record<string, unknown>;
        if (!isInt(b["version"], 1, 2 ** 31 - 1)) fail(ctx, "version", brief(b));
        const e: MExam = {
          ref: op.id,
          id: String(b["examId"]),
          owner: op.u,
          title: v.value["title"] as string,
          description: (v.value["description"] as string | undefined) ?? "",
          durationMinutes: v.value["durationMinutes"] as number,
          maxAttempts: (v.value["maxAttempts"] as number | undefined) ?? 1,
          status: "draft",
          version: b["version"] as number,
          questions: [],
          files: [],
          pubSeq: 0,
        };
        checkExamFull(ctx, b, e, res.headers["etag"]);
        // Docs (Conventions, Location): relative to the request URL; from /exams that is the exam's path without its `/`.
        if (res.headers["location"] !== `exams/${e.id}`) fail(ctx, "Location", `${res.headers["location"]}`);
        m.exams.set(op.id, e);
        m.labels.set(e.id, `E${op.id}`);
        etagSeen(ctx, `/exams/${e.id}`, op.u, res.headers["etag"], b);
      }),
  });
  await run(ctx, { u: op.u, route: "POST /exams", method: "POST", path: "/exams", raw, ct: ctOf(op.body), headers: keyHeader(op.key) }, out);
}

async function getExam(ctx: Ctx, op: OpOf<"getExam">): Promise<void> {
  const { m } = ctx;
  const id = m.idOf(op.e, "exam");
  const r = readable(m, op.u, op.e);
  const inm = op.inm && !isOutcome(r) ? (op.inm === "cur" ? `"${r.e.version}"` : `"${r.e.version + 7}"`) : undefined;
  const out = plainPipeline(op.u, isBad(op.e) ? "malformed id" : null, () => {
    if (isOutcome(r)) return r;
    const o = ok(200, r.owner ? "the owner's exam" : "the published summary", (res) => {
      if (res.status === 304) return;
      if (r.owner) {
        checkExamFull(ctx, res.body, r.e, res.headers["etag"]);
        etagSeen(ctx, `/exams/${id}`, op.u, res.headers["etag"], res.body);
      } else {
        checkExamSummary(ctx, res.body, r.e);
        etagSeen(ctx, `/exams/${id}`, op.u, res.headers["etag"], res.body);
      }
    });
    // If-None-Match is not in the docs: a 304 is fine when it names the current ETag.
    if (op.inm === "cur") o.allow.push(304);
    return o;
  });
  await run(ctx, { u: op.u, route: "GET /exams/:examId", method: op.head ? "HEAD" : "GET", path: `/exams/${id}`, ...(inm ? { headers: { "if-none-match": inm } } : {}) }, out);
}

async function patchExam(ctx: Ctx, op: OpOf<"patchExam">): Promise<void> {
  const { m } = ctx;
  const e = m.exam(op.e);
  const id = m.idOf(op.e, "exam");
  const h = ifMatchHeader(op.im, e?.version);
  const bv = bodyVersion(op.bv, e?.version);
  const body = withVersion(op.body, bv);
  const out = bodyPipeline(ctx, {
    u: op.u,
    role: "teacher",
    cap: 64 * 1024,
    body,
    ...(isBad(op.e) ? {} : { owner: () => ownership(m, op.u, op.e) }),
    valid: () => bodyValidation(body, isBad(op.e) ? "malformed id" : h.malformed ? "malformed If-Match" : null, validExamPatch),
    handle: () => {
      const exam = e!;
      const errors = versionErrors(h, bv, exam.version, true);
      if (isReadOnly(exam)) errors.push(err(409, "published: read-only", TAG("read-only")));
      if (errors.length) {
        // A stale version on a published exam may be reported as read-only (both are 409s).
        if (isReadOnly(exam)) for (const o of errors) if (o.allow[0] === 409) o.types = { 409: [TAG("read-only"), TAG("stale-version")] };
        return either(...errors);
      }
      return ok(200, "the draft changed", (res) => {
        const v = (parsed(body) as { ok: true; value: Record<string, unknown> }).value;
        for (const f of ["title", "description", "durationMinutes", "maxAttempts"] as const) if (v[f] !== undefined) (exam as unknown as Record<string, unknown>)[f] = v[f];
        exam.version += 1;
        checkExamFull(ctx, res.body, exam, res.headers["etag"]);
        etagSeen(ctx, `/exams/${id}`, op.u, res.headers["etag"], res.body);
      });
    },
  });
  await run(ctx, { u: op.u, route: "PATCH /exams/:examId", method: "PATCH", path: `/exams/${id}`, raw: bytesOf(body), ct: ctOf(body), ...(h.header !== undefined ? { headers: { "if-match": h.header } } : {}) }, out);
}

async function deleteExam(ctx: Ctx, op: OpOf<"deleteExam">): Promise<void> {
  const { m } = ctx;
  const e = m.exam(op.e);
  const id = m.idOf(op.e, "exam");
  const h = ifMatchHeader(op.im, e?.version);
  const out = plainPipeline(op.u, isBad(op.e) ? "malformed id" : h.malformed ? "malformed If-Match" : null, () => {
    if (ROLE[op.u] !== "teacher") return err(403, "only teachers");
    const o = ownership(m, op.u, op.e);
    if (o) return o;
    const exam = e!;
    const errors = versionErrors(h, undefined, exam.version, false);
    if (isReadOnly(exam)) errors.push(err(409, "published exams can't be deleted"));
    if (errors.length) return either(...errors);
    return ok(204, "the draft is deleted", async () => {
      exam.status = "deleted";
      for (const r of exam.questions) m.questions.get(r)!.live = false;
      // Docs: the exam goes with its question and file records and their S3 objects.
      for (const fr of exam.files) {
        const f = m.files.get(fr)!;
        await expectObjectsGone(ctx, exam.id, f.id, "the exam was deleted");
      }
    });
  });
  await run(ctx, { u: op.u, route: "DELETE /exams/:examId", method: "DELETE", path: `/exams/${id}`, ...(h.header !== undefined ? { headers: { "if-match": h.header } } : {}) }, out);
}

async function publish(ctx: Ctx, op: OpOf<"publish">): Promise<void> {
  const { m } = ctx;
  const e = m.exam(op.e);
  const id = m.idOf(op.e, "exam");
  const h = ifMatchHeader(op.im, e?.version);
  const out = plainPipeline(op.u, isBad(op.e) ? "malformed id" : h.malformed ? "malformed If-Match" : null, () => {
    if (ROLE[op.u] !== "teacher") return err(403, "only teachers");
    const o = ownership(m, op.u, op.e);
    if (o) return o;
    const exam = e!;
    const errors = versionErrors(h, undefined, exam.version, false);
    if (exam.status === "published") {
      const unchanged = ok(200, "already published: unchanged", (res) => {
        checkExamFull(ctx, res.body, exam, res.headers["etag"]);
        etagSeen(ctx, `/exams/${id}`, op.u, res.headers["etag"], res.body);
      });
      // RFC 9110 §13.1.1 lets a server answer 2xx when the change already happened; the docs say "unchanged".
      return errors.length ? either(unchanged, ...errors) : unchanged;
    }
    if (exam.questions.length === 0) errors.push(err(409, "no questions"));
    if (errors.length) return either(...errors);
    return ok(200, "published", (res) => {
      exam.status = "published";
      // draft → publishing → published: each a new version (docs, "Publish"); a resumed publish makes more.
      exam.version = grownVersion(ctx, exam, (res.body as { version?: unknown }).version);
      exam.pubSeq = ++m.pubCounter;
      checkExamFull(ctx, res.body, exam, res.headers["etag"]);
      etagSeen(ctx, `/exams/${id}`, op.u, res.headers["etag"], res.body);
    });
  });
  await run(ctx, { u: op.u, route: "POST /exams/:examId/publish", method: "POST", path: `/exams/${id}/publish`, ...(h.header !== undefined ? { headers: { "if-match": h.header } } : {}) }, out);
}

/** What a listing of exams holds for this caller, or the error it answers with. */
function examListing(m: Model, u: U, status: string | undefined): { ids: string[]; ordered: boolean; full: boolean } | Outcome {
  if (ROLE[u] === "teacher") {
    const own = [...m.exams.values()].filter((e) => e.owner === u && e.status !== "deleted" && (status === undefined || e.status === status));
    return { ids: own.map((e) => e.id), ordered: false, full: true };
  }
  const published = [...m.exams.values()].filter((e) => e.status === "published").sort((a, b) => b.pubSeq - a.pubSeq);
  const list = { ids: published.map((e) => e.id), ordered: true, full: false };
  if (status === "draft") return ROLE[u] === "student" ? err(403, "students see no drafts") : either(err(403, "only teachers see drafts"), ok(200, "published exams"));
  return list;
}

async function listExams(ctx: Ctx, op: OpOf<"listExams">): Promise<void> {
  const { m } = ctx;
  const lim = limitOf(op.limit);
  const badStatus = op.status !== undefined && op.status !== "draft" && op.status !== "published";
  const listing = examListing(m, op.u, badStatus ? undefined : op.status);
  const out = plainPipeline(op.u, !lim.ok ? "bad limit" : badStatus ? "bad status" : null, () => (isOutcome(listing) ? listing : ok(200, "a listing")));
  const req: Req = { u: op.u, route: "GET /exams", method: op.head ? "HEAD" : "GET", path: `/exams${q({ status: op.status, limit: op.limit })}` };
  ctx.route = req.route;
  const walked = await walk(ctx, req, lim.n);
  await expectOutcome(ctx, req, walked.first, { ...out, then: undefined });
  if (!("items" in walked)) return;
  const expected = isOutcome(listing) ? examListing(m, op.u, undefined) : listing; // n0 with status=draft answered 200: the published list
  if (isOutcome(expected)) return;
  exactlyOnce(ctx, walked.items, "examId", expected.ids, expected.ordered);
  for (const item of walked.items) {
    const e = [...m.exams.values()].find((x) => x.id === (item as { examId?: string }).examId)!;
    if (expected.full) checkExamFull(ctx, item, e);
    else checkExamSummary(ctx, item, e);
  }
}

async function addQuestion(ctx: Ctx, op: OpOf<"addQuestion">): Promise<void> {
  const { m } = ctx;
  const id = m.idOf(op.e, "exam");
  const raw = bytesOf(op.body);
  const path = `/exams/${id}/questions`;
  const out = bodyPipeline(ctx, {
    u: op.u,
    role: "teacher",
    cap: 128 * 1024,
    body: op.body,
    ...(isBad(op.e) ? {} : { owner: () => ownership(m, op.u, op.e) }),
    ...(op.key !== undefined ? { key: { header: op.key, fp: `POST ${path}\n${raw}` } } : {}),
    valid: () => bodyValidation(op.body, isBad(op.e) ? "malformed id" : null, (v) => validQuestion(v) !== null),
    handle: () => {
      const exam = m.exam(op.e)!;
      if (isReadOnly(exam)) return err(409, "published: read-only", TAG("read-only"));
      if (exam.questions.length >= 100) {
        return { ...err(409, "100 questions already", TAG("limit-reached")), onError: (res) => want(ctx, "limit-reached limit", (res.body as { limit?: unknown }).limit, 100) };
      }
      return ok(201, "a new question", (res) => {
        const b = res.body as Record<string, unknown>;
        if (!isInt(b["version"], 1, 2 ** 31 - 1)) fail(ctx, "version", brief(b));
        const qn: MQuestion = { ref: op.id, id: String(b["questionId"]), exam: exam.ref, body: validQuestion((parsed(op.body) as { ok: true; value: unknown }).value)!, version: b["version"] as number, live: true };
        checkQuestion(ctx, b, qn, true);
        // From /exams/{examId}/questions: up out of exams/{examId}/, then the question's path.
        if (res.headers["location"] !== `../../exams/${id}/questions/${qn.id}`) fail(ctx, "Location", `${res.headers["location"]}`);
        if (res.headers["etag"] !== `"${qn.version}"`) fail(ctx, "question ETag", `${res.headers["etag"]} for version ${qn.version}`);
        m.questions.set(op.id, qn);
        m.labels.set(qn.id, `Q${op.id}`);
        exam.questions.push(op.id);
        etagSeen(ctx, `${path}/${qn.id}`, op.u, res.headers["etag"], b);
      });
    },
  });
  const many = "json" in op.body && isObj(op.body.json) && Array.isArray(op.body.json["choices"]) && op.body.json["choices"].length === 20 && op.body.json["choices"].every((c) => c === "\u0001");
  if (many && !out.replay) manyIssues(ctx, out);
  // 21 choices (or accepted answers) and nothing else wrong: one issue.
  if ("json" in op.body && isObj(op.body.json) && !out.replay && !isBad(op.e)) {
    const b = op.body.json;
    for (const f of ["choices", "accepted"] as const) {
      const arr = b[f];
      if (Array.isArray(arr) && arr.length === 21 && validQuestion({ ...b, [f]: arr.slice(0, 20) })) oneIssue(ctx, out, `body.${f}`);
    }
  }
  await run(ctx, { u: op.u, route: "POST /exams/:examId/questions", method: "POST", path, raw, ct: ctOf(op.body), headers: keyHeader(op.key) }, out);
}

async function listQuestions(ctx: Ctx, op: OpOf<"listQuestions">): Promise<void> {
  const { m } = ctx;
  const id = m.idOf(op.e, "exam");
  const r = readable(m, op.u, op.e);
  const out = plainPipeline(op.u, isBad(op.e) ? "malformed id" : null, () => {
    if (isOutcome(r)) return r;
    return ok(200, "the questions in creation order", (res) => {
      const items = (res.body as { items?: unknown }).items;
      if (!Array.isArray(items)) fail(ctx, "question list", brief(res.body));
      const qs = m.liveQuestions(r.e);
      want(ctx, "question order", items.map((i) => (i as { questionId?: string }).questionId), qs.map((x) => x.id));
      qs.forEach((x, i) => checkQuestion(ctx, items[i], x, r.owner));
    });
  });
  await run(ctx, { u: op.u, route: "GET /exams/:examId/questions", method: op.head ? "HEAD" : "GET", path: `/exams/${id}/questions` }, out);
}

/** The question named in the path, if it is a live question of that exam. */
function questionIn(m: Model, e: Ref, qr: Ref): MQuestion | undefined {
  const qn = m.question(qr);
  return qn && qn.live && qn.exam === e ? qn : undefined;
}

async function getQuestion(ctx: Ctx, op: OpOf<"getQuestion">): Promise<void> {
  const { m } = ctx;
  const eid = m.idOf(op.e, "exam");
  const qid = m.idOf(op.q, "question");
  const r = readable(m, op.u, op.e);
  const qn = questionIn(m, op.e, op.q);
  const inm = op.inm && qn ? (op.inm === "cur" ? `"${qn.version}"` : `"${qn.version + 7}"`) : undefined;
  const out = plainPipeline(op.u, isBad(op.e) || isBad(op.q) ? "malformed id" : null, () => {
    if (isOutcome(r)) return r;
    if (!qn) return err(404, "no such question in this exam");
    const o = ok(200, "one question", (res) => {
      if (res.status === 304) return;
      checkQuestion(ctx, res.body, qn, r.owner);
      if (r.owner) {
        if (res.headers["etag"] !== `"${qn.version}"`) fail(ctx, "question ETag", `${res.headers["etag"]} for version ${qn.version}`);
        etagSeen(ctx, `/exams/${eid}/questions/${qid}`, op.u, res.headers["etag"], res.body);
      }
    });
    if (op.inm === "cur" && r.owner) o.allow.push(304);
    return o;
  });
  await run(ctx, { u: op.u, route: "GET /exams/:examId/questions/:questionId", method: "GET", path: `/exams/${eid}/questions/${qid}`, ...(inm ? { headers: { "if-none-match": inm } } : {}) }, out);
}

async function patchQuestion(ctx: Ctx, op: OpOf<"patchQuestion">): Promise<void> {
  const { m } = ctx;
  const eid = m.idOf(op.e, "exam");
  const qid = m.idOf(op.q, "question");
  const qn = questionIn(m, op.e, op.q);
  const h = ifMatchHeader(op.im, qn?.version ?? m.question(op.q)?.version);
  const bv = bodyVersion(op.bv, qn?.version ?? m.question(op.q)?.version);
  const body = withVersion(op.body, bv);
  const p = parsed(body);
  const out = bodyPipeline(ctx, {
    u: op.u,
    role: "teacher",
    cap: 128 * 1024,
    body,
    ...(isBad(op.e) ? {} : { owner: () => ownership(m, op.u, op.e) }),
    valid: () => bodyValidation(body, isBad(op.e) || isBad(op.q) ? "malformed id" : h.malformed ? "malformed If-Match" : null, patchShapeOk),
    handle: () => {
      const exam = m.exam(op.e)!;
      const patch = (p as { ok: true; value: Record<string, unknown> }).value;
      if (!qn) {
        // Element-level problems of a patch may be found before the question is looked up (the docs do not say).
        const notFound = err(404, "no such question in this exam");
        const mismatch = versionErrors(h, bv, typeof h.value === "number" ? h.value : (bv ?? 1), false).filter((o) => o.allow[0] === 400);
        return isReadOnly(exam) ? either(notFound, err(409, "published: read-only", TAG("read-only")), ...mismatch) : either(notFound, v422("invalid patch"), ...mismatch);
      }
      const merged = mergeQuestion(qn.body, patch);
      const errors = versionErrors(h, bv, qn.version, false);
      if (isReadOnly(exam)) errors.push(err(409, "published: read-only", TAG("read-only")));
      if (!merged) errors.push(v422("the merged question is invalid"));
      if (errors.length) {
        if (isReadOnly(exam)) for (const o of errors) if (o.allow[0] === 409) o.types = { 409: [TAG("read-only"), TAG("stale-version")] };
        return either(...errors);
      }
      return ok(200, "the question changed", (res) => {
        const before = qn.version;
        const b = res.body as Record<string, unknown>;
        if (!isInt(b["version"], before + 1, 2 ** 31 - 1)) fail(ctx, "question version", `version ${String(b["version"])} after ${before}`);
        qn.version = b["version"] as number;
        qn.body = merged!;
        checkQuestion(ctx, b, qn, true);
        if (res.headers["etag"] !== `"${qn.version}"`) fail(ctx, "question ETag", `${res.headers["etag"]} for version ${qn.version}`);
        etagSeen(ctx, `/exams/${eid}/questions/${qid}`, op.u, res.headers["etag"], b);
      });
    },
  });
  await run(ctx, { u: op.u, route: "PATCH /exams/:examId/questions/:questionId", method: "PATCH", path: `/exams/${eid}/questions/${qid}`, raw: bytesOf(body), ct: ctOf(body), ...(h.header !== undefined ? { headers: { "if-match": h.header } } : {}) }, out);
}

async function deleteQuestion(ctx: Ctx, op: OpOf<"deleteQuestion">): Promise<void> {
  const { m } = ctx;
  const eid = m.idOf(op.e, "exam");
  const qid = m.idOf(op.q, "question");
  const qn = questionIn(m, op.e, op.q);
  const h = ifMatchHeader(op.im, qn?.version ?? m.question(op.q)?.version);
  const out = plainPipeline(op.u, isBad(op.e) || isBad(op.q) ? "malformed id" : h.malformed ? "malformed If-Match" : null, () => {
    if (ROLE[op.u] !== "teacher") return err(403, "only teachers");
    const o = ownership(m, op.u, op.e);
    if (o) return o;
    const exam = m.exam(op.e)!;
    const readOnly = err(409, "published: read-only", TAG("read-only"));
    if (!qn) return isReadOnly(exam) ? either(err(404, "no such question"), readOnly) : err(404, "no such question");
    const errors = versionErrors(h, undefined, qn.version, false);
    if (isReadOnly(exam)) errors.push(readOnly);
    if (errors.length) return either(...errors);
    return ok(204, "the question is removed", () => {
      qn.live = false;
      exam.questions = exam.questions.filter((r) => r !== qn.ref);
    });
  });
  await run(ctx, { u: op.u, route: "DELETE /exams/:examId/questions/:questionId", method: "DELETE", path: `/exams/${eid}/questions/${qid}`, ...(h.header !== undefined ? { headers: { "if-match": h.header } } : {}) }, out);
}

/** A 422 for more than 20 issues lists 20 and counts the rest in `more`. */
function manyIssues(ctx: Ctx, out: Outcome, applies: () => boolean = () => true): void {
  const before = out.onError;
  out.onError = (res) => {
    before?.(res);
    if (res.status !== 422 || !out.validation || !applies()) return;
    const p = res.body as { errors?: unknown[]; more?: unknown };
    if (p.errors?.length !== 20 || typeof p.more !== "number" || p.more < 1) soft(ctx, "422 with more than 20 issues", `expected 20 issues and \`more\`: ${p.errors?.length} issues, more ${String(p.more)}`);
  };
}

/** An array or record over its cap is one issue, found before any element (Conventions, Validation). */
function oneIssue(ctx: Ctx, out: Outcome, path: string): void {
  const before = out.onError;
  out.onError = (res) => {
    before?.(res);
    if (res.status !== 422 || !out.validation) return;
    const p = res.body as { errors?: Array<{ path?: string }> };
    if (p.errors?.length !== 1 || p.errors[0]?.path !== path) soft(ctx, "one issue for an array over its cap", `expected one issue at ${path}: ${brief(p)}`);
  };
}

/** An answer sheet's size as the docs describe DynamoDB's: UTF-8 keys and values, 1 byte per entry, 3 per map (numbers: about 1 byte per 2 digits, + 1). */
function sheetBytes(sheet: Record<string, unknown>): number {
  const size = (v: unknown): number => (typeof v === "string" ? utf8(v) : typeof v === "number" ? Math.ceil(String(Math.abs(v)).length / 2) + 1 : Array.isArray(v) ? 3 + v.reduce((n: number, x) => n + size(x) + 1, 0) : 1);
  return 3 + Object.entries(sheet).reduce((n, [k, v]) => n + utf8(k) + size(v) + 1, 0);
}

/** Submits an open attempt in the model (grading its saved sheet). */
function submitInModel(m: Model, a: MAttempt): void {
  a.status = "submitted";
  a.result = grade(m, m.exams.get(a.exam)!, a.answers);
}

/**
 * An attempt as a reader it is shown to finds it: one open past its deadline is submitted and graded with its
 * saved sheet (docs: Attempts and retakes), and what the read returned is what the student's submit returns.
 */
function readInModel(ctx: Ctx, a: MAttempt, body: unknown): void {
  if (a.status === "open" && ctx.api.clock.now >= a.deadline) {
    submitInModel(ctx.m, a);
    a.submitted = body;
  }
}

async function startAttempt(ctx: Ctx, op: OpOf<"startAttempt">): Promise<void> {
  const { m, api } = ctx;
  const id = m.idOf(op.e, "exam");
  const now = api.clock.now;
  const out = plainPipeline(op.u, isBad(op.e) ? "malformed id" : null, () => {
    if (ROLE[op.u] !== "student") return err(403, "only students");
    const e = m.exam(op.e);
    if (!e || e.status !== "published") return err(404, "no published exam");
    const open = m.openAttempt(op.u, e.ref);
    if (open && now < open.deadline) {
      return {
        ...err(409, "an attempt is open", TAG("attempt-open")),
        onError: (res) => want(ctx, "attempt-open attemptId", (res.body as { attemptId?: unknown }).attemptId, open.id),
      };
    }
    const key = `${op.u}|${e.ref}`;
    const expire = () => open && submitInModel(m, open);
    if ((m.starts.get(key) ?? 0) >= e.maxAttempts) {
      return {
        ...err(409, "no attempts left", TAG("no-attempts-left")),
        always: expire,
        onError: (res) => want(ctx, "no-attempts-left maxAttempts", (res.body as { maxAttempts?: unknown }).maxAttempts, e.maxAttempts),
      };
    }
    return {
      ...ok(201, "a new attempt", (res) => {
        const b = res.body as Record<string, unknown>;
        const a: MAttempt = { ref: op.id, id: String(b["attemptId"]), exam: e.ref, student: op.u, status: "open", answers: {}, deadline: now + e.durationMinutes * 60_000 };
        m.attempts.set(op.id, a);
        m.labels.set(a.id, `A${op.id}`);
        m.starts.set(key, (m.starts.get(key) ?? 0) + 1);
        checkAttempt(ctx, b, a);
        // From /exams/{examId}/attempts: up out of exams/{examId}/, then the attempt's path.
        if (res.headers["location"] !== `../../attempts/${a.id}`) fail(ctx, "Location", `${res.headers["location"]}`);
        const qs = b["questions"];
        if (!Array.isArray(qs)) fail(ctx, "attempt questions", brief(b));
        const live = m.liveQuestions(e);
        want(ctx, "attempt question order", qs.map((x) => (x as { questionId?: string }).questionId), live.map((x) => x.id));
        live.forEach((x, i) => checkQuestion(ctx, qs[i], x, false));
      }),
      always: expire,
    };
  });
  await run(ctx, { u: op.u, route: "POST /exams/:examId/attempts", method: "POST", path: `/exams/${id}/attempts` }, out);
}

const VARIANTS: Array<(s: string) => string> = [
  (s) => s.toUpperCase(),
  (s) => `  ${s.toLowerCase()}  `,
  (s) => s.replace(/ /g, "   "),
  (s) => s.replace(/[A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)), // fullwidth: NFKC folds it back
  (s) => s.replaceAll("ß", "SS"),
  (s) => `\u3000${s}`, // ideographic space: NFKC makes it a space, then trimmed
];

/** The answer sheet an op means, against the model's questions at the time. */
function sheetOf(m: Model, s: Sheet): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  for (const { q: r, how, n } of s.entries) {
    const qn = m.question(r);
    const id = m.idOf(r, "question");
    if (!qn) {
      answers[id] = 0;
      continue;
    }
    const b = qn.body;
    const nChoices = b.choices?.length ?? 0;
    let v: unknown;
    switch (how) {
      case "right":
        v = b.kind === "text" ? b.accepted![n % b.accepted!.length] : b.correct;
        break;
      case "variant":
        v = b.kind === "text" ? VARIANTS[n % VARIANTS.length]!(b.accepted![n % b.accepted!.length]!) : b.kind === "multiple" ? [...(b.correct as number[])].reverse() : b.correct;
        break;
      case "wrong":
        v = b.kind === "text" ? `not ${n}` : b.kind === "single" ? ((b.correct as number) + 1 + (n % (nChoices - 1))) % nChoices : [((b.correct as number[])[0]! + 1) % nChoices];
        break;
      case "shape":
        v = b.kind === "text" ? n % 3 : b.kind === "single" ? (n % 2 ? "0" : [0]) : n % 2 ? 0 : "0,1";
        break;
      case "range":
        v = b.kind === "text" ? "x".repeat(1001) : b.kind === "single" ? nChoices + (n % 3) : [nChoices + (n % 3)];
        break;
      case "emptyMulti":
        v = b.kind === "multiple" ? [] : b.kind === "single" ? -1 : "";
        break;
      case "dupMulti":
        v = b.kind === "text" ? ["a"] : [0, 0];
        break;
      case "long":
        v = b.kind === "text" ? "y".repeat(1000) : 1.5;
        break;
      case "ctrl":
        v = b.kind === "text" ? `bell\u0007` : null;
        break;
      case "cjk":
        v = b.kind === "text" ? "字".repeat(1000) : b.correct;
        break;
    }
    answers[qn.id] = v;
  }
  if (s.extra === "unknown") answers[GHOST] = 0;
  if (s.extra === "badKey") answers["not-an-id"] = 0;
  if (s.extra === "manyUnknown") for (let i = 0; i < 30; i++) answers[`01ARZ3NDEKTSV4RRFFQ69G${String(i).padStart(4, "0")}`] = 0;
  if (s.extra === "tooMany") for (let i = 0; i < 101; i++) answers[`01ARZ3NDEKTSV4RRFFQ69G${String(i).padStart(4, "0")}`] = 0;
  return answers;
}

async function putAnswers(ctx: Ctx, op: OpOf<"putAnswers">): Promise<void> {
  const { m, api } = ctx;
  const id = m.idOf(op.a, "attempt");
  const a = m.attempt(op.a);
  const answers = op.sheet ? sheetOf(m, op.sheet) : undefined;
  const body: Body = op.body ?? { json: { answers } };
  const now = api.clock.now;
  const out = bodyPipeline(ctx, {
    u: op.u,
    role: "student",
    cap: 1024 * 1024,
    body,
    ...(isBad(op.a) ? {} : { owner: () => (a && a.student === op.u ? null : err(404, "not the caller's attempt")) }),
    valid: () =>
      bodyValidation(body, isBad(op.a) ? "malformed id" : null, (v) => {
        if (!isObj(v) || !isObj(v["answers"])) return false;
        const entries = Object.entries(v["answers"]);
        return entries.length <= 100 && entries.every(([k]) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(k));
      }),
    handle: () => {
      const att = a!;
      const exam = m.exams.get(att.exam)!;
      const errors: Outcome[] = [];
      const qs = new Map(m.liveQuestions(exam).map((x) => [x.id, x]));
      const sheet = (parsed(body) as { ok: true; value: { answers: Record<string, unknown> } }).value.answers;
      if (!Object.entries(sheet).every(([k, v]) => qs.has(k) && answerFits(qs.get(k)!.body, v))) errors.push(v422("unknown question or wrong shape"));
      // Limits: the sheet as DynamoDB sizes it (UTF-8 keys and values, 1 byte per entry, 3 per map) is at most 256 KiB.
      const bytes = sheetBytes(sheet);
      const cap = 256 * 1024;
      const over = { ...err(413, "the stored sheet would be over 256 KiB"), onError: (res: Res) => want(ctx, "413 sheet limit", (res.body as { limit?: unknown }).limit, cap) };
      if (bytes > cap * 1.02) errors.push(over);
      else if (bytes > cap * 0.98 && errors.length === 0 && att.status === "open" && now <= att.deadline) return either(over, ok(200, "near the cap: the docs' arithmetic is approximate", (res) => ((att.answers = sheet), checkAttempt(ctx, res.body, att))));
      if (att.status === "submitted") errors.push(err(409, "already submitted", TAG("already-submitted")));
      else if (now > att.deadline) {
        errors.push({
          ...err(409, "time is up", TAG("time-up")),
          onError: (res) => {
            const d = (res.body as { type?: string; deadline?: unknown }).deadline;
            if ((res.body as { type?: string }).type === TAG("time-up") && (typeof d !== "string" || Date.parse(d) !== att.deadline)) fail(ctx, "time-up deadline", `deadline ${String(d)}, expected ${new Date(att.deadline).toISOString()}`);
          },
        });
      }
      if (errors.length) return either(...errors);
      return ok(200, "the sheet is replaced", (res) => {
        att.answers = sheet;
        checkAttempt(ctx, res.body, att);
      });
    },
  });
  // 30 unknown questions and nothing else wrong: 30 issues (the router's own validation would report shapes first).
  if (op.sheet?.extra === "tooMany" && !isBad(op.a)) oneIssue(ctx, out, "body.answers");
  if (op.sheet?.extra === "manyUnknown" && op.sheet.entries.every((x) => x.how === "right" || x.how === "wrong" || x.how === "variant")) manyIssues(ctx, out, () => out.why === "unknown question or wrong shape");
  const raw = bytesOf(body);
  await run(ctx, { u: op.u, route: "PUT /attempts/:attemptId/answers", method: "PUT", path: `/attempts/${id}/answers`, raw, ct: ctOf(body) }, out);
}

async function submit(ctx: Ctx, op: OpOf<"submit">): Promise<void> {
  const { m } = ctx;
  const id = m.idOf(op.a, "attempt");
  const a = m.attempt(op.a);
  const out = plainPipeline(op.u, isBad(op.a) ? "malformed id" : null, () => {
    if (ROLE[op.u] !== "student") return err(403, "only students");
    if (!a || a.student !== op.u) return err(404, "not the caller's attempt");
    if (a.status === "submitted") {
      return ok(200, "the stored result", (res) => {
        checkAttempt(ctx, res.body, a);
        if (a.submitted !== undefined) want(ctx, "repeated submit", res.body, a.submitted);
        a.submitted = res.body;
      });
    }
    return ok(200, "graded once", (res) => {
      submitInModel(m, a);
      checkAttempt(ctx, res.body, a);
      a.submitted = res.body;
    });
  });
  await run(ctx, { u: op.u, route: "POST /attempts/:attemptId/submit", method: "POST", path: `/attempts/${id}/submit` }, out);
}

async function getAttempt(ctx: Ctx, op: OpOf<"getAttempt">): Promise<void> {
  const { m } = ctx;
  const id = m.idOf(op.a, "attempt");
  const a = m.attempt(op.a);
  const out = plainPipeline(op.u, isBad(op.a) ? "malformed id" : null, () => {
    if (!a || (a.student !== op.u && m.exams.get(a.exam)!.owner !== op.u)) return err(404, "neither the attempt's student nor the exam's teacher");
    return ok(200, "the attempt", (res) => (readInModel(ctx, a, res.body), checkAttempt(ctx, res.body, a)));
  });
  await run(ctx, { u: op.u, route: "GET /attempts/:attemptId", method: "GET", path: `/attempts/${id}` }, out);
}

function attemptListing(m: Model, u: U, r: Ref): MAttempt[] | Outcome {
  const rd = readable(m, u, r);
  if (isOutcome(rd)) return rd;
  const all = [...m.attempts.values()].filter((a) => a.exam === rd.e.ref);
  if (rd.owner) return all;
  if (ROLE[u] === "student") return all.filter((a) => a.student === u);
  return err(403, "only the exam's teacher sees its results");
}

async function listAttempts(ctx: Ctx, op: OpOf<"listAttempts">): Promise<void> {
  const { m } = ctx;
  const id = m.idOf(op.e, "exam");
  const lim = limitOf(op.limit);
  const listing = attemptListing(m, op.u, op.e);
  const out = plainPipeline(op.u, isBad(op.e) ? "malformed id" : !lim.ok ? "bad limit" : null, () => (isOutcome(listing) ? listing : ok(200, "attempts")));
  const req: Req = { u: op.u, route: "GET /exams/:examId/attempts", method: "GET", path: `/exams/${id}/attempts${q({ limit: op.limit })}` };
  ctx.route = req.route;
  const walked = await walk(ctx, req, lim.n);
  await expectOutcome(ctx, req, walked.first, { ...out, then: undefined });
  if (!("items" in walked) || isOutcome(listing)) return;
  exactlyOnce(ctx, walked.items, "attemptId", listing.map((a) => a.id), false);
  for (const item of walked.items) {
    const a = listing.find((x) => x.id === (item as { attemptId?: string }).attemptId)!;
    readInModel(ctx, a, item);
    checkAttempt(ctx, item, a);
  }
}

async function createFile(ctx: Ctx, op: OpOf<"createFile">): Promise<void> {
  const { m } = ctx;
  const id = m.idOf(op.e, "exam");
  const raw = bytesOf(op.body);
  const path = `/exams/${id}/files`;
  const out = bodyPipeline(ctx, {
    u: op.u,
    role: "teacher",
    cap: 8 * 1024,
    body: op.body,
    ...(isBad(op.e) ? {} : { owner: () => ownership(m, op.u, op.e) }),
    ...(op.key !== undefined ? { key: { header: op.key, fp: `POST ${path}\n${raw}` } } : {}),
    valid: () => bodyValidation(op.body, isBad(op.e) ? "malformed id" : null, validFile),
    handle: () => {
      const exam = m.exam(op.e)!;
      if (isReadOnly(exam)) return err(409, "published: read-only", TAG("read-only"));
      return ok(201, "a pending file and its upload URL", (res) => {
        const v = (parsed(op.body) as { ok: true; value: Record<string, unknown> }).value;
        const b = res.body as { file?: Record<string, unknown>; upload?: Record<string, unknown> };
        if (!isObj(b.file) || !isObj(b.upload)) fail(ctx, "upload body", `{ file, upload } expected: ${brief(b)}`);
        const f: MFile = {
          ref: op.id,
          id: String(b.file["fileId"]),
          exam: exam.ref,
          fileName: v["fileName"] as string,
          contentType: v["contentType"] as string,
          size: v["size"] as number,
          status: "pending",
          upload: "none",
          url: String(b.upload["url"]),
          headers: b.upload["headers"] as Record<string, string>,
        };
        checkFile(ctx, b.file, f);
        want(ctx, "upload", { method: b.upload["method"], headers: b.upload["headers"], expires: typeof b.upload["expiresAt"] }, { method: "PUT", headers: { "content-type": f.contentType }, expires: "string" });
        if (/x-amz-checksum|x-amz-sdk-checksum/i.test(f.url)) fail(ctx, "upload URL", "the URL carries checksum parameters");
        m.files.set(op.id, f);
        m.labels.set(f.id, `F${op.id}`);
        exam.files.push(op.id);
      });
    },
  });
  await run(ctx, { u: op.u, route: "POST /exams/:examId/files", method: "POST", path, raw, ct: ctOf(op.body), headers: keyHeader(op.key) }, out);
}

function checkFile(ctx: Ctx, body: unknown, f: MFile): void {
  if (!isObj(body)) fail(ctx, "file body", brief(body));
  want(ctx, "file", pick(body, ["fileId", "fileName", "contentType", "size", "status"]), { fileId: f.id, fileName: f.fileName, contentType: f.contentType, size: f.size, status: f.status });
}

const MAGIC: Record<string, number[]> = {
  "application/pdf": [0x25, 0x50, 0x44, 0x46, 0x2d],
  "image/png": [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  "image/jpeg": [0xff, 0xd8, 0xff],
};

async function upload(ctx: Ctx, op: OpOf<"upload">): Promise<void> {
  const f = ctx.m.file(op.f);
  if (!f || f.size > 64 * 1024) return;
  const magic = MAGIC[f.contentType]!;
  const size = op.mode === "size" ? f.size + 1 : f.size;
  const bytes = new Uint8Array(size).fill(0x20);
  if (op.mode === "magic") bytes.set([0x4d, 0x5a].slice(0, size)); // MZ: an executable
  else bytes.set(magic.slice(0, size));
  const type = op.mode === "type" ? (f.contentType === "image/png" ? "image/jpeg" : "image/png") : f.contentType;
  const put = await fetch(f.url, { method: "PUT", headers: { "content-type": type }, body: bytes });
  await put.arrayBuffer();
  ctx.log.push(`     (S3 PUT of F${f.ref}: ${size} bytes of ${type}, ${op.mode}) → ${put.status}`);
  if (put.status !== 200) return;
  f.upload = op.mode === "ok" && size < magic.length ? "magic" : op.mode;
}

/** Both S3 objects of a file (its ready copy and its upload) are gone, as deleting it or its exam promises. */
async function expectObjectsGone(ctx: Ctx, examId: string, fileId: string, after: string): Promise<void> {
  for (const key of [`files/${examId}/${fileId}`, `pending/${examId}/${fileId}`]) {
    const found = await s3()
      .send(new HeadObjectCommand({ Bucket: ctx.api.files.bucket, Key: key }))
      .then(
        () => true,
        () => false,
      );
    if (found) fail(ctx, "S3 object left", `${key} still exists after ${after}`);
  }
}

function fileIn(m: Model, e: Ref, fr: Ref): MFile | undefined {
  const f = m.file(fr);
  const exam = m.exam(e);
  return f && !f.gone && exam && exam.status !== "deleted" && f.exam === exam.ref ? f : undefined;
}

async function complete(ctx: Ctx, op: OpOf<"complete">): Promise<void> {
  const { m } = ctx;
  const eid = m.idOf(op.e, "exam");
  const fid = m.idOf(op.f, "file");
  const f = fileIn(m, op.e, op.f);
  const out = plainPipeline(op.u, isBad(op.e) || isBad(op.f) ? "malformed id" : null, () => {
    if (ROLE[op.u] !== "teacher") return err(403, "only teachers");
    const o = ownership(m, op.u, op.e);
    if (o) return o;
    if (!f) return err(404, "no such file");
    const exam = m.exam(op.e)!;
    const readOnly = err(409, "published: read-only", TAG("read-only"));
    const same200 = ok(200, "already ready (idempotent)", (res) => checkFile(ctx, res.body, f));
    if (f.status === "ready") return exam.status === "draft" ? same200 : either(same200, readOnly);
    const s3check = f.upload === "none" ? err(409, "not uploaded yet") : f.upload === "ok" ? null : err(422, `upload mismatch (${f.upload})`);
    if (exam.status !== "draft") return s3check ? either(s3check, readOnly) : readOnly;
    if (s3check) return s3check;
    return ok(200, "ready", (res) => {
      f.status = "ready";
      checkFile(ctx, res.body, f);
    });
  });
  await run(ctx, { u: op.u, route: "POST /exams/:examId/files/:fileId/complete", method: "POST", path: `/exams/${eid}/files/${fid}/complete` }, out);
}

async function listFiles(ctx: Ctx, op: OpOf<"listFiles">): Promise<void> {
  const { m } = ctx;
  const id = m.idOf(op.e, "exam");
  const lim = limitOf(op.limit);
  const r = readable(m, op.u, op.e);
  const out = plainPipeline(op.u, isBad(op.e) ? "malformed id" : !lim.ok ? "bad limit" : null, () => (isOutcome(r) ? r : ok(200, "files")));
  const req: Req = { u: op.u, route: "GET /exams/:examId/files", method: "GET", path: `/exams/${id}/files${q({ limit: op.limit })}` };
  ctx.route = req.route;
  const walked = await walk(ctx, req, lim.n);
  await expectOutcome(ctx, req, walked.first, { ...out, then: undefined });
  if (!("items" in walked) || isOutcome(r)) return;
  const files = r.e.files.map((x) => m.files.get(x)!).filter((f) => r.owner || f.status === "ready");
  // Data model: an exam's files are queried ascending (ids sort by creation time).
  exactlyOnce(ctx, walked.items, "fileId", files.map((f) => f.id), true);
  files.forEach((f, i) => checkFile(ctx, walked.items[i], f));
}

async function getFile(ctx: Ctx, op: OpOf<"getFile">): Promise<void> {
  const { m } = ctx;
  const eid = m.idOf(op.e, "exam");
  const fid = m.idOf(op.f, "file");
  const r = readable(m, op.u, op.e);
  const f = fileIn(m, op.e, op.f);
  const out = plainPipeline(op.u, isBad(op.e) || isBad(op.f) ? "malformed id" : null, () => {
    if (isOutcome(r)) return r;
    if (!f || (!r.owner && f.status !== "ready")) return err(404, "no such (ready) file");
    if (f.status !== "ready") return err(409, "still pending");
    return ok(200, "a download link", async (res) => {
      const b = res.body as { url?: unknown; expiresAt?: unknown; file?: unknown };
      if (typeof b.url !== "string" || typeof b.expiresAt !== "string") fail(ctx, "download link", brief(b));
      checkFile(ctx, b.file, f);
      if (op.download) {
        const got = await fetch(b.url);
        const bytes = new Uint8Array(await got.arrayBuffer());
        ctx.log.push(`     (S3 GET of F${f.ref}) → ${got.status}, ${bytes.length} bytes`);
        if (got.status !== 200 || bytes.length !== f.size) fail(ctx, "download", `status ${got.status}, ${bytes.length} bytes of ${f.size}`);
        if (!got.headers.get("content-disposition")?.startsWith("attachment")) fail(ctx, "download disposition", `${got.headers.get("content-disposition")}`);
      }
    });
  });
  await run(ctx, { u: op.u, route: "GET /exams/:examId/files/:fileId", method: "GET", path: `/exams/${eid}/files/${fid}` }, out);
}

/** Docs: owner only, drafts only; 404 for an unknown file; files have no version, so If-Match: * alone matches (a tag: 412). */
async function deleteFile(ctx: Ctx, op: OpOf<"deleteFile">): Promise<void> {
  const { m } = ctx;
  const eid = m.idOf(op.e, "exam");
  const fid = m.idOf(op.f, "file");
  const f = fileIn(m, op.e, op.f);
  const h = ifMatchHeader(op.im, undefined);
  const out = plainPipeline(op.u, isBad(op.e) || isBad(op.f) ? "malformed id" : h.malformed ? "malformed If-Match" : null, () => {
    if (ROLE[op.u] !== "teacher") return err(403, "only teachers");
    const o = ownership(m, op.u, op.e);
    if (o) return o;
    if (!f) return err(404, "no such file");
    const exam = m.exam(op.e)!;
    if (isReadOnly(exam)) return err(409, "published: read-only", TAG("read-only"));
    if (typeof h.value === "number") return err(412, "an entity tag: files have no version");
    return ok(204, "the file is removed with its objects", async () => {
      f.gone = true;
      exam.files = exam.files.filter((r) => r !== f.ref);
      await expectObjectsGone(ctx, exam.id, f.id, "the file was deleted");
    });
  });
  await run(ctx, { u: op.u, route: "DELETE /exams/:examId/files/:fileId", method: "DELETE", path: `/exams/${eid}/files/${fid}`, ...(h.header !== undefined ? { headers: { "if-match": h.header } } : {}) }, out);
}

function profileCheck(ctx: Ctx, u: Exclude<U, "anon">, res: Res, learn: boolean): void {
  const { m } = ctx;
  const b = res.body as Record<string, unknown>;
  if (!isInt(b["version"], 1, 2 ** 31 - 1)) fail(ctx, "profile version", brief(b));
  const p = m.profiles.get(u);
  if (learn || !p) m.profiles.set(u, { displayName: p?.displayName ?? FIRST_NAME[u], version: b["version"] as number });
  const now = m.profiles.get(u)!;
  want(ctx, "profile", pick(b, ["sub", "role", "email", "displayName", "version"]), { sub: sub(u), role: ROLE[u], email: EMAIL[u], displayName: now.displayName, version: now.version });
  if (res.headers["etag"] !== `"${now.version}"`) fail(ctx, "profile ETag", `${res.headers["etag"]} for version ${now.version}`);
  etagSeen(ctx, "/me", u, res.headers["etag"], b);
}

async function getMe(ctx: Ctx, op: OpOf<"getMe">): Promise<void> {
  const u = op.u;
  const p = u === "anon" ? undefined : ctx.m.profiles.get(u);
  const inm = op.inm && p ? (op.inm === "cur" ? `"${p.version}"` : `"${p.version + 7}"`) : undefined;
  const out = u === "anon" ? err(401, "no claims") : ok(200, "the profile", (res) => (res.status === 304 ? undefined : profileCheck(ctx, u, res, false)));
  if (inm && op.inm === "cur") out.allow.push(304);
  await run(ctx, { u, route: "GET /me", method: op.head ? "HEAD" : "GET", path: "/me", ...(inm ? { headers: { "if-none-match": inm } } : {}) }, out);
}

async function patchMe(ctx: Ctx, op: OpOf<"patchMe">): Promise<void> {
  const { m } = ctx;
  const u = op.u;
  if (u !== "anon" && !m.profiles.has(u) && (op.im !== "none" || op.bv !== "none")) {
    // The version a client sends is one it read.
    await run(ctx, { u, route: "GET /me", method: "GET", path: "/me" }, ok(200, "the profile", (res) => profileCheck(ctx, u, res, true)));
  }
  const p = u === "anon" ? undefined : m.profiles.get(u);
  const h = ifMatchHeader(op.im, p?.version);
  const bv = bodyVersion(op.bv, p?.version);
  const body = withVersion(op.body, bv);
  const out = bodyPipeline(ctx, {
    u,
    cap: 8 * 1024,
    body,
    valid: () => bodyValidation(body, h.malformed ? "malformed If-Match" : null, validProfilePatch),
    handle: () => {
      const user = u as Exclude<U, "anon">;
      const current = m.profiles.get(user);
      // The profile is created on first use; its first version is not documented: no stale check without one.
      const errors = current ? versionErrors(h, bv, current.version, false) : versionErrors(h, bv, typeof h.value === "number" ? h.value : (bv ?? 1), false);
      if (errors.length) return either(...errors);
      return ok(200, "the display name changed", (res) => {
        const name = ((parsed(body) as { ok: true; value: Record<string, unknown> }).value["displayName"] as string);
        const before = m.profiles.get(user)?.version ?? 0;
        const b = res.body as Record<string, unknown>;
        if (!isInt(b["version"], before + 1, 2 ** 31 - 1)) fail(ctx, "profile version", `version ${String(b["version"])} after ${before}`);
        m.profiles.set(user, { displayName: name, version: b["version"] as number });
        profileCheck(ctx, user, res, false);
      });
    },
  });
  await run(ctx, { u, route: "PATCH /me", method: "PATCH", path: "/me", raw: bytesOf(body), ct: ctOf(body), ...(h.header !== undefined ? { headers: { "if-match": h.header } } : {}) }, out);
}

// ---- listings abused with cursors ------------------------------------------------------------------------

function listReq(m: Model, l: ListSpec, extra: string): Req {
  if (l.kind === "exams") return { u: l.u, route: "GET /exams", method: "GET", path: `/exams${q({ status: l.status, limit: "1" })}${extra}` };
  const id = m.idOf(l.e, "exam");
  return l.kind === "attempts"
    ? { u: l.u, route: "GET /exams/:examId/attempts", method: "GET", path: `/exams/${id}/attempts?limit=1${extra}` }
    : { u: l.u, route: "GET /exams/:examId/files", method: "GET", path: `/exams/${id}/files?limit=1${extra}` };
}

/** The listing's own answer (an error, or null when it lists), without a cursor. */
function listError(m: Model, l: ListSpec): Outcome | null {
  if (l.u === "anon") return err(401, "no claims");
  if (l.kind === "exams") {
    const x = examListing(m, l.u, l.status);
    return isOutcome(x) ? x : null;
  }
  if (isBad(l.e)) return v422("malformed id");
  if (l.kind === "attempts") {
    const x = attemptListing(m, l.u, l.e);
    return isOutcome(x) ? x : null;
  }
  const r = readable(m, l.u, l.e);
  return isOutcome(r) ? r : null;
}

/** Which keys a listing holds: equal identities list the same key space (null: the docs do not say). */
function listIdentity(m: Model, l: ListSpec): string | null {
  if (l.kind === "exams") return ROLE[l.u] === "teacher" ? `T:${l.u}:${l.status ?? "all"}` : "P";
  const e = m.exam(l.e);
  if (!e) return null;
  if (l.kind === "files") return `F:${e.ref}`;
  return e.owner === l.u ? `A:${e.ref}:all` : `A:${e.ref}:${l.u}`;
}

function cursorsComparable(a: string, b: string): boolean {
  // A teacher's whole listing and one of its status filters, or an exam's attempts and one student's: the
  // cursor may well be a key of both; the docs do not say.
  const t = /^T:(\w+):/;
  if (t.test(a) && t.test(b) && a.match(t)![1] === b.match(t)![1] && (a.endsWith(":all") || b.endsWith(":all"))) return false;
  const at = /^A:(\d+):/;
  if (at.test(a) && at.test(b) && a.match(at)![1] === b.match(at)![1] && (a.endsWith(":all") || b.endsWith(":all"))) return false;
  return true;
}

async function cursorAbuse(ctx: Ctx, op: OpOf<"cursor">): Promise<void> {
  const { m } = ctx;
  const fromErr = listError(m, op.from);
  const first = await run(ctx, listReq(m, op.from, ""), fromErr ?? ok(200, "page 1"));
  const next = first.status === 200 ? (first.body as { next?: unknown }).next : null;
  if (typeof next !== "string") return;
  const toErr = listError(m, op.to);
  const a = listIdentity(m, op.from);
  const b = listIdentity(m, op.to);
  let out: Outcome;
  if (toErr) out = either(toErr, err(400, "a cursor of another listing"));
  else if (a === null || b === null || !cursorsComparable(a, b)) out = either(ok(200, "maybe the same listing"), err(400, "maybe another listing"));
  else if (a === b) out = ok(200, "the same listing's cursor");
  else out = err(400, "a cursor of another listing (partition, shape or user)");
  await run(ctx, listReq(m, op.to, `&cursor=${next}`), out);
}

async function badCursor(ctx: Ctx, op: OpOf<"badCursor">): Promise<void> {
  const { m } = ctx;
  const listErr = listError(m, op.list);
  const malformed = op.cursor.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(op.cursor);
  let out: Outcome;
  if (op.list.u === "anon") out = err(401, "no claims");
  else if (malformed) out = listErr && listErr.allow.includes(422) ? listErr : listErr ? either(v422("malformed cursor"), listErr) : v422("malformed cursor");
  else out = listErr ? either(listErr, err(400, "a cursor of no listing")) : err(400, "a cursor of no listing");
  await run(ctx, listReq(m, op.list, `&cursor=${op.cursor}`), out);
}

async function misc(ctx: Ctx, op: OpOf<"misc">): Promise<void> {
  const { m } = ctx;
  const id = m.idOf(op.e, "exam");
  const anon = op.u === "anon";
  switch (op.what) {
    case "405": {
      const [method, path, route] = (
        [
          ["PUT", "/exams", "PUT /exams"],
          ["DELETE", "/me", "DELETE /me"],
          ["PUT", `/exams/${id}/files/${GHOST}`, "PUT /exams/:examId/files/:fileId"],
          ["PATCH", `/attempts/${GHOST}`, "PATCH /attempts/:attemptId"],
          ["POST", `/exams/${id}`, "POST /exams/:examId"],
        ] as const
      )[op.dt % 5]!;
      await run(ctx, { u: op.u, route, method, path }, anon ? err(401, "no claims") : err(405, "unknown method on a known path"));
      return;
    }
    case "404":
      await run(ctx, { u: op.u, route: "GET /nowhere", method: "GET", path: "/exams-and-more/nowhere" }, anon ? err(401, "no claims, even on an unknown path") : err(404, "no such path"));
      return;
    case "health":
      await run(ctx, { u: op.u, route: "GET /health", method: "GET", path: "/health" }, ok(200, "health", (res) => want(ctx, "health", pick(res.body as Record<string, unknown>, ["status"]), { status: "ok" })));
      return;
    case "openapi":
      await run(ctx, { u: op.u, route: "GET /openapi.json", method: "GET", path: "/openapi.json" }, ok(200, "OpenAPI", (res) => want(ctx, "openapi version", String((res.body as { openapi?: unknown }).openapi).slice(0, 3), "3.1")));
      return;
    case "csv": {
      // Buffered through handle(): the export is only streamed (docs: 404, also from the buffered function).
      const out = plainPipeline(op.u, isBad(op.e) ? "malformed id" : null, () => {
        if (ROLE[op.u] !== "teacher") return either(err(403, "only the owner"), err(404, "not streamed here"));
        return ownership(m, op.u, op.e) ?? err(404, "the buffered function can't stream");
      });
      await run(ctx, { u: op.u, route: "GET /exams/:examId/results.csv", method: "GET", path: `/exams/${id}/results.csv` }, out);
      return;
    }
    case "414":
      await run(ctx, { u: op.u, route: "GET (long path)", method: "GET", path: `/exams/${"x".repeat(8200)}` }, anon ? either(err(401, "no claims"), err(414, "path over 8 KiB")) : err(414, "path over 8 KiB"));
      return;
    case "preflight": {
      const res = await run(ctx, { u: "anon", route: "OPTIONS /exams", method: "OPTIONS", path: "/exams", headers: { origin: "https://app.example", "access-control-request-method": "POST" } }, { allow: [200, 204], why: "CORS preflight before authentication" });
      if (!res.headers["access-control-allow-origin"]) fail(ctx, "preflight", "no access-control-allow-origin");
      return;
    }
  }
}


/** Fills one of the caller's drafts up to the 100-question cap, then one more (docs: 409 limit-reached with `limit`). */
async function fill(ctx: Ctx, op: OpOf<"fill">): Promise<void> {
  const e = ctx.m.exam(op.e);
  if (!e || e.owner !== op.u || e.status !== "draft") return;
  ctx.log.push(`     (fill: questions up to 100, then one more)`);
  const before = ctx.log.length;
  for (let i = 0; e.questions.length < 100 && i < 120; i++) {
    await addQuestion(ctx, { id: 100_000 + op.id * 1000 + i, u: op.u, dt: 0, k: "addQuestion", e: e.ref, body: { json: { kind: "text", text: `Fill ${i}`, points: 2, accepted: ["字"] } } });
  }
  const added = ctx.log.length - before;
  ctx.log.splice(before, added, `     (… ${added} questions added)`);
  await addQuestion(ctx, { id: 100_000 + op.id * 1000 + 999, u: op.u, dt: 0, k: "addQuestion", e: e.ref, body: { json: { kind: "text", text: "One too many", accepted: ["x"] } } });
}

// ---- the end of a sequence: everything the model holds, read back -----------------------------------------

async function audit(ctx: Ctx, op: OpOf<"audit">): Promise<void> {
  const { m } = ctx;
  const at = (u: U) => ({ id: op.id, u, dt: 0 });
  ctx.log.push("     (audit: every resource the model holds, read back)");
  for (const e of [...m.exams.values()]) {
    await getExam(ctx, { ...at(e.owner), k: "getExam", e: e.ref });
    if (e.status === "deleted") continue;
    await listQuestions(ctx, { ...at(e.owner), k: "listQuestions", e: e.ref });
    await listFiles(ctx, { ...at(e.owner), k: "listFiles", e: e.ref, limit: "2" });
    if (e.status === "published") {
      await getExam(ctx, { ...at("s2"), k: "getExam", e: e.ref });
      await listQuestions(ctx, { ...at("s0"), k: "listQuestions", e: e.ref });
      await listFiles(ctx, { ...at("n0"), k: "listFiles", e: e.ref, limit: "1" });
      await listAttempts(ctx, { ...at(e.owner), k: "listAttempts", e: e.ref, limit: "2" });
      for (const s of STUDENTS) await listAttempts(ctx, { ...at(s), k: "listAttempts", e: e.ref, limit: "1" });
    }
  }
  for (const a of m.attempts.values()) await getAttempt(ctx, { ...at(a.student), k: "getAttempt", a: a.ref });
  for (const u of ["t0", "t1", "t2", "s1", "n0"] as const) await listExams(ctx, { ...at(u), k: "listExams", limit: "2" });
}

// ---- races (forced with hold(): which request pauses at which write is part of the op, so a seed replays) -----

type Match = Parameters<TestApi["hold"]>[0];
const examKey = (id: string) => (input: { Key?: { PK?: unknown; SK?: unknown } } | undefined) => input?.Key?.PK === `EXAM#${id}` && input?.Key?.SK === "EXAM";
const sets = (input: { ExpressionAttributeValues?: Record<string, unknown> } | undefined, value: string) => Object.values(input?.ExpressionAttributeValues ?? {}).includes(value);

/** Sends `req` and holds it at the first write `match` selects; runs `meanwhile`; releases it; returns its answer. */
async function held(ctx: Ctx, what: string, match: Match, req: Req, meanwhile: () => Promise<void>): Promise<Res> {
  const gate = ctx.api.hold(match);
  ctx.log.push(`     (${req.method} ${show(ctx, req.path)} is held at ${what}; meanwhile:)`);
  const pending = send(ctx, req);
  const reached = await Promise.race([gate.reached.then(() => true), pending.then(() => false)]);
  ctx.route = `${req.route} (held)`;
  // A hold that was never reached would catch a later write: the sequence stops here (its table is dropped).
  if (!reached) fail(ctx, "held request", `it never reached ${what}: ${brief((await pending).body)}`);
  await meanwhile();
  gate.release();
  ctx.log.push(`     (released)`);
  const res = await pending;
  ctx.route = `${req.route} (held)`;
  return res;
}

/** A version the server reports after a change: a number above the one the model held. */
function grownVersion(ctx: Ctx, e: MExam, version: unknown): number {
  if (typeof version !== "number" || version <= e.version) fail(ctx, "exam version", `version ${String(version)} after a change of version ${e.version}`);
  return version;
}

function publishedInModel(ctx: Ctx, m: Model, e: MExam, version: unknown): void {
  e.status = "published";
  e.version = grownVersion(ctx, e, version);
  e.pubSeq = ++m.pubCounter;
}

function deletedInModel(m: Model, e: MExam): void {
  e.status = "deleted";
  for (const r of e.questions) m.questions.get(r)!.live = false;
}

async function race(ctx: Ctx, op: OpOf<"race">): Promise<void> {
  const { m, api } = ctx;
  const u = op.u;
  if (u === "anon") return;
  const at = { id: op.id, u, dt: 0 };
  switch (op.what) {
    case "patch2": {
      // Two PATCHes naming the same version: the one held at its write loses (412 via If-Match, 409 stale-version via the body).
      const e = m.exam(op.e);
      if (!e || e.owner !== u || e.status !== "draft") return;
      const v = e.version;
      const path = `/exams/${e.id}`;
      const viaIfMatch = op.order === 0;
      const loserReq: Req = viaIfMatch
        ? { u, route: "PATCH /exams/:examId", method: "PATCH", path, raw: JSON.stringify({ title: `Lost ${op.id}` }), ct: "application/json", headers: { "if-match": `"${v}"` } }
        : { u, route: "PATCH /exams/:examId", method: "PATCH", path, raw: JSON.stringify({ title: `Lost ${op.id}`, version: v }), ct: "application/json" };
      const loser = await held(ctx, "its exam update", (kind, input) => kind === "update" && examKey(e.id)(input), loserReq, async () => {
        await patchExam(ctx, { ...at, k: "patchExam", e: e.ref, body: { json: { title: `Won ${op.id}` } }, im: viaIfMatch ? "none" : "cur", bv: viaIfMatch ? "cur" : "none" });
      });
      const expected = viaIfMatch ? 412 : 409;
      if (loser.status !== expected) fail(ctx, "the stale PATCH", `the ${viaIfMatch ? "If-Match" : "body-version"} PATCH written after another answered ${loser.status} (expected ${expected}): ${brief(loser.body)}`);
      if (!viaIfMatch && (loser.body as { type?: string }).type !== TAG("stale-version")) fail(ctx, "the stale PATCH", brief(loser.body));
      staleCurrent(loser, e.version);
      return;
    }
    case "submit2": {
      // Two submits: the one held at its write finds the attempt submitted and answers the same result (one grading).
      const a = m.attempt(op.a);
      if (!a || a.student !== u || a.status !== "open") return;
      const req: Req = { u, route: "POST /attempts/:attemptId/submit", method: "POST", path: `/attempts/${a.id}/submit` };
      const first = await held(ctx, "its submit write", (kind, input) => kind === "update" && input?.Key?.PK === `ATTEMPT#${a.id}`, req, async () => {
        await submit(ctx, { ...at, k: "submit", a: a.ref });
      });
      if (first.status !== 200 || !same(first.body, a.submitted)) fail(ctx, "two submits, one grading", `${first.status} ${brief(first.body)} vs ${brief(a.submitted)}`);
      return;
    }
    case "start2": {
      // Two starts: the one held before it takes the lock finds the other's attempt open (409 attempt-open with its id).
      const e = m.exam(op.e);
      if (!e || e.status !== "published" || ROLE[u] !== "student" || m.openAttempt(u, e.ref) || (m.starts.get(`${u}|${e.ref}`) ?? 0) >= e.maxAttempts) return;
      const req: Req = { u, route: "POST /exams/:examId/attempts", method: "POST", path: `/exams/${e.id}/attempts` };
      const first = await held(ctx, "the lock", (kind, input) => kind === "update" && input?.Key?.PK === `USER#${sub(u)}` && input?.Key?.SK === `OPEN#${e.id}`, req, async () => {
        await startAttempt(ctx, { ...at, k: "startAttempt", e: e.ref });
      });
      const won = m.openAttempt(u, e.ref);
      const body = first.body as { type?: string; attemptId?: unknown };
      if (first.status !== 409 || body.type !== TAG("attempt-open") || body.attemptId !== won?.id) fail(ctx, "the second start", `expected 409 attempt-open naming ${won?.id}: ${first.status} ${brief(first.body)}`);
      return;
    }
    case "addPublish": {
      // An add and a publish: order 0 holds the add before its question is written (publish first: the add is taken back,
      // 409 read-only); order 1 holds the publish before its first write (the add lands, and is published).
      const e = m.exam(op.e);
      const body = op.body ?? { json: {} };
      const qb = "json" in body ? validQuestion(body.json) : null;
      if (!e || e.owner !== u || e.status !== "draft" || e.questions.length === 0 || e.questions.length >= 100 || !qb || utf8(bytesOf(body)) > 128 * 1024) return;
      const addReq: Req = { u, route: "POST /exams/:examId/questions", method: "POST", path: `/exams/${e.id}/questions`, raw: bytesOf(body), ct: "application/json" };
      if (op.order === 0) {
        const add = await held(ctx, "its question write", (kind, input) => kind === "put" && input?.Item?.PK === `EXAM#${e.id}` && String(input?.Item?.SK).startsWith("Q#"), addReq, async () => {
          await publish(ctx, { ...at, k: "publish", e: e.ref, im: "none" });
        });
        if (add.status !== 409 || (add.body as { type?: string }).type !== TAG("read-only")) fail(ctx, "an add admitted before a publish, written after it", `expected 409 read-only, got ${add.status} ${brief(add.body)}`);
      } else {
        const pubReq: Req = { u, route: "POST /exams/:examId/publish", method: "POST", path: `/exams/${e.id}/publish` };
        const pub = await held(ctx, "its first write", (kind, input) => kind === "update" && examKey(e.id)(input) && sets(input, "publishing"), pubReq, async () => {
          await addQuestion(ctx, { ...at, k: "addQuestion", e: e.ref, body });
        });
        if (pub.status !== 200) fail(ctx, "a publish after an add", `${pub.status} ${brief(pub.body)}`);
        publishedInModel(ctx, m, e, (pub.body as { version?: unknown }).version);
        checkExamFull(ctx, pub.body, e, pub.headers["etag"]);
      }
      return;
    }
    case "publish2": {
      // Two publishes: the one held before its first write finds the exam published and answers it unchanged.
      const e = m.exam(op.e);
      if (!e || e.owner !== u || e.status !== "draft" || e.questions.length === 0) return;
      const req: Req = { u, route: "POST /exams/:examId/publish", method: "POST", path: `/exams/${e.id}/publish` };
      const first = await held(ctx, "its first write", (kind, input) => kind === "update" && examKey(e.id)(input) && sets(input, "publishing"), req, async () => {
        await publish(ctx, { ...at, k: "publish", e: e.ref, im: "none" });
      });
      if (first.status !== 200) fail(ctx, "two publishes", `the held publish answered ${first.status} ${brief(first.body)}`);
      checkExamFull(ctx, first.body, e, first.headers["etag"]);
      return;
    }
    case "deletePublish": {
      // DELETE and publish of one draft: whichever writes first wins; the other is refused (409 read-only / 404).
      const e = m.exam(op.e);
      if (!e || e.owner !== u || e.status !== "draft" || e.questions.length === 0) return;
      const delReq: Req = { u, route: "DELETE /exams/:examId", method: "DELETE", path: `/exams/${e.id}` };
      const pubReq: Req = { u, route: "POST /exams/:examId/publish", method: "POST", path: `/exams/${e.id}/publish` };
      if (op.order === 0) {
        const del = await held(ctx, "its first write", (kind, input) => kind === "update" && examKey(e.id)(input) && sets(input, "deleting"), delReq, async () => {
          await publish(ctx, { ...at, k: "publish", e: e.ref, im: "none" });
        });
        if (del.status !== 409) fail(ctx, "a DELETE after a publish", `expected 409, got ${del.status} ${brief(del.body)}`);
      } else {
        const pub = await held(ctx, "its first write", (kind, input) => kind === "update" && examKey(e.id)(input) && sets(input, "publishing"), pubReq, async () => {
          await deleteExam(ctx, { ...at, k: "deleteExam", e: e.ref, im: "none" });
        });
        if (pub.status !== 404) fail(ctx, "a publish after a DELETE", `expected 404, got ${pub.status} ${brief(pub.body)}`);
      }
      return;
    }
    case "idem2": {
      // The same creating POST while the first still runs: 409 with Retry-After: 1; afterwards, the replay.
      const body = op.body ?? { json: {} };
      if (ROLE[u] !== "teacher" || !("json" in body) || !validExamCreate(body.json) || op.key === undefined || m.idem.has(`${sub(u)}\n${op.key}`)) return;
      const createOp: OpOf<"createExam"> = { ...at, k: "createExam", body, key: op.key };
      const req: Req = { u, route: "POST /exams", method: "POST", path: "/exams", raw: bytesOf(body), ct: "application/json", headers: { "idempotency-key": op.key } };
      const first = await held(ctx, "the exam's write", (kind, input) => kind === "put" && input?.Item?.SK === "EXAM" && String(input?.Item?.PK).startsWith("EXAM#"), req, async () => {
        ctx.route = "POST /exams";
        const res = await send(ctx, req);
        if (res.status !== 409 || res.headers["retry-after"] !== "1") fail(ctx, "a retry while the first runs", `expected 409 with Retry-After: 1, got ${res.status} ${res.headers["retry-after"]} ${brief(res.body)}`);
      });
      if (first.status !== 201) fail(ctx, "the held POST", `${first.status} ${brief(first.body)}`);
      const v = body.json as Record<string, unknown>;
      const b = first.body as Record<string, unknown>;
      const e: MExam = {
        ref: op.id,
        id: String(b["examId"]),
        owner: u,
        title: v["title"] as string,
        description: (v["description"] as string | undefined) ?? "",
        durationMinutes: v["durationMinutes"] as number,
        maxAttempts: (v["maxAttempts"] as number | undefined) ?? 1,
        status: "draft",
        version: b["version"] as number,
        questions: [],
        files: [],
        pubSeq: 0,
      };
      m.exams.set(op.id, e);
      m.labels.set(e.id, `E${op.id}`);
      m.idem.set(`${sub(u)}\n${op.key}`, { at: api.clock.now, fp: `POST /exams\n${bytesOf(body)}`, status: 201, body: first.body, location: first.headers["location"], etag: first.headers["etag"] });
      checkExamFull(ctx, b, e, first.headers["etag"]);
      await createExam(ctx, createOp); // now the replay
      return;
    }
    case "heldPublish": {
      // A publish held before its last write (docs: `publishing`, read-only, only the owner sees it; the next publish resumes it).
      const e = m.exam(op.e);
      if (!e || e.owner !== u || e.status !== "draft" || e.questions.length === 0) return;
      const req: Req = { u, route: "POST /exams/:examId/publish", method: "POST", path: `/exams/${e.id}/publish` };
      const res = await held(ctx, "its last write", (kind, input) => kind === "update" && examKey(e.id)(input) && sets(input, "published"), req, async () => {
        e.status = "publishing";
        e.version = grownVersion(ctx, e, (await getStoredExam(api.store, e.id))?.version);
        await getExam(ctx, { ...at, k: "getExam", e: e.ref });
        await getExam(ctx, { ...at, u: "s0", k: "getExam", e: e.ref });
        await addQuestion(ctx, { ...at, k: "addQuestion", e: e.ref, body: { json: { kind: "text", text: "Late?", accepted: ["x"] } } });
        await patchExam(ctx, { ...at, k: "patchExam", e: e.ref, body: { json: { title: "Late" } }, im: "cur", bv: "none" });
        await deleteExam(ctx, { ...at, k: "deleteExam", e: e.ref, im: "none" });
        await startAttempt(ctx, { ...at, u: "s0", k: "startAttempt", e: e.ref });
        await publish(ctx, { ...at, k: "publish", e: e.ref, im: "none" });
      });
      if (res.status !== 200) fail(ctx, "the held publish", `answered ${res.status} ${brief(res.body)} after the next publish resumed it`);
      checkExamFull(ctx, res.body, e, res.headers["etag"]);
      return;
    }
    case "heldDelete": {
      // A DELETE held before it removes the exam item (docs: the exam is gone for every reader; the next DELETE finishes it).
      const e = m.exam(op.e);
      if (!e || e.owner !== u || e.status !== "draft") return;
      const req: Req = { u, route: "DELETE /exams/:examId", method: "DELETE", path: `/exams/${e.id}` };
      const res = await held(ctx, "the exam item's delete", (kind, input) => kind === "delete" && examKey(e.id)(input), req, async () => {
        deletedInModel(m, e);
        await getExam(ctx, { ...at, k: "getExam", e: e.ref });
        await listExams(ctx, { ...at, k: "listExams" });
        await addQuestion(ctx, { ...at, k: "addQuestion", e: e.ref, body: { json: { kind: "text", text: "Late?", accepted: ["x"] } } });
        await patchExam(ctx, { ...at, k: "patchExam", e: e.ref, body: { json: { title: "Late" } }, im: "star", bv: "none" });
        await publish(ctx, { ...at, k: "publish", e: e.ref, im: "none" });
        // Docs: "A DELETE that stops half-way is finished by the next one."
        await run(ctx, req, either(ok(204, "finishes the delete"), err(404, "already gone")));
      });
      ctx.route = "DELETE /exams/:examId twice";
      if (res.status !== 204 && res.status !== 404) fail(ctx, "two DELETEs of a draft", `the held DELETE answered ${res.status} ${brief(res.body)} after the next one finished it`);
      return;
    }
  }
}

// ---- generating ops ---------------------------------------------------------------------------------------

const TITLES_OK = ["Algebra", "Capitals of Europe", "Ünïcödé", "日本語の試験", "\u{1D400}".repeat(100), "t".repeat(200), "x", "Chemistry 101"];
const TITLES_BAD: unknown[] = ["", "t".repeat(201), "\u{1D400}".repeat(101), "two\nlines", "tab\there", "exe\u202Efdp.pdf", "zero\u200Bwidth", "bell\u0007", "b\uFEFFom", "sep\u2028x", 5, null];
const DESC_OK = ["", "About it", "d".repeat(5000), "Ünïcödé ✓"];
const DESC_BAD: unknown[] = ["d".repeat(5001), "nul\u0000", "del\u007F", 7];
const DUR_OK = [1, 2, 5, 30, 1440];
const DUR_BAD: unknown[] = [0, 1441, 1.5, "30", -5, null];
const MAX_OK = [1, 2, 3, 100];
const MAX_BAD: unknown[] = [0, 101, 2.5, "2"];
const CHOICES = [["a", "b", "c", "d", "e"], ["Paris", "Lyon", "Nice"], ["1", "2", "3", "4"], ["α", "β", "γ"], Array.from({ length: 20 }, (_, i) => `c${i}`)];
const ACCEPTED = ["Paris", "New York", "Straße", "ＡＢＣ", "ﬁsh", "Ⅻ", "Rio de Janeiro"];
const POINTS_OK = [0, 1, 2, 5, 1000];
const POINTS_BAD: unknown[] = [-1, 1001, 1.5, "1"];
const NAMES: Array<[string, string]> = [
  ["paper.pdf", "application/pdf"],
  ["SCAN.PDF", "application/pdf"],
  ["../../etc/passwd.pdf", "application/pdf"],
  ["日本.pdf", "application/pdf"],
  ["img.png", "image/png"],
  ["Photo.JPEG", "image/jpeg"],
  ["x.jpg", "image/jpeg"],
];
const SIZES = [1, 3, 5, 8, 64, 2048, 10 * 1024 * 1024];

function genExamBody(rng: Rng, partial: boolean): Body {
  const r = rng.next();
  if (r < 0.05) return { raw: `{"title": "ZQXMARK ${rng.int(99)}`, ct: "application/json" };
  if (r < 0.07) return { raw: rng.pick(["[]", "null", "42", '"x"']) };
  if (r < 0.09) return { raw: JSON.stringify({ title: "Form", durationMinutes: 5 }), ct: rng.pick(["text/plain", "application/x-www-form-urlencoded"]) };
  if (r < 0.11) return { json: { title: "Huge", durationMinutes: 5, description: "h".repeat(70 * 1024) } };
  const body: Record<string, unknown> = {};
  const bad = rng.chance(0.3);
  const badField = rng.pick(["title", "description", "durationMinutes", "maxAttempts"]);
  const val = (f: string, okv: readonly unknown[], badv: readonly unknown[]) => (bad && badField === f ? rng.pick(badv) : rng.pick(okv));
  if (!partial || rng.chance(0.6) || (bad && badField === "title")) body["title"] = `${val("title", TITLES_OK, TITLES_BAD)}`;
  if (body["title"] === "null" || body["title"] === "5") body["title"] = bad && badField === "title" ? rng.pick(TITLES_BAD) : "Algebra";
  if (rng.chance(0.4) || (bad && badField === "description")) body["description"] = val("description", DESC_OK, DESC_BAD);
  if (!partial || rng.chance(0.4) || (bad && badField === "durationMinutes")) body["durationMinutes"] = val("durationMinutes", DUR_OK, DUR_BAD);
  if (rng.chance(0.5) || (bad && badField === "maxAttempts")) body["maxAttempts"] = val("maxAttempts", MAX_OK, MAX_BAD);
  if (partial && Object.keys(body).length === 0) body["title"] = "Renamed";
  return { json: body };
}

function genQuestionBody(rng: Rng): Body {
  const r = rng.next();
  if (r < 0.04) return { raw: `{"kind": "single", "text": "ZQXMARK` };
  if (r < 0.06) return { raw: JSON.stringify({ kind: "text", text: "q", accepted: ["a"] }), ct: "text/plain" };
  if (r < 0.08) return { json: { kind: "text", text: "big", accepted: ["a"], pad: "p".repeat(130 * 1024) } };
  if (r < 0.1) return { json: { kind: "single", text: "", points: -1, choices: Array.from({ length: 20 }, () => "\u0001"), correct: 19 } };
  const kind = rng.pick(KINDS);
  const choices = rng.pick(CHOICES).slice(0, 2 + rng.int(4));
  const big = rng.chance(0.05) ? CHOICES[4]! : choices;
  const body: Record<string, unknown> = { kind, text: rng.chance(0.05) ? "T".repeat(2000) : `Question ${rng.int(1000)}?` };
  if (rng.chance(0.5)) body["points"] = rng.pick(POINTS_OK);
  if (kind === "text") body["accepted"] = Array.from({ length: 1 + rng.int(3) }, (_, i) => ACCEPTED[(rng.int(ACCEPTED.length) + i) % ACCEPTED.length]);
  else {
    body["choices"] = big;
    body["correct"] = kind === "single" ? rng.int(big.length) : [...new Set([rng.int(big.length), rng.int(big.length)])];
  }
  if (rng.chance(0.3)) {
    switch (rng.int(12)) {
      case 0:
        body["kind"] = "essay";
        break;
      case 1:
        body["text"] = rng.pick(["", "T".repeat(2001), "ctl\u0001"]);
        break;
      case 2:
        body["points"] = rng.pick(POINTS_BAD);
        break;
      case 3:
        if (kind !== "text") body["choices"] = ["only"];
        else body["accepted"] = [];
        break;
      case 4:
        if (kind !== "text") body["choices"] = ["a", "a", "b"];
        else body["accepted"] = ["a".repeat(201)];
        break;
      case 5:
        if (kind !== "text") body["choices"] = Array.from({ length: 21 }, (_, i) => `c${i}`);
        else body["accepted"] = Array.from({ length: 21 }, (_, i) => `a${i}`);
        break;
      case 6:
        if (kind === "single") body["correct"] = rng.pick([7, -1, 1.5, [0]]);
        else if (kind === "multiple") body["correct"] = rng.pick([[], [0, 0], [9], 0]);
        else delete body["accepted"];
        break;
      case 7:
        delete body["text"];
        break;
      case 8:
        if (kind !== "text") body["choices"] = ["ok", "e".repeat(501)];
        else body["accepted"] = "Paris";
        break;
      default:
        break;
    }
  }
  return { json: body };
}

function genPatchQuestion(rng: Rng, current: QBody | undefined): Body {
  const kind = current?.kind ?? "single";
  const r = rng.int(11);
  switch (r) {
    case 0:
      return { json: { text: `Edited ${rng.int(100)}` } };
    case 1:
      return { json: { points: rng.chance(0.8) ? rng.pick(POINTS_OK) : rng.pick(POINTS_BAD) } };
    case 2: {
      const other = rng.pick(KINDS.filter((k) => k !== kind));
      const withKey = rng.chance(0.75);
      if (other === "text") return { json: withKey ? { kind: other, accepted: [rng.pick(ACCEPTED)] } : { kind: other } };
      const choices = rng.pick(CHOICES).slice(0, 3);
      return { json: withKey ? { kind: other, choices, correct: other === "single" ? rng.int(3) : [rng.int(3)] } : { kind: other, choices } };
    }
    case 3:
      return { json: kind === "text" ? { choices: ["a", "b"] } : { accepted: ["x"] } }; // a field the kind does not have: 422
    case 4:
      return { json: kind === "text" ? { accepted: [rng.pick(ACCEPTED), rng.pick(ACCEPTED)] } : { correct: kind === "single" ? rng.int(6) : [rng.int(4)] } };
    case 5:
      return { json: kind === "text" ? { accepted: ["New York"] } : { choices: rng.pick(CHOICES).slice(0, 2 + rng.int(3)) } };
    case 6:
      return { json: { kind } };
    case 7:
      return { json: { text: rng.pick(["", "T".repeat(2001)]) } };
    case 8:
      return { raw: '{"text": ZQXMARK' };
    case 9:
      return { json: { kind: "essay" } };
    default:
      return { json: { text: `Both ${rng.int(9)}`, points: rng.pick(POINTS_OK) } };
  }
}

function genFileBody(rng: Rng): Body {
  const r = rng.next();
  if (r < 0.04) return { raw: '{"fileName": "ZQXMARK' };
  if (r < 0.06) return { json: { fileName: `${"n".repeat(9000)}.pdf`, contentType: "application/pdf", size: 5 } };
  const [name, type] = rng.pick(NAMES);
  const body: Record<string, unknown> = { fileName: name, contentType: type, size: rng.pick(SIZES) };
  if (rng.chance(0.3)) {
    switch (rng.int(8)) {
      case 0:
        body["fileName"] = "setup.exe";
        break;
      case 1:
        body["contentType"] = "application/x-msdownload";
        break;
      case 2:
        body["size"] = rng.pick([0, 10 * 1024 * 1024 + 1, 1.5, "5"]);
        break;
      case 3:
        body["fileName"] = rng.pick(["", "exe\u202Efdp.pdf", "two\nlines.pdf", `${"n".repeat(252)}.pdf`]);
        break;
      case 4:
        body["contentType"] = type === "image/png" ? "application/pdf" : "image/png"; // extension no longer matches
        break;
      case 5:
        body["fileName"] = `${"n".repeat(251)}.pdf`;
        body["contentType"] = "application/pdf";
        break;
      default:
        break;
    }
  }
  return { json: body };
}

function genSheet(rng: Rng, m: Model, a: MAttempt | undefined): Sheet {
  const e = a ? m.exams.get(a.exam) : undefined;
  const qs = e ? m.liveQuestions(e) : [];
  const entries: Sheet["entries"] = [];
  const sloppy = rng.chance(0.25);
  // A sheet of long CJK answers: over the 256 KiB stored-sheet cap once ~90 questions are answered so.
  const heavy = qs.length >= 50 && rng.chance(0.5);
  for (const x of qs) {
    if (heavy) {
      entries.push({ q: x.ref, how: "cjk", n: 0 });
      continue;
    }
    if (rng.chance(0.2)) continue;
    const how: AnswerIntent = sloppy ? rng.pick(["shape", "range", "emptyMulti", "dupMulti", "long", "ctrl", "right"] as const) : rng.weighted([["right", 5], ["variant", 3], ["wrong", 3]] as const);
    entries.push({ q: x.ref, how, n: rng.int(1000) });
  }
  const extra = rng.chance(0.1) ? rng.pick(["unknown", "badKey", "tooMany", "manyUnknown"] as const) : undefined;
  return { entries, ...(extra ? { extra } : {}) };
}

function refOf<T extends { ref: number }>(rng: Rng, xs: T[], prefer?: (x: T) => boolean): Ref {
  const r = rng.next();
  if (r < 0.04 || xs.length === 0) return "ghost";
  if (r < 0.07) return `bad:${rng.pick(MALFORMED_IDS)}`;
  const preferred = prefer ? xs.filter(prefer) : xs;
  return rng.pick(preferred.length && rng.chance(0.85) ? preferred : xs).ref;
}

/** Mostly the user the op is meant for; sometimes anyone (a wrong role, someone else's resource, no token). */
function who(rng: Rng, meant: U): U {
  if (rng.chance(0.78)) return meant;
  if (rng.chance(0.06)) return "anon";
  return rng.pick(SIGNED_IN);
}

const IM: ReadonlyArray<readonly [IfMatch, number]> = [
  ["none", 5],
  ["cur", 4],
  ["bare", 1],
  ["weak", 1],
  ["stale", 2],
  ["star", 1],
  ["bad", 1],
];
const BV: ReadonlyArray<readonly [BodyVer, number]> = [
  ["none", 5],
  ["cur", 3],
  ["stale", 1],
];

function listSpec(rng: Rng, exams: MExam[]): ListSpec {
  const u = rng.pick(SIGNED_IN);
  const kind = rng.pick(["exams", "attempts", "files"] as const);
  if (kind === "exams") {
    const status = rng.pick([undefined, undefined, "draft", "published"]);
    return status === undefined ? { u, kind } : { u, kind, status };
  }
  const e = refOf(rng, exams, (x) => x.status === "published");
  return { u, kind, e };
}

function gen(rng: Rng, m: Model, id: number, ops: Op[]): Op {
  const exams = [...m.exams.values()];
  const drafts = exams.filter((e) => e.status === "draft");
  const published = exams.filter((e) => e.status === "published");
  const questions = [...m.questions.values()];
  const files = [...m.files.values()];
  const attempts = [...m.attempts.values()];
  const open = attempts.filter((a) => a.status === "open");
  const keyed = ops.filter((o): o is OpOf<"createExam"> | OpOf<"addQuestion"> | OpOf<"createFile"> => (o.k === "createExam" || o.k === "addQuestion" || o.k === "createFile") && o.key !== undefined);
  const dt = 1000 + rng.int(4000);
  const base = (u: U) => ({ id, u, dt });
  const uploaded = files.filter((f) => f.status === "pending" && f.upload !== "none");
  const kind = rng.weighted<Op["k"]>([
    ["createExam", exams.length < 2 ? 10 : exams.length < 4 ? 3 : 1],
    ["getExam", 3],
    ["patchExam", drafts.length ? 3 : 0.5],
    ["deleteExam", 1.5],
    ["publish", drafts.some((e) => e.questions.length) ? 5 : 1],
    ["listExams", 3],
    ["addQuestion", drafts.length ? 8 : 1],
    ["listQuestions", 2],
    ["getQuestion", questions.length ? 2 : 0],
    ["patchQuestion", questions.length ? 4 : 0],
    ["deleteQuestion", questions.length ? 1.5 : 0],
    ["startAttempt", published.length ? 8 : 0.5],
    ["putAnswers", open.length ? 12 : 0.5],
    ["submit", open.length ? 6 : attempts.length ? 1 : 0],
    ["getAttempt", attempts.length ? 3 : 0],
    ["listAttempts", attempts.length ? 3 : 0.5],
    ["createFile", drafts.length ? 3 : 0.5],
    ["upload", files.some((f) => f.upload === "none") ? 5 : 0],
    ["complete", uploaded.length ? 6 : files.length ? 1 : 0],
    ["listFiles", files.length ? 2 : 0.5],
    ["getFile", files.length ? 3 : 0],
    ["deleteFile", files.length ? 1.5 : 0],
    ["getMe", 1],
    ["patchMe", 1.5],
    ["advance", open.length ? 2 : 0.3],
    ["cursor", exams.length ? 1.5 : 0],
    ["badCursor", 0.7],
    ["misc", 1],
    ["race", drafts.length || open.length || published.length ? 1.5 : 0],
    ["fill", drafts.length ? 0.08 : 0],
  ]);
  const examOwner = (r: Ref): U => m.exam(r)?.owner ?? rng.pick(TEACHERS);
  const newKey = () =>
    rng.chance(0.5)
      ? undefined
      : keyed.length && rng.chance(0.12)
        ? rng.pick(keyed).key // the same key for another request (path or body): 422 for its owner, a new key for anyone else
        : rng.chance(0.1)
          ? rng.pick(["has space", "ké", "k".repeat(256)])
          : rng.chance(0.2)
            ? `"k${id}"`
            : `k${id}`;
  switch (kind) {
    case "createExam": {
      // A retry: the same request again (or with another body, or as someone else).
      if (keyed.length && rng.chance(0.2)) {
        const prev = rng.pick(keyed);
        const variant = rng.int(4);
        const copy = { ...prev, ...base(variant === 3 ? who(rng, prev.u) : prev.u) } as Op;
        if (variant === 2 && (copy.k === "createExam" || copy.k === "addQuestion" || copy.k === "createFile")) copy.body = copy.k === "createExam" ? genExamBody(rng, false) : copy.k === "addQuestion" ? genQuestionBody(rng) : genFileBody(rng);
        if (variant === 1 && copy.k === "createExam" && copy.key) copy.key = copy.key.startsWith('"') ? copy.key.slice(1, -1) : `"${copy.key}"`;
        return copy;
      }
      const key = newKey();
      return { ...base(who(rng, rng.pick(TEACHERS))), k: "createExam", body: genExamBody(rng, false), ...(key !== undefined ? { key } : {}) };
    }
    case "getExam": {
      const e = refOf(rng, exams);
      const inm = rng.chance(0.15) ? rng.pick(["cur", "stale"] as const) : undefined;
      return { ...base(who(rng, rng.chance(0.5) ? examOwner(e) : rng.pick(SIGNED_IN))), k: "getExam", e, ...(rng.chance(0.1) ? { head: true } : {}), ...(inm ? { inm } : {}) };
    }
    case "patchExam": {
      const e = refOf(rng, exams, (x) => x.status === "draft");
      return { ...base(who(rng, examOwner(e))), k: "patchExam", e, body: genExamBody(rng, true), im: rng.weighted(IM), bv: rng.weighted(BV) };
    }
    case "deleteExam": {
      const e = refOf(rng, exams);
      return { ...base(who(rng, examOwner(e))), k: "deleteExam", e, im: rng.weighted(IM) };
    }
    case "publish": {
      const e = refOf(rng, exams, (x) => x.status === "draft" && x.questions.length > 0);
      return { ...base(who(rng, examOwner(e))), k: "publish", e, im: rng.weighted(IM) };
    }
    case "listExams": {
      const limit = rng.weighted<string | undefined>([
        [undefined, 3],
        ["1", 2],
        ["2", 2],
        ["3", 1],
        ["100", 1],
        [rng.pick(["0", "101", "abc", "-1", "1.5"]), 0.6],
      ]);
      const status = rng.weighted<string | undefined>([
        [undefined, 4],
        ["draft", 1],
        ["published", 1],
        ["deleted", 0.2],
      ]);
      return { ...base(rng.pick(SIGNED_IN)), k: "listExams", ...(status !== undefined ? { status } : {}), ...(limit !== undefined ? { limit } : {}), ...(rng.chance(0.05) ? { head: true } : {}) };
    }
    case "addQuestion": {
      if (keyed.length && rng.chance(0.12)) {
        const prev = rng.pick(keyed);
        return { ...prev, ...base(prev.u) } as Op;
      }
      const e = refOf(rng, exams, (x) => x.status === "draft");
      const key = newKey();
      return { ...base(who(rng, examOwner(e))), k: "addQuestion", e, body: genQuestionBody(rng), ...(key !== undefined ? { key } : {}) };
    }
    case "listQuestions": {
      const e = refOf(rng, exams);
      return { ...base(rng.chance(0.5) ? examOwner(e) : rng.pick(SIGNED_IN)), k: "listQuestions", e, ...(rng.chance(0.05) ? { head: true } : {}) };
    }
    case "getQuestion":
    case "patchQuestion":
    case "deleteQuestion": {
      const qr = refOf(rng, questions, (x) => x.live);
      const qn = m.question(qr);
      const e: Ref = qn && rng.chance(0.92) ? qn.exam : refOf(rng, exams);
      if (kind === "getQuestion") {
        const inm = rng.chance(0.15) ? rng.pick(["cur", "stale"] as const) : undefined;
        return { ...base(rng.chance(0.5) ? examOwner(e) : rng.pick(SIGNED_IN)), k: "getQuestion", e, q: qr, ...(inm ? { inm } : {}) };
      }
      if (kind === "patchQuestion") return { ...base(who(rng, examOwner(e))), k: "patchQuestion", e, q: qr, body: genPatchQuestion(rng, qn?.body), im: rng.weighted(IM), bv: rng.weighted(BV) };
      return { ...base(who(rng, examOwner(e))), k: "deleteQuestion", e, q: qr, im: rng.weighted(IM) };
    }
    case "startAttempt": {
      const e = refOf(rng, exams, (x) => x.status === "published");
      return { ...base(who(rng, rng.pick(STUDENTS))), k: "startAttempt", e };
    }
    case "putAnswers": {
      const ar = refOf(rng, attempts, (x) => x.status === "open");
      const a = m.attempt(ar);
      const meant = a?.student ?? rng.pick(STUDENTS);
      const r = rng.next();
      if (r < 0.04) return { ...base(who(rng, meant)), k: "putAnswers", a: ar, body: { raw: '{"answers": {ZQXMARK' } };
      if (r < 0.06) return { ...base(who(rng, meant)), k: "putAnswers", a: ar, body: { json: { answers: { [GHOST]: "z".repeat(1100 * 1024) } } } };
      if (r < 0.09) return { ...base(who(rng, meant)), k: "putAnswers", a: ar, body: { json: rng.pick([{}, { answers: [] }, { answers: null }, []]) } };
      return { ...base(who(rng, meant)), k: "putAnswers", a: ar, sheet: genSheet(rng, m, a) };
    }
    case "submit": {
      const ar = refOf(rng, attempts, (x) => x.status === "open");
      return { ...base(who(rng, m.attempt(ar)?.student ?? rng.pick(STUDENTS))), k: "submit", a: ar };
    }
    case "getAttempt": {
      const ar = refOf(rng, attempts);
      const a = m.attempt(ar);
      const meant = a ? (rng.chance(0.5) ? a.student : m.exams.get(a.exam)!.owner) : rng.pick(SIGNED_IN);
      return { ...base(who(rng, meant)), k: "getAttempt", a: ar };
    }
    case "listAttempts": {
      const e = refOf(rng, exams, (x) => x.status === "published");
      const limit = rng.weighted<string | undefined>([
        [undefined, 3],
        ["1", 3],
        ["2", 1],
        [rng.pick(["0", "101", "x"]), 0.4],
      ]);
      return { ...base(rng.chance(0.4) ? examOwner(e) : rng.pick(SIGNED_IN)), k: "listAttempts", e, ...(limit !== undefined ? { limit } : {}) };
    }
    case "createFile": {
      if (keyed.length && rng.chance(0.12)) {
        const prev = rng.pick(keyed);
        return { ...prev, ...base(prev.u) } as Op;
      }
      const e = refOf(rng, exams, (x) => x.status === "draft");
      const key = newKey();
      return { ...base(who(rng, examOwner(e))), k: "createFile", e, body: genFileBody(rng), ...(key !== undefined ? { key } : {}) };
    }
    case "upload": {
      const f = rng.pick(files.filter((x) => x.upload === "none").length ? files.filter((x) => x.upload === "none") : files);
      return { ...base("t0"), k: "upload", f: f.ref, mode: rng.weighted([["ok", 6], ["magic", 1], ["size", 1], ["type", 1]] as const) };
    }
    case "complete":
    case "getFile": {
      const fr = refOf(rng, files, kind === "complete" ? (x) => x.status === "pending" && x.upload !== "none" : (x) => x.status === "ready");
      const f = m.file(fr);
      const e: Ref = f && rng.chance(0.92) ? f.exam : refOf(rng, exams);
      if (kind === "complete") return { ...base(who(rng, examOwner(e))), k: "complete", e, f: fr };
      return { ...base(rng.chance(0.5) ? examOwner(e) : rng.pick(SIGNED_IN)), k: "getFile", e, f: fr, ...(rng.chance(0.3) ? { download: true } : {}) };
    }
    case "deleteFile": {
      const fr = refOf(rng, files, (x) => !x.gone);
      const f = m.file(fr);
      const e: Ref = f && rng.chance(0.92) ? f.exam : refOf(rng, exams);
      // Files have no ETag to send back: mostly no If-Match, sometimes `*`, now and then a tag (412) or junk.
      const im = rng.weighted<IfMatch>([["none", 8], ["star", 2], ["cur", 1], ["stale", 1], ["bad", 1]]);
      return { ...base(who(rng, examOwner(e))), k: "deleteFile", e, f: fr, im };
    }
    case "listFiles": {
      const e = refOf(rng, exams);
      const limit = rng.weighted<string | undefined>([
        [undefined, 3],
        ["1", 3],
        ["2", 1],
        [rng.pick(["0", "101"]), 0.3],
      ]);
      return { ...base(rng.chance(0.5) ? examOwner(e) : rng.pick(SIGNED_IN)), k: "listFiles", e, ...(limit !== undefined ? { limit } : {}) };
    }
    case "getMe": {
      const inm = rng.chance(0.2) ? rng.pick(["cur", "stale"] as const) : undefined;
      return { ...base(who(rng, rng.pick(SIGNED_IN))), k: "getMe", ...(rng.chance(0.1) ? { head: true } : {}), ...(inm ? { inm } : {}) };
    }
    case "patchMe": {
      const r = rng.next();
      const body: Body =
        r < 0.06
          ? { raw: '{"displayName": "ZQXMARK' }
          : r < 0.1
            ? { json: { displayName: "n".repeat(9000) } }
            : { json: { displayName: rng.chance(0.75) ? rng.pick(["Cy", "Ada L.", "Ünï", "名前", "n".repeat(100)]) : rng.pick(["", "n".repeat(101), "Ada\u2028Teacher", "bidi\u202E", 5]) } };
      return { ...base(who(rng, rng.pick(SIGNED_IN))), k: "patchMe", body, im: rng.weighted(IM), bv: rng.weighted(BV) };
    }
    case "advance":
      return { ...base("anon"), k: "advance", ms: rng.pick([30_000, 61_000, 90_000, 6 * 60_000, 31 * 60_000, 2 * 3600_000]) };
    case "cursor": {
      if (attempts.length && rng.chance(0.4)) {
        // One student's attempts listing, its cursor passed by another student (or the teacher).
        const a = rng.pick(attempts);
        const other = rng.pick([...STUDENTS.filter((x) => x !== a.student), m.exams.get(a.exam)!.owner]);
        return { ...base(a.student), k: "cursor", from: { u: a.student, kind: "attempts", e: a.exam }, to: { u: other, kind: "attempts", e: a.exam } };
      }
      const from = listSpec(rng, exams);
      const to = listSpec(rng, exams);
      return { ...base(from.u), k: "cursor", from, to: rng.chance(0.3) && from.kind !== "exams" ? { ...from, u: rng.pick(SIGNED_IN) } : to };
    }
    case "badCursor": {
      const list = listSpec(rng, exams);
      const cursor = rng.pick([
        "a.b",
        "!!!",
        "c".repeat(2049),
        "bm9wZQ",
        Buffer.from("{}").toString("base64url"),
        Buffer.from(JSON.stringify({ PK: "EXAM#x", SK: "Q#y" })).toString("base64url"),
        Buffer.from(JSON.stringify({ GSI1PK: "TEACHER#nobody", GSI1SK: "draft#x", PK: "EXAM#x", SK: "EXAM" })).toString("base64url"),
      ]);
      return { ...base(list.u), k: "badCursor", list, cursor };
    }
    case "race": {
      const what = rng.pick(["patch2", "submit2", "start2", "addPublish", "idem2", "publish2", "deletePublish", "heldPublish", "heldDelete"] as const);
      const e = refOf(rng, exams, what === "start2" ? (x) => x.status === "published" : (x) => x.status === "draft");
      const a = refOf(rng, attempts, (x) => x.status === "open");
      const u = what === "submit2" ? (m.attempt(a)?.student ?? "s0") : what === "start2" ? rng.pick(STUDENTS) : examOwner(e);
      const body = what === "addPublish" ? genQuestionBody(rng) : what === "idem2" ? genExamBody(rng, false) : undefined;
      return { ...base(u), k: "race", what, e, a, order: rng.chance(0.5) ? 0 : 1, ...(body ? { body } : {}), ...(what === "idem2" ? { key: `race-${id}` } : {}) };
    }
    case "audit":
      return { ...base("anon"), k: "audit" };
    case "fill": {
      const e = refOf(rng, exams, (x) => x.status === "draft");
      return { ...base(examOwner(e)), k: "fill", e };
    }
    case "misc": {
      const e = refOf(rng, exams);
      return { ...base(rng.chance(0.2) ? "anon" : rng.pick(SIGNED_IN)), k: "misc", what: rng.pick(["405", "404", "health", "openapi", "preflight", "csv", "csv", "414"] as const), e };
    }
  }
}

// ---- sequences, shrinking, reports -----------------------------------------------------------------------

interface Failure {
  sig: string;
  message: string;
  index: number;
}
interface RunResult {
  ops: Op[];
  /** The disagreement that stopped the sequence (the model may be out of step after it). */
  failure?: Failure;
  soft: Failure[];
  log: string[];
  /** The log's length after each op. */
  marks: number[];
}

async function runSequence(seedOrOps: { seed: number; n: number } | Op[], tally: Tally): Promise<RunResult> {
  const api = await createTestApi("fuzz");
  const m = new Model();
  const ctx: Ctx = { api, m, log: [], tally, op: { id: -1, u: "anon", dt: 0, k: "advance", ms: 0 }, route: "", index: 0, soft: [] };
  const ops: Op[] = [];
  const marks: number[] = [];
  const rng = Array.isArray(seedOrOps) ? undefined : new Rng(seedOrOps.seed >>> 0 || 0x9e3779b9);
  const total = Array.isArray(seedOrOps) ? seedOrOps.length : seedOrOps.n;
  try {
    for (let i = 0; i < total; i++) {
      const op = Array.isArray(seedOrOps) ? seedOrOps[i]! : i === total - 1 ? ({ id: i, u: "anon", dt: 1000, k: "audit" } as const) : gen(rng!, m, i, ops);
      ops.push(op);
      ctx.index = i;
      try {
        await exec(ctx, op);
        marks.push(ctx.log.length);
      } catch (e) {
        marks.push(ctx.log.length);
        const failure =
          e instanceof Disagreement
            ? { sig: e.sig, message: e.message, index: i }
            : { sig: `${ctx.route} threw`, message: `${ctx.route}: the model or the harness threw: ${(e as Error).stack ?? String(e)}`, index: i };
        return { ops, failure, soft: ctx.soft, log: ctx.log, marks };
      }
    }
    return { ops, soft: ctx.soft, log: ctx.log, marks };
  } finally {
    await api.drop();
  }
}

/** Every disagreement of a run: the soft ones, then the one that stopped it. */
const failuresOf = (r: RunResult): Failure[] => [...r.soft, ...(r.failure ? [r.failure] : [])];
const findSig = (r: RunResult, sig: string): Failure | undefined => failuresOf(r).find((f) => f.sig === sig);

/** ddmin over the ops before the one that disagreed (kept), as long as the same disagreement comes back. */
async function shrink(ops: Op[], sig: string, deadline: number): Promise<{ result: RunResult; failure: Failure } | undefined> {
  const scratch = newTally();
  let best = await runSequence(ops, scratch);
  let bestF = findSig(best, sig);
  if (!bestF) return undefined;
  let current = best.ops.slice(0, bestF.index + 1);
  let n = 2;
  while (current.length > 1 && Date.now() < deadline) {
    const head = current.slice(0, -1);
    const last = current[current.length - 1]!;
    const size = Math.ceil(head.length / n);
    let reduced = false;
    for (let i = 0; i < head.length && Date.now() < deadline; i += size) {
      const candidate = [...head.slice(0, i), ...head.slice(i + size), last];
      const r = await runSequence(candidate, scratch);
      const f = findSig(r, sig);
      if (f) {
        best = r;
        bestF = f;
        current = r.ops.slice(0, f.index + 1);
        n = Math.max(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (size <= 1) break;
      n = Math.min(n * 2, head.length);
    }
  }
  // The shrunk sequence, run once more up to its disagreement, for the printed log.
  const final = await runSequence(current, scratch);
  const f = findSig(final, sig);
  return f ? { result: final, failure: f } : { result: best, failure: bestF };
}

function printTally(t: Tally, sequences: number, calls: number, ms: number): string {
  const lines = [`ExamBuddy model fuzz: seed ${SEED}, ${sequences} sequences × ${OPS} ops, ${calls} calls, ${(ms / 1000).toFixed(1)} s`];
  lines.push(`ops: ${[...t.ops.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(", ")}`);
  for (const [route, statuses] of [...t.statuses.entries()].sort()) {
    lines.push(`  ${route.padEnd(46)} ${[...statuses.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(" ")}`);
  }
  return lines.join("\n");
}

describe("ExamBuddy model fuzz", () => {
  it(`random call sequences agree with the documented model (seed ${SEED})`, async () => {
    const started = Date.now();
    const tally = newTally();
    const found = new Map<string, { seed: number; result: RunResult; failure: Failure }>();
    let calls = 0;
    for (let s = 0; s < SEQUENCES; s++) {
      const seed = (SEED + s * 7919) >>> 0;
      const r = await runSequence({ seed, n: OPS }, tally);
      calls += r.log.length;
      if (VERBOSE) console.log(`--- sequence ${s} (seed ${seed})\n${r.log.join("\n")}`);
      for (const f of failuresOf(r)) if (!found.has(f.sig)) found.set(f.sig, { seed, result: r, failure: f });
    }
    const fuzzMs = Date.now() - started;
    console.log(printTally(tally, SEQUENCES, calls, fuzzMs));
    const reports: string[] = [];
    const deadline = Date.now() + MINIMIZE_MS;
    for (const [sig, { seed, result, failure }] of found) {
      const each = Date.now() + Math.max(2000, (deadline - Date.now()) / Math.max(1, found.size - reports.length));
      const small = MINIMIZE ? await shrink(result.ops, sig, Math.min(deadline, each)) : undefined;
      const f = small?.failure ?? failure;
      const run = small ? small.result : result;
      const log = run.log.slice(0, run.marks[f.index] ?? run.log.length);
      const ops = (small ? small.result.ops : result.ops).slice(0, f.index + 1);
      reports.push(
        [
          `✗ ${sig}`,
          `  found by sequence seed ${seed} at op ${failure.index + 1}; ${small ? `shrunk to ${f.index + 1} ops` : "not shrunk"}`,
          `  ${f.message}`,
          `  reproduction (user, request → status):`,
          ...log.map((l) => `    ${l}`),
          `  ops: ${JSON.stringify(ops, (k, v: unknown) => (typeof v === "string" && v.length > 120 ? `${v.slice(0, 20)}…(${v.length})` : v))}`,
        ].join("\n"),
      );
    }
    if (reports.length) console.log(`\n${reports.length} disagreement(s) with the docs:\n\n${reports.join("\n\n")}`);
    expect([...found.keys()], "disagreements with docs/exambuddy.md (each shrunk reproduction is printed above)").toEqual([]);
  }, 900_000);
});

const T: Claims = { sub: "t-find", "cognito:groups": "[teacher]" };
const S: Claims = { sub: "s", "cognito:groups": "[student]" };
const S1: Claims = { sub: "s#1", "cognito:groups": "[student]" };

// Each disagreement the fuzz found that was a bug in ExamBuddy (not in the model), as a few calls; each failed before its fix.
describe("ExamBuddy model fuzz: minimized findings", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi("findings");
  });
  afterAll(() => api.drop());

  async function publishedExam(questions: unknown[], maxAttempts = 1): Promise<{ examId: string; questionIds: string[] }> {
    const examId = (await api.call("POST", "/exams", { as: T, body: { title: "Findings", durationMinutes: 30, maxAttempts } })).body.examId as string;
    const questionIds: string[] = [];
    for (const q of questions) questionIds.push((await api.call("POST", `/exams/${examId}/questions`, { as: T, body: q })).body.questionId);
    expect((await api.call("POST", `/exams/${examId}/publish`, { as: T })).status).toBe(200);
    return { examId, questionIds };
  }

  it("an exam's ETag changes when its representation does (adding a question changed questionCount and updatedAt under the same ETag)", async () => {
    const created = await api.call("POST", "/exams", { as: T, body: { title: "x", durationMinutes: 30 } });
    const examId = created.body.examId;
    const before = await api.call("GET", `/exams/${examId}`, { as: T });
    expect((await api.call("POST", `/exams/${examId}/questions`, { as: T, body: { kind: "text", text: "Q?", accepted: ["a"] } })).status).toBe(201);
    const after = await api.call("GET", `/exams/${examId}`, { as: T });
    expect(after.body.questionCount).toBe(1);
    // Docs, Conventions: versions are sent as a strong ETag; a strong ETag names one representation.
    if (after.headers["etag"] === before.headers["etag"]) expect(after.body).toEqual(before.body);
  });

  it("every problem has a detail: the router's 404, 405 and 414 too", async () => {
    for (const [method, path] of [["GET", "/nowhere"], ["PUT", "/exams"], ["GET", `/exams/${"x".repeat(8200)}`]] as const) {
      const res = await api.call(method, path, { as: T });
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(res.body, `${method} ${path.slice(0, 20)}`).toMatchObject({ type: "about:blank", status: res.status, detail: expect.any(String), requestId: expect.any(String) });
    }
  });

  it("an answer sheet must be a map of question ids: `answers: []` is a 422 and leaves the saved sheet (was: 200, the sheet emptied)", async () => {
    const { examId, questionIds } = await publishedExam([{ kind: "single", text: "Q", choices: ["a", "b"], correct: 0 }]);
    const start = await api.call("POST", `/exams/${examId}/attempts`, { as: S });
    const sheet = { [questionIds[0]!]: 0 };
    expect((await api.call("PUT", `/attempts/${start.body.attemptId}/answers`, { as: S, body: { answers: sheet } })).status).toBe(200);
    const res = await api.call("PUT", `/attempts/${start.body.attemptId}/answers`, { as: S, body: { answers: [] } });
    expect((await api.call("GET", `/attempts/${start.body.attemptId}`, { as: S })).body.answers).toEqual(sheet);
    expect(res.status).toBe(422);
  });

  it("a `multiple` answer holds 1–20 indexes: `[]` is a 422 (was: 200)", async () => {
    const { examId, questionIds } = await publishedExam([{ kind: "multiple", text: "Q", choices: ["a", "b", "c"], correct: [0, 2] }]);
    const start = await api.call("POST", `/exams/${examId}/attempts`, { as: S1 });
    const res = await api.call("PUT", `/attempts/${start.body.attemptId}/answers`, { as: S1, body: { answers: { [questionIds[0]!]: [] } } });
    expect(res.status).toBe(422);
  });

  it("another student's attempts cursor is a 400, even when their sub extends the caller's with '#' (was: 200, and `next` named s#1's attempts)", async () => {
    const { examId } = await publishedExam([{ kind: "text", text: "Q", accepted: ["a"] }], 3);
    for (let i = 0; i < 2; i++) {
      const a = await api.call("POST", `/exams/${examId}/attempts`, { as: S1 });
      expect(a.status).toBe(201);
      await api.call("POST", `/attempts/${a.body.attemptId}/submit`, { as: S1 });
    }
    const page = await api.call("GET", `/exams/${examId}/attempts?limit=1`, { as: S1 });
    expect(page.body.next).toEqual(expect.any(String));
    const foreign = await api.call("GET", `/exams/${examId}/attempts?limit=1&cursor=${page.body.next}`, { as: S });
    expect(foreign.status).toBe(400);
  });

  it("a DELETE that meets another DELETE of the same draft answers 204 or 404, never 409 (was: 409 conflict)", async () => {
    const examId = (await api.call("POST", "/exams", { as: T, body: { title: "Twice", durationMinutes: 5 } })).body.examId as string;
    // Hold the first DELETE just before it removes the exam item; the second runs to its end meanwhile.
    const gate = api.hold((op, input) => op === "delete" && input.Key?.PK === `EXAM#${examId}` && input.Key?.SK === "EXAM");
    const first = api.call("DELETE", `/exams/${examId}`, { as: T });
    await gate.reached;
    const second = await api.call("DELETE", `/exams/${examId}`, { as: T });
    gate.release();
    const statuses = [(await first).status, second.status];
    expect(statuses).toContain(204);
    for (const s of statuses) expect([204, 404]).toContain(s);
    expect((await api.call("GET", `/exams/${examId}`, { as: T })).status).toBe(404);
  });
});
