import { apiGatewayV1 } from "../adapters/api-gateway-v1.ts";
import { answer, appRunner, type App, type HandlerOptions } from "../adapters/create-handler.ts";
import { detectAdapter, unknownEvent } from "../adapters/detect.ts";
import { functionUrl } from "../adapters/function-url.ts";
import type { Adapter } from "../adapters/types.ts";
import { answerError, type OnError } from "../lib/error-response.ts";
import type { HttpRequest, LambdaContext } from "../lib/request.ts";
import type { HttpResponse } from "../lib/response.ts";
import { awsLambdaGlobal, type AwsLambdaGlobal, type ResponseStream, type StreamPrelude } from "./runtime.ts";
import { markStreaming, streamBody, type StreamChunk } from "./stream.ts";
import { checkedChunk, GONE, release, watchClient, writeStreamed, writeWhole } from "./write-body.ts";

/**
 * Options of {@link streamHandler}: the buffered handler's, without `fallback` (a stream is HTTP only).
 * @example export const handler = streamHandler(app, { adapters: [functionUrl], maxBodyBytes: 1_000_000 })
 */
export interface StreamHandlerOptions extends Omit<HandlerOptions, "fallback"> {
  /**
   * The sources that can invoke a streaming function; default `[functionUrl, apiGatewayV1]`. An adapter of a
   * source that cannot (`httpApiV2`, `alb`, `vpcLattice`, `lambdaEdge`; so `defaultAdapters` too) throws.
   */
  adapters?: readonly Adapter[] | undefined;
}

/**
 * Options of {@link createStreamHandler}: the adapters are required, so a bundle carries only those.
 * @example const options: CreateStreamHandlerOptions = { adapters: [apiGatewayV1], basePath: "/v1" }
 */
export interface CreateStreamHandlerOptions extends StreamHandlerOptions {
  adapters: readonly Adapter[];
}

/**
 * A response-streaming Lambda handler: the runtime passes the event, a writable stream and the context.
 * @example export const handler: StreamingHandler = streamHandler(app) // the runtime calls (event, responseStream, context)
 */
export type StreamingHandler = (event: any, responseStream: ResponseStream, context?: any) => Promise<void>;

// Only these two invoke a function with InvokeWithResponseStream: Function URLs with InvokeMode
// RESPONSE_STREAM, REST APIs with responseTransferMode STREAM. HTTP APIs and ALBs cannot.
const STREAMING_SOURCES: readonly Adapter[] = [functionUrl, apiGatewayV1];
const BUFFERED_SOURCES = ["http-api-v2", "alb", "vpc-lattice", "lambda-edge"];

/**
 * The Lambda handler for response streaming (Function URLs with `InvokeMode: RESPONSE_STREAM`, REST APIs
 * with `responseTransferMode: STREAM`). Ordinary responses are written whole; `stream()` and `sse()`
 * bodies chunk by chunk as they are produced. Outside Lambda (no `awslambda` global) it can be created and
 * exported; invoking it throws an error saying what is missing.
 * @example export const handler = streamHandler(app)
 */
export function streamHandler(app: App, options: StreamHandlerOptions = {}): StreamingHandler {
  return createStreamHandler(app, { ...options, adapters: options.adapters ?? STREAMING_SOURCES });
}

/**
 * {@link streamHandler} for the adapters given and only those (it imports none: a bundle pinned to
 * `functionUrl` carries no REST adapter). An adapter of a source that cannot invoke a streaming function
 * (`httpApiV2`, `alb`, `vpcLattice`, `lambdaEdge`) throws here, when the handler is created.
 * @example export const handler = createStreamHandler(app, { adapters: [functionUrl] })
 */
export function createStreamHandler(app: App, options: CreateStreamHandlerOptions): StreamingHandler {
  const adapters = options?.adapters ?? [];
  const run = appRunner(app);
  if (!adapters.length || typeof run !== "function") throw new TypeError("streamHandler(app, { adapters }): app is a function or a router, adapters a non-empty list");
  // They invoke with Invoke, not InvokeWithResponseStream: their events would get a prelude and 8 NULs they
  // cannot read. (apiGatewayV1 also reads HTTP API payload 1.0: that event is refused when it comes.)
  const buffered = adapters.find((adapter) => BUFFERED_SOURCES.includes(adapter.name));
  if (buffered) throw new TypeError(`streamHandler(app, { adapters }): ${buffered.name} cannot invoke a streaming function (Function URLs and REST APIs can); serve it with handle(app)`);

  const handler: StreamingHandler = async (event, responseStream, context?: LambdaContext) => {
    const runtime = awsLambdaGlobal();
    if (!runtime || typeof responseStream?.write !== "function") {
      throw new Error("lambdalith streamHandler: no response stream. It runs in the Lambda Node.js runtime (the awslambda global, a function configured for response streaming) or the dev server, which emulates it; use handle(app) for buffered responses.");
    }
    // apiGatewayV1 also reads an HTTP API's payload 1.0, which says `version: "1.0"` (REST events carry no
    // version): taken for REST, it would get a prelude and NULs the HTTP API cannot parse (a bare 500).
    const adapter = event?.version === "1.0" ? undefined : detectAdapter(event, adapters);
    if (!adapter) {
      throw unknownEvent(event, adapters, " streamHandler", " HTTP APIs and ALBs cannot invoke a streaming function: serve them with handle(app).");
    }
    const req = adapter.request(event, context, options);
    markStreaming(req);
    await send(runtime, responseStream, await answer(run, req, options), req, adapter, options);
  };
  // The runtime decides how to call the handler from the marker streamifyResponse puts on it, right after
  // loading the module (UserFunction.js `_isHandlerStreaming`; Runtime.js picks handleOnceStreaming in its
  // constructor): wrapping at the first invocation would be too late. Outside Lambda there is no global.
  return awsLambdaGlobal()?.streamifyResponse(handler) ?? handler;
}

