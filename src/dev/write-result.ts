import { validateHeaderName, validateHeaderValue } from "node:http";
import { EDGE_REFUSED_HEADERS } from "../adapters/lambda-edge.ts";
import { statusText } from "../index.ts";
import type { DevSource } from "./http-event.ts";

/** A Lambda result turned back into what the client receives. */
export interface HttpReply {
  status: number;
  headers: Array<[string, string]>;
  body: Uint8Array;
  /** Why the result was refused, for the log (the client only sees the service's generic answer). */
  malformed?: string;
}

/**
 * API Gateway's answer to a function error, or to a result in the wrong format: "If the function runs but
 * returns an error, or returns a response in the wrong format, API Gateway returns a 502 … the body of the
 * response from API Gateway is {"message": "Internal server error"}" (Lambda developer guide, "Handling
 * Lambda errors with an API Gateway API"). The same 502 stands in for the other sources' function error.
 * @example functionError("body must be a string")
 */
export function functionError(malformed?: string): HttpReply {
  const reply: HttpReply = { status: 502, headers: [["content-type", "application/json"]], body: Buffer.from('{"message":"Internal server error"}') };
  if (malformed !== undefined) reply.malformed = malformed;
  return reply;
}

type ProxyResult = { statusCode: number; headers?: Record<string, unknown>; multiValueHeaders?: Record<string, unknown[]>; cookies?: string[]; body?: string | null; isBase64Encoded?: boolean };

