// Property-based round trips through every built-in source, VPC Lattice and Lambda@Edge included. A generated
// request is encoded by createEvent as its source would send it, normalized by the adapter detected for that
// event, and compared with what was generated; a generated response goes through handle(app) and is read back
// as the source delivers it (readResult with the source). Where a source loses information, the "expected" functions below model
// that loss explicitly, naming the AWS behaviour; nothing else is compared loosely.
//
// Runs: PROPERTY_RUNS per property (200 in `npm test`; `npm run test:properties` runs 20,000, see
// bench/README.md). A failure prints fast-check's report: the seed, the shrink path and the smallest
// counterexample. Replay it with PROPERTY_SEED=<seed> PROPERTY_PATH=<path> npx vitest run round-trip.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RESPONSE, type HttpResponse } from "../lib/response.ts";
import { readResult } from "../testing/invoke.ts";
import { defaultAdapters } from "./default-adapters.ts";
import { detectAdapter } from "./detect.ts";
import { createEvent, type EventSource } from "./events.ts";
import { handle } from "./handle.ts";
import { EDGE_REFUSED_HEADERS, lambdaEdge } from "./lambda-edge.ts";
import { vpcLattice } from "./vpc-lattice.ts";

// Every source createEvent imitates, the opt-in ones included (served with their adapter added, as documented).
const SOURCES: readonly EventSource[] = ["apigw-v1", "http-api-v1", "http-api-v2", "function-url", "alb", "alb-multi", "vpc-lattice", "vpc-lattice-v2", "lambda-edge", "lambda-edge-origin"];
const ALL_ADAPTERS = [...defaultAdapters, vpcLattice, lambdaEdge];
const isEdge = (source: EventSource) => source === "lambda-edge" || source === "lambda-edge-origin";
// HTTP API, payload 2.0 `rawPath` and payload 1.0 `path` alike, hands the path over decoded (DESIGN.md, "Canonical path").
const decodesPath = (source: EventSource) => source === "http-api-v2" || source === "http-api-v1";
// The adapter that reads each source's events.
const adapterName = (source: EventSource) => (source === "alb-multi" ? "alb" : source === "http-api-v1" ? "apigw-v1" : source === "vpc-lattice-v2" ? "vpc-lattice" : source === "lambda-edge-origin" ? "lambda-edge" : source);
// What CloudFront adds toward the origin (createEvent's stand-in for its host name).
const CLOUDFRONT_VIA = "2.0 2afae0d44e2540f472c0635ab62c232b.cloudfront.net (CloudFront)";
const RUNS = Number(envMatching("PROPERTY_RUNS", /^[1-9]\d*$/, "a whole number above 0") ?? 200);
const SEED = envMatching("PROPERTY_SEED", /^-?\d+$/, "the whole number fast-check reported");
const REPLAY = SEED === undefined ? {} : { seed: Number(SEED), path: envMatching("PROPERTY_PATH", /^\d+(:\d+)*$/, "the path fast-check reported, like 3:0:1"), endOnFailure: true };
const PARAMETERS: fc.Parameters<unknown> = { numRuns: RUNS, ...REPLAY };

// Checked here, not only by npm run test:properties: a value that is no count was NaN runs, fast-check checked
// nothing, and every property passed (npm test or npx vitest with PROPERTY_RUNS=lots in the environment).
function envMatching(name: string, pattern: RegExp, what: string): string | undefined {
  const value = process.env[name];
  if (value !== undefined && !pattern.test(value)) throw new Error(`${name} must be ${what}; got "${value}"`);
  return value;
}
// 20,000 runs of nine sources take minutes; vitest's 5 s default is for the bounded run.
const TIMEOUT = Math.max(30_000, RUNS * 50);
const CONTEXT = { awsRequestId: "lambda-request-id" };
const SOURCE_IP = "198.51.100.7";
const REQUEST_ID = "req-property";

// ---- characters -------------------------------------------------------------------------------------------

// What a canonical path keeps literally (DESIGN.md, "Canonical path": RFC 3986 pchar plus "/").
const PCHAR = /^[A-Za-z0-9\-._~!$&'()*+,;=:@]$/u;
// RFC 6265 cookie-octet: what a cookie value may hold unencoded (no space, DQUOTE, comma, semicolon, backslash).
const COOKIE_OCTET = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]$/;

