// Deterministic fuzzing of every captured event (events/*.json): each is mutated FUZZ_N times (a field set
// to null, a number, a list, a 1e5-character string, CR/LF/NUL, lone surrogates, malformed escapes; a field
// deleted or of the wrong type; `__proto__`/`constructor`/`toString` keys; invalid base64 with the base64
// flag on; 1e4 headers; deep nesting) and run through handle() with every adapter. The oracle is the
// public contract (DESIGN.md "Public contract", README "Malformed events"):
//   - the call settles within TIME_BOUND_MS;
//   - it resolves to the source's result shape: a status 200–599 (`statusCode`, or Lambda@Edge's `status`
//     string); a status >= 400 carries an application/problem+json body with a numeric `status` and a
//     `title`, and no stack lines; a 500 only when the app itself threw (the /boom route), or read the body
//     of a Lambda@Edge event whose headers announce one its trigger did not include (lambda-edge.ts);
//   - or it rejects with an Error: the unknown-event error (detect.ts, `unknownEvent`: "lambdalith:
//     unrecognised event (keys: …); supported sources: …"), or the documented routing-field error (README
//     "Malformed events": a method or path that is not a string fails the invocation naming the field;
//     request.ts and canonical-path.ts spell it "… event: the method is X, not a string" and "the event's
//     path is X, not a string"). Any other rejection (a TypeError from inside, a RangeError…) is a finding;
//   - the request views the app reads have their declared types (sourceIp a string, auth an object or a list).
// Reproduce one variant: FUZZ_ONLY=<file>:<index> npx vitest run src/adapters/fuzz.test.ts (prints its
// mutations and event). FUZZ_N and FUZZ_SEED change the count and the base seed. A run ends with a report:
// variants, time, outcomes, and each failure class with its seed and mutations. Below the fuzzing: a
// linear-time check (cookie merging) and the minimized event of each failure class found so far.
import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultAdapters, handle, HttpError, json, lambdaEdge, router, vpcLattice, type HttpRequest } from "../index.ts";
import { Rng } from "../../test/seeded-random.ts";
import { wholeNumberFromEnv } from "../../test/env-number.ts";

const N = wholeNumberFromEnv("FUZZ_N", 200, { min: 1 });
const BASE_SEED = wholeNumberFromEnv("FUZZ_SEED", 0x5eed1);
const ONLY = process.env["FUZZ_ONLY"]; // "<file>:<index>"
const TIME_BOUND_MS = 2000;
const EVENTS_DIR = new URL("../../events/", import.meta.url);
const CONTEXT = { awsRequestId: "fuzz-lambda-id" };
const SOURCES = "alb, http-api-v2, function-url, apigw-v1, vpc-lattice, lambda-edge";

// ---- seeded randomness ---------------------------------------------------------------------------------


