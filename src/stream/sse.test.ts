import { describe, expect, it, vi } from "vitest";
import { formatEvent, sse } from "./sse.ts";
import { streamBody } from "./stream.ts";

// What an EventSource dispatches for a text, by the WHATWG HTML "interpreting an event stream" steps: lines
// end at CRLF, CR or LF; a blank line dispatches, unless no data line came (then nothing fires).
function dispatched(text: string): Array<{ type: string; data: string }> {
  const fired: Array<{ type: string; data: string }> = [];
  let data = "";
  let type = "";
  for (const line of text.split(/\r\n|\r|\n/).slice(0, -1)) {
    if (line === "") {
      if (data !== "") fired.push({ type: type || "message", data: data.slice(0, -1) });
      data = type = "";
      continue;
    }
    const colon = line.indexOf(":");
    const name = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (name === "data") data += value + "\n";
    else if (name === "event") type = value;
  }
  return fired;
}

describe("server-sent events wire format", () => {
  it("a string is one event's data; each line of multi-line data (LF, CRLF or CR) gets its own data: line", () => {
    expect(formatEvent("hi")).toBe("data: hi\n\n");
    expect(formatEvent("a\nb\r\nc\rd")).toBe("data: a\ndata: b\ndata: c\ndata: d\n\n");
    expect(formatEvent("")).toBe("data: \n\n");
  });

  it("event, id and retry come before the data, in that order; data that is not a string is JSON", () => {
    expect(formatEvent({ data: { a: [1] }, id: "7", event: "update", retry: 2500 })).toBe('event: update\nid: 7\nretry: 2500\ndata: {"a":[1]}\n\n');
    expect(formatEvent({ retry: 0 })).toBe("retry: 0\n\n");
  });

  it("a comment is a line the client ignores (a keep-alive through proxies that close idle streams); each of its lines starts with a colon, so none forges a field", () => {
    expect(formatEvent({ comment: "keep-alive" })).toBe(": keep-alive\n\n");
    expect(formatEvent({ comment: "two\ndata: forged", event: "x", data: 1 })).toBe(": two\n: data: forged\nevent: x\ndata: 1\n\n");
    expect(formatEvent({ comment: "" })).toBe(":\n\n");
  });

  it("a named event without data still fires its listener (was: 'event: done' alone, which a client never dispatches); an id or retry alone still fires nothing", () => {
    expect(dispatched(formatEvent({ event: "done" }))).toEqual([{ type: "done", data: "" }]);
    expect(dispatched(formatEvent({ event: "done", id: "9" }))).toEqual([{ type: "done", data: "" }]);
    expect(dispatched(formatEvent({ id: "9" }) + formatEvent({ retry: 10 }) + formatEvent({ comment: "ping" }))).toEqual([]);
    expect(dispatched(formatEvent({ event: "row", data: "a\r\nb" }) + formatEvent(""))).toEqual([
      { type: "row", data: "a\nb" },
      { type: "message", data: "" },
    ]);
  });

  it("refuses an event that is neither a string nor an event object, naming it (was: bytes, a number, a list sent as a blank line, the data lost; null a destructuring TypeError)", () => {
    expect(() => formatEvent(Buffer.from("data: hi\n\n") as never)).toThrow(/sse: an event is a string or \{ data, event\?, id\?, retry\?, comment\? \}, not bytes/);
    expect(() => formatEvent(5 as never)).toThrow(/not a number/);
    expect(() => formatEvent([1] as never)).toThrow(/not a list/);
    expect(() => formatEvent(null as never)).toThrow(/not null/);
  });

  it("refuses data without a JSON form, naming its kind (was: a function or symbol sent as 'data: undefined'); null and false are JSON", () => {
    expect(() => formatEvent({ data: () => 1 })).toThrow("sse: data is a function, which has no JSON form");
    expect(() => formatEvent({ event: "x", data: Symbol("s") })).toThrow("sse: data is a symbol, which has no JSON form");
    expect(formatEvent({ data: null })).toBe("data: null\n\n");
    expect(formatEvent({ data: false })).toBe("data: false\n\n");
  });

  it("refuses a CR, LF or NUL in event or id (it would forge fields) and a retry that is not a whole number", () => {
    expect(() => formatEvent({ event: "a\ndata: forged", data: "x" })).toThrow(/event field/);
    expect(() => formatEvent({ id: "1\r2" })).toThrow(/id field/);
    expect(() => formatEvent({ id: "1\u00002" })).toThrow(/id field/);
    expect(() => formatEvent({ retry: 1.5 })).toThrow(/retry/);
    expect(() => formatEvent({ retry: -1 })).toThrow(/retry/);
    // Digits only: it would print as "1e+21", which the client ignores (was: sent).
    expect(() => formatEvent({ retry: 1e21 })).toThrow(/retry/);
  });

  it("sse() is a text/event-stream, no-cache stream response; init may override or add headers", async () => {
    const res = sse(["a", { data: "b", id: "2" }], { status: 200, headers: { "Cache-Control": "no-store" } });
    expect(res.headers).toEqual({ "content-type": "text/event-stream", "cache-control": "no-store" });
    const chunks: string[] = [];
    for await (const chunk of streamBody(res) as AsyncIterable<string>) chunks.push(chunk);
    expect(chunks).toEqual(["data: a\n\n", "id: 2\ndata: b\n\n"]);
  });

  it("refuses a string (it would send one event per character) and what is not iterable, when called, as stream() does (was: five events for sse('hello'))", () => {
    expect(() => sse("hello" as never)).toThrow(/sse\(events\).*\["hello"\]/);
    expect(() => sse({} as never)).toThrow(/sse\(events\): events is an iterable/);
    expect(() => sse(undefined as never)).toThrow(/sse\(events\)/);
  });

  it("closing the formatted stream closes the caller's iterator (client gone → producer stopped)", async () => {
    let closed = false;
    async function* ticks() {
      try {
        for (;;) yield "tick";
      } finally {
        closed = true;
      }
    }
    const iterator = (streamBody(sse(ticks())) as AsyncIterable<string>)[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.return?.();
    expect(closed).toBe(true);
  });
});

// Pinned by hand mutation testing: each case below let a mutant of sse.ts pass every other test.
describe("sse(): edges pinned by mutation testing", () => {
  const formatted = async (events: Iterable<unknown> | AsyncIterable<unknown>) => {
    const chunks: string[] = [];
    for await (const chunk of streamBody(sse(events as never)) as AsyncIterable<string>) chunks.push(chunk);
    return chunks;
  };

  it("a list of promised events is read as for-await reads it: each event awaited", async () => {
    expect(await formatted([Promise.resolve("a"), Promise.resolve({ data: 1 })])).toEqual(["data: a\n\n", "data: 1\n\n"]);
  });

  it("closing the formatted stream twice (destroy, then return) closes the caller's iterator once; a rejecting return() is swallowed", async () => {
    const returned = vi.fn(async () => ({ done: true as const, value: undefined }));
    const body = streamBody(sse({ [Symbol.asyncIterator]: () => ({ next: async () => ({ done: false as const, value: "x" }), return: returned }) })) as AsyncIterable<string> & { destroy(): void };
    const iterator = body[Symbol.asyncIterator]();
    await iterator.next();
    body.destroy();
    await iterator.return?.();
    expect(returned).toHaveBeenCalledTimes(1);
    const failing = streamBody(sse({ [Symbol.asyncIterator]: () => ({ next: async () => ({ done: false as const, value: "x" }), return: () => Promise.reject(new Error("close failed")) }) })) as AsyncIterable<string> & { destroy(): void };
    const it2 = failing[Symbol.asyncIterator]();
    await it2.next();
    failing.destroy();
    await expect(it2.return?.()).resolves.toEqual({ done: true, value: undefined });
  });
  it("an empty id is sent (it resets the client's last event id); an empty event name is sent too", () => {
    expect(formatEvent({ id: "", data: "x" })).toBe("id: \ndata: x\n\n");
    expect(formatEvent({ event: "", data: "x" })).toBe("event: \ndata: x\n\n");
  });
});
