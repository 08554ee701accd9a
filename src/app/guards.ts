// Route middleware that runs before a route's input is validated. The router validates a route's schemas when
// it calls the handler, after the route's middleware, so these decide cheaply who may send what before any
// body is parsed against a schema: the role (403), the body's size (413), its JSON (400) and, with one read,
// whether the caller owns the exam or attempt named in the path (404/403). Validation then only ever sees
// bounded bodies from callers allowed to send them.
import { HttpError, type HttpRequest, type Middleware } from "lambdalith";
import { requireRole, user } from "./auth.ts";
import { ownExam, type GetServices } from "./context.ts";
import { ID_PATTERN } from "./ids.ts";
import { MAX_ISSUES } from "./limits.ts";
import type { Role } from "./schemas.ts";
import { getAttempt } from "./store/lazy.ts";
import type { Attempt } from "./store/types.ts";

const ATTEMPT = "exambuddy.attempt";

// application/json and any structured-syntax suffix, as the router's body validation accepts them.
const JSON_TYPE = /^\s*application\/(?:[^;\s]*\+)?json\s*(?:;|$)/i;

/** 403 unless the caller has `role`. */
export function role(required: Role): Middleware {
  return (req, next) => {
    requireRole(req, required);
    return next();
  };
}

/**
 * 413 for a body over `maxBytes`; 400 for a JSON body that does not parse, with a message that never quotes
 * the parser (V8's messages echo the body's text). The parsed value is memoized on the request, so the
 * router's validation reuses it. Other media types pass through (the router answers them with 415).
 */
export function bodyLimit(maxBytes: number): Middleware {
  return (req, next) => {
    const size = req.bytes().length;
    if (size > maxBytes) {
      throw new HttpError(413, `The request body has ${size} bytes; this route takes at most ${maxBytes}.`, { limit: maxBytes });
    }
    const type = req.headers["content-type"];
    if (size > 0 && type !== undefined && JSON_TYPE.test(type)) {
      try {
        req.json();
      } catch {
        throw new HttpError(400, "The request body is not valid JSON.");
      }
    }
    return next();
  };
}

/**
 * The exam in the path must be the caller's (a teacher's own exam: 403 for a student or another teacher's
 * published exam, 404 for a missing exam or another teacher's draft). A malformed id is left to the params
 * schema (422). Whether it is still a draft is the store's concern: its writes are conditioned on it.
 */
export function ownsExam(services: GetServices): Middleware {
  return async (req, next) => {
    const examId = req.params["examId"];
    if (examId === undefined || !ID_PATTERN.test(examId)) return next();
    await ownExam(services().store, user(req), examId);
    return next();
  };
}

/** The attempt in the path must be the caller's own (404 otherwise: another's attempt is not revealed). */
export function ownsAttempt(services: GetServices): Middleware {
  return async (req, next) => {
    const attemptId = req.params["attemptId"];
    if (attemptId === undefined || !ID_PATTERN.test(attemptId)) return next();
    const attempt = await getAttempt(services().store, attemptId);
    if (!attempt || attempt.studentId !== user(req).sub) throw new HttpError(404, `No attempt ${attemptId}`);
    req.state[ATTEMPT] = attempt;
    return next();
  };
}

/** The attempt {@link ownsAttempt} read for this request. */
export function attemptOf(req: HttpRequest): Attempt {
  const attempt = req.state[ATTEMPT] as Attempt | undefined;
  if (attempt === undefined) throw new Error("attemptOf: the route has no ownsAttempt() middleware");
  return attempt;
}

/**
 * A 422 listing at most {@link MAX_ISSUES} issues and counting the rest in `more` (the shape the router's
 * validation problems take), so no input makes the answer grow with the input.
 * @example throw unprocessable("The answer sheet", errors)
 */
export function unprocessable(what: string, errors: { path: string; message: string }[]): HttpError {
  const more = errors.length - MAX_ISSUES;
  return new HttpError(422, `${what} has ${errors.length} invalid value${errors.length === 1 ? "" : "s"}.`, {
    errors: errors.slice(0, MAX_ISSUES),
    ...(more > 0 ? { more } : {}),
  });
}
