// invokeStream: a streamed route tested in one line, through the runtime's side of response streaming
// played here: the `awslambda` global's two functions (streamifyResponse, HttpResponseStream.from) and the
// response stream, with the rules of the Lambda Node.js runtime interface client (src/ResponseStream.js,
// src/HttpResponseStream.js): the prelude is serialized when `from()` is called and goes out with the
// first `write()`, never with `end()`; the content type cannot change after the first write. The stream is a
// Node `Writable`, as the runtime's is (an HTTP request to the Runtime API): `pipeline()`, callbacks, `finish`.
import type { EventSource } from "../adapters/events.ts";
import { shownValue } from "../adapters/event-init.ts";
import type { HttpRequest } from "../lib/request.ts";
import { invokeEvent, readResult, type InvokeInit, type InvokeResponse } from "../testing/invoke.ts";
import type { AwsLambdaGlobal, ResponseStream, StreamPrelude } from "./runtime.ts";
import { streamHandler, type StreamingHandler } from "./stream-handler.ts";

/**
 * The sources that invoke a streaming function: Function URLs (`InvokeMode: RESPONSE_STREAM`) and REST APIs
 * (`responseTransferMode: STREAM`).
 * @example const source: StreamingSource = "apigw-v1"
 */
export type StreamingSource = Extract<EventSource, "function-url" | "apigw-v1">;

/**
 * A request to send through {@link invokeStream}.
 * @example { path: "/ticks", leaveAfter: 3 } // the client reads three chunks, then leaves
 */
export interface InvokeStreamInit extends Omit<InvokeInit, "source"> {
  /** The source to imitate; default `"function-url"`. HTTP APIs and ALBs cannot invoke a streaming function. */
  source?: StreamingSource | undefined;
  /**
   * The client leaves after reading this many chunks of the body (for a stream that never ends, an SSE feed);
   * default: it reads to the end. The stream then closes, as the dev server's does; Lambda's does not (its
   * producer would run to the function's timeout: README "Clients that leave").
   */
  leaveAfter?: number | undefined;
}

/**
 * What a client of the streaming function received.
 * @example
 * const res: InvokeStreamResponse = await invokeStream(app, { path: "/ticks" })
 * res.chunks // ['event: tick\ndata: {"i":1}\n\n', …]: one per write, as they arrived
 */
export interface InvokeStreamResponse extends Omit<InvokeResponse, "result"> {
  /** The body's non-empty writes, each as text (a character split between two writes is read with the write that completes it). */
  chunks: string[];
  /** The prelude as the runtime sent it: `{ statusCode, headers, cookies }` (Function URL) or `{ statusCode, headers, multiValueHeaders }` (REST). */
  prelude: StreamPrelude;
  /** True when the handler ended the stream with its body whole; false when the body failed after its first byte (see `error`) or the client left first. */
  complete: boolean;
  /**
   * The handler's rejection after its first write: the runtime ends the stream (the client's transfer is cut) and
   * counts a function error. streamHandler's names only the request id; the producer's own error is logged with it.
   */
  error?: unknown;
}

/**
 * Calls a router, or the handler {@link streamHandler} made, as the Lambda runtime calls a response-streaming
 * function (outside Lambda: the runtime's `awslambda` global is played for the call), with the event its
 * source sends, and reads back what the client receives: status, headers, cookies, the body whole and write
 * by write. The stream is a Node `Writable` (`pipeline()` into it works, as on Lambda). A rejection before
 * the first write (a function error) rejects; a handler that breaks the runtime's rules (writes without a
 * prelude, ends without writing, settles without ending, is not async, returns a buffered result) throws a
 * TypeError saying so. A function app (`(req) => …`) goes as `invokeStream(streamHandler(app), …)`.
 * @example
 * const app = router().get("/ticks", () => sse([{ event: "tick", data: { i: 1 } }]))
 * const res = await invokeStream(app, { path: "/ticks" })
 * res.body // 'event: tick\ndata: {"i":1}\n\n'
 */
