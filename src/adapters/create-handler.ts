import { errorResponse } from "../lib/error-response.ts";
import type { HttpRequest, LambdaContext } from "../lib/request.ts";
import { toResponse, type HttpResponse } from "../lib/response.ts";
import { detectAdapter, unknownEventError } from "./detect.ts";
import type { Adapter, AdapterOptions } from "./types.ts";

/** An app: a function of the request, or an object with a `handle(req)` method (a router). */
export type App = ((req: HttpRequest) => unknown) | { handle(req: HttpRequest): unknown };

/** Options of {@link handle}. */
export interface HandlerOptions extends AdapterOptions {
  /** Turns an error escaping the app into a response (default: problem+json, 500 for unknown errors). */
  onError?: ((error: unknown, request: HttpRequest) => unknown) | undefined;
  /** Answers events no adapter accepts (warmers, queues); default: throw an error naming the event's keys. */
  fallback?: ((event: unknown, context: LambdaContext | undefined) => unknown) | undefined;
}

/** Options of {@link createHandler}: the adapters are required, so a bundle carries only those. */
export interface CreateHandlerOptions extends HandlerOptions {
  adapters: readonly Adapter[];
}

/** The Lambda handler: an async function of the event and context. */
export type LambdaHandler = (event: any, context?: any) => Promise<any>;

/**
 * Turns an app into a Lambda handler for the adapters given (and only those).
 * @example export const handler = createHandler(app, { adapters: [httpApiV2] })
 */
export function createHandler(app: App, options: CreateHandlerOptions): LambdaHandler {
  const adapters = options.adapters;
  if (!Array.isArray(adapters) || adapters.length === 0) throw new TypeError("createHandler: options.adapters must list at least one adapter");
  const run = typeof app === "function" ? app : (req: HttpRequest) => app.handle(req);

  return async function handler(event: unknown, context?: LambdaContext): Promise<unknown> {
    const adapter = detectAdapter(event, adapters);
    if (adapter === undefined) {
      if (options.fallback !== undefined) return options.fallback(event, context);
      throw unknownEventError(event, adapters);
    }
    const req = adapter.request(event, context, options);
    let res: HttpResponse;
    try {
      res = toResponse(await run(req));
    } catch (err) {
      res = await errorResponse(err, req, options);
    }
    try {
      return adapter.result(res, req, options);
    } catch (err) {
      return adapter.result(await errorResponse(err, req, {}), req, options);
    }
  };
}
