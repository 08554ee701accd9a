// What the Lambda Node.js runtime gives a response-streaming handler, emulated for tests and the dev server.
// Read from aws/aws-lambda-nodejs-runtime-interface-client (src/UserFunction.js, src/ResponseStream.js,
// src/HttpResponseStream.js), reproduced in behaviour, not copied:
// - `awslambda` is a global set before the handler's module loads; `streamifyResponse(handler)` marks the
//   handler with Symbol.for("aws.lambda.runtime.handler.streaming") = "response" and returns it.
// - The stream is a Writable whose content type can be set until the first write (then it throws).
// - `HttpResponseStream.from(stream, prelude)` sets the content type
//   `application/vnd.awslambda.http-integration-response` and arranges for JSON.stringify(prelude) and then
//   8 NUL bytes to be written just before the first `write()`'s chunk. `end(chunk)` does not trigger it.
// - A chunk that is neither a string, a Buffer nor exactly a Uint8Array is sent JSON-encoded.
// - A handler that rejects after its first write: the runtime ends the stream with error trailers
//   (ResponseStream.js `fail`), the function error Lambda reports. `destroy()` on the stream instead resets
//   the runtime's HTTP request to the Runtime API: a promise of the runtime's own (headersDone) rejects
//   unhandled, and the runtime's unhandledRejection handler exits the process (128). Here, invokeStreaming
//   and the dev server cut the client's transfer in both cases.
import { Writable } from "node:stream";

export const STREAMING_MARKER = Symbol.for("aws.lambda.runtime.handler.streaming");
export const PRELUDE_CONTENT_TYPE = "application/vnd.awslambda.http-integration-response";
const DELIMITER_LENGTH = 8;

/** The emulated response stream: a Writable with the runtime's `setContentType`. */
export interface EmulatedResponseStream extends Writable {
  setContentType(contentType: string): void;
  readonly contentType: string;
  _onBeforeFirstWrite?: ((write: (chunk: string | Uint8Array) => void) => void) | undefined;
}

type Handler = ((...args: any[]) => unknown) & { [STREAMING_MARKER]?: string };

/**
 * Marks a handler as streaming, as the runtime's `awslambda.streamifyResponse` does.
 * @example const handler = streamifyResponse(async (event, stream) => stream.end())
 */
export function streamifyResponse<H extends Handler>(handler: H): H {
  handler[STREAMING_MARKER] = "response";
  return handler;
}

/**
 * True for a handler the runtime would invoke with a response stream.
 * @example isStreamingHandler(streamHandler(app)) // true once the global is installed
 */
export function isStreamingHandler(handler: unknown): boolean {
  return typeof handler === "function" && (handler as Handler)[STREAMING_MARKER] === "response";
}

/** The runtime's `awslambda.HttpResponseStream`. */
export const HttpResponseStream = {
  from(stream: EmulatedResponseStream, prelude: unknown): EmulatedResponseStream {
    stream.setContentType(PRELUDE_CONTENT_TYPE);
    const metadata = JSON.stringify(prelude);
    stream._onBeforeFirstWrite = (write) => {
      write(metadata);
      write(new Uint8Array(DELIMITER_LENGTH));
    };
    return stream;
  },
};

type AwsLambdaGlobal = { streamifyResponse?: unknown; HttpResponseStream?: unknown };

/**
 * Installs the `awslambda` global's streaming functions (what the runtime does before loading a handler);
 * returns a function that restores what was there. The AWS SDK v3 (@aws/lambda-invoke-store) creates the
 * global as `{}` when it loads and keeps its InvokeStore on it: an existing object is extended, not replaced.
 * @example const uninstall = installAwsLambdaGlobal()
 */
export function installAwsLambdaGlobal(): () => void {
  const g = globalThis as { awslambda?: AwsLambdaGlobal };
  const existed = g.awslambda !== undefined;
  const target = (g.awslambda ??= {});
  const previous = { streamifyResponse: target.streamifyResponse, HttpResponseStream: target.HttpResponseStream };
  Object.assign(target, { streamifyResponse, HttpResponseStream });
  return () => {
    if (!existed) delete g.awslambda;
    else Object.assign(target, previous);
  };
}

/**
 * Installs the `awslambda` streaming functions unless they are there (the dev server's runtime, for the
 * process's life).
 * @example ensureAwsLambdaGlobal(); const { handler } = await import(bundle)
 */
export function ensureAwsLambdaGlobal(): void {
  if (typeof (globalThis as { awslambda?: AwsLambdaGlobal }).awslambda?.streamifyResponse !== "function") installAwsLambdaGlobal();
}

/**
 * A response stream delivering each chunk (the prelude's writes included) to `sink`; `write()` returns
 * false past `highWaterMark` buffered bytes until the sink has caught up (`sink` may return a promise).
 * @example const out = createResponseStream({ sink: (chunk) => void chunks.push(chunk) })
 */
