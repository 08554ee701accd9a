import { HttpError, problem } from "./error.ts";
import { errorFields, logJson } from "./log.ts";
import type { HttpRequest } from "./request.ts";
import { isResponse, json, type HttpResponse } from "./response.ts";

/**
 * The response for an error: the `onError` option's if it returns one (`undefined` passes), an `HttpError`'s
 * problem+json, else a 500
 * problem carrying only the request id (the stack goes to the log, never to the client).
 * @example const res = await errorResponse(err, req, options)
 */
export async function errorResponse(err: unknown, req: HttpRequest, options: { onError?: ((error: unknown, request: HttpRequest) => unknown) | undefined }): Promise<HttpResponse> {
  if (options.onError !== undefined) {
    try {
      const out = await options.onError(err, req);
      // `undefined` means "not mine": the default answer applies. Plain data keeps the error's status.
      if (out !== undefined && out !== null) return isResponse(out) ? out : json(out, err instanceof HttpError ? err.status : 500);
    } catch (inner) {
      err = inner;
    }
  }
  if (err instanceof HttpError) return problem(err, req.requestId);
  logJson({ level: "error", message: "unhandled error", requestId: req.requestId, method: req.method, path: req.path, ...errorFields(err) });
  return problem(new HttpError(500, "An unexpected error occurred. Quote the request id when reporting it."), req.requestId);
}
