import { statusText } from "./status.ts";
import { RESPONSE, type HttpResponse } from "./response.ts";

/** Options of an {@link HttpError}: response headers, RFC 9457 `type`/`title`, and any extension members. */
export interface HttpErrorOptions {
  headers?: Record<string, string | string[]>;
  type?: string;
  title?: string;
  [extension: string]: unknown;
}

/**
 * An error that becomes an `application/problem+json` response (RFC 9457). A status outside 400–599
 * becomes 500.
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

  constructor(status: number, detail?: string, { headers, type, title, ...extensions }: HttpErrorOptions = {}) {
    // An HttpError is an answer, not a bug: skip the stack capture, which costs microseconds (bench: peers, 404).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    status = Number.isInteger(status) && status >= 400 && status < 600 ? status : 500;
    super(detail ?? statusText(status));
    Error.stackTraceLimit = limit;
    this.name = "HttpError";
    this.status = status;
    this.detail = detail;
    this.headers = headers;
    this.type = type ?? "about:blank";
    this.title = title ?? statusText(status);
    this.extensions = extensions;
  }
}

/**
 * The problem+json response for an error; `requestId` lets a user quote the failing call to support.
 * Extension members never overwrite the standard ones.
 * @example problem(new HttpError(400, "Bad cursor"), "req-1").status // 400
 */
export function problem(err: HttpError, requestId: string | undefined): HttpResponse {
  const { type, title, status, detail } = err;
  const headers: Record<string, string | string[]> = {};
  for (const name in err.headers) headers[name.toLowerCase()] = err.headers[name]!;
  // The body is problem JSON whatever the error's headers say about content type.
  headers["content-type"] = "application/problem+json";
  const body: Record<string, unknown> = { type, title, status, detail, requestId };
  for (const key in err.extensions) if (!(key in body)) body[key] = err.extensions[key];
  return { [RESPONSE]: true, status, headers, body: JSON.stringify(body) };
}
