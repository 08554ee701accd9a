import { kindOf } from "../lib/event-fields.ts";
import type { ResponseInit } from "../lib/response.ts";
import { checkIterable, streamResponse, type StreamResponse } from "./stream.ts";

/**
 * One server-sent event: a string is its data; `data` that is not a string is sent as JSON. `event` and
 * `id` name the event and its position (what `Last-Event-ID` echoes); `retry` is the client's reconnection
 * delay in milliseconds. A `comment` is a line the client ignores: a keep-alive (`{ comment: "ping" }`) for
 * proxies that close a stream idle for long.
 * @example
 * const events: SseEvent[] = ["hello", { event: "score", id: "7", data: { score: 9 } }, { retry: 5000 }, { comment: "ping" }]
 * app.get("/events", () => sse(events))
 */
export type SseEvent = string | { data?: unknown; event?: string | undefined; id?: string | undefined; retry?: number | undefined; comment?: string | undefined };

/**
 * A `text/event-stream` response (`cache-control: no-cache`) that formats each event as it comes, in the
 * WHATWG HTML "server-sent events" wire format.
 * @example
 * async function* ticks() { for (let i = 1; i <= 3; i++) yield { event: "tick", data: { i } } }
 * app.get("/ticks", () => sse(ticks(), { headers: { "x-accel-buffering": "no" } }))
 */
export function sse(events: AsyncIterable<SseEvent> | Iterable<SseEvent>, init?: ResponseInit): StreamResponse {
  // Checked here: the formatted stream wrapped around it is always iterable.
  checkIterable(events, 'sse(events): events is an iterable of events (a generator, a Readable, an array); one string is ["hello"]');
  return streamResponse(formatEvents(events), init, { "content-type": "text/event-stream", "cache-control": "no-cache" });
}

// The caller's events, formatted as they come. A hand-written iterator, not an async generator: a
// generator's return() waits behind its pending next(), so a client leaving during a quiet period would
// not release the caller's source until it produced again (an idle Readable, never). Closing this one
// closes theirs at once: their return(), and destroy() for a Readable.
function formatEvents(events: AsyncIterable<SseEvent> | Iterable<SseEvent>): AsyncIterable<string> & { destroy(): void } {
  let source: AsyncIterator<SseEvent> | Iterator<SseEvent> | undefined;
  let closing: Promise<unknown> | undefined;
  // Once, whoever asks first (release() destroys the body, then returns its iterator).
  const close = () =>
    (closing ??= Promise.resolve()
      .then(() => ((events as { destroy?: () => void }).destroy?.(), source?.return?.()))
      .catch(() => undefined));
  return {
    [Symbol.asyncIterator]: () => {
      source = (events as AsyncIterable<SseEvent>)[Symbol.asyncIterator]?.() ?? (events as Iterable<SseEvent>)[Symbol.iterator]();
      return {
        next: async (): Promise<IteratorResult<string>> => {
          const step = await source!.next();
          // As for-await reads a list of promises.
          return step.done ? { done: true, value: undefined } : { done: false, value: formatEvent(await step.value) };
        },
        return: async (): Promise<IteratorResult<string>> => (await close(), { done: true, value: undefined }),
      };
    },
    destroy: () => void close(),
  };
}

/**
 * One event on the wire: a `:` line per line of the comment, `event:`, `id:`, `retry:`, one `data:` line per
 * line of data, then a blank line. A named event without data gets an empty `data:` line: a client
 * dispatches no event that has none.
 * A CR, LF or NUL in `event` or `id`, a `retry` that is not a whole number, `data` without a JSON form (a
 * function, a symbol), or an event that is neither a string nor an object (bytes, a number, a list) throws: they
 * would forge fields, be ignored by the client or go out as a blank line or as "undefined".
 * @example formatEvent({ event: "row", data: "a\nb" }) // "event: row\ndata: a\ndata: b\n\n"
 */
export function formatEvent(event: SseEvent): string {
  // A byte stream given as the events (a file, stdout) has chunks cut anywhere: they are no events.
  if (typeof event !== "string" && (typeof event !== "object" || event === null || Array.isArray(event) || ArrayBuffer.isView(event))) {
    throw new TypeError(`sse: an event is a string or { data, event?, id?, retry?, comment? }, not ${ArrayBuffer.isView(event) ? "bytes" : kindOf(event)}`);
  }
  const { data, event: name, id, retry, comment } = typeof event === "string" ? { data: event } : event;
  let out = "";
  // Each line its own comment: a line break in it can never start a field.
  if (comment !== undefined) for (const line of lines(String(comment))) out += line === "" ? ":\n" : `: ${line}\n`;
  if (name !== undefined) out += `event: ${field("event", name)}\n`;
  if (id !== undefined) out += `id: ${field("id", id)}\n`;
  if (retry !== undefined) {
    // Digits only: 1e21 would print as "1e+21", which the client ignores.
    if (!Number.isSafeInteger(retry) || retry < 0) throw new TypeError(`sse: retry is ${retry}, not a whole number of milliseconds`);
    out += `retry: ${retry}\n`;
  }
  if (data !== undefined || name !== undefined) {
    const text = typeof data === "string" ? data : data === undefined ? "" : JSON.stringify(data);
    // A function or a symbol has no JSON form: sent, it read "data: undefined".
    if (text === undefined) throw new TypeError(`sse: data is ${kindOf(data)}, which has no JSON form`);
    // The client splits data on CRLF, CR and LF alike and joins the data lines with LF.
    for (const line of lines(text)) out += `data: ${line}\n`;
  }
  return out + "\n";
}

const lines = (text: string): string[] => text.split(/\r\n|\r|\n/);

function field(name: string, value: string): string {
  if (/[\r\n\0]/.test(String(value))) throw new TypeError(`sse: the ${name} field has CR, LF or NUL`);
  return value;
}