// Status and headers are checked before anything is written, and a streamed body's first chunk is pulled
// and checked before the prelude: until then an error can still become a problem+json written whole.
async function send(runtime: AwsLambdaGlobal, out: ResponseStream, res: HttpResponse, req: HttpRequest, adapter: Adapter, options: StreamHandlerOptions): Promise<void> {
  const body = streamBody(res);
  const iterator = body && ((body as AsyncIterable<StreamChunk>)[Symbol.asyncIterator]?.() ?? (body as Iterable<StreamChunk>)[Symbol.iterator]());
  const client = watchClient(out);
  let prelude: StreamPrelude;
  let whole: StreamChunk = "";
  let first: IteratorResult<StreamChunk> | typeof GONE | undefined;
  let pulling = false;
  try {
    try {
      prelude = toPrelude(res, req, adapter, options);
      if (hasBody(res.status, req.method)) {
        if (iterator) {
          pulling = true;
          // A client that leaves while the producer is still silent must not keep the invocation waiting.
          first = await Promise.race([iterator.next(), client.left()]);
          if (first !== GONE && !first.done) checkedChunk(first.value);
        } else whole = checkedBody(res.body);
      }
    } catch (err) {
      first = undefined;
      // The producer's error is the app's, for its onError; an answer the source cannot take is not (as
      // the buffered handler shapes results, create-handler.ts shape()).
      ({ prelude, whole } = await problemPrelude(err, req, adapter, options, pulling ? options.onError : undefined));
    }
    // HEAD, 204, 304, an error, a client gone: a producer that will not be read is released (a Readable
    // closes its file); an async generator's return() waits for its pending step, not worth waiting for.
    if (iterator && (!first || first === GONE)) {
      const closing = release(body!, iterator);
      if (first !== GONE) await closing;
    }
    if (first === GONE) return;
    const stream = runtime.HttpResponseStream.from(out, prelude);
    if (first && !first.done) await writeStreamed(stream, body!, iterator!, first, req, client);
    else writeWhole(stream, first || !hasBody(prelude.statusCode, req.method) ? "" : whole);
  } finally {
    client.stop();
  }
}

// The problem for an error before the first byte: onError's answer, else (when that cannot be sent either)
// the default problem.
async function problemPrelude(err: unknown, req: HttpRequest, adapter: Adapter, options: StreamHandlerOptions, onError: OnError): Promise<{ prelude: StreamPrelude; whole: StreamChunk }> {
  let problem = await answerError(err, req, onError);
  try {
    return { prelude: toPrelude(problem, req, adapter, options), whole: checkedBody(problem.body) };
  } catch (inner) {
    problem = await answerError(inner, req);
    return { prelude: toPrelude(problem, req, adapter, options), whole: checkedBody(problem.body) };
  }
}

/**
 * The prelude for a source: its adapter's buffered result without the body. That is where REST and
 * Function URLs differ. Function URL: `{ statusCode, headers, cookies }` (payload 2.0's shape; aws-lambda-go
 * `LambdaFunctionURLStreamingResponse` marshals exactly these). REST: repeated headers and every Set-Cookie
 * in `multiValueHeaders`, as in a buffered REST result and in AWS's REST streaming example; its streaming
 * format also lists `cookies` (aws-lambda-go `APIGatewayProxyStreamingResponse`), which we leave unused so a
 * cookie is never given twice. Bodies are raw bytes on both: no base64, no `isBase64Encoded`.
 */
function toPrelude(res: HttpResponse, req: HttpRequest, adapter: Adapter, options: StreamHandlerOptions): StreamPrelude {
  const { body: _body, isBase64Encoded: _base64, ...prelude } = adapter.result({ ...res, body: undefined }, req, options) as StreamPrelude & { body?: unknown; isBase64Encoded?: unknown };
  return prelude;
}

// The statuses and method that never carry a body (as toResult decides for buffered results).
function hasBody(status: number, method: string): boolean {
  return method !== "HEAD" && status >= 200 && status !== 204 && status !== 205 && status !== 304;
}

function checkedBody(body: unknown): StreamChunk {
  if (body == null) return "";
  if (typeof body !== "string" && !(body instanceof Uint8Array)) throw new TypeError(`response body is ${typeof body}, not a string or Uint8Array`);
  return body;
}
