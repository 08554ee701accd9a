import { answerError, type OnError } from "./error-response.ts";
import type { HttpRequest } from "./request.ts";
import { toResponse, type HttpResponse } from "./response.ts";

/**
 * Where a router's `handle` keeps its dispatch, which answers synchronously when every layer does: the
 * handlers call it instead of `handle`, whose promise would cost each invocation a few hops (bench: peers).
 */
export const DISPATCH = Symbol();

/**
 * Runs a handler or a middleware layer and normalizes what it returns (`toResponse`), an error anywhere
 * becoming `answerError`'s answer (with `passOn`, a group's, which rejects with what it does not answer).
 * A synchronous answer comes back without a promise of ours (bench: peers): the router's onion and the
 * handlers' own call of the app share this one path.
 * @example const res = await settle(app, req, undefined, options.onError)
 */
export function settle(run: (req: HttpRequest, next: () => Promise<HttpResponse>) => unknown, req: HttpRequest, next: (() => Promise<HttpResponse>) | undefined, onError: OnError, passOn?: boolean): HttpResponse | Promise<HttpResponse> {
  const normalize = next ? fromLayer : toResponse;
  try {
    const out = run(req, next!);
    return out instanceof Promise ? out.then(normalize).catch((err) => answerError(err, req, onError, passOn)) : normalize(out);
  } catch (err) {
    return answerError(err, req, onError, passOn);
  }
}

// A middleware that returns nothing has forgotten `return next()`: a handler's 201 would become a silent 204.
function fromLayer(out: unknown): HttpResponse {
  if (out == null) throw new TypeError("a middleware returned nothing (return next())");
  return toResponse(out);
}
