import { defaultIsBinary } from "../lib/binary.ts";
import type { HttpRequest } from "../lib/request.ts";
import type { HttpResponse } from "../lib/response.ts";
import type { AdapterOptions } from "./types.ts";

/** The result fields every source shares; each adapter adds its own. */
export interface BaseResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
}

// CR or LF would end the header line (header injection); NUL is refused by every HTTP stack.
const UNSAFE = /[\r\n\0]/;

/**
 * Flattens a response once for every adapter: header names lower-cased and merged (`headers` holds one
 * string per name, several values `, `-joined; `repeated` every value of the names given more than once),
 * every Set-Cookie (from `cookies` or a `set-cookie` header) in one list, never split or joined,
 * `x-request-id` added, no body for HEAD and 1xx/204/205/304, and base64 for what is not text. A status
 * outside 100–599, a CR/LF in a header or a body of another type throws (the handler answers 500).
 * @example const [result, cookies, repeated] = toResult(json({ ok: true }), req, {})
 */
export function toResult(res: HttpResponse, req: HttpRequest, options: AdapterOptions): [BaseResult, string[], Record<string, string[]> | undefined] {
  const status = res.status;
  if (!Number.isInteger(status) || status < 100 || status > 599) throw new TypeError(`response status ${status} is not an HTTP status (100–599)`);
  const headers: Record<string, string> = {};
  const cookies = res.cookies?.slice() ?? [];
  let repeated: Record<string, string[]> | undefined;
  for (const name in res.headers) {
    const given = res.headers[name];
    if (given === undefined || given === null) continue;
    const lower = name.toLowerCase();
    for (let value of Array.isArray(given) ? given : [given]) {
      // JavaScript callers may pass numbers (`retry-after: 30`).
      value = String(value);
      if (UNSAFE.test(value)) throw new TypeError(`response header "${name}" contains CR, LF or NUL: refusing to send it (header injection)`);
      if (lower === "set-cookie") cookies.push(value);
      else if (Object.hasOwn(headers, lower)) {
        ((repeated ??= {})[lower] ??= [headers[lower]!]).push(value);
        headers[lower] += ", " + value;
      } else headers[lower] = value;
    }
  }
  headers["x-request-id"] ??= req.requestId;

  let body = res.body;
  let isBase64Encoded = false;
  if (body === undefined || body === null || req.method === "HEAD" || status < 200 || status === 204 || status === 205 || status === 304) body = "";
  else if (typeof body !== "string") {
    if (!(body instanceof Uint8Array)) throw new TypeError(`response body must be a string or a Uint8Array, got ${typeof body}`);
    isBase64Encoded = true;
  } else isBase64Encoded = body !== "" && (options.isBinary ?? defaultIsBinary)(headers["content-type"], headers["content-encoding"]);
  if (isBase64Encoded) body = (typeof body === "string" ? Buffer.from(body) : Buffer.from(body.buffer, body.byteOffset, body.byteLength)).toString("base64");
  return [{ statusCode: status, headers, body: body as string, isBase64Encoded }, cookies, repeated];
}
