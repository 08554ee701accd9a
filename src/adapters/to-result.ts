import { defaultIsBinary } from "../lib/binary.ts";
import type { HttpRequest } from "../lib/request.ts";
import { JSON_TYPE, type HttpResponse } from "../lib/response.ts";
import type { AdapterOptions } from "./types.ts";

/** Lambda's limit on a buffered response, 6 MB (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). */
export const LAMBDA_PAYLOAD = 6 * 1024 * 1024;

/** The result fields every source shares; each adapter adds its own. */
export interface BaseResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
}

/**
 * Flattens a response once for every adapter: header names lower-cased and merged (`headers` holds one
 * string per name, several values `, `-joined; `repeated` every value of the names given more than once),
 * every Set-Cookie (from `cookies` or a `set-cookie` header) in one list, never split or joined,
 * `x-request-id` added, no body for HEAD and 1xx/204/205/304, and base64 for what is not text. A status
 * outside 100–599, a CR, LF or NUL in a header name, value or cookie, or a colon in a name (header
 * injection), or a body of another type throws (the handler answers a logged 500).
 * @example const [result, cookies, repeated] = toResult(json({ ok: true }), req, {})
 */
export function toResult(
  { status, headers: given, cookies: setCookies, body }: HttpResponse,
  req: HttpRequest,
  { isBinary = defaultIsBinary }: AdapterOptions,
  limit = LAMBDA_PAYLOAD,
): [BaseResult, string[], Record<string, string[]> | undefined] {
  if (!(status >= 100 && status < 600) || status % 1) throw new TypeError(`response status ${status} is not 100–599`);
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  // By index, and only when there are any: no empty list and iterator per response (bench: peers).
  for (let i = 0; setCookies && i < setCookies.length; i++) {
    const value = String(setCookies[i]);
    if (unsafe(value)) throw injection("set-cookie");
    cookies.push(value);
  }
  let repeated: Record<string, string[]> | undefined;
  let isBase64Encoded = false;
  for (const name in given) {
    // A colon in a name would start its value early: `location: https://…#` sets Location. The name our
    // helpers set is skipped by identity (bench: peers).
    if (name !== "content-type" && (unsafe(name) || name.includes(":"))) throw injection(name);
    // The name json() and text() set is lower-case already: no call (bench: peers).
    const lower = name === "content-type" ? name : name.toLowerCase();
    const values = given[name];
    // By index, not by wrapping a single value in a list: nothing allocated per header (bench: peers).
    const many = Array.isArray(values);
    for (let i = 0, count = many ? values.length : values == null ? 0 : 1; i < count; i++) {
      // JavaScript callers may pass numbers (`retry-after: 30`).
      const value = String(many ? values[i] : values);
      // None for the type our json() sends (bench: peers).
      if (value !== JSON_TYPE && unsafe(value)) throw injection(name);
      if (lower === "set-cookie") cookies.push(value);
      else if (Object.hasOwn(headers, lower)) {
        // hasOwn: a header named `constructor` must not find Object's (the maps stay plain for users' tests).
        (Object.hasOwn((repeated ??= {}), lower) ? repeated[lower]! : (repeated[lower] = [headers[lower]!])).push(value);
        headers[lower] += ", " + value;
      } else headers[lower] = value;
    }
  }
  // A request without an id (an event built by hand, no context) gets no empty header.
  if (req.requestId) headers["x-request-id"] ??= req.requestId;
  if (body == null || req.method === "HEAD" || status < 200 || status === 204 || status === 205 || status === 304) body = "";
  else if (typeof body !== "string") {
    if (!(body instanceof Uint8Array)) throw new TypeError(`response body is ${typeof body}, not a string or Uint8Array`);
    isBase64Encoded = true;
  } else isBase64Encoded = body !== "" && isBinary(headers["content-type"], headers["content-encoding"]);
  if (isBase64Encoded) body = (typeof body === "string" ? Buffer.from(body) : Buffer.from(body.buffer, body.byteOffset, body.byteLength)).toString("base64");
  const result = { statusCode: status, headers, body: body as string, isBase64Encoded };
  checkSize([result, cookies], result.body, limit);
  return [result, cookies, repeated];
}

/**
 * Throws when a result's JSON is over the source's limit, where the platform would answer an opaque 502:
 * the handler's logged 500 says what happened instead. A JSON string escapes a character into at most 6
 * bytes, so a shorter body is not measured.
 * @example checkSize(result, result.body, 1024 * 1024)
 */
export function checkSize(result: unknown, body: string, limit: number): void {
  const size = body.length * 6 > limit ? Buffer.byteLength(JSON.stringify(result)) : 0;
  if (size > limit) throw new TypeError(`the response is ${size} bytes of JSON, over this source's ${limit}-byte limit`);
}

// Three scans, not a regular expression: as fast, and nothing to compile on a cold start (bench: cold).
const unsafe = (text: string): boolean => text.includes("\r") || text.includes("\n") || text.includes("\0");

// CR, LF or NUL in header text would end its line and start another.
const injection = (name: string): TypeError => new TypeError(`response header ${JSON.stringify(name)}: CR, LF or NUL in it, or a colon in its name (header injection)`);
