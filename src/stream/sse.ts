import type { ResponseInit } from "../lib/response.ts";
import { streamResponse, type StreamResponse } from "./stream.ts";

/**
 * One server-sent event: a string is its data; `data` that is not a string is sent as JSON. `event` and
 * `id` name the event and its position (what `Last-Event-ID` echoes); `retry` is the client's reconnection
 * delay in milliseconds.
 */
export type SseEvent = string | { data?: unknown; event?: string; id?: string; retry?: number };

/**
 * A `text/event-stream` response (`cache-control: no-cache`) that formats each event as it comes, in the
 * WHATWG HTML "server-sent events" wire format.
 * @example return sse(ticks(), { headers: { "x-accel-buffering": "no" } })
 */
export function sse(events: AsyncIterable<SseEvent> | Iterable<SseEvent>, init?: ResponseInit): StreamResponse {
  return streamResponse(formatEvents(events), init, { "content-type": "text/event-stream", "cache-control": "no-cache" });
}

// A generator over the caller's events: closing it (client gone) closes theirs too (for-await calls
// return() on the iterator it leaves early).
async function* formatEvents(events: AsyncIterable<SseEvent> | Iterable<SseEvent>): AsyncGenerator<string> {
  for await (const event of events) yield formatEvent(event);
}

/**
 * One event on the wire: `event:`, `id:`, `retry:`, one `data:` line per line of data, then a blank line.
 * A CR, LF or NUL in `event` or `id`, or a `retry` that is not a whole number, throws: they would forge
 * fields or be ignored by the client.
 * @example formatEvent({ event: "row", data: "a\nb" }) // "event: row\ndata: a\ndata: b\n\n"
 */
export function formatEvent(event: SseEvent): string {
  const { data, event: name, id, retry } = typeof event === "string" ? { data: event } : event;
  let out = "";
  if (name !== undefined) out += `event: ${field("event", name)}\n`;
  if (id !== undefined) out += `id: ${field("id", id)}\n`;
  if (retry !== undefined) {
    if (!Number.isInteger(retry) || retry < 0) throw new TypeError(`sse: retry is ${retry}, not a whole number of milliseconds`);
    out += `retry: ${retry}\n`;
  }
  if (data !== undefined) {
    // The client splits data on CRLF, CR and LF alike and joins the data lines with LF.
    for (const line of (typeof data === "string" ? data : String(JSON.stringify(data))).split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  }
  return out + "\n";
}

function field(name: string, value: string): string {
  if (/[\r\n\0]/.test(String(value))) throw new TypeError(`sse: the ${name} field has CR, LF or NUL`);
  return value;
}
