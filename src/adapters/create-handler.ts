import { answerError, type OnError } from "../lib/error-response.ts";
import { HttpError } from "../lib/error.ts";
import { Request, type HttpRequest, type LambdaContext } from "../lib/request.ts";
import type { HttpResponse } from "../lib/response.ts";
import { DISPATCH, settle } from "../lib/settle.ts";
import { detectAdapter, unknownEvent } from "./detect.ts";
import type { Adapter, AdapterOptions } from "./types.ts";

/**
 * An app: a function of the request, or an object with a `handle(req)` method (a router).
 * @example
 * const app: App = (req) => ({ hello: req.path })
 * export const handler = handle(app)
 */
export type App = ((req: HttpRequest) => unknown) | { handle(req: HttpRequest): unknown };

/**
 * Options of {@link handle}.
 * @example export const handler = handle(app, { maxBodyBytes: 1_000_000, fallback: () => ({ warm: true }) })
 */
export interface HandlerOptions extends AdapterOptions {
  /** Turns an error escaping the app into a response (default: problem+json, 500 for unknown errors). */
  onError?: OnError | undefined;
  /** A body over this many bytes (measured before decoding) is answered with a 413 problem, unread; NaN refuses every request. */
  maxBodyBytes?: number | undefined;
  /** Answers events no adapter accepts (warmers, queues); default: throw an error naming the event's keys. */
  fallback?: ((event: unknown, context: LambdaContext | undefined) => unknown) | undefined;
}

/**
 * Options of {@link createHandler}: the adapters are required, so a bundle carries only those.
 * @example const options: CreateHandlerOptions = { adapters: [httpApiV2, alb], basePath: "/v1" }
 */
export interface CreateHandlerOptions extends HandlerOptions {
  adapters: readonly Adapter[];
}

/**
 * The Lambda handler: an async function of the event and context.
 * @example
 * const handler: LambdaHandler = handle(app)
 * const result = await handler(event, context)
 */
export type LambdaHandler = (event: any, context?: any) => Promise<any>;

/**
 * Turns an app into a Lambda handler for the adapters given (and only those).
 * @example export const handler = createHandler(app, { adapters: [httpApiV2] })
 */
export function createHandler(app: App, options: CreateHandlerOptions): LambdaHandler {
  const adapters = options?.adapters;
  const run = appRunner(app);
  if (!adapters?.length || typeof run !== "function") throw new TypeError("createHandler(app, { adapters }): app is a function or a router, adapters a non-empty list");

  return async (event: any, context?: LambdaContext): Promise<unknown> => {
    const adapter = detectAdapter(event, adapters);
    if (!adapter) {
      if (options.fallback) return options.fallback(event, context);
      // The opt-in sources are the likely miss: name them, not only fallback (for warmers, queues).
      throw unknownEvent(event, adapters, "", " Add its adapter (vpcLattice, lambdaEdge…) to adapters, or a fallback option.");
    }
    const req = adapter.request(event, context, options);
    const res = answer(run, req, options);
    // A synchronous answer is shaped at once: awaiting it would cost every invocation a turn (bench: peers).
    return res instanceof Promise ? res.then((out) => shape(adapter, out, req, options)) : shape(adapter, res, req, options);
  };
}

// The adapter's result for a response; a response it cannot send (a bad status, a header with CR/LF)
// becomes the 500 errorResponse makes.
function shape(adapter: Adapter, res: HttpResponse, req: HttpRequest, options: HandlerOptions): unknown {
  try {
    return adapter.result(res, req, options);
  } catch (err) {
    return answerError(err, req).then((out) => adapter.result(out, req, options));
  }
}

/**
 * The app as a function of the request: a router's `handle`, which carries its synchronous dispatch (see
 * `answer`), else a `handle` method bound to its object, else the app itself; undefined for anything else.
 * @example const run = appRunner(router().get("/", () => "hi"))
 */
export function appRunner(app: App): ((req: HttpRequest) => unknown) | undefined {
  return typeof app === "function" ? app : (app?.handle as Dispatching | undefined)?.[DISPATCH] ? app.handle : app?.handle?.bind(app);
}

// A router's handle, with the dispatch that answers synchronously when every layer does.
type Dispatching = { [DISPATCH]?: (req: HttpRequest) => HttpResponse | Promise<HttpResponse> };

/**
 * The app's answer to a request, never a rejection: the `maxBodyBytes` limit checked before anything is
 * read, then the app, whatever it returned as a response, errors as `errorResponse` makes them.
 * @example const res = await answer(run, req, options)
 */
export function answer(run: (req: HttpRequest) => unknown, req: HttpRequest, options: HandlerOptions): HttpResponse | Promise<HttpResponse> {
  try {
    // Measuring may throw too: Lambda@Edge's body says so when CloudFront truncated it (a 413). Written to
    // fail closed: a limit that is no number (NaN from an unset environment variable) refuses every body.
    if (options.maxBodyBytes !== undefined && !(Request.bodyLength(req as Request) <= options.maxBodyBytes)) throw new HttpError(413, `The request body is over ${options.maxBodyBytes} bytes.`);
    // A router's dispatch settles its own answer (its onError, a problem for the rest) and never rejects:
    // settling it again cost every invocation a layer (bench: peers). No promise of its own either, when
    // every layer answers synchronously.
    const dispatch = (run as Dispatching)[DISPATCH];
    return dispatch ? dispatch(req) : settle(run, req, undefined, options.onError);
  } catch (err) {
    return answerError(err, req, options.onError);
  }
}