// Headers that frame the HTTP message: the service writes its own, so a handler's value (a stale
// content-length, say) never cuts or stretches the body. REST hands them back renamed: "The following headers
// may be remapped to x-amzn-Remapped-HEADER when … sent back by your integration endpoint: … Connection,
// Content-Length, … TE, Trailer, Transfer-Encoding, Upgrade" (API Gateway developer guide, known issues).
const FRAMING = new Set(["connection", "content-length", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade"]);

/**
 * What API Gateway (or the ALB, or a Function URL) sends to the client for a Lambda result: status,
 * headers, and the body, base64-decoded when flagged. Each source reads only its own fields, so a result in
 * another source's shape loses what that source ignores, as deployed: payload 2.0 (`http`, `url`) has
 * `headers` and `cookies[]`, no `multiValueHeaders`; payload 1.0 (`rest`, `http-v1`) `headers` and
 * `multiValueHeaders` merged (a name in both gets the values of each, an identical name and value once), no
 * `cookies` (a REST result with that key is a 502); an ALB `multiValueHeaders` in multi-value mode, `headers` otherwise; Lattice
 * `headers`. Payload 2.0 infers a result without `statusCode` (200, JSON); any other malformed result is a
 * 502, as AWS answers it, with `malformed` saying why.
 * @example fromResult({ statusCode: 200, body: "hi" }, "http")
 */
export function fromResult(result: unknown, source: DevSource = "http"): HttpReply {
  const payloadV2 = source === "http" || source === "url";
  // "If your function returns valid JSON and doesn't return a statusCode, Lambda assumes … statusCode is
  // 200, content-type is application/json, body is the function response" (Lambda developer guide,
  // "Invoking Lambda function URLs"; HTTP API payload 2.0 makes the same assumption). A function that
  // returns nothing returns null to the service.
  if (payloadV2 && !(isRecord(result) && "statusCode" in result)) {
    return { status: 200, headers: [["content-type", "application/json"]], body: Buffer.from(JSON.stringify(result ?? null)) };
  }
  // HTTP API's payload 1.0 result has REST's format ("Lambda function response for format 1.0", API Gateway
  // developer guide, "Working with AWS Lambda proxy integrations for HTTP APIs").
  const multiRead = source === "rest" || source === "http-v1" || source === "alb";
  const singleRead = source !== "alb";
  const wrong = malformedResult(result, { single: singleRead, multi: multiRead, cookies: payloadV2 }) ?? (source === "rest" ? unknownRestKey(result as Record<string, unknown>) : undefined);
  if (wrong !== undefined) return functionError(wrong);
  const r = result as ProxyResult;
  const headers: Array<[string, string]> = [];
  const multi = (multiRead ? r.multiValueHeaders : undefined) ?? {};
  const single = (singleRead ? r.headers : undefined) ?? {};
  // "If you specify values for both headers and multiValueHeaders, API Gateway merges them into a single list.
  // If the same key-value pair is specified in both, only the values from multiValueHeaders will appear in the
  // merged list." (API Gateway developer guide, "Output format of a Lambda function for proxy integration")
  const multiPairs = new Set(Object.entries(multi).flatMap(([name, values]) => values.map((v) => `${name.toLowerCase()}:${String(v)}`)));
  const add = (name: string, value: unknown) => {
    const lower = name.toLowerCase();
    if (!FRAMING.has(lower)) headers.push([lower, String(value)]);
    else if (source === "rest" && lower !== "keep-alive") headers.push([`x-amzn-remapped-${lower}`, String(value)]);
  };
  for (const [name, values] of Object.entries(multi)) for (const v of values) add(name, v);
  for (const [name, value] of Object.entries(single)) if (!multiPairs.has(`${name.toLowerCase()}:${String(value)}`)) add(name, value);
  for (const cookie of (payloadV2 ? r.cookies : undefined) ?? []) headers.push(["set-cookie", cookie]);
  const body = r.body === undefined || r.body === null ? new Uint8Array(0) : r.isBase64Encoded ? Buffer.from(r.body, "base64") : Buffer.from(r.body, "utf8");
  return { status: r.statusCode, headers, body };
}

// REST answers any other key (payload 2.0's cookies, most often) with "Malformed Lambda proxy response": its
// documented format has these five (API Gateway developer guide, "Output format of a Lambda function for
// proxy integration"; the 502 for a cookies key is reported in sst#2760, nitro#504, lamby#78).
const REST_KEYS = new Set(["statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"]);

function unknownRestKey(result: Record<string, unknown>): string | undefined {
  const extra = Object.keys(result).find((key) => !REST_KEYS.has(key));
  return extra === undefined ? undefined : `REST takes statusCode, headers, multiValueHeaders, body and isBase64Encoded only; got "${extra}"${extra === "cookies" ? " (payload 2.0's field: put Set-Cookie in multiValueHeaders)" : ""}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Why a proxy result is in the wrong format for a source that reads these fields, or `undefined` when it
 * is not. Header values may be numbers or booleans (API Gateway writes `true` as "true"); names and values
 * must be writable as HTTP (Node's own checks, the ones writeHead would throw).
 * @example malformedResult({ statusCode: 200, body: {} }, { single: true, multi: true, cookies: false }) // "body must be a string or null; got an object"
 */
export function malformedResult(result: unknown, reads: { single: boolean; multi: boolean; cookies: boolean }): string | undefined {
  if (!isRecord(result)) return `the result must be an object with a statusCode; got ${describe(result)}`;
  const status = result["statusCode"];
  // A 1xx is an interim response in HTTP, never the answer: written as the final status, the client would wait
  // on for one that never comes.
  if (typeof status !== "number" || !Number.isInteger(status) || status < 200 || status > 599) return `statusCode must be a whole number from 200 to 599 (a 1xx is an interim response, never the answer); got ${describe(status)}`;
  const body = result["body"];
  if (body !== undefined && body !== null && typeof body !== "string") return `body must be a string or null; got ${describe(body)}`;
  if (reads.single && result["headers"] != null) {
    if (!isRecord(result["headers"])) return `headers must be an object of strings; got ${describe(result["headers"])}`;
    for (const [name, value] of Object.entries(result["headers"])) {
      const wrong = headerProblem(name, value);
      if (wrong) return `headers["${name}"] ${wrong}`;
    }
  }
  if (reads.multi && result["multiValueHeaders"] != null) {
    if (!isRecord(result["multiValueHeaders"])) return `multiValueHeaders must be an object of string lists; got ${describe(result["multiValueHeaders"])}`;
    for (const [name, values] of Object.entries(result["multiValueHeaders"])) {
      if (!Array.isArray(values)) return `multiValueHeaders["${name}"] must be a list of strings; got ${describe(values)}`;
      for (const value of values) {
        const wrong = headerProblem(name, value);
        if (wrong) return `multiValueHeaders["${name}"] ${wrong}`;
      }
    }
  }
  if (reads.cookies && result["cookies"] != null) {
    const cookies = result["cookies"];
    if (!Array.isArray(cookies)) return `cookies must be a list of strings; got ${describe(cookies)}`;
    for (const cookie of cookies) {
      const wrong = headerProblem("set-cookie", cookie);
      if (wrong) return `cookies ${wrong}`;
    }
  }
  return undefined;
}

function headerProblem(name: string, value: unknown): string | undefined {
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") return `must be a string; got ${describe(value)}`;
  try {
    validateHeaderName(name);
  } catch {
    return "is not a valid header name";
  }
  try {
    validateHeaderValue(name, String(value));
  } catch {
    return "has a character HTTP forbids in a header value (a line break, say)";
  }
  return undefined;
}

function describe(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value === "string" ? JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value) : typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}

/**
 * What CloudFront sends the viewer for a response generated by a Lambda@Edge request trigger: `status` a
 * numeric string, one header line per `{ key, value }` pair, the body base64-decoded when `bodyEncoding`
 * says so. A result CloudFront would refuse (bad shape, a header functions may not set, over `limit` bytes
 * of headers and body as returned) is its 502.
 * @example fromEdgeResult({ status: "200", headers: {}, body: "hi" }, 40 * 1024)
 */
export function fromEdgeResult(result: unknown, limit: number): HttpReply {
  const invalid: HttpReply = { status: 502, headers: [["content-type", "text/plain"]], body: Buffer.from("502 ERROR: the Lambda function returned an invalid response (CloudFront validation)") };
  const r = result as { status?: unknown; headers?: Record<string, Array<{ key?: string; value: string }>>; body?: string; bodyEncoding?: string } | null;
  if (r === null || typeof r !== "object" || typeof r.status !== "string" || !/^[2-5]\d\d$/.test(r.status)) return invalid;
  if (r.bodyEncoding !== undefined && r.bodyEncoding !== "text" && r.bodyEncoding !== "base64") return invalid;
  const headers: Array<[string, string]> = [];
  let size = Buffer.byteLength(r.body ?? "");
  for (const [name, pairs] of Object.entries(r.headers ?? {})) {
    if (!Array.isArray(pairs) || EDGE_REFUSED_HEADERS.test(name.toLowerCase())) return invalid;
    for (const pair of pairs) {
      if (typeof pair?.value !== "string") return invalid;
      headers.push([name.toLowerCase(), pair.value]);
      size += name.length + Buffer.byteLength(pair.value);
    }
  }
  if (size > limit) return invalid;
  return { status: Number(r.status), headers, body: Buffer.from(r.body ?? "", r.bodyEncoding === "base64" ? "base64" : "utf8") };
}

/**
 * The status line text the dev server logs.
 * @example statusLine(404) // "404 Not Found"
 */
export function statusLine(status: number): string {
  return `${status} ${statusText(status)}`;
}
