import { createHandler, type LambdaHandler } from "../adapters/create-handler.ts";
import { defaultAdapters } from "../adapters/default-adapters.ts";
import { EVENT_SOURCES, shownValue } from "../adapters/event-init.ts";
import { createEvent, type EventInit, type EventSource } from "../adapters/events.ts";
import { lambdaEdge } from "../adapters/lambda-edge.ts";
import { vpcLattice } from "../adapters/vpc-lattice.ts";
import { isBase64, type HttpRequest, type LambdaContext } from "../lib/request.ts";

/**
 * A request to send through {@link invoke}: what a client sends, and the source that carries it.
 * @example { source: "alb", method: "POST", path: "/exams", json: { title: "Algebra" }, cookies: { sid: "s-1" } }
 */
export interface InvokeInit extends Partial<EventInit> {
  /** The event source to imitate; default `"http-api-v2"`. */
  source?: EventSource | undefined;
  /**
   * A JSON body (serialized, with `content-type: application/json` unless one is given). Never beside `body`
   * (both given throw), nor a value with no JSON form (a function, a symbol).
   */
  json?: unknown | undefined;
  /**
   * The Lambda context the handler gets, over the default (a fresh `awsRequestId`): `getRemainingTimeInMillis`
   * for an app that watches its deadline, `functionName`… With its own `awsRequestId` it is passed as is; without,
   * its copy keeps its prototype (a class's methods and getters).
   */
  context?: Partial<LambdaContext> | undefined;
}

/**
 * What came back, read from the source's own result shape as the platform would deliver it.
 * @example
 * const res: InvokeResponse = await invoke(app, { path: "/exams/e-1" })
 * const data = res.json() // the body parsed; res.body is its text
 */
export interface InvokeResponse {
  status: number;
  /** Lower-case names; repeated values joined with `, ` (Set-Cookie is in `cookies`). */
  headers: Record<string, string>;
  /** Every Set-Cookie value, in order. */
  cookies: string[];
  /** The body as text (base64 bodies decoded as UTF-8). */
  body: string;
  /** The body as bytes (base64 bodies decoded). */
  bytes: Uint8Array;
  /** The body parsed as JSON. */
  json(): any;
  /** The raw Lambda result. */
  result: any;
}

/**
 * What {@link invoke} calls: a Lambda handler of any declared arity (a third `callback` parameter is never
 * passed: the Node 24 runtime supports async handlers only).
 * @example const target: InvokeTarget = handle(app)
 */
export type InvokeTarget = (event: any, context: any, callback: any) => unknown;

/**
 * Calls a router or an exported Lambda handler with a request, through the event its source would send,
 * and reads the answer back from that source's real result shape: a test in one line. A function is called
 * as a Lambda handler (`(event, context)`, awaited), so a function app goes through `handle(app)` first. A
 * target that is neither, or a request {@link createEvent} refuses, throws a TypeError naming the field.
 * @example
 * const app = router().post("/exams", (req) => json(req.json(), 201))
 * const res = await invoke(app, { method: "POST", path: "/exams", json: { title: "Algebra" } })
 * res.status // 201
 */
export async function invoke(target: { handle(req: HttpRequest): unknown } | InvokeTarget, init: InvokeInit): Promise<InvokeResponse> {
  // Said here, in the caller's words: inside, a bad target or init is a TypeError about something else.
  if (typeof target !== "function" && typeof (target as { handle?: unknown } | null)?.handle !== "function") throw new TypeError(`invoke: target: ${target === null || typeof target !== "object" ? String(target) : "an object"} is neither a Lambda handler nor an app with handle(req)`);
  const { source, event, context } = invokeEvent("invoke", init, "http-api-v2");
  // A router (or any object with handle) is an app; a function is called as a Lambda handler with the
  // event first, so wrap a plain function app with handle(app) yourself.
  // The opt-in source asked for joins the defaults (a router would otherwise refuse its events).
  const optIn = source.startsWith("vpc-lattice") ? [vpcLattice] : source.startsWith("lambda-edge") ? [lambdaEdge] : [];
  const handler = typeof target === "function" ? target : createHandler(target, { adapters: [...defaultAdapters, ...optIn] });
  // A function app (`(req) => …`, as the README's examples define `app`) type-checks here but reads the
  // event as a request: it fails on `req.queryAll.tag`, or returns a response (`status`, no `statusCode`)
  // instead of a Lambda result. Either failure says what to pass instead.
  const hint = (err: unknown) => (typeof target === "function" && err instanceof TypeError ? new TypeError(`${err.message} (invoke calls a function as a Lambda handler, with the event: for a function app, pass invoke(handle(app), …))`, { cause: err }) : err);
  let result: any;
  try {
    result = await (handler as LambdaHandler)(event, context);
  } catch (err) {
    throw hint(err);
  }
  try {
    return readResult(result, source);
  } catch (err) {
    throw result && typeof result === "object" && ("statusCode" in result || typeof result.status === "string") ? err : hint(err);
  }
}

