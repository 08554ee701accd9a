import { HttpError, problem } from "./error.ts";
import { logJson } from "./log.ts";
import type { HttpRequest } from "./request.ts";
import { toResponse, type HttpResponse } from "./response.ts";

/**
 * Turns an error into a response; `undefined` means "not mine": the enclosing one (a router group's goes on to
 * the outer group's, then the app's) or else the default answer applies.
 * @example
 * class QuotaError extends Error {}
 * const onError: OnError = (err) => (err instanceof QuotaError ? json({ retry: true }, 429) : undefined)
 */
export type OnError = ((error: unknown, request: HttpRequest) => unknown) | undefined;

/**
 * The response for an error, never a rejection: `onError`'s if it returns one (plain data keeps the error's
 * status), an `HttpError`'s problem+json (logged when it is a 5xx), else a logged 500 problem carrying only
 * the request id.
 * @example (await errorResponse(new HttpError(404, "No exam e-1"), req)).status // 404
 */
export function errorResponse(err: unknown, req: HttpRequest, onError?: OnError): Promise<HttpResponse> {
  return answerError(err, req, onError);
}

/**
 * {@link errorResponse} for the library's own callers; with `passOn` (a router group's onError), what
 * `onError` does not answer rejects instead, for the enclosing group's or the app's. Not exported by the
 * package: its public face never rejects.
 * @example await answerError(err, req, groupOnError, true) // rejects with err when groupOnError returns nothing
 */
export async function answerError(err: unknown, req: HttpRequest, onError?: OnError, passOn?: boolean): Promise<HttpResponse> {
  try {
    const out = await onError?.(err, req);
    if (out != null) {
      // Normalized like a handler's answer (text stays text, bytes stay bytes, a Map is a logged 500), with
      // the error's status unless onError chose one.
      const res = toResponse(out);
      if (res !== out) res.status = err instanceof HttpError ? err.status : 500;
      return res;
    }
  } catch (inner) {
    err = inner;
  }
  // "Not mine" from a group: the enclosing group's or the app's onError decides (the router settles it again).
  if (passOn) throw err;
  let answer: HttpResponse | undefined;
  try {
    // A 4xx is the client's to fix: nothing to log. A 5xx is ours (a thrown 503, a 500 for a status out of
    // range): without a line here, an operator would see it in API Gateway's metrics and nowhere else.
    if (err instanceof HttpError && (answer = problem(err, req.requestId)).status < 500) return answer;
  } catch (inner) {
    // An extension JSON cannot hold (a BigInt, a cycle) or a Proxy that throws when read: a logged 500, as a
    // handler's answer that cannot be sent is. A rejection would reach Lambda: API Gateway's bare 502.
    err = inner;
  }
  logJson({ level: "error", message: "unhandled error", ...requestFields(req) }, err);
  return answer ?? problem(new HttpError(500, "An unexpected error occurred. Quote the request id when reporting it."), req.requestId);
}

/**
 * What ties a log line to its request: the source's request id, Lambda's own (where one process serves
 * several invocations at once, on Lambda Managed Instances, their lines interleave in one stream), the
 * method, path and route.
 * @example logJson({ level: "error", message: "streamed response failed", ...requestFields(req) }, err)
 */
export function requestFields(req: HttpRequest): Record<string, unknown> {
  return { requestId: req.requestId, lambdaRequestId: req.context?.awsRequestId, method: req.method, path: req.path, route: req.route };
}