/** Percent-encodes every UTF-8 byte of a character, upper-case hex: `"é"` → `"%C3%A9"`. */
function percentEncoded(ch: string): string {
  return [...Buffer.from(ch)].map((b) => "%" + b.toString(16).toUpperCase().padStart(2, "0")).join("");
}

const unicodeChar = fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 });
// Path and query text: letters, RFC 3986 reserved characters, the ones a path or query must escape, and any
// Unicode grapheme (combining sequences and emoji included).
const pathChar = fc.oneof(
  fc.constantFrom("a", "Z", "0", "-", ".", "_", "~", "!", "$", "&", "'", "(", ")", "*", "+", ",", ";", "=", ":", "@"),
  fc.constantFrom(" ", "%", "/", "?", "#", '"', "<", ">", "\\", "^", "`", "{", "|", "}", "[", "]", "é", "日", "😀"),
  unicodeChar,
);
const queryText = (minLength: number) =>
  fc.string({ unit: fc.oneof(fc.constantFrom("+", "%", "&", "=", " ", "a", "1", "?", "/", "#", ";", ",", "%2B", "é"), unicodeChar), minLength, maxLength: 6 });
// Few names, so repeats are common; `__proto__` and `constructor` prove no map inherits anything.
const queryKey = fc.oneof(fc.constantFrom("a", "tag", "q", "__proto__", "constructor", "1"), queryText(1));
const headerName = fc
  .oneof(fc.constantFrom("accept", "X-Tag", "x-tag", "user-agent", "content-type", "constructor", "__proto__", "x-forwarded-for"), fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,10}$/))
  .filter((name) => name.toLowerCase() !== "cookie");
// Visible ASCII, inner spaces and commas allowed; HTTP trims leading and trailing whitespace, so none.
const headerValue = fc.stringMatching(/^[!-~](?:[ -~]{0,12}[!-~])?$/);
const cookieName = fc.oneof(fc.constantFrom("sid", "a", "__proto__", "constructor"), fc.stringMatching(/^[A-Za-z0-9_-]{1,6}$/));
const cookieValue = fc.string({ unit: fc.oneof(fc.constantFrom("=", "==", "a", "%", " ", ";", ",", '"', "é", "+", "/"), unicodeChar), maxLength: 6 });
const body = fc.option(fc.oneof(fc.string({ unit: "grapheme", maxLength: 24 }), fc.uint8Array({ maxLength: 40 })), { nil: undefined });

// ---- requests ---------------------------------------------------------------------------------------------

interface GeneratedRequest {
  method: string;
  /**
   * Path segments, each a list of characters and whether the client percent-encodes it though it need not;
   * for `%` the flag says whether it goes out as `%25` or raw, as curl sends `100%`.
   */
  segments: Array<Array<{ char: string; overEncoded: boolean }>>;
  /** Decoded query pairs, in order, keys repeating. */
  query: Array<[string, string]>;
  /** How the client writes the query: a space as `+` or `%20`; an empty value as `k` or `k=`. */
  spaceAsPlus: boolean;
  bareEmptyValues: boolean;
  /** Header fields in order, names as the client spells them, names repeating. */
  headers: Array<[string, string]>;
  /** Cookie pairs (decoded values), in order, names repeating. */
  cookies: Array<[string, string]>;
  body: string | Uint8Array | undefined;
  stage: string | undefined;
}

const generatedRequest: fc.Arbitrary<GeneratedRequest> = fc.record({
  method: fc.oneof(fc.constantFrom("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"), fc.stringMatching(/^[A-Za-z]{1,8}$/)),
  segments: fc.array(fc.array(fc.record({ char: pathChar, overEncoded: fc.boolean() }), { maxLength: 6 }), { maxLength: 5 }),
  query: fc.array(fc.tuple(queryKey, queryText(0)), { maxLength: 6 }),
  spaceAsPlus: fc.boolean(),
  bareEmptyValues: fc.boolean(),
  headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 6 }),
  cookies: fc.array(fc.tuple(cookieName, cookieValue), { maxLength: 4 }),
  body,
  stage: fc.constantFrom(undefined, "dev", "v1"),
});

/**
 * The path as the client sends it: what a path must escape is escaped, the rest as generated. A raw `%` is
 * sent only to the sources that hand the path over encoded: what HTTP API does with a malformed escape when
 * it decodes the path is not documented (createEvent keeps such a path undecoded), so it is not modelled.
 */