/**
 * The event and context a test's request becomes, checked in the caller's words (`invoke: init: …`), with
 * `json` serialized into the body (and `content-type: application/json` unless one is given). Shared by
 * {@link invoke} and `invokeStream`.
 * @example const { source, event, context } = invokeEvent("invoke", { path: "/exams", json: { title: "A" } }, "http-api-v2")
 */
export function invokeEvent<S extends EventSource>(caller: string, init: InvokeInit & { source?: S | undefined }, defaultSource: S): { source: S; event: any; context: LambdaContext } {
  if (init === null || typeof init !== "object") throw new TypeError(`${caller}: init: expected { path, … }, got ${String(init)}`);
  const { source = defaultSource, json, context, ...rest } = init;
  if (context !== undefined && (context === null || typeof context !== "object")) throw new TypeError(`${caller}: context: ${shownValue(context)} is not an object (the Lambda context's fields)`);
  // Left out (or undefined), it is made fresh; anything else would reach the app as the request id.
  if (context?.awsRequestId !== undefined && typeof context.awsRequestId !== "string") throw new TypeError(`${caller}: context.awsRequestId: ${shownValue(context.awsRequestId)} is not a string`);
  // Both given, one would be dropped without a word: the test would check a body it never sent.
  if (json !== undefined && rest.body !== undefined) throw new TypeError(`${caller}: json and body: give one of them (json is serialized into the body)`);
  if (json !== undefined) {
    rest.body = JSON.stringify(json);
    if (rest.body === undefined) throw new TypeError(`${caller}: json: a ${typeof json} has no JSON form`);
    // Headers that are no map are left for createEvent to refuse: spread, a string would become one header per character.
    const given = rest.headers;
    if (given === undefined || (typeof given === "object" && given !== null && !Array.isArray(given))) {
      const hasType = Object.keys(given ?? {}).some((name) => name.toLowerCase() === "content-type");
      rest.headers = hasType ? given : { ...given, "content-type": "application/json" };
    }
  }
  const event = createEvent(source, { path: "/", ...rest });
  return { source, event, context: lambdaContext(context) };
}

// The context given, as is when it names its awsRequestId (the runtime hands over its own object); else a
// fresh id over a copy that keeps the prototype, so a context built by a class (a test helper's) keeps its
// getRemainingTimeInMillis and getters, which a spread would drop.
function lambdaContext(given: Partial<LambdaContext> | undefined): LambdaContext {
  if (typeof given?.awsRequestId === "string") return given as LambdaContext;
  const copy = given ? Object.create(Object.getPrototypeOf(given), Object.getOwnPropertyDescriptors(given)) : {};
  return Object.defineProperty(copy, "awsRequestId", { value: "invoke-" + Math.random().toString(36).slice(2, 10), enumerable: true, writable: true, configurable: true });
}

/**
 * Reads a Lambda HTTP result as its source delivers it: payload 2.0 `headers` and `cookies[]`, payload 1.0
 * (REST, and HTTP API's `http-api-v1`) `headers` merged with `multiValueHeaders`, ALB `headers` (single-value mode, Set-Cookie under case variants
 * of the name) or `multiValueHeaders` (multi-value mode), base64 bodies. Given the `source`, only the fields
 * that source reads are read (and a REST result with a `cookies` key, which REST answers with a 502, throws);
 * without it, every field of every source is. A field no source could deliver (a header list that is a
 * string, an object header value or body, a body flagged base64 that is not, a status outside 100–599)
 * throws a TypeError naming it.
 * @example readResult({ statusCode: 200, headers: { "content-type": "text/plain" }, body: "hi", isBase64Encoded: false }).body // "hi"
 */