export function createResponseStream(options: { sink: (chunk: Buffer) => void | Promise<void>; highWaterMark?: number }): EmulatedResponseStream {
  let started = false;
  let contentType = "application/octet-stream";
  const stream = new Writable({
    highWaterMark: options.highWaterMark ?? 16 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      Promise.resolve()
        .then(() => options.sink(chunk))
        .then(() => callback(), callback);
    },
  }) as EmulatedResponseStream;
  const write = stream.write.bind(stream) as (chunk: unknown, encoding?: unknown, callback?: unknown) => boolean;
  stream.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
    if (typeof chunk !== "string" && !Buffer.isBuffer(chunk) && (chunk as object | null)?.constructor !== Uint8Array) chunk = JSON.stringify(chunk);
    if (!started) {
      started = true;
      stream._onBeforeFirstWrite?.((c) => write(c));
    }
    return write(chunk, encoding, callback);
  }) as Writable["write"];
  stream.setContentType = (type: string) => {
    if (started) throw new Error("Cannot set content-type, too late.");
    contentType = type;
  };
  Object.defineProperty(stream, "contentType", { get: () => contentType });
  return stream;
}

/** A streamed response as the client side of Lambda sees it. */
export interface StreamedResponse {
  contentType: string;
  /** The prelude, when the handler used HttpResponseStream.from and wrote at least once. */
  prelude: { statusCode?: number; headers?: Record<string, string>; multiValueHeaders?: Record<string, string[]>; cookies?: string[] } | undefined;
  /** Everything after the prelude and its delimiter. */
  body: Buffer;
  /** Every byte written, as written. */
  raw: Buffer;
}

/**
 * Splits what a streaming handler wrote into prelude, delimiter and body: the JSON prelude ends at the
 * first run of 8 NUL bytes (JSON text never contains NUL).
 * @example parseStreamed(Buffer.concat(chunks), out.contentType).prelude?.statusCode
 */
export function parseStreamed(raw: Buffer, contentType: string): StreamedResponse {
  if (contentType !== PRELUDE_CONTENT_TYPE) return { contentType, prelude: undefined, body: raw, raw };
  const at = raw.indexOf(Buffer.alloc(DELIMITER_LENGTH));
  if (at < 0) return { contentType, prelude: undefined, body: Buffer.alloc(0), raw };
  return { contentType, prelude: JSON.parse(raw.subarray(0, at).toString("utf8")), body: raw.subarray(at + DELIMITER_LENGTH), raw };
}

/** One chunk the sink received, and when (ms, `performance.now()`). */
export interface RecordedChunk {
  at: number;
  bytes: Buffer;
}

/**
 * Invokes a streaming handler the way the runtime does, recording every chunk with its time; resolves
 * when the handler has returned and the stream has finished (or closed). `finished` is false for a stream
 * cut before its end (destroyed, or the handler rejected after its first write: what it wrote is kept),
 * and `error` says why when something did: the stream's error or the rejection. A rejection before the first write, or after the end,
 * is a function error: it rejects, as before.
 * @example const { prelude, body, chunks, finished } = await invokeStreaming(handler, event)
 */
export async function invokeStreaming(
  handler: (event: unknown, stream: EmulatedResponseStream, context: unknown) => unknown,
  event: unknown,
  options: { context?: unknown; highWaterMark?: number; sink?: (chunk: Buffer) => void | Promise<void> } = {},
): Promise<StreamedResponse & { chunks: RecordedChunk[]; ends: number; destroyed: boolean; finished: boolean; error: unknown }> {
  const chunks: RecordedChunk[] = [];
  const stream = createResponseStream({
    ...(options.highWaterMark !== undefined ? { highWaterMark: options.highWaterMark } : {}),
    sink: (bytes) => {
      chunks.push({ at: performance.now(), bytes });
      return options.sink?.(bytes);
    },
  });
  let ends = 0;
  const end = stream.end.bind(stream) as (...args: unknown[]) => Writable;
  stream.end = ((...args: unknown[]) => (ends++, end(...args))) as EmulatedResponseStream["end"];
  let finished = false;
  let error: unknown;
  const done = new Promise<void>((resolve) => {
    stream.once("finish", () => ((finished = true), resolve()));
    stream.once("close", resolve);
  });
  // destroy(err) with no listener would be an uncaught exception; here it is why the stream was cut.
  stream.once("error", (err) => (error ??= err));
  let cut = false;
  try {
    await handler(event, stream, options.context ?? { awsRequestId: "lambda-request-id" });
  } catch (err) {
    // Once the client has bytes, the runtime cannot turn them into a function error: it ends the stream (what
    // was written still goes out, then its error trailers) and the client's transfer is cut after it.
    if ((chunks.length === 0 && stream.writableLength === 0) || stream.writableEnded) throw err;
    error ??= err;
    cut = true;
    if (!stream.destroyed) end();
  }
  await done;
  return { ...parseStreamed(Buffer.concat(chunks.map((c) => c.bytes)), stream.contentType), chunks, ends, destroyed: stream.destroyed, finished: finished && !cut, error };
}