function wirePath(r: GeneratedRequest, source: EventSource): string {
  const rawPercent = !decodesPath(source);
  const wire = ({ char, overEncoded }: { char: string; overEncoded: boolean }) =>
    char === "%" ? (rawPercent && !overEncoded ? "%" : "%25") : PCHAR.test(char) && !overEncoded ? char : percentEncoded(char);
  return "/" + r.segments.map((s) => s.map(wire).join("")).join("/");
}

/** The path the client meant, decoded. */
function decodedPath(r: GeneratedRequest): string {
  return "/" + r.segments.map((s) => s.map(({ char }) => char).join("")).join("/");
}

function wireQuery(r: GeneratedRequest): string {
  const component = (s: string) => (r.spaceAsPlus ? encodeURIComponent(s).replace(/%20/g, "+") : encodeURIComponent(s));
  return r.query.map(([k, v]) => (v === "" && r.bareEmptyValues ? component(k) : component(k) + "=" + component(v))).join("&");
}

/** A cookie value as a client writes it: cookie-octets as they are (`=` included), the rest %XX. */
function wireCookie([name, value]: [string, string]): string {
  return name + "=" + [...value].map((ch) => (COOKIE_OCTET.test(ch) && ch !== "%" ? ch : percentEncoded(ch))).join("");
}

/** A null-prototype map, so `__proto__` is a key like any other in the expected values too. */
function map<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}

function grouped(pairs: Array<[string, string]>): Record<string, string[]> {
  const out = map<string[]>();
  for (const [k, v] of pairs) (out[k] ??= []).push(v);
  return out;
}

/**
 * Header fields keyed by name as spelled, values in order: what a `Record<string, string[]>` (EventInit's and
 * HttpResponse's shape) can say, so fields go out grouped by spelling in first-seen order.
 */
function headerRecord(fields: Array<[string, string]>): Record<string, string[]> {
  return grouped(fields);
}

/** The header fields in the order a header record sends them. */
function fieldsOf(record: Record<string, string[]>): Array<[string, string]> {
  return Object.keys(record).flatMap((name) => record[name]!.map((value): [string, string] => [name, value]));
}

function eventInit(source: EventSource, r: GeneratedRequest) {
  const query = wireQuery(r);
  const headers = headerRecord(r.headers);
  return {
    method: r.method,
    path: wirePath(r, source) + (query === "" ? "" : "?" + query),
    headers,
    cookies: r.cookies.map(wireCookie),
    ...(r.body === undefined ? {} : { body: r.body }),
    ...(r.stage === undefined ? {} : { stage: r.stage }),
    requestId: REQUEST_ID,
    sourceIp: SOURCE_IP,
  };
}

interface ExpectedRequest {
  method: string;
  path: string;
  queryAll: Record<string, string[]>;
  /** undefined where the source does not preserve the query string as sent. */
  rawQuery: string | undefined;
  headersAll: Record<string, string[]>;
  cookies: Record<string, string>;
  bytes: Uint8Array;
  text: string;
}