export function readResult(result: any, source?: EventSource): InvokeResponse {
  if (source !== undefined && !EVENT_SOURCES.includes(source)) fail("source", `${shownValue(source)} is not one of ${EVENT_SOURCES.map((s) => JSON.stringify(s)).join(", ")}`);
  if (source?.startsWith("lambda-edge") || (source === undefined && typeof result?.status === "string")) return readEdgeResult(result);
  if (result === null || typeof result !== "object" || typeof result.statusCode !== "number") throw new TypeError(`not an HTTP result: ${JSON.stringify(result)?.slice(0, 200)}`);
  if (!Number.isInteger(result.statusCode) || result.statusCode < 100 || result.statusCode > 599) fail("statusCode", `${result.statusCode} is not an HTTP status`);
  const v2 = source === "http-api-v2" || source === "function-url";
  // REST rejects unknown keys ("Malformed Lambda proxy response"); `cookies` is payload 2.0 only.
  if (source === "apigw-v1" && "cookies" in result) throw new TypeError("REST answers 502 for a result with a cookies key (Malformed Lambda proxy response)");
  // An ALB target group reads the one map of its header mode (ELB docs, "Lambda functions as targets").
  const single = source === "alb-multi" ? undefined : result.headers;
  const multi = v2 || source === "alb" ? undefined : result.multiValueHeaders;
  const headers: Record<string, string> = {};
  const cookies: string[] = [...setCookieList(source === undefined || v2 ? result.cookies : undefined)];
  const add = (name: string, value: string) => {
    const lower = name.toLowerCase();
    if (lower === "set-cookie") cookies.push(value);
    // Defined, not assigned: a header named `__proto__` or `constructor` is a header like any other here,
    // and `headers` stays a plain object (deepStrictEqual against a literal works).
    else Object.defineProperty(headers, lower, { value: Object.hasOwn(headers, lower) ? headers[lower] + ", " + value : value, enumerable: true, writable: true, configurable: true });
  };
  // REST merges both maps: "If the same key-value pair is specified in both, only the values from
  // multiValueHeaders will appear in the merged list" (API Gateway, output format for proxy integrations).
  const inMulti = new Set<string>();
  for (const name in multi) for (const value of headerList(multi, name)) inMulti.add(name.toLowerCase() + "\n" + value);
  for (const name in single) {
    const value = headerValue(`headers[${JSON.stringify(name)}]`, single[name]);
    if (!inMulti.has(name.toLowerCase() + "\n" + value)) add(name, value);
  }
  for (const name in multi) for (const value of headerList(multi, name)) add(name, value);
  const bytes = bodyBytes(result.body, result.isBase64Encoded === true, "isBase64Encoded is true");
  const body = bytes.toString("utf8");
  return { status: result.statusCode, headers, cookies, body, bytes: new Uint8Array(bytes), json: () => JSON.parse(body), result };
}

// A result the source could not deliver is a failed test, said in the result's own field names: read into
// something else (a string list split into characters, `[object Object]`), it would pass or fail for the
// wrong reason.
function fail(field: string, problem: string): never {
  throw new TypeError(`readResult: ${field}: ${problem}`);
}

// What a header value may be in a result: the runtime serializes numbers and booleans as JSON, and the
// sources read them as their text.
function headerValue(field: string, value: unknown): string {
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") fail(field, `${shownValue(value)} is not a header value`);
  return String(value);
}

function headerList(multi: Record<string, unknown>, name: string): string[] {
  const field = `multiValueHeaders[${JSON.stringify(name)}]`;
  const values = multi[name];
  if (!Array.isArray(values)) fail(field, `${shownValue(values)} is not a list of values`);
  return values.map((value, i) => headerValue(`${field}[${i}]`, value));
}

function setCookieList(cookies: unknown): string[] {
  if (cookies === undefined || cookies === null) return [];
  if (!Array.isArray(cookies)) fail("cookies", `${shownValue(cookies)} is not a list of Set-Cookie values`);
  for (const [i, cookie] of cookies.entries()) if (typeof cookie !== "string") fail(`cookies[${i}]`, `${shownValue(cookie)} is not a Set-Cookie value`);
  return cookies;
}


function bodyBytes(body: unknown, base64: boolean, flag: string): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body !== "string") fail("body", `${shownValue(body)} is not a string`);
  // Node decodes any text as base64, skipping what is not base64: a wrongly flagged body would read as noise.
  // The request model's check, which a body of several MB cannot overflow.
  if (base64 && !isBase64(body)) fail("body", `not base64, though ${flag}`);
  return Buffer.from(body, base64 ? "base64" : "utf8");
}

// A Lambda@Edge generated response: `status` a numeric string, `{ key, value }` pairs per header (one per
// Set-Cookie), the body base64 when `bodyEncoding` says so.
function readEdgeResult(result: any): InvokeResponse {
  if (result === null || typeof result !== "object" || typeof result.status !== "string" || !/^\d{3}$/.test(result.status)) throw new TypeError(`not a Lambda@Edge response: ${JSON.stringify(result)?.slice(0, 200)}`);
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const name in result.headers) {
    const field = `headers[${JSON.stringify(name)}]`;
    const pairs: unknown = result.headers[name];
    if (!Array.isArray(pairs)) fail(field, `${shownValue(pairs)} is not a list of { key, value }`);
    for (const [i, pair] of pairs.entries()) {
      const value: unknown = pair?.value;
      if (typeof value !== "string") fail(`${field}[${i}].value`, `${shownValue(value)} is not a string`);
      const lower = name.toLowerCase();
      if (lower === "set-cookie") cookies.push(value);
      else Object.defineProperty(headers, lower, { value: Object.hasOwn(headers, lower) ? headers[lower] + ", " + value : value, enumerable: true, writable: true, configurable: true });
    }
  }
  const bytes = bodyBytes(result.body, result.bodyEncoding === "base64", 'bodyEncoding is "base64"');
  const body = bytes.toString("utf8");
  return { status: Number(result.status), headers, cookies, body, bytes: new Uint8Array(bytes), json: () => JSON.parse(body), result };
}
