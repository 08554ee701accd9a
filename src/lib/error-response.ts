import { HttpError, problem } from "./error.ts";
import { errorFields, logJson } from "./log.ts";
import type { HttpRequest } from "./request.ts";
import { toResponse, type HttpResponse } from "./response.ts";

/**
 * The response for an error: the `onError` option's if given, an `HttpError`'s problem+json, else a 500
 * problem carrying only the request id (the stack goes to the log, never to the client).
 * @example const res = await errorResponse(err, req, options)
 */
export async function errorResponse(err: unknown, req: HttpRequest, options: { onError?: ((error: unknown, request: HttpRequest) => unknown) | undefined }): Promise<HttpResponse> {
  if (options.onError !== undefined) {
    try {
      return toResponse(await options.onError(err, req));
    } catch (inner) {
      err = inner;
    }
  }
  if (err instanceof HttpError) return problem(err, req.requestId);
  logJson({ level: "error", message: "unhandled error", requestId: req.requestId, method: req.method, path: req.path, ...errorFields(err) });
  return problem(new HttpError(500, "An unexpected error occurred. Quote the request id when reporting it."), req.requestId);
}
