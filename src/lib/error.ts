import { statusText } from "./status.ts";
import type { HttpResponse } from "./response.ts";
import { RESPONSE } from "./response.ts";

/** Options of an {@link HttpError}: response headers, RFC 9457 `type`/`title`, and any extension members. */
export interface HttpErrorOptions {
  headers?: Record<string, string | string[]>;
  type?: string;
  title?: string;
  [extension: string]: unknown;
}

/**
 * An error that becomes an `application/problem+json` response (RFC 9457).
 * @example throw new HttpError(404, "No exam e-1", { examId: "e-1" })
 * @example throw new HttpError(503, "Busy", { headers: { "retry-after": "1" } })
 */
export class HttpError extends Error {
  readonly status: number;
  readonly detail: string | undefined;
  readonly headers: Record<string, string | string[]> | undefined;
  readonly type: string;
  readonly title: string;
  readonly extensions: Record<string, unknown>;

  constructor(status: number, detail?: string, options: HttpErrorOptions = {}) {
    const { headers, type, title, ...extensions } = options;
    const ok = Number.isInteger(status) && status >= 400 && status <= 599;
    // An HttpError is an answer, not a bug: skip the stack capture, which costs microseconds (bench: peers, 404).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(detail ?? statusText(ok ? status : 500));
    Error.stackTraceLimit = limit;
    this.name = "HttpError";
    this.status = ok ? status : 500;
    this.detail = detail;
    this.headers = headers;
    this.type = type ?? "about:blank";
    this.title = title ?? statusText(this.status);
    this.extensions = extensions;
  }
}

/**
 * The problem+json response for an error; `requestId` lets a user quote the failing call to support.
 * @example problem(new HttpError(400, "Bad cursor"), "req-1").status // 400
 */
export function problem(err: HttpError, requestId: string | undefined): HttpResponse {
  const body: Record<string, unknown> = { type: err.type, title: err.title, status: err.status };
  if (err.detail !== undefined) body["detail"] = err.detail;
  if (requestId !== undefined) body["requestId"] = requestId;
  for (const key in err.extensions) {
    if (!(key in body)) body[key] = err.extensions[key];
  }
  // The body is problem JSON whatever the error's headers say about content type.
  const headers: Record<string, string | string[]> = { "content-type": PROBLEM_TYPE };
  if (err.headers !== undefined) for (const name in err.headers) if (name.toLowerCase() !== "content-type") headers[name] = err.headers[name]!;
  return { [RESPONSE]: true, status: err.status, headers, body: JSON.stringify(body) } as HttpResponse;
}

const PROBLEM_TYPE = "application/problem+json";