function expectedRequest(source: EventSource, r: GeneratedRequest): ExpectedRequest {
  // Header names are case-insensitive: every source's names end up lower-case in the request model.
  const sent = map<string[]>();
  for (const [name, value] of fieldsOf(headerRecord(r.headers))) (sent[name.toLowerCase()] ??= []).push(value);
  const headersAll = map<string[]>();
  for (const name in sent) {
    const values = sent[name]!;
    if (source === "http-api-v2" || source === "function-url") {
      // Payload 2.0: "Duplicate headers are combined with commas" (API Gateway and Lambda docs), one value,
      // no space after the comma.
      headersAll[name] = [values.join(",")];
    } else if (source === "alb") {
      // ALB single-value mode: the `headers` map holds one value per name, the last one sent.
      headersAll[name] = [values[values.length - 1]!];
    } else if (source === "vpc-lattice") {
      // Lattice event structure v1: "VPC Lattice combines the values into a single string", `, `-joined.
      headersAll[name] = [values.join(", ")];
    } else headersAll[name] = values;
  }
  if (source === "alb" || source === "alb-multi" || source.startsWith("vpc-lattice") || source === "lambda-edge-origin") {
    // The ALB, Lattice and CloudFront (toward the origin) append the address they saw to any X-Forwarded-For
    // the client sent, as one value.
    headersAll["x-forwarded-for"] = [[...(sent["x-forwarded-for"] ?? []), SOURCE_IP].join(", ")];
  }
  if (source === "lambda-edge-origin") headersAll["via"] = [...(sent["via"] ?? []), CLOUDFRONT_VIA];
  const cookiePairs = r.cookies.map(wireCookie);
  if (cookiePairs.length > 0) {
    // HTTP API moves the Cookie header into cookies[], one pair each; the others carry one Cookie header,
    // as an HTTP/1.1 client sends it (a Function URL sends it beside cookies[], counted once).
    headersAll["cookie"] = source === "http-api-v2" ? cookiePairs : [cookiePairs.join("; ")];
  }
  const cookies = map<string>();
  for (const [name, value] of r.cookies) if (!(name in cookies)) cookies[name] = value; // the first of duplicates wins

  let queryAll = grouped(r.query);
  // ALB single-value mode and Lattice v1: a repeated query key keeps its last value only.
  if (source === "alb" || source === "vpc-lattice") for (const key in queryAll) queryAll[key] = [queryAll[key]!.at(-1)!];
  // Only payload 2.0 and Lambda@Edge hand over the query string as sent (`rawQueryString`, `querystring`);
  // payload 1.0 (REST and HTTP API) and Lattice deliver decoded values (re-encoded by us) and the ALB a map of raw names and values
  // (joined back by us, grouped by name).
  const rawQuery = source === "http-api-v2" || source === "function-url" || isEdge(source) ? wireQuery(r) : undefined;

  let path: string;
  if (decodesPath(source)) {
    // HTTP API hands over `rawPath` (payload 1.0: `path`) percent-decoded: `%2F` is already `/` (indistinguishable from a
    // separator), an over-encoded `%41` is `A`, and a decoded `?` ends the path (what followed is lost).
    // The adapter re-encodes what a canonical path must escape, `%` included.
    const decoded = decodedPath(r);
    const cut = decoded.indexOf("?");
    const kept = cut === -1 ? decoded : decoded.slice(0, cut);
    path = [...kept].map((ch) => (ch === "/" || PCHAR.test(ch) ? ch : percentEncoded(ch))).join("");
  } else {
    // REST, Function URLs, the ALB, Lattice and CloudFront hand over the path as sent: valid %XX is kept byte
    // for byte, a `%` that starts no escape is data (`%25`).
    path = wirePath(r, source).replace(/%(?![0-9A-Fa-f]{2})/g, "%25");
  }

  const bytes = r.body === undefined ? new Uint8Array(0) : typeof r.body === "string" ? new Uint8Array(Buffer.from(r.body)) : r.body;
  const text = typeof r.body === "string" ? r.body : Buffer.from(bytes).toString();
  return { method: r.method.toUpperCase(), path, queryAll, rawQuery, headersAll, cookies, bytes, text };
}

/** A request map as a plain object for toEqual (own `__proto__` keys included). */
function plain<V>(m: Record<string, V>): Record<string, V> {
  return { ...m };
}

