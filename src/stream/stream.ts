import type { HttpRequest } from "../lib/request.ts";
import { empty, type HttpResponse, type ResponseInit } from "../lib/response.ts";

/**
 * What a streamed body yields: text (sent as UTF-8) or bytes. A Node `Readable` yields Buffers.
 * @example const chunk: StreamChunk = new TextEncoder().encode("é") // or the string "é": both go out as UTF-8
 */
export type StreamChunk = string | Uint8Array;

/**
 * A streamed body: anything `for await` accepts, e.g. an async generator or a Node `Readable`.
 * @example const body: StreamBody = ["id,score\n", new TextEncoder().encode("e-1,9\n")] // an array is iterable too
 */
export type StreamBody = AsyncIterable<StreamChunk> | Iterable<StreamChunk>;

// The body lives under a symbol, not in `body`: middleware that reads `body` (compress, a user's own)
// sees a response with nothing buffered and leaves it alone, and HEAD's `{ ...res, body: undefined }`
// (router) keeps it, so the handler can still release the producer. Symbol.for: one key even if two
// copies of the library end up in a bundle.
const STREAM: unique symbol = Symbol.for("lambdalith.stream") as never;
const STREAMING: unique symbol = Symbol.for("lambdalith.streaming") as never;

/**
 * A response whose body is produced while it is sent.
 * @example
 * const res: StreamResponse = stream(["a\n", "b\n"])
 * res.status // 200
 */
export type StreamResponse = HttpResponse & { [STREAM]: StreamBody };

/**
 * A response whose body is written chunk by chunk as it is produced (`application/octet-stream` unless
 * `init` names a type). Only {@link streamHandler} sends the body; `handle()` would send the status and
 * headers with an empty body, so an app served by both checks {@link canStream} first.
 * @example
 * async function* rows() { yield "id,score\n"; yield "e-1,9\n" }
 * app.get("/scores.csv", () => stream(rows(), { headers: { "content-type": "text/csv; charset=utf-8" } }))
 */
export function stream(body: StreamBody, init?: ResponseInit): StreamResponse {
  checkIterable(body, "stream(body): body is an async iterable of strings or bytes (a generator, a Readable); use text() for a string");
  return streamResponse(body, init, { "content-type": "application/octet-stream" });
}

/**
 * Throws `message` for what `for await` cannot read, and for a string: iterable too, by character, it would
 * go out as one chunk (or one event) per character.
 * @example checkIterable(events, "sse(events): events is an iterable")
 */
export function checkIterable(body: unknown, message: string): void {
  if (typeof body === "string" || !(body as AsyncIterable<unknown>)?.[Symbol.asyncIterator] && !(body as Iterable<unknown>)?.[Symbol.iterator]) throw new TypeError(message);
}

/** {@link stream} with default headers that `init` may override (sse() uses it); `body` already checked. */
export function streamResponse(body: StreamBody, init: ResponseInit | undefined, defaults: Record<string, string>): StreamResponse {
  const res = empty(200, init) as StreamResponse;
  for (const name in defaults) res.headers![name] ??= defaults[name]!;
  res[STREAM] = body;
  return res;
}

/**
 * The streamed body of a response, if it has one.
 * @example const body = streamBody(res) // undefined for json(), text()…
 */
export function streamBody(res: HttpResponse): StreamBody | undefined {
  return (res as Partial<StreamResponse>)[STREAM];
}

/**
 * True when the handler serving this request streams (it was made by {@link streamHandler}): an app
 * deployed behind both a buffered and a streaming function answers a streamed route only where it can.
 * @example if (!canStream(req)) throw new HttpError(404, "Served by the streaming API")
 */
export function canStream(req: HttpRequest): boolean {
  return (req as HttpRequest & { [STREAMING]?: true })[STREAMING] === true;
}

/** Marks a request as served by a streaming handler (see {@link canStream}). */
export function markStreaming(req: HttpRequest): void {
  (req as HttpRequest & { [STREAMING]?: true })[STREAMING] = true;
}
