import { kindOf } from "../lib/event-fields.ts";
import { requestFields } from "../lib/error-response.ts";
import { logJson } from "../lib/log.ts";
import type { HttpRequest } from "../lib/request.ts";
import type { StreamBody, StreamChunk } from "./stream.ts";
import type { ResponseStream } from "./runtime.ts";

/**
 * Writes a whole body and ends the stream. The runtime sends the prelude and its 8 NUL bytes on the first
 * `write()` and never on `end(chunk)` (ResponseStream.js: `_onBeforeFirstWrite` runs in `write` only), so
 * a body-less response (204, 304, HEAD, a redirect) still writes once, an empty string; without it the
 * client never gets the status (the redirect that hangs, honojs/hono#2401).
 * @example writeWhole(out, "") // prelude only
 */
export function writeWhole(out: ResponseStream, body: StreamChunk): void {
  out.write(toWritable(body));
  out.end();
}

/**
 * Writes a streamed body: `first` (already pulled and checked, so an error before it could still be a
 * problem+json), then each chunk as the iterator yields it, waiting for `drain` whenever `write()` says
 * the buffer is full. If the client goes away (`client`: the stream closed or errored), the producer is
 * stopped with `return()` and the stream is not ended again. A producer error is logged with the request id
 * and rejects (see {@link streamFailed}); otherwise the stream is ended once.
 * @example await writeStreamed(out, body, iterator, first, req, watchClient(out))
 */
export async function writeStreamed(out: ResponseStream, body: StreamBody, iterator: StreamIterator, first: IteratorResult<StreamChunk>, req: HttpRequest, client: Client): Promise<void> {
  let step: IteratorResult<StreamChunk> | typeof GONE = first;
  let failed = false;
  try {
    for (let written = false; !client.gone && step !== GONE && !step.done; written = true) {
      const chunk = checkedChunk(step.value);
      // The first write carries the prelude, even when empty; later empty chunks would be empty frames.
      if ((!written || chunk.length > 0) && !out.write(toWritable(chunk))) await drained(out, client);
      // A producer waiting for its next value (an idle SSE feed) must not outlive a client that left.
      if (!client.gone) step = await Promise.race([iterator.next(), client.left()]);
    }
  } catch (err) {
    failed = true;
    logJson({ level: "error", message: "streamed response failed after the first byte", ...requestFields(req) }, err);
  } finally {
    if (step === GONE || !step.done) {
      // return() of an async generator waits until it yields; do not wait for a client that left.
      const closing = release(body, iterator);
      if (!client.gone) await closing;
    }
    if (!client.gone && !failed) out.end();
  }
  if (failed && !client.gone) throw streamFailed(req);
}

/**
 * The rejection for a body that failed after its first byte, which is how the runtime learns of it: it ends
 * the stream with error trailers (Lambda-Runtime-Function-Error-Type/-Body: the way AWS's custom-runtime page
 * gives for an error after streaming began) and counts a function error. Ended by us instead, the body would
 * read as whole (a CSV missing its last pages, with a 200). Never `destroy()`: that resets the runtime's own
 * connection to the Runtime API, a rejection the runtime leaves unhandled, and its handler for those exits
 * the process (code 128), ending every invocation it serves. The runtime logs this error and sends it on,
 * so it carries the request id (the logged line has the cause) and neither the app's message nor a stack.
 * @example throw streamFailed(req)
 */
export function streamFailed(req: HttpRequest): Error {
  const error = new Error(`lambdalith: the streamed response failed after its first byte; the cause is logged with requestId ${req.requestId}`);
  error.stack = `Error: ${error.message}`;
  return error;
}

/** Whether the client is still there: the response stream has not closed or errored. */
export interface Client {
  readonly gone: boolean;
  /** Settles with `GONE` when the client goes; a fresh promise per wait, so a long stream holds none of them. */
  left(): Promise<typeof GONE>;
  /** Stops watching. */
  stop(): void;
}

/**
 * Watches a response stream for the client going away, from before the first chunk is pulled (a client may
 * leave while the producer is still silent). Each wait gets its own promise: racing one promise that stays
 * pending for the whole stream would keep a reaction per chunk alive until the end (nodejs/node#17469).
 * @example const client = watchClient(out); await Promise.race([iterator.next(), client.left()])
 */
export function watchClient(out: ResponseStream): Client {
  let wake: (() => void) | undefined;
  const onGone = () => {
    client.gone = true;
    wake?.();
  };
  const client = {
    // A stream destroyed before we looked (a client that left during the app's own work).
    gone: (out as { destroyed?: boolean }).destroyed === true,
    left: () => (client.gone ? Promise.resolve(GONE) : new Promise<typeof GONE>((resolve) => (wake = () => resolve(GONE)))),
    stop() {
      out.off("close", onGone);
      out.off("error", onGone);
    },
  };
  out.on("close", onGone);
  out.on("error", onGone);
  return client;
}

/**
 * A chunk the runtime can send as it is: text or bytes; anything else throws, naming what it was.
 * @example checkedChunk("data: 1\n\n")
 */
export function checkedChunk(chunk: unknown): StreamChunk {
  if (typeof chunk !== "string" && !(chunk instanceof Uint8Array)) throw new TypeError(`a streamed body yielded ${kindOf(chunk)}, not a string or Uint8Array`);
  return chunk;
}

/** The iterator of a streamed body. */
export type StreamIterator = Iterator<StreamChunk> | AsyncIterator<StreamChunk>;

/**
 * Stops a producer that will not be read to the end: `return()` on its iterator, and `destroy()` on a Node
 * `Readable`, whose iterator (an async generator) would otherwise wait for a pending read, or never close
 * the stream when it was not read at all (a file left open).
 * @example await release(body, iterator)
 */
export function release(body: StreamBody, iterator: StreamIterator): Promise<unknown> {
  const destroy = (body as { destroy?: unknown }).destroy;
  if (typeof destroy === "function") destroy.call(body);
  return Promise.resolve()
    .then(() => iterator.return?.())
    .catch(() => undefined);
}

/** What a wait for the next chunk settles with when the client has gone. */
export const GONE = Symbol();

function drained(out: ResponseStream, client: Client): Promise<unknown> {
  let onDrain!: () => void;
  const drain = new Promise<void>((resolve) => out.on("drain", (onDrain = resolve)));
  return Promise.race([drain, client.left()]).finally(() => out.off("drain", onDrain));
}

// The runtime JSON-encodes a chunk that is neither a string, a Buffer nor exactly a Uint8Array
// (ResponseStream.js `write`): a subclass or view of another kind goes as a Buffer over the same memory.
function toWritable(chunk: StreamChunk): StreamChunk {
  return typeof chunk === "string" || Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
