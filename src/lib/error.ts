import { STATUS_TEXT } from "./status.ts";
import { PROBLEM_TYPE, respond, type HttpResponse } from "./response.ts";

/**
 * Options of an {@link HttpError}: response headers, RFC 9457 `type`/`title`, and any extension members.
 * @example throw new HttpError(429, "Slow down", { headers: { "retry-after": "30" }, type: "https://exambuddy.app/problems/rate-limit", limit: 100 })
 */
export interface HttpErrorOptions {
  headers?: Record<string, string | string[]> | undefined;
  type?: string | undefined;
  title?: string | undefined;
  [extension: string]: unknown;
}

// One key for every copy of the library in a process: the ESM and the CommonJS build of the package can
// both be loaded, and an error thrown through one must still be an HttpError to the other.
const BRAND = Symbol.for("lambdalith.http-error");

/**
 * An error that becomes an `application/problem+json` response (RFC 9457). A status outside 400–599
 * (or not an integer) becomes 500. The title is the status phrase unless given; a status without one in
 * the small table (418, 451…) has no title rather than a made-up one.
 * @example throw new HttpError(404, "No exam e-1", { examId: "e-1" })
 * @example throw new HttpError(503, "Busy", { headers: { "retry-after": "1" } })
 */
export class HttpError extends Error {
  declare readonly status: number;
  declare readonly detail: string | undefined;
  declare readonly headers: Record<string, string | string[]> | undefined;
  declare readonly type: string;
  /** The problem's title: the status phrase unless given; undefined (left out) for a status without one in our table. */
  declare readonly title: string | undefined;
  declare readonly extensions: Record<string, unknown>;

  constructor(status: number, detail?: string, { headers, type = "about:blank", title, ...extensions }: HttpErrorOptions = {}) {
    // An HttpError is an answer, not a bug: skip the stack capture, which costs microseconds (bench: peers, 404).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    status = Number.isInteger(status) && status >= 400 && status < 600 ? status : 500;
    // No phrase in the table (418, 451…): no title rather than "Unknown" (RFC 9457 §4.2.1: about:blank's
    // title is the status phrase), and an empty message.
    const phrase = STATUS_TEXT[status];
    // Restored even when the message cannot become a string (a Symbol, a null-prototype object): the limit
    // is the process's, and every later error of every request in it would lose its stack.
    try {
      super(detail ?? phrase);
    } finally {
      Error.stackTraceLimit = limit;
    }
    // Plain stores in one order, not Object.assign on an Error: less than half the cost (bench: peers). The
    // fields are declared only (no class field initializer to compile and run before these stores).
    this.status = status;
    this.detail = detail;
    this.headers = headers;
    this.type = type;
    this.title = title ?? phrase;
    this.extensions = extensions;
  }

  // On the prototype, not stored on every error.
  override get name(): string {
    return "HttpError";
  }
  // Internal (stripped from the .d.ts): each build declares its own BRAND symbol, so a public member keyed
  // by it would make the ESM and the CommonJS HttpError two incompatible types.
  /** @internal */
  get [BRAND](): true {
    return true;
  }

  /**
   * `instanceof HttpError` holds for an HttpError of any copy of lambdalith; a subclass checks as usual.
   * @example new HttpError(404) instanceof HttpError // true
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return this === HttpError ? (value as { [BRAND]?: unknown } | null | undefined)?.[BRAND] === true : super[Symbol.hasInstance](value);
  }
}

/**
 * The problem+json response for an error; `requestId` lets a user quote the failing call to support.
 * Extension members never overwrite the standard ones; the content type is problem JSON whatever the
 * error's headers say. `head` is the body before the request id (`problemHead`): an answer given again
 * and again (the router's 404) computes it once (bench: peers, 404).
 * @example problem(new HttpError(400, "Bad cursor"), "req-1").status // 400
 */
export function problem(error: HttpError, requestId: string | undefined, head?: string): HttpResponse {
  const body = head === undefined ? JSON.stringify(problemMembers(error, requestId)) : !requestId ? head + "}" : head + ',"requestId":' + JSON.stringify(requestId) + "}";
  const res = respond(error.status, undefined, body, { headers: error.headers });
  res.headers!["content-type"] = PROBLEM_TYPE;
  return res;
}

/**
 * An error's problem JSON up to its closing brace, without the request id (which comes last).
 * @example problemHead(new HttpError(404)) // '{"type":"about:blank","title":"Not Found","status":404'
 */
export function problemHead(error: HttpError): string {
  return JSON.stringify(problemMembers(error)).slice(0, -1);
}

// The standard members, the extensions that collide with none of them, then the request id (an undefined
// one is left out of the JSON).
function problemMembers({ type, title, status, detail, extensions }: HttpError, requestId?: string): Record<string, unknown> {
  const members: Record<string, unknown> = { type, title, status, detail };
  for (const key in extensions) if (!(key in members) && key !== "requestId") members[key] = extensions[key];
  members["requestId"] = requestId || undefined;
  return members;
}