function checkRequest(source: EventSource, r: GeneratedRequest): void {
  const event = createEvent(source, eventInit(source, r));
  // REST hands header names over as the client spelled them (createEvent lower-cases them): each name as it
  // was first spelled, in both maps. HTTP API, Function URLs and the ALB deliver them lower-cased.
  if (source === "apigw-v1") {
    const spelling = new Map(r.headers.map(([name]) => [name.toLowerCase(), name] as const).reverse());
    for (const field of ["headers", "multiValueHeaders"]) {
      const lower = event[field] as Record<string, unknown>;
      const asSent: Record<string, unknown> = map();
      for (const name in lower) asSent[spelling.get(name) ?? name] = lower[name];
      event[field] = asSent;
    }
  }
  const adapter = detectAdapter(event, ALL_ADAPTERS);
  expect(adapter?.name).toBe(adapterName(source));
  const req = adapter!.request(event, CONTEXT, {});
  const want = expectedRequest(source, r);

  expect(req.method, "method").toBe(want.method);
  expect(req.path, "path").toBe(want.path);
  expect(plain(req.queryAll), "queryAll").toEqual(plain(want.queryAll));
  const first = map<string>();
  for (const key in want.queryAll) first[key] = want.queryAll[key]![0]!;
  expect(plain(req.query), "query").toEqual(plain(first));
  if (want.rawQuery !== undefined) expect(req.rawQuery, "rawQuery").toBe(want.rawQuery);
  else {
    // Not the string sent, but an encoding of the same values: parsing it gives queryAll back.
    const reparsed = map<string[]>();
    for (const pair of req.rawQuery.split("&").filter(Boolean)) {
      const eq = pair.indexOf("=");
      const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, " "));
      (reparsed[decode(eq === -1 ? pair : pair.slice(0, eq))] ??= []).push(eq === -1 ? "" : decode(pair.slice(eq + 1)));
    }
    expect(plain(reparsed), "rawQuery re-parsed").toEqual(plain(want.queryAll));
  }
  expect(plain(req.headersAll), "headersAll").toEqual(plain(want.headersAll));
  const joined = map<string>();
  for (const name in want.headersAll) joined[name] = want.headersAll[name]!.join(name === "cookie" ? "; " : ", ");
  expect(plain(req.headers), "headers").toEqual(plain(joined));
  expect(plain(req.cookies), "cookies").toEqual(plain(want.cookies));
  expect(Buffer.from(req.bytes()).toString("hex"), "body bytes").toBe(Buffer.from(want.bytes).toString("hex"));
  expect(req.text(), "body text").toBe(want.text);
  expect(req.source).toBe(adapter!.name);
  // The ALB and Lattice append the peer to X-Forwarded-For (the last entry is the one to trust) and have no
  // request id of their own (Lambda's is used); the others carry both in their request context.
  expect(req.sourceIp, "sourceIp").toBe(SOURCE_IP);
  expect(req.requestId, "requestId").toBe(source === "alb" || source === "alb-multi" || source.startsWith("vpc-lattice") ? CONTEXT.awsRequestId : REQUEST_ID);
}

// ---- responses --------------------------------------------------------------------------------------------

interface GeneratedResponse {
  method: string;
  status: number;
  /** Header fields in order; names in any case (the library lower-cases and merges them). */
  headers: Array<[string, string]>;
  /** Set-Cookie values given in `cookies`, and given as `set-cookie` header values. */
  cookies: string[];
  setCookieHeaders: string[];
  contentType: string | undefined;
  body: string | Uint8Array | undefined;
}