export async function invokeStream(target: { handle(req: HttpRequest): unknown } | StreamingHandler, init: InvokeStreamInit): Promise<InvokeStreamResponse> {
  if (typeof target !== "function" && typeof (target as { handle?: unknown } | null)?.handle !== "function") throw new TypeError(`invokeStream: target: ${target === null || typeof target !== "object" ? String(target) : "an object"} is neither a streaming handler nor an app with handle(req)`);
  const leaveAfter = init?.leaveAfter;
  if (leaveAfter !== undefined && !(Number.isInteger(leaveAfter) && leaveAfter > 0)) throw new TypeError(`invokeStream: leaveAfter: ${shownValue(leaveAfter)} is not a whole number of chunks above 0`);
  const source = init?.source;
  if (source !== undefined && source !== "function-url" && source !== "apigw-v1") throw new TypeError(`invokeStream: source: ${shownValue(source)} cannot invoke a streaming function (Function URLs and REST APIs can): "function-url" or "apigw-v1"`);
  const { event, context } = invokeEvent<StreamingSource>("invokeStream", init as InvokeInit & { source?: StreamingSource }, "function-url");

  // Loaded when called, as compress.ts loads zlib: an app bundle that never calls invokeStream imports nothing.
  const { Writable } = await import("node:stream");
  const client = streamingClient(Writable, leaveAfter);
  const restore = playRuntime();
  let returned: unknown;
  try {
    // Created inside the played runtime, as the module of a deployed function is loaded inside the real one.
    const handler = typeof target === "function" ? target : streamHandler(target);
    const result: unknown = handler(event, client.stream, context);
    // Runtime.js fails an invocation whose handler returns no promise ("Streaming does not support non-async handlers.").
    if (typeof (result as PromiseLike<unknown> | null)?.then !== "function") {
      if (result === undefined) client.broken("the handler returned no promise: the runtime fails a streaming handler that is not async (\"Streaming does not support non-async handlers.\")");
      returned = result;
    } else returned = await result;
  } catch (err) {
    // A function app (`(req) => …`) type-checks where a streaming handler goes but reads the event as a
    // request: its TypeError says what to pass instead, as invoke's does.
    if (!client.wrote() && typeof target === "function" && err instanceof TypeError && err !== client.violation) throw new TypeError(`${err.message} ${FUNCTION_APP}`, { cause: err });
    // Once bytes have gone out the runtime cannot answer with an error: it ends the stream with error trailers.
    if (!client.wrote() || err === client.violation) throw err;
    client.error = err;
  } finally {
    restore();
  }
  await client.finished();
  return client.response(source ?? "function-url", returned);
}

const FUNCTION_APP = "(invokeStream calls a function as a streaming Lambda handler, with the event: for a function app, pass invokeStream(streamHandler(app), …))";

const PRELUDE_TYPE = "application/vnd.awslambda.http-integration-response";

// The prelude HttpResponseStream.from serialized, per stream: calls may overlap, each with its own stream.
const preludes = new WeakMap<ResponseStream, string>();

// The runtime's `awslambda` streaming functions, as the runtime interface client implements them.
const RUNTIME: AwsLambdaGlobal = {
  streamifyResponse: (handler) => handler,
  HttpResponseStream: {
    from(out, metadata) {
      out.setContentType?.(PRELUDE_TYPE);
      // Serialized now, as the runtime does: a later change to the object is not sent.
      preludes.set(out, JSON.stringify(metadata));
      return out;
    },
  },
};

type WriteArgs = [chunk: unknown, encoding?: unknown, callback?: unknown];

