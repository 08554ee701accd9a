/**
 * Marks an object as an {@link HttpResponse}; a returned object without it is data (sent as JSON).
 * @example const ok: HttpResponse = { [RESPONSE]: true, status: 200, body: "ok" } // sent as is, not as JSON
 */
export const RESPONSE: unique symbol = Symbol.for("lambdalith.response") as never;

/**
 * What an app returns: status, headers (lower-case names), `Set-Cookie` values, body.
 * @example const res: HttpResponse = await app.handle(req) // normalized: what middleware and tests read
 */
export interface HttpResponse {
  status: number;
  headers?: Record<string, string | string[]> | undefined;
  cookies?: string[] | undefined;
  body?: string | Uint8Array | undefined;
  [RESPONSE]?: true;
}

/**
 * A status, or status, headers and cookies to add to a helper's response.
 * @example json({ id: "e-1" }, { status: 201, headers: { location: "exams/e-1" }, cookies: ["seen=1; Path=/"] })
 */
export type ResponseInit = number | { status?: number | undefined; headers?: Record<string, string | string[]> | undefined; cookies?: string[] | undefined };

/**
 * A response marked as one, the base of every helper. Header names are lower-cased here, so a user's
 * `Content-Type` replaces our default instead of standing beside it.
 * @example respond(200, "text/csv", "a,b", { headers: { "Cache-Control": "no-store" } })
 */
export function respond(status: number, type?: string, body?: string | Uint8Array, init?: ResponseInit): HttpResponse {
  const headers: Record<string, string | string[]> = {};
  if (type) headers["content-type"] = type;
  const res: HttpResponse = { [RESPONSE]: true, status, headers, body };
  if (typeof init === "number") res.status = init;
  else if (init) {
    res.status = init.status ?? status;
    res.cookies = init.cookies;
    for (const name in init.headers) headers[name.toLowerCase()] = init.headers[name]!;
  }
  return res;
}

/** The content type json() sends; known as text and header-safe without a scan (bench: peers). */
export const JSON_TYPE = "application/json; charset=utf-8";
/** The content type of problem() (RFC 9457); known as text without the binary-detection expression. */
export const PROBLEM_TYPE = "application/problem+json";

/**
 * A JSON response (`application/json; charset=utf-8`).
 * @example json({ id: "e-1" }, 201)
 */
export function json(data: unknown, init?: ResponseInit): HttpResponse {
  return respond(200, JSON_TYPE, JSON.stringify(data) ?? "null", init);
}

/**
 * A plain-text response (`text/plain; charset=utf-8`).
 * @example text("pong")
 */
export function text(s: string, init?: ResponseInit): HttpResponse {
  return respond(200, "text/plain; charset=utf-8", s, init);
}

/**
 * An HTML response (`text/html; charset=utf-8`).
 * @example html("<h1>Hi</h1>")
 */
export function html(s: string, init?: ResponseInit): HttpResponse {
  return respond(200, "text/html; charset=utf-8", s, init);
}

/**
 * A binary response; the adapter sends it base64-encoded. Any typed array, `DataView` or `ArrayBuffer`
 * is sent as the bytes it spans (a Buffer's `subarray` from its own offset).
 * @example binary(new Uint8Array([0x25, 0x50, 0x44, 0x46]), "application/pdf")
 */
export function binary(bytes: Uint8Array | ArrayBufferView | ArrayBuffer, contentType: string, init?: ResponseInit): HttpResponse {
  // Anything else (a JavaScript caller's string) goes on as given: the adapter sends or refuses it.
  return respond(200, contentType, bytesOf(bytes) ?? (bytes as Uint8Array), init);
}

// The bytes a typed array, DataView or ArrayBuffer spans, as a view of the same memory (no copy): a
// DataView or a pooled Buffer starts inside a larger ArrayBuffer. Undefined for anything else.
function bytesOf(value: unknown): Uint8Array | undefined {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value) ? new Uint8Array((value as Uint8Array).buffer ?? value, (value as Uint8Array).byteOffset, value.byteLength) : undefined;
}

// What browsers follow with a Location: 304 is a cache answer and 305/306 are retired (RFC 9110 §15.4).
const REDIRECT = /^30[0-378]$/;

/**
 * A redirect with a `Location` header (the argument wins over a `Location` in `init.headers`). A status
 * other than 300–303, 307 or 308 throws (a handler's mistake: a logged 500 naming it).
 * @example redirect("/exams/e-1", 303)
 */
export function redirect(location: string, status = 302, init?: ResponseInit): HttpResponse {
  const res = respond(status, undefined, undefined, init);
  if (!REDIRECT.test(String(res.status))) throw new TypeError(`redirect: status ${res.status} is not a redirect (300–303, 307, 308)`);
  res.headers!["location"] = location;
  return res;
}

/**
 * A response without a body.
 * @example empty().status // 204
 */
export function empty(status = 204, init?: ResponseInit): HttpResponse {
  return respond(status, undefined, undefined, init);
}

/**
 * Turns whatever a handler returned into an {@link HttpResponse}: a marked response as is, a string as
 * text, bytes (any typed array or ArrayBuffer) as octet-stream, `undefined`/`null` as 204, plain objects,
 * arrays and other JSON values as 200 JSON. Anything else (a `Response`, a `Map`, a class instance without
 * `toJSON`) cannot be sent faithfully: it throws a `TypeError` naming it, which becomes a logged 500.
 * @example toResponse({ ok: true }).status // 200
 */
export function toResponse(value: any): HttpResponse {
  if (value == null) return respond(204);
  if (value[RESPONSE]) return value;
  if (typeof value === "string") return text(value);
  const kind = typeof value;
  const proto = kind === "object" && Object.getPrototypeOf(value);
  // Plain data, the usual answer, needs neither check below (bench: peers).
  if (proto === Object.prototype) return json(value);
  const bytes = bytesOf(value);
  if (bytes) return respond(200, "application/octet-stream", bytes);
  // JSON.stringify would send a function or a symbol as "null": a 500 naming it instead. A prototype that
  // inherits nothing is a plain map's (Object.prototype, Object.create(null), req.query's: dict.ts).
  if ((proto && proto !== Array.prototype && Object.getPrototypeOf(proto) && !value.toJSON) || kind === "function" || kind === "symbol") {
    throw new TypeError(`cannot send a ${proto ? proto.constructor?.name : kind}: return data, text, bytes or a response`);
  }
  return json(value);
}

/**
 * True when a response is already marked as one.
 * @example isResponse(json(1)) // true
 */
export function isResponse(value: unknown): value is HttpResponse {
  return !!(value as HttpResponse | null)?.[RESPONSE];
}