const setCookie = fc
  .tuple(fc.stringMatching(/^[A-Za-z0-9_-]{1,6}$/), fc.stringMatching(/^[!#-+\--:<-[\]-~]{0,8}$/), fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.boolean())
  // `Expires=Wed, 21 Oct 2026 07:28:00 GMT` has a comma: a Set-Cookie is never split or joined on commas.
  .map(([name, value, time, httpOnly]) => `${name}=${value}; Expires=${new Date(time).toUTCString()}; Path=/${httpOnly ? "; HttpOnly" : ""}`);
// The response header names the library sets itself (content-type, x-request-id) and Set-Cookie are
// generated on their own. `__proto__` is not generated: result headers are plain objects (users compare them
// with deepStrictEqual), in which that name cannot be an own key; no HTTP response needs it.
const responseHeaderName = fc
  .oneof(fc.constantFrom("vary", "Vary", "VARY", "cache-control", "x-tag", "constructor", "content-encoding", "link"), fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,10}$/))
  .filter((name) => !["content-type", "x-request-id", "set-cookie"].includes(name.toLowerCase()) && name !== "__proto__");

const generatedResponse: fc.Arbitrary<GeneratedResponse> = fc.record({
  method: fc.constantFrom("GET", "HEAD", "POST"),
  status: fc.integer({ min: 100, max: 599 }),
  headers: fc.array(fc.tuple(responseHeaderName, headerValue), { maxLength: 6 }),
  cookies: fc.array(setCookie, { maxLength: 4 }),
  setCookieHeaders: fc.array(setCookie, { maxLength: 2 }),
  contentType: fc.option(fc.constantFrom("text/plain; charset=utf-8", "application/json", "application/problem+json", "text/html", "application/pdf", "image/png", "application/octet-stream"), { nil: undefined }),
  body,
});

function httpResponse(g: GeneratedResponse): HttpResponse {
  const headers: Record<string, string[]> = map();
  if (g.contentType !== undefined) headers["content-type"] = [g.contentType];
  Object.assign(headers, headerRecord(g.headers));
  if (g.setCookieHeaders.length > 0) headers["Set-Cookie"] = g.setCookieHeaders;
  return { [RESPONSE]: true, status: g.status, headers, cookies: g.cookies, ...(g.body === undefined ? {} : { body: g.body }) };
}

function expectedResponse(source: EventSource, g: GeneratedResponse) {
  const headers = map<string>();
  if (g.contentType !== undefined) headers["content-type"] = g.contentType;
  // Names are case-insensitive: merged under the lower-case name, values `, `-joined in the order given.
  for (const [name, value] of fieldsOf(headerRecord(g.headers))) {
    const lower = name.toLowerCase();
    headers[lower] = lower in headers ? headers[lower] + ", " + value : value;
  }
  // The ALB and VPC Lattice have no request id of their own: the one sent is Lambda's.
  headers["x-request-id"] = source === "alb" || source === "alb-multi" || source.startsWith("vpc-lattice") ? CONTEXT.awsRequestId : REQUEST_ID;
  // HEAD and the statuses that never have content (1xx, 204, 205, 304) go out without a body.
  const bodiless = g.method === "HEAD" || g.status < 200 || g.status === 204 || g.status === 205 || g.status === 304;
  const bytes = bodiless || g.body === undefined ? new Uint8Array(0) : typeof g.body === "string" ? new Uint8Array(Buffer.from(g.body)) : g.body;
  // Bytes, a type that is not text, or any content-encoding travel as base64 (text types as they are): what
  // API Gateway needs to hand binary to the client intact.
  const textType = g.contentType === undefined || /^(text\/|application\/(json|problem\+json))/.test(g.contentType);
  const compressed = g.headers.some(([name]) => name.toLowerCase() === "content-encoding");
  const base64 = !bodiless && (g.body instanceof Uint8Array || (g.body !== undefined && g.body !== "" && (!textType || compressed)));
  return { status: g.status, headers, cookies: [...g.cookies, ...g.setCookieHeaders], bytes, base64 };
}

async function checkResponse(source: EventSource, g: GeneratedResponse): Promise<void> {
  // CloudFront sends a generated status of 200–599 only and refuses some headers (both are a logged 500 or a
  // dropped header there, tested in lambda-edge.test.ts): not a round trip, so not generated for Edge.
  if (isEdge(source)) fc.pre(g.status >= 200 && !g.headers.some(([name]) => EDGE_REFUSED_HEADERS.test(name.toLowerCase())));
  const event = createEvent(source, { method: g.method, path: "/r", requestId: REQUEST_ID });
  // What a user's test does: the app behind handle(), the event createEvent built, the answer readResult read.
  const handler = handle(() => httpResponse(g), { adapters: ALL_ADAPTERS });
  const result = (await handler(event, CONTEXT)) as Record<string, unknown>;
  // Through JSON, as the Lambda runtime hands the result to the source.
  const delivered = readResult(JSON.parse(JSON.stringify(result)), source);
  const want = expectedResponse(source, g);
  expect(delivered.status, "status").toBe(want.status);
  expect(delivered.headers, "headers").toEqual(plain(want.headers));
  expect(delivered.cookies, "set-cookie").toEqual(want.cookies);
  expect(Buffer.from(delivered.bytes).toString("hex"), "body").toBe(Buffer.from(want.bytes).toString("hex"));
  if (isEdge(source)) expect(result["bodyEncoding"], "bodyEncoding").toBe(want.bytes.length === 0 ? undefined : want.base64 ? "base64" : "text");
  else expect(result["isBase64Encoded"], "isBase64Encoded").toBe(want.base64);
  // ALB and Lattice results carry "200 OK"; Edge's its reason phrase alone.
  if (source.startsWith("alb") || source.startsWith("vpc-lattice")) expect(String(result["statusDescription"]).startsWith(`${g.status} `), "statusDescription").toBe(true);
}

// ---- properties -------------------------------------------------------------------------------------------

describe("round trips (property-based, fast-check)", () => {
  it.each(SOURCES)("%s: a generated request, sent as the source sends it, normalizes to itself (less the source's documented losses)", (source) => {
    fc.assert(
      fc.property(generatedRequest, (r) => checkRequest(source, r)),
      PARAMETERS,
    );
  }, TIMEOUT);

  it.each(SOURCES)("%s: a generated response, through handle(app), reads back as sent (status, headers, every Set-Cookie, body bytes)", async (source) => {
    await fc.assert(
      fc.asyncProperty(generatedResponse, (g) => checkResponse(source, g)),
      PARAMETERS,
    );
  }, TIMEOUT);
});