// The runtime's side of one invocation, and a client reading the stream as fast as it comes.
function streamingClient(Writable: typeof import("node:stream").Writable, leaveAfter: number | undefined) {
  const body: Uint8Array[] = [];
  let sent = false;
  let ended = false;
  let left = false;
  let contentType = "application/octet-stream";

  // A broken rule of the runtime's is the test's failure, even when the handler caught it or rejected with it.
  const broken = (message: string): never => {
    throw (client.violation ??= new TypeError(`invokeStream: ${message}`));
  };

  // Each write is read one turn later: a producer that never waits still lets timers run, and write() says to
  // wait for drain past the high-water mark (a Writable's default, as the runtime's request has).
  const stream = new Writable({ write: (_chunk, _encoding, done) => void setImmediate(done) }) as InstanceType<typeof Writable> & ResponseStream;
  const write = stream.write.bind(stream) as (...args: WriteArgs) => boolean;
  const end = stream.end.bind(stream) as (callback?: () => void) => unknown;

  // ResponseStream.js `write`: the prelude goes out before the first write, any chunk but text, a Buffer or
  // exactly a Uint8Array as its JSON (a Uint16Array, a subclass of Uint8Array).
  stream.write = ((...args: WriteArgs) => {
    const [chunk, encoding] = args;
    if (ended) broken("write() after end()");
    if (typeof chunk !== "string" && !Buffer.isBuffer(chunk) && (chunk as object | null)?.constructor !== Uint8Array) broken(`write(${shownValue(chunk)}): the runtime sends a chunk that is neither a string, a Buffer nor a Uint8Array as its JSON`);
    if (!sent && !preludes.has(stream)) broken("the handler wrote before awslambda.HttpResponseStream.from(stream, prelude): the client would get no status or headers");
    sent = true;
    // A client that has left reads nothing more; the handler learns of it from the stream's close.
    if (left) return write(...args);
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8") : (chunk as Uint8Array).slice();
    // An empty write (the one that carries the prelude of a body-less answer) reaches the client as nothing.
    if (bytes.byteLength > 0) body.push(bytes);
    if (body.length !== leaveAfter || bytes.byteLength === 0) return write(...args);
    left = true;
    write(...args);
    setImmediate(() => stream.destroy());
    return false;
  }) as never;

  // The runtime's end() is `function (cb) { origEnd(cb) }`: a chunk goes to the request's own end, which writes it
  // without the prelude, and anything after the first argument is dropped.
  stream.end = ((...args: WriteArgs) => {
    const [chunk] = args;
    if (chunk != null && typeof chunk !== "function") {
      if (!sent) broken("end(chunk) before any write(): the runtime sends the prelude with the first write() only, so the client would get the chunk without status or headers");
      if (args.some((arg) => typeof arg === "function")) broken("end(chunk, callback): the runtime's end() passes on its first argument only, so the callback is never called");
      stream.write(chunk);
    }
    ended = true;
    end(typeof chunk === "function" ? (chunk as () => void) : undefined);
    return stream;
  }) as never;

  stream.setContentType = (type) => {
    if (sent) throw new Error("Cannot set content-type, too late.");
    contentType = type;
  };

  const client = {
    stream,
    error: undefined as unknown,
    violation: undefined as TypeError | undefined,
    broken,
    wrote: () => sent,
    // The runtime waits for the request to the Runtime API to finish before it takes the invocation as done.
    finished: () => (ended && !stream.writableFinished && !stream.destroyed ? new Promise((resolve) => stream.once("finish", resolve).once("close", resolve)) : Promise.resolve()),
    response(source: StreamingSource, returned: unknown): InvokeStreamResponse {
      if (client.violation) throw client.violation;
      if (!sent) {
        if (returned !== undefined) throw new TypeError(`invokeStream: the handler returned ${shownValue(returned)} instead of writing to the stream: a buffered handler (from handle()?) or a function app is no streaming handler; pass the router itself, or streamHandler(app)`);
        throw new TypeError(`invokeStream: the handler ${ended ? "ended the stream without writing: the runtime sends the prelude (status, headers) with the first write(), so the client got nothing" : "wrote nothing"}`);
      }
      if (!ended && !left && client.error === undefined) throw new TypeError("invokeStream: the handler settled without end(): the runtime waits for the stream to end, so the invocation would run until the function's timeout");
      if (contentType !== PRELUDE_TYPE) throw new TypeError(`invokeStream: the stream's content type is ${JSON.stringify(contentType)}, not the prelude's: it was set after HttpResponseStream.from`);
      const prelude = JSON.parse(preludes.get(stream)!) as StreamPrelude;
      const bytes = Buffer.concat(body);
      // Read as the source reads its buffered result: the same header and cookie fields.
      const { result: _result, ...read } = readResult({ ...prelude, body: bytes.toString("base64"), isBase64Encoded: true }, source);
      const decoder = new TextDecoder();
      const chunks = body.map((chunk, i) => decoder.decode(chunk, { stream: i < body.length - 1 }));
      return { ...read, prelude, chunks, complete: ended && !left && client.error === undefined, ...(client.error !== undefined ? { error: client.error } : {}) };
    },
  };
  return client;
}

// The `awslambda` global for the length of a call (calls may overlap: the first installs, the last
// restores). The AWS SDK creates the global as `{}` and keeps its own state on it: that object is extended
// and given back as it was, never replaced.
let playing = 0;
let restoreGlobal: (() => void) | undefined;

function playRuntime(): () => void {
  const holder = globalThis as unknown as { awslambda?: Partial<AwsLambdaGlobal> };
  if (playing++ === 0) {
    const existed = holder.awslambda !== undefined;
    const target = (holder.awslambda ??= {});
    // Its own keys only: a key it did not have is deleted again, not left behind as undefined.
    const previous = (["streamifyResponse", "HttpResponseStream"] as const).filter((key) => Object.hasOwn(target, key)).map((key) => [key, target[key]] as const);
    Object.assign(target, RUNTIME);
    restoreGlobal = () => {
      if (!existed) return void delete holder.awslambda;
      delete target.streamifyResponse;
      delete target.HttpResponseStream;
      Object.assign(target, Object.fromEntries(previous));
    };
  }
  return () => {
    if (--playing === 0) restoreGlobal!();
  };
}
