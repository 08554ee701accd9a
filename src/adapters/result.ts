import { toBase64 } from "../lib/base64.ts";
import { defaultIsBinary } from "../lib/binary.ts";
import { dict } from "../lib/dict.ts";
import type { HttpRequest } from "../lib/request.ts";
import type { HttpResponse } from "../lib/response.ts";
import type { AdapterOptions } from "./types.ts";

/** A response flattened for serialization: lower-case header names, Set-Cookie apart, body encoded. */
export interface SerializedResponse {
  statusCode: number;
  /** Lower-case names; a string, or an array when the app gave several values. Never `set-cookie`. */
  headers: Record<string, string | string[]>;
  /** True when some header has several values (an array in `headers`). */
  multi: boolean;
  /** Every Set-Cookie value, in order, never split or joined. */
  cookies: string[];
  body: string;
  isBase64Encoded: boolean;
}

/**
 * Flattens a response once for every adapter: merges header names case-insensitively, moves every
 * Set-Cookie (from `cookies` or a `set-cookie` header) into one list, adds `x-request-id`, drops the body
 * of HEAD requests and 1xx/204/205/304 responses, and base64-encodes what is not text.
 * @example serializeResponse(json({ ok: true }), req, {}).body // '{"ok":true}'
 */
export function serializeResponse(res: HttpResponse, req: HttpRequest, options: AdapterOptions): SerializedResponse {
  // Inherits nothing, so a header named like an Object.prototype member ("constructor") is just a header.
  const headers: Record<string, string | string[]> = dict();
  const cookies: string[] = res.cookies === undefined ? [] : res.cookies.slice();
  let multi = false;
  const given = res.headers;
  if (given !== undefined) {
    for (const name in given) {
      const value = given[name];
      if (value === undefined || value === null) continue;
      const lower = name.toLowerCase();
      // JavaScript callers may pass numbers (`retry-after: 30`): every value becomes a string.
      const v: string | string[] = typeof value === "string" ? value : Array.isArray(value) ? value.map(String) : String(value);
      if (typeof v === "string" ? UNSAFE.test(v) : v.some((x) => UNSAFE.test(x))) {
        throw new TypeError(`response header "${name}" contains CR, LF or NUL: refusing to send it (header injection)`);
      }
      if (lower === "set-cookie") {
        if (typeof v === "string") cookies.push(v);
        else cookies.push(...v);
        continue;
      }
      const prev = headers[lower];
      const next: string | string[] = prev === undefined ? (typeof v === "string" ? v : v.length === 1 ? v[0]! : v) : ([] as string[]).concat(prev, v);
      if (typeof next !== "string") {
        if (next.length === 0) continue;
        multi = true;
      }
      headers[lower] = next;
    }
  }
  if (headers["x-request-id"] === undefined) headers["x-request-id"] = req.requestId;

  const status = res.status;
  let body = "";
  let isBase64Encoded = false;
  const raw = res.body;
  if (raw !== undefined && raw !== null && req.method !== "HEAD" && status >= 200 && status !== 204 && status !== 205 && status !== 304) {
    if (typeof raw === "string") {
      const type = one(headers["content-type"]);
      const encoding = one(headers["content-encoding"]);
      if ((options.isBinary ?? defaultIsBinary)(type, encoding)) {
        body = toBase64(raw);
        isBase64Encoded = true;
      } else body = raw;
    } else if (raw instanceof Uint8Array) {
      body = toBase64(raw);
      isBase64Encoded = true;
    } else {
      throw new TypeError(`response body must be a string or a Uint8Array, got ${typeof raw}`);
    }
  }
  return { statusCode: status, headers, multi, cookies, body, isBase64Encoded };
}

// CR or LF would end the header line (header injection); NUL is refused by every HTTP stack.
const UNSAFE = /[\r\n\0]/;

function one(value: string | string[] | undefined): string | undefined {
  return value === undefined || typeof value === "string" ? value : value.join(", ");
}

/**
 * Every header as one string (several values joined with `, `), for sources with single-value headers;
 * the same object when `multi` says nothing repeats.
 * @example singleValueHeaders({ vary: ["a", "b"] }) // { vary: "a, b" }
 */
export function singleValueHeaders(headers: Record<string, string | string[]>, multi = true): Record<string, string> {
  if (!multi) return headers as Record<string, string>;
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name]!;
    out[name] = typeof value === "string" ? value : value.join(", ");
  }
  return out;
}