function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The seed of variant `index` of `file`: printed with every failure. */
const variantSeed = (file: string, index: number): number => (BASE_SEED ^ fnv1a(file) ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;


// ---- values ---------------------------------------------------------------------------------------------

const LONG = 100_000;
const NASTY_STRINGS: readonly string[] = [
  "",
  " ",
  "\r\n",
  "a\r\nx-injected: 1",
  "a\nb",
  "\0",
  "a\0b",
  "\ud800",
  "\udc00",
  "a\ud83d",
  "\udfff\ud800",
  "%",
  "%ZZ",
  "%C3",
  "%E0%A4%A",
  "%%%",
  "%2F..%2F",
  "%00",
  "%0D%0A",
  "/..",
  "/a/../../b",
  "?",
  "?a=1&a=%ZZ",
  "#frag",
  "__proto__",
  "constructor",
  "toString",
  "é",
  "😀",
  "+",
  "=",
  "&&&",
  ";;;",
  "a=%ZZ; b=%C3; __proto__=1",
  '"',
  "get",
  "BREW",
  "1.2.3.4, 5.6.7.8",
  "/exams/%C3",
  "/exams/%ZZ",
  "/files/%E0%A4%A",
  "/boom%",
];

// Long strings, built once.
const LONG_STRINGS: readonly string[] = [
  "a".repeat(LONG),
  "%".repeat(LONG),
  "%C3".repeat(LONG / 3),
  "/".repeat(LONG),
  "a/".repeat(LONG / 2),
  ",".repeat(LONG),
  " ".repeat(LONG),
  ";=".repeat(LONG / 2),
  "&=".repeat(LONG / 2),
  "\ud800".repeat(LONG),
  "\r\n".repeat(LONG / 2),
  "[".repeat(LONG),
];

function deepArray(depth: number): unknown {
  let out: unknown = [];
  for (let i = 0; i < depth; i++) out = [out];
  return out;
}
function deepObject(depth: number): unknown {
  let out: unknown = {};
  for (let i = 0; i < depth; i++) out = { a: out };
  return out;
}

/** An object with an own key that shadows Object.prototype (as JSON.parse builds it). */
function withOwnKey(key: string, value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

type Gen = { name: string; make: (rng: Rng) => unknown };
const VALUES: readonly Gen[] = [
  { name: "null", make: () => null },
  { name: "undefined", make: () => undefined },
  { name: "number", make: (rng) => rng.pick([0, -1, 42, 1.5, 1e308, Number.NaN, -0, 2 ** 53]) },
  { name: "boolean", make: (rng) => rng.chance(0.5) },
  { name: "array", make: (rng) => rng.pick([[], ["a"], [1, null], [{}], ["a", "b"], [["x"]]]) },
  { name: "object", make: (rng) => rng.pick([{}, { a: "1" }, { a: 1 }, { key: "X", value: "y" }, { value: null }]) },
  { name: "object-own-toString", make: (rng) => withOwnKey(rng.pick(["toString", "valueOf"]), rng.pick([1, "x", null])) },
  { name: "object-own-__proto__", make: () => withOwnKey("__proto__", { polluted: true }) },
  { name: "long-string", make: (rng) => rng.pick(LONG_STRINGS) },
  { name: "nasty-string", make: (rng) => rng.pick(NASTY_STRINGS) },
  { name: "deep-array", make: () => deepArray(10_000) },
  { name: "deep-object", make: () => deepObject(10_000) },
];

// ---- mutations ------------------------------------------------------------------------------------------

type Path = Array<string | number>;
type Node = Record<string | number, unknown>;
const isContainer = (value: unknown): value is Node => value !== null && typeof value === "object";

function allPaths(root: unknown): Path[] {
  const out: Path[] = [];
  const walk = (node: unknown, path: Path, depth: number): void => {
    if (!isContainer(node) || depth > 12) return;
    for (const key of Object.keys(node)) {
      const child = [...path, Array.isArray(node) ? Number(key) : key];
      out.push(child);
      walk(node[key], child, depth + 1);
    }
  };
  walk(root, [], 0);
  return out;
}

function containers(root: unknown): Path[] {
  return [[], ...allPaths(root).filter((path) => isContainer(get(root, path)))];
}

function get(root: unknown, path: Path): unknown {
  let node = root;
  for (const key of path) node = isContainer(node) ? node[key] : undefined;
  return node;
}

function set(root: unknown, path: Path, value: unknown): void {
  const parent = get(root, path.slice(0, -1));
  if (!isContainer(parent)) return;
  Object.defineProperty(parent, path.at(-1)!, { value, enumerable: true, writable: true, configurable: true });
}

function remove(root: unknown, path: Path): void {
  const parent = get(root, path.slice(0, -1));
  if (Array.isArray(parent) && typeof path.at(-1) === "number") parent.splice(path.at(-1) as number, 1);
  else if (isContainer(parent)) delete parent[path.at(-1)!];
}

const show = (path: Path): string => (path.length ? path.join(".") : "(root)");
const describeValue = (value: unknown): string => {
  if (typeof value === "string") return value.length > 40 ? `string(${value.length}: ${JSON.stringify(value.slice(0, 12))}…)` : JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value == null) return String(value);
  // Bounded: never serializes a deep or large value whole.
  const brief = (node: unknown, depth: number): string | undefined => {
    if (!isContainer(node)) return typeof node === "string" ? (node.length > 20 ? undefined : JSON.stringify(node)) : String(node);
    const keys = Object.keys(node);
    if (depth > 3 || keys.length > 5) return undefined;
    const parts = keys.map((key) => {
      const inner = brief(node[key], depth + 1);
      return inner === undefined ? undefined : Array.isArray(node) ? inner : `${JSON.stringify(key)}:${inner}`;
    });
    return parts.includes(undefined) ? undefined : Array.isArray(node) ? `[${parts.join(",")}]` : `{${parts.join(",")}}`;
  };
  const text = brief(value, 0);
  return text === undefined || text.length > 60 ? `${Array.isArray(value) ? "array" : "object"}(deep/large)` : text;
};

// Field names the adapters route on or read: picked more often than the rest.
const INTERESTING = new Set([
  "httpMethod", "method", "path", "rawPath", "raw_path", "uri", "querystring", "rawQueryString", "headers", "multiValueHeaders",
  "queryStringParameters", "multiValueQueryStringParameters", "query_string_parameters", "cookies", "cookie", "body", "data",
  "isBase64Encoded", "is_base64_encoded", "encoding", "inputTruncated", "requestContext", "http", "elb", "stage", "domainName",
  "requestId", "identity", "sourceIp", "clientIp", "authorizer", "claims", "jwt", "lambda", "version", "eventType", "config",
  "cf", "Records", "x-forwarded-for", "content-type", "serviceNetworkArn", "value", "key", "routeArn", "methodArn",
]);

function pickPath(rng: Rng, event: unknown): Path | undefined {
  const paths = allPaths(event);
  if (paths.length === 0) return undefined;
  if (rng.chance(0.6)) {
    const interesting = paths.filter((path) => INTERESTING.has(String(path.at(-1))));
    if (interesting.length) return rng.pick(interesting);
  }
  return rng.pick(paths);
}

function swapType(value: unknown): unknown {
  if (typeof value === "string") return [value];
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "true" : 1;
  // Not join(): a deeply nested list would overflow the stack here, in the harness.
  if (Array.isArray(value)) return value.length ? (typeof value[0] === "string" ? value.filter((item) => typeof item === "string").join(",") : value[0]) : {};
  if (isContainer(value)) return Object.entries(value);
  return "null";
}

// A value shaped like the map's existing entries (`"v"`, `["v"]`, `[{ key, value }]`).
function entryLike(sample: unknown, index: number): unknown {
  const value = `v${index}`;
  if (Array.isArray(sample)) return isContainer(sample[0]) ? [{ key: `X-H${index}`, value }] : [value];
  return value;
}

const MAP_FIELDS = ["headers", "multiValueHeaders", "queryStringParameters", "multiValueQueryStringParameters", "query_string_parameters"];
const LIST_FIELDS = ["cookies"];
const QUERY_STRINGS = ["rawQueryString", "querystring"];
const BODY_FLAGS = ["isBase64Encoded", "is_base64_encoded"];
const BAD_BASE64 = ["not base64!", "aGk=junk", "a", "====", "%%%%", "aGk", "QUI=QUI=", "\ud800", "a".repeat(LONG + 1)];

type Mutation = (rng: Rng, event: Node) => string | undefined;

const MUTATIONS: ReadonlyArray<[weight: number, name: string, mutate: Mutation]> = [
  [
    10,
    "set",
    (rng, event) => {
      const path = pickPath(rng, event);
      if (!path) return undefined;
      const gen = rng.pick(VALUES);
      const value = gen.make(rng);
      set(event, path, value);
      return `set ${show(path)} = ${gen.name} ${describeValue(value)}`;
    },
  ],
  [
    4,
    "delete",
    (rng, event) => {
      const path = pickPath(rng, event);
      if (!path) return undefined;
      remove(event, path);
      return `delete ${show(path)}`;
    },
  ],
  [
    4,
    "swap-type",
    (rng, event) => {
      const path = pickPath(rng, event);
      if (!path) return undefined;
      const value = swapType(get(event, path));
      set(event, path, value);
      return `swap ${show(path)} -> ${describeValue(value)}`;
    },
  ],
  [
    4,
    "add-key",
    (rng, event) => {
      const path = rng.pick(containers(event));
      const key = rng.pick(["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty", "", "Cookie", "X-Forwarded-For", "k".repeat(LONG), "\r\n", "\ud800"]);
      const gen = rng.pick(VALUES);
      const value = rng.chance(0.5) ? gen.make(rng) : entryLike(Object.values(get(event, path) as Node)[0], 0);
      const target = get(event, path) as Node;
      if (Array.isArray(target)) return undefined;
      Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
      return `add ${show(path)}[${describeValue(key)}] = ${describeValue(value)}`;
    },
  ],
  [
    3,
    "bad-base64",
    (rng, event) => {
      const body = rng.pick(BAD_BASE64);
      const edge = get(event, ["Records", 0, "cf", "request"]);
      if (isContainer(edge)) {
        edge["body"] = { action: "read-only", encoding: "base64", inputTruncated: false, data: rng.chance(0.8) ? body : undefined };
        return `edge body = base64 ${describeValue(body)}`;
      }
      const flag = BODY_FLAGS.find((name) => name in event) ?? (event["raw_path"] !== undefined ? "is_base64_encoded" : "isBase64Encoded");
      event[flag] = true;
      if (rng.chance(0.85)) event["body"] = body;
      else delete event["body"];
      return `${flag} = true, body = ${describeValue(event["body"])}`;
    },
  ],
  [
    1,
    "many-headers",
    (rng, event) => {
      const count = 10_000;
      const fields = allPaths(event).filter((path) => [...MAP_FIELDS, ...LIST_FIELDS, ...QUERY_STRINGS].includes(String(path.at(-1))));
      if (!fields.length) return undefined;
      const path = rng.pick(fields);
      const field = String(path.at(-1));
      const current = get(event, path);
      if (QUERY_STRINGS.includes(field)) {
        set(event, path, Array.from({ length: count }, (_, i) => `k${i % 50}=${i}`).join("&"));
      } else if (LIST_FIELDS.includes(field)) {
        set(event, path, Array.from({ length: count }, (_, i) => `c${i}=${i}`));
      } else {
        const map: Node = isContainer(current) && !Array.isArray(current) ? current : {};
        const sample = Object.values(map)[0];
        const sameName = rng.chance(0.3);
        for (let i = 0; i < count; i++) {
          const name = sameName ? "x-same" : `x-h${i}`;
          const entry = entryLike(sample, i);
          if (sameName && Array.isArray(map[name]) && Array.isArray(entry)) (map[name] as unknown[]).push(...entry);
          else map[name] = entry;
        }
        set(event, path, map);
      }
      return `${count} entries in ${show(path)}`;
    },
  ],
  [
    1,
    "long-key",
    (rng, event) => {
      // A map of the event (headers, query) gains a very long name whose value is of the wrong type: the
      // 400 names the field, and must still be a 400 wherever the source caps the response size.
      const maps = allPaths(event).filter((path) => MAP_FIELDS.includes(String(path.at(-1))) && isContainer(get(event, path)) && !Array.isArray(get(event, path)));
      if (!maps.length) return undefined;
      const path = rng.pick(maps);
      const key = "k".repeat(rng.pick([50_000, LONG]));
      const value = rng.pick<unknown>([1, true, { a: 1 }, [1], [{ value: 1 }]]);
      (get(event, path) as Node)[key] = value;
      return `add ${show(path)}[string(${key.length}: "kkk…")] = ${describeValue(value)}`;
    },
  ],
  [
    1,
    "deep-body",
    (rng, event) => {
      const text = rng.pick(["[".repeat(LONG) + "]".repeat(LONG), '{"a":'.repeat(20_000) + "1" + "}".repeat(20_000), "[".repeat(LONG)]);
      const edge = get(event, ["Records", 0, "cf", "request"]);
      if (isContainer(edge)) edge["body"] = { action: "read-only", encoding: "text", inputTruncated: false, data: text };
      else {
        event["body"] = text;
        for (const flag of BODY_FLAGS) if (flag in event) event[flag] = false;
      }
      return `body = deeply nested JSON (${text.length} chars)`;
    },
  ],
];
const TOTAL_WEIGHT = MUTATIONS.reduce((sum, [weight]) => sum + weight, 0);

function pickMutation(rng: Rng): [string, Mutation] {
  let roll = rng.next() * TOTAL_WEIGHT;
  for (const [weight, name, mutate] of MUTATIONS) if ((roll -= weight) < 0) return [name, mutate];
  return [MUTATIONS[0]![1], MUTATIONS[0]![2]];
}

const genByMutation = new Map<string, number>();
/** Variant `index` of an event: 1–3 mutations, fully determined by the file name and index. */
function variant(file: string, original: unknown, index: number): { seed: number; event: Node; steps: string[]; names: string[] } {
  const seed = variantSeed(file, index);
  const rng = new Rng(seed);
  const event = structuredClone(original) as Node;
  const steps: string[] = [];
  const names: string[] = [];
  const count = 1 + rng.int(3);
  for (let attempt = 0; steps.length < count && attempt < 10; attempt++) {
    const [name, mutate] = pickMutation(rng);
    const t = performance.now();
    const step = mutate(rng, event);
    genByMutation.set(name, (genByMutation.get(name) ?? 0) + performance.now() - t);
    if (step) steps.push(step), names.push(name);
  }
  return { seed, event, steps, names };
}

// ---- the app --------------------------------------------------------------------------------------------

// What one invocation did, read by the oracle.
const probe = { appThrew: false, method: undefined as string | undefined, escaped: [] as unknown[], viewTypes: [] as string[] };
function resetProbe(): void {
  probe.appThrew = false;
  probe.method = undefined;
  probe.escaped = [];
  probe.viewTypes = [];
}

const summary = (map: Record<string, unknown>) => {
  const keys = Object.keys(map);
  return { n: keys.length, first: keys.slice(0, 3).map((key) => key.slice(0, 24)) };
};
const clip = (text: unknown) => (typeof text === "string" ? text.slice(0, 48) : typeof text);

function checkTypes(req: HttpRequest): void {
  // The declared types of HttpRequest (request.ts): a handler may call string methods on them.
  if (typeof req.sourceIp !== "string") probe.viewTypes.push(`sourceIp is ${typeof req.sourceIp}`);
  // A list passes as an object (its claims read as undefined, never a crash): the constructor checks no more.
  if (req.auth !== undefined && (typeof req.auth !== "object" || req.auth === null)) probe.viewTypes.push(`auth is ${typeof req.auth}`);
  if (req.stage !== undefined && typeof req.stage !== "string") probe.viewTypes.push(`stage is ${typeof req.stage}`);
  if (typeof req.requestId !== "string") probe.viewTypes.push(`requestId is ${typeof req.requestId}`);
}

function everything(req: HttpRequest): Record<string, unknown> {
  const out: Record<string, unknown> = {
    method: clip(req.method),
    path: clip(req.path),
    params: summary(req.params),
    query: summary(req.query),
    queryAll: summary(req.queryAll),
    rawQuery: req.rawQuery.length,
    headers: summary(req.headers),
    headersAll: summary(req.headersAll),
    cookies: summary(req.cookies),
    sourceIp: clip(req.sourceIp),
  };
  checkTypes(req);
  out["text"] = req.text().length;
  if (req.method === "POST") {
    const body = req.json();
    out["json"] = Array.isArray(body) ? "list" : typeof body;
  }
  return out;
}

const app = router()
  .use((req, next) => {
    probe.method = req.method;
    return next();
  })
  .get("/health", (req) => ({ ok: true, ip: clip(req.sourceIp), ua: clip(req.headers["user-agent"]) }))
  .get("/me", (req) => {
    checkTypes(req);
    return { cookies: summary(req.cookies), ip: clip(req.sourceIp), auth: req.auth ? Object.keys(req.auth).length : 0, xff: req.headersAll["x-forwarded-for"]?.length ?? 0 };
  })
  .get("/search", (req) => ({ q: summary(req.query), all: summary(req.queryAll), raw: req.rawQuery.length }))
  .get("/exams/:examId", (req) => ({ id: clip(req.params.examId), q: summary(req.query) }))
  .get("/exams/:examId/questions/:questionId", (req) => ({ exam: clip(req.params.examId), question: clip(req.params.questionId), h: summary(req.headers) }))
  .post("/exams", (req) => {
    const body = req.json();
    return json({ created: true, type: Array.isArray(body) ? "list" : typeof body, ct: clip(req.headers["content-type"]) }, 201);
  })
  .get("/files/*", (req) => ({ file: clip(req.params["*"]), bytes: req.bytes().length }))
  .get("/boom", () => {
    probe.appThrew = true;
    throw new Error("the app threw on purpose");
  })
  .all("/*", (req) => everything(req))
  // Sees every error escaping a handler (returns nothing: the default answer applies); kept for the report.
  .onError((err) => void probe.escaped.push(err));

const handler = handle(app, {
  adapters: [...defaultAdapters, vpcLattice, lambdaEdge],
  onError: (err) => void probe.escaped.push(err),
});

// ---- the oracle -----------------------------------------------------------------------------------------

const UNKNOWN_EVENT = new RegExp(`^lambdalith: unrecognised event \\(keys: .*\\); supported sources: ${SOURCES}\\. Add its adapter \\(vpcLattice, lambdaEdge…\\) to adapters, or a fallback option\\.$`, "s");
const ROUTING_FIELD = [/^[\w-]+ event: the method is \w+, not a string$/, /^the event's path is \w+, not a string$/];
// A deployment error the library names, not a crash: a Lambda@Edge trigger without "Include body" while the
// headers say the viewer sent one (lambda-edge.ts). The app's reading of the body throws it: a logged 500.
const EDGE_BODY_LEFT_OUT = /^lambda-edge: the viewer sent a body this trigger does not include/;
const STACK_LINE = /\n\s+at /;

interface Failure {
  kind: string;
  detail: string;
}

function header(result: Record<string, any>, name: string): string | undefined {
  const single = result["headers"]?.[name];
  if (typeof single === "string") return single;
  if (Array.isArray(single)) return typeof single[0] === "string" ? single[0] : single[0]?.value; // Lambda@Edge
  const multi = result["multiValueHeaders"]?.[name];
  return Array.isArray(multi) ? multi[0] : undefined;
}

/** Where a library error was thrown: the first stack frame under src/. */
function origin(err: unknown): string {
  const stack = err instanceof Error ? (err.stack ?? "") : "";
  const frame = stack.split("\n").find((line) => line.includes("/src/") && !line.includes("fuzz.test.ts"));
  return frame ? frame.trim().replace(/^at /, "").replace(/\(?\/.*?\/src\//, "src/").replace(/\)$/, "") : "(no frame)";
}
const errorText = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message}` : `non-Error ${typeof err}: ${String(err)}`);
// A failure's class: the message with event text, numbers and quoted parts blurred.
const blur = (text: string): string => text.slice(0, 160).replace(/"[^"]*"|'[^']*'/g, "…").replace(/\d+/g, "N");

const outcomes = new Map<string, number>();
const count = (outcome: string): void => void outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);

function judge(settled: { ok: true; value: unknown } | { ok: false; error: unknown } | { timeout: true }, elapsed: number, bound: number): Failure[] {
  const failures: Failure[] = [];
  if (elapsed > bound) failures.push({ kind: "slow", detail: `took ${Math.round(elapsed)} ms (bound ${bound} ms)` });
  if ("timeout" in settled) return [...failures, { kind: "hang", detail: `did not settle within ${bound} ms` }];
  for (const violation of probe.viewTypes) failures.push({ kind: `view type: ${violation.split(" ")[0]} not of its declared type`, detail: violation });
  if (!settled.ok) {
    const err = settled.error;
    const message = err instanceof Error ? err.message : "";
    const documented = err instanceof Error && (UNKNOWN_EVENT.test(message) || ROUTING_FIELD.some((re) => re.test(message)));
    count(documented ? (UNKNOWN_EVENT.test(message) ? "rejected: unknown event" : "rejected: method/path not a string") : "rejected: other");
    if (!documented) failures.push({ kind: `rejection ${blur(errorText(err))} @ ${origin(err)}`, detail: errorText(err).slice(0, 300) });
    return failures;
  }
  const result = settled.value as Record<string, any> | null;
  if (result === null || typeof result !== "object") return [...failures, { kind: "result not an object", detail: String(result) }];
  const raw = result["statusCode"] ?? result["status"];
  const status = typeof raw === "number" ? raw : typeof raw === "string" && /^\d{3}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(status >= 200 && status <= 599) || (typeof raw === "string" && result["statusCode"] !== undefined)) return [...failures, { kind: "bad status", detail: `status ${JSON.stringify(raw)}` }];
  count(String(status));
  const base64 = result["isBase64Encoded"] === true || result["bodyEncoding"] === "base64";
  // Lambda@Edge (a string status) leaves `body` out when there is none; every other source sends a string.
  const sent = result["body"] === undefined && typeof raw === "string" ? "" : result["body"];
  const body = typeof sent === "string" ? (base64 ? Buffer.from(sent, "base64").toString() : sent) : undefined;
  if (body === undefined) failures.push({ kind: "body not a string", detail: typeof result["body"] });
  if (status >= 400) {
    const type = header(result, "content-type");
    if (!type?.startsWith("application/problem+json")) failures.push({ kind: `${status} without problem+json`, detail: `content-type ${type}` });
    if (body !== undefined && !(body === "" && probe.method === "HEAD")) {
      let parsed: any;
      try {
        parsed = JSON.parse(body);
      } catch {
        failures.push({ kind: `${status} body not JSON`, detail: body.slice(0, 200) });
      }
      if (parsed !== undefined && (parsed?.status !== status || typeof parsed?.title !== "string")) failures.push({ kind: `${status} body not a problem`, detail: body.slice(0, 200) });
      if (STACK_LINE.test(body)) failures.push({ kind: `${status} body has a stack`, detail: body.slice(0, 200) });
    }
    const cause = probe.escaped[0];
    if (status === 500 && cause instanceof Error && EDGE_BODY_LEFT_OUT.test(cause.message)) count("500: Edge body not included");
    else if (status === 500 && !probe.appThrew) {
      failures.push({
        kind: `500 not thrown by the app: ${cause === undefined ? `(no app error; detail ${blur(String((body && safeParse(body)?.detail) ?? ""))})` : `${blur(errorText(cause))} @ ${origin(cause)}`}`,
        detail: cause === undefined ? (body ?? "").slice(0, 300) : errorText(cause).slice(0, 300),
      });
    }
  }
  return failures;
}

function describeSettled(settled: unknown): string {
  try {
    return String(JSON.stringify(settled, (_key, value) => (value instanceof Error ? errorText(value) : value))).slice(0, 2000);
  } catch {
    return "(unprintable)";
  }
}

function safeParse(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function run(event: unknown, bound = TIME_BOUND_MS): Promise<{ failures: Failure[]; elapsed: number; settled: unknown }> {
  resetProbe();
  const start = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const settled = await Promise.race([
    Promise.resolve()
      .then(() => handler(event, CONTEXT))
      .then(
        (value) => ({ ok: true as const, value }),
        (error) => ({ ok: false as const, error }),
      ),
    new Promise<{ timeout: true }>((resolve) => (timer = setTimeout(() => resolve({ timeout: true }), bound))),
  ]);
  clearTimeout(timer);
  const elapsed = performance.now() - start;
  return { failures: judge(settled, elapsed, bound), elapsed, settled };
}

// ---- the events -----------------------------------------------------------------------------------------

/** A captured file holds the event itself, or the event under `event` beside its expectations. */
function loadEvent(raw: unknown): unknown {
  if (isContainer(raw) && !Array.isArray(raw) && isContainer(raw["event"]) && !("httpMethod" in raw) && !("Records" in raw) && !("requestContext" in raw)) return raw["event"];
  return raw;
}

const FILES = readdirSync(EVENTS_DIR)
  .filter((name) => name.endsWith(".json"))
  .sort();
const EVENTS = new Map(FILES.map((file) => [file, loadEvent(JSON.parse(readFileSync(new URL(file, EVENTS_DIR), "utf8")))]));

// The library logs a JSON line per 500 and per dropped Edge header: thousands of variants would flood the
// output, so log lines are held back while fuzzing.
const write = process.stdout.write.bind(process.stdout);
beforeAll(() => {
  const quiet = (chunk: unknown, ...rest: unknown[]): boolean => {
    if (typeof chunk === "string" && chunk.startsWith('{"level"')) return true;
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  };
  process.stdout.write = quiet as typeof process.stdout.write;
});
afterAll(() => {
  process.stdout.write = write;
});

interface Finding {
  kind: string;
  count: number;
  examples: Array<{ file: string; index: number; seed: number; steps: string[]; detail: string }>;
}
const findings = new Map<string, Finding>();
let variants = 0;
let totalMs = 0;
let generateMs = 0;
const timeByMutation = new Map<string, number>();

function report(list: Finding[]): string {
  return list
    .map(({ kind, count, examples }) =>
      [`${kind} (${count}×)`, ...examples.map((ex) => `  FUZZ_ONLY=${ex.file}:${ex.index} seed=${ex.seed}: ${ex.steps.join("; ")}\n    -> ${ex.detail}`)].join("\n"),
    )
    .join("\n");
}

describe("fuzzed events: a problem+json 4xx, a result, or a documented Error; never a crash, hang or shape-caused 500", () => {
  it("the captured events are the unmutated baseline and pass the oracle", async () => {
    expect(FILES.length).toBeGreaterThan(0);
    for (const [file, event] of EVENTS) {
      const { failures } = await run(structuredClone(event));
      expect(failures, file).toEqual([]);
    }
  });

  if (ONLY) {
    it(`replays ${ONLY}`, async () => {
      const [file, index] = [ONLY.slice(0, ONLY.lastIndexOf(":")), Number(ONLY.slice(ONLY.lastIndexOf(":") + 1))];
      const { seed, event, steps } = variant(file, EVENTS.get(file), index);
      const { failures, settled } = await run(event);
      const shown = (() => {
        try {
          return JSON.stringify(event, (_key, value) => (typeof value === "string" && value.length > 200 ? `${value.slice(0, 40)}…(${value.length} chars)` : value), 1);
        } catch {
          return "(too deep to print: see the mutations)";
        }
      })();
      write(`seed ${seed}\nmutations:\n  ${steps.join("\n  ")}\nevent: ${shown.slice(0, 6000)}\nsettled: ${describeSettled(settled)}\nescaped: ${probe.escaped.map((err) => (err instanceof Error ? err.stack : String(err))).join("\n")}\n`);
      expect(failures).toEqual([]);
    });
    return;
  }

  it.each(FILES)("%s", async (file) => {
    const original = EVENTS.get(file);
    const local = new Map<string, Finding>();
    for (let index = 0; index < N; index++) {
      const made = performance.now();
      const { seed, event, steps, names } = variant(file, original, index);
      generateMs += performance.now() - made;
      const { failures, elapsed } = await run(event);
      variants++;
      totalMs += elapsed;
      for (const name of names) timeByMutation.set(name, (timeByMutation.get(name) ?? 0) + elapsed);
      for (const { kind, detail } of failures) {
        for (const map of [local, findings]) {
          const entry = map.get(kind) ?? { kind, count: 0, examples: [] };
          entry.count++;
          if (entry.examples.length < 2) entry.examples.push({ file, index, seed, steps, detail });
          map.set(kind, entry);
        }
      }
    }
    expect(local.size, `\n${report([...local.values()])}`).toBe(0);
  }, 60_000);

  it("a Function URL's cookie header and cookies[] are merged in linear time (100,000 pairs each, a 2.6 MB event)", async () => {
    // payload-v2.ts merges cookies[] into the cookie header, skipping pairs the header already has: a list
    // search per cookie made it quadratic (1.35 s here for 20,000 pairs each, ~30 s for 100,000; a linear
    // merge takes a fraction of a second, ~2 s on a loaded 2-CPU machine). The bound is loose on purpose: it
    // separates the two, not speeds.
    const count = 100_000;
    const event = {
      version: "2.0",
      rawPath: "/me",
      rawQueryString: "",
      headers: { cookie: Array.from({ length: count }, (_, i) => `h${i}=${i}`).join("; ") },
      cookies: Array.from({ length: count }, (_, i) => `c${i}=${i}`),
      requestContext: { domainName: "abc.lambda-url.us-east-1.on.aws", http: { method: "GET", sourceIp: "192.0.2.1" }, requestId: "r-1" },
    };
    const { failures, settled, elapsed } = await run(event, 10_000);
    expect(failures).toEqual([]);
    expect(elapsed).toBeLessThan(10_000);
    expect(JSON.parse((settled as { value: { body: string } }).value.body).cookies.n).toBe(2 * count);
  }, 60_000);

  afterAll(() => {
    write(`\nfuzz: ${variants} variants of ${FILES.length} events, ${Math.round(totalMs)} ms in the handler, ${Math.round(generateMs)} ms generating (${[...genByMutation].map(([name, ms]) => `${name} ${Math.round(ms)}`).join(", ")}) (handler time by mutation: ${[...timeByMutation].map(([name, ms]) => `${name} ${Math.round(ms)}`).join(", ")}); outcomes: ${[...outcomes].sort().map(([outcome, n]) => `${outcome} ${n}`).join(", ")}; ${findings.size} failure classes\n${report([...findings.values()].sort((a, b) => b.count - a.count))}\n`);
  });
});

// The smallest events reproducing each failure class the fuzzing found (see the report at the end of a run):
// each must pass the same oracle.
describe("minimized fuzz findings", () => {
  const deep = deepArray(10_000);
  const ownToString = () => JSON.parse('{"toString":1}') as unknown;
  const edge = (config: Record<string, unknown>, request: Record<string, unknown>) => ({ Records: [{ cf: { config: { eventType: "viewer-request", requestId: "cf-1", ...config }, request: { method: "GET", uri: "/", ...request } } }] });
  it.each<[string, () => unknown]>([
    // request.ts isBase64: /regex/.test(undefined) tests "undefined", then undefined.endsWith throws (a 500).
    ["isBase64Encoded true without a body (payload 2.0)", () => ({ version: "2.0", rawPath: "/", isBase64Encoded: true, requestContext: { http: { method: "GET" } } })],
    ["isBase64Encoded true with a null body (REST)", () => ({ httpMethod: "GET", path: "/", body: null, isBase64Encoded: true, requestContext: {} })],
    ["Lambda@Edge base64 body without data", () => edge({}, { body: { encoding: "base64", inputTruncated: false } })],
    // String() of an event value: a TypeError or a stack overflow instead of the documented Error.
    ["payload 2.0 domainName {toString: 1} (payload-v2.ts isPayloadV2)", () => ({ version: "2.0", rawPath: "/", requestContext: { http: { method: "GET" }, domainName: ownToString() } })],
    ["payload 2.0 domainName a deeply nested list", () => ({ version: "2.0", rawPath: "/", requestContext: { http: { method: "GET" }, domainName: deep } })],
    ["Lambda@Edge eventType {toString: 1} (lambda-edge.ts match)", () => edge({ eventType: ownToString() }, {})],
    ["Lambda@Edge eventType a deeply nested list", () => edge({ eventType: deep }, {})],
    ["payload 1.0 stage {toString: 1} (route-path.ts routePath)", () => ({ version: "1.0", httpMethod: "GET", path: "/", requestContext: { stage: ownToString() } })],
    ["payload 2.0 stage a deeply nested list", () => ({ version: "2.0", rawPath: "/", requestContext: { http: { method: "GET" }, stage: deep } })],
    // Views handed on without a type check: HttpRequest declares sourceIp a string, stage a string, auth an object.
    ["REST identity.sourceIp a number", () => ({ httpMethod: "GET", path: "/me", requestContext: { identity: { sourceIp: 1 } } })],
    ["payload 2.0 http.sourceIp an object", () => ({ version: "2.0", rawPath: "/me", requestContext: { http: { method: "GET", sourceIp: {} } } })],
    ["Lambda@Edge clientIp a number", () => edge({}, { uri: "/me", clientIp: 5 })],
    ["REST stage true", () => ({ httpMethod: "GET", path: "/me", requestContext: { stage: true } })],
    ["REST authorizer a string", () => ({ httpMethod: "GET", path: "/me", requestContext: { authorizer: "x" } })],
    // lambda-edge.ts result: a response over the size limit is replaced by a 500 problem that echoes the
    // request id again (header and body), still over the limit: unbounded recursion, a RangeError after seconds.
    ["Lambda@Edge viewer-request with a 41,000-character requestId", () => edge({ requestId: "a".repeat(41_000) }, {})],
    // The 400's detail quotes the whole header name: over Lambda@Edge's 40 KB viewer limit it becomes a 500.
    ["Lambda@Edge header name of 50,000 characters with a value that is not a list", () => edge({}, { headers: { ["k".repeat(50_000)]: 1 } })],
  ])("%s", async (_name, make) => {
    const { failures } = await run(make());
    expect(failures).toEqual([]);
  });
});
