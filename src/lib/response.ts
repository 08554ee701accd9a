/**
 * Marks an object as an {@link HttpResponse}; a returned object without it is data (sent as JSON).
 * @example return { [RESPONSE]: true, status: 200, body: "ok" }
 */
export const RESPONSE: unique symbol = Symbol.for("lambdalith.response") as never;

/** What an app returns: status, headers (lower-case names preferred), `Set-Cookie` values, body. */
export interface HttpResponse {
  status: number;
  headers?: Record<string, string | string[]>;
  cookies?: string[];
  body?: string | Uint8Array;
  [RESPONSE]?: true;
}

/** A status, or status, headers and cookies to add to a helper's response. */
export type ResponseInit = number | { status?: number; headers?: Record<string, string | string[]>; cookies?: string[] };

function build(status: number, type: string | undefined, body: string | Uint8Array | undefined, init: ResponseInit | undefined): HttpResponse {
  let headers: Record<string, string | string[]> | undefined = type === undefined ? undefined : { "content-type": type };
  let cookies: string[] | undefined;
  if (typeof init === "number") status = init;
  else if (init !== undefined) {
    if (init.status !== undefined) status = init.status;
    if (init.headers !== undefined) headers = headers === undefined ? { ...init.headers } : mergeHeaders(headers, init.headers);
    cookies = init.cookies;
  }
  const res: HttpResponse = { [RESPONSE]: true, status, headers, body };
  if (cookies !== undefined) res.cookies = cookies;
  return res;
}

// A user's "Content-Type" replaces our default "content-type" instead of standing beside it.
function mergeHeaders(base: Record<string, string | string[]>, extra: Record<string, string | string[]>): Record<string, string | string[]> {
  for (const name in extra) {
    const lower = name.toLowerCase();
    for (const existing in base) if (existing !== name && existing.toLowerCase() === lower) delete base[existing];
    base[name] = extra[name]!;
  }
  return base;
}

/**
 * A JSON response (`application/json; charset=utf-8`).
 * @example json({ id: "e-1" }, 201)
 */
export function json(data: unknown, init?: ResponseInit): HttpResponse {
  return build(200, "application/json; charset=utf-8", JSON.stringify(data) ?? "null", init);
}

/**
 * A plain-text response (`text/plain; charset=utf-8`).
 * @example text("pong")
 */
export function text(s: string, init?: ResponseInit): HttpResponse {
  return build(200, "text/plain; charset=utf-8", s, init);
}

/**
 * An HTML response (`text/html; charset=utf-8`).
 * @example html("<h1>Hi</h1>")
 */
export function html(s: string, init?: ResponseInit): HttpResponse {
  return build(200, "text/html; charset=utf-8", s, init);
}

/**
 * A binary response; the adapter sends it base64-encoded.
 * @example binary(pdfBytes, "application/pdf")
 */
export function binary(bytes: Uint8Array, contentType: string, init?: ResponseInit): HttpResponse {
  return build(200, contentType, bytes, init);
}

/**
 * A redirect with a `Location` header.
 * @example redirect("/exams/e-1", 303)
 */
export function redirect(location: string, status = 302, init?: ResponseInit): HttpResponse {
  const res = build(status, undefined, undefined, init);
  // The location argument wins over any case variant in init.headers.
  res.headers = mergeHeaders({ ...res.headers }, { location });
  return res;
}

/**
 * A response without a body.
 * @example empty() // 204
 */
export function empty(status = 204, init?: ResponseInit): HttpResponse {
  return build(status, undefined, undefined, init);
}

/**
 * Turns whatever a handler returned into an {@link HttpResponse}: a marked response as is, a string as
 * text, bytes as octet-stream, `undefined`/`null` as 204, anything else as 200 JSON.
 * @example toResponse({ ok: true }).status // 200
 */
export function toResponse(value: unknown): HttpResponse {
  if (value === undefined || value === null) return { [RESPONSE]: true, status: 204 };
  if (typeof value === "object") {
    if ((value as HttpResponse)[RESPONSE] === true) return value as HttpResponse;
    if (value instanceof Uint8Array) return build(200, "application/octet-stream", value, undefined);
    if (value instanceof ArrayBuffer) return build(200, "application/octet-stream", new Uint8Array(value), undefined);
    if (ArrayBuffer.isView(value)) return build(200, "application/octet-stream", new Uint8Array(value.buffer, value.byteOffset, value.byteLength), undefined);
    return json(value);
  }
  if (typeof value === "string") return text(value);
  return json(value);
}

/**
 * True when a response is already marked as one.
 * @example isResponse(json(1)) // true
 */
export function isResponse(value: unknown): value is HttpResponse {
  return typeof value === "object" && value !== null && (value as HttpResponse)[RESPONSE] === true;
}
