/**
 * Marks an object as an {@link HttpResponse}; a returned object without it is data (sent as JSON).
 * @example return { [RESPONSE]: true, status: 200, body: "ok" }
 */
export const RESPONSE: unique symbol = Symbol.for("lambdalith.response") as never;

/** What an app returns: status, headers (lower-case names preferred), `Set-Cookie` values, body. */
export interface HttpResponse {
  status: number;
  headers?: Record<string, string | string[]> | undefined;
  cookies?: string[] | undefined;
  body?: string | Uint8Array | undefined;
  [RESPONSE]?: true;
}

/** A status, or status, headers and cookies to add to a helper's response. */
export type ResponseInit = number | { status?: number; headers?: Record<string, string | string[]>; cookies?: string[] };

/**
 * Sets a header, replacing any case variant of its name (a user's `Content-Type` replaces our default
 * `content-type` instead of standing beside it).
 * @example setHeader(res.headers, "Location", "/x")
 */
export function setHeader(headers: Record<string, string | string[]>, name: string, value: string | string[]): void {
  const lower = name.toLowerCase();
  for (const existing in headers) if (existing.toLowerCase() === lower) delete headers[existing];
  headers[name] = value;
}

function createResponse(status: number, type: string | undefined, body: string | Uint8Array | undefined, init: ResponseInit | undefined): HttpResponse {
  const headers: Record<string, string | string[]> = {};
  if (type !== undefined) headers["content-type"] = type;
  const res: HttpResponse = { [RESPONSE]: true, status, headers, body };
  if (typeof init === "number") res.status = init;
  else if (init !== undefined) {
    res.status = init.status ?? status;
    for (const name in init.headers) setHeader(headers, name, init.headers[name]!);
    if (init.cookies !== undefined) res.cookies = init.cookies;
  }
  return res;
}

/**
 * A JSON response (`application/json; charset=utf-8`).
 * @example json({ id: "e-1" }, 201)
 */
export function json(data: unknown, init?: ResponseInit): HttpResponse {
  return createResponse(200, "application/json; charset=utf-8", JSON.stringify(data) ?? "null", init);
}

/**
 * A plain-text response (`text/plain; charset=utf-8`).
 * @example text("pong")
 */
export function text(s: string, init?: ResponseInit): HttpResponse {
  return createResponse(200, "text/plain; charset=utf-8", s, init);
}

/**
 * An HTML response (`text/html; charset=utf-8`).
 * @example html("<h1>Hi</h1>")
 */
export function html(s: string, init?: ResponseInit): HttpResponse {
  return createResponse(200, "text/html; charset=utf-8", s, init);
}

/**
 * A binary response; the adapter sends it base64-encoded.
 * @example binary(pdfBytes, "application/pdf")
 */
export function binary(bytes: Uint8Array, contentType: string, init?: ResponseInit): HttpResponse {
  return createResponse(200, contentType, bytes, init);
}

/**
 * A redirect with a `Location` header (the argument wins over any `Location` in `init.headers`).
 * @example redirect("/exams/e-1", 303)
 */
export function redirect(location: string, status = 302, init?: ResponseInit): HttpResponse {
  const res = createResponse(status, undefined, undefined, init);
  setHeader(res.headers!, "location", location);
  return res;
}

/**
 * A response without a body.
 * @example empty() // 204
 */
export function empty(status = 204, init?: ResponseInit): HttpResponse {
  return createResponse(status, undefined, undefined, init);
}

/**
 * Turns whatever a handler returned into an {@link HttpResponse}: a marked response as is, a string as
 * text, bytes as octet-stream, `undefined`/`null` as 204, plain objects, arrays and other JSON values as
 * 200 JSON. Anything else (a `Response`, a `Map`, a class instance without `toJSON`) cannot be sent
 * faithfully: it throws a `TypeError` naming it, which becomes a logged 500.
 * @example toResponse({ ok: true }).status // 200
 */
export function toResponse(value: unknown): HttpResponse {
  if (value === undefined || value === null) return { [RESPONSE]: true, status: 204 };
  if ((value as HttpResponse)[RESPONSE] === true) return value as HttpResponse;
  if (typeof value === "string") return text(value);
  if (value instanceof ArrayBuffer) value = new Uint8Array(value);
  else if (ArrayBuffer.isView(value) && !(value instanceof Uint8Array)) value = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof Uint8Array) return binary(value, "application/octet-stream");
  const proto = typeof value === "object" ? Object.getPrototypeOf(value) : null;
  if (proto !== null && proto !== Object.prototype && proto !== Array.prototype && typeof (value as { toJSON?: unknown }).toJSON !== "function") {
    throw new TypeError(`a handler returned a ${proto.constructor?.name ?? "non-plain object"}, which cannot be sent: return a plain object, a string, bytes or a response helper's result`);
  }
  return json(value);
}

/**
 * True when a response is already marked as one.
 * @example isResponse(json(1)) // true
 */
export function isResponse(value: unknown): value is HttpResponse {
  return typeof value === "object" && value !== null && (value as HttpResponse)[RESPONSE] === true;
}
