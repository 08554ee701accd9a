// invokeStream: what a client of a streaming function receives, from a router or an exported streamHandler,
// with the runtime's rules checked (prelude through HttpResponseStream.from, sent with the first write).
import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { afterEach, describe, expect, it, vi } from "vitest";
import { handle, HttpError, json, router, setCookie, text } from "../index.ts";
import { invokeStream, type InvokeStreamInit } from "./invoke-stream.ts";
import type { AwsLambdaGlobal, ResponseStream } from "./runtime.ts";
import { streamHandler, type StreamingHandler } from "./stream-handler.ts";
import { canStream, stream } from "./stream.ts";
import { sse } from "./sse.ts";

const holder = globalThis as unknown as { awslambda?: Partial<AwsLambdaGlobal> & Record<string, unknown> };
afterEach(() => vi.restoreAllMocks());

async function* ticks(count: number, released?: { done: boolean }) {
  try {
    for (let i = 1; i <= count; i++) yield { event: "tick", data: { i } };
  } finally {
    if (released) released.done = true;
  }
}

const app = router()
  .get("/ticks", (req) => sse(ticks(Number(req.query["n"] ?? 3)), { cookies: [setCookie("seen", "1"), setCookie("b", "2")] }))
  .get("/json", () => json({ ok: true }, { headers: { vary: ["origin", "accept"] } }))
  .post("/echo", (req) => stream([req.text(), "!"], { headers: { "content-type": "text/plain; charset=utf-8" } }))
  .get("/bytes", () => stream([new Uint8Array([0xc3]), new Uint8Array([0xa9, 0x21]), Buffer.from([0xff])]))
  .get("/streaming", (req) => ({ canStream: canStream(req), requestId: req.requestId }))
  .get("/boom", () => {
    throw new Error("secret stack");
  })
  .get("/gone", () => new HttpError(410, "gone"))
  .get("/fails", () =>
    stream(
      (async function* () {
        yield "first,";
        throw new Error("producer broke");
      })(),
    ),
  );

describe("invokeStream: a router through streamHandler, read as the client receives it", () => {
  it("an SSE route: status, headers, Function URL cookies, the body whole and write by write", async () => {
    const res = await invokeStream(app, { path: "/ticks" });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/event-stream");
    expect(res.headers["cache-control"]).toBe("no-cache");
    expect(res.headers["x-request-id"]).toMatch(/\S/);
    expect(res.cookies).toEqual(["seen=1", "b=2"]);
    expect(res.chunks).toEqual([1, 2, 3].map((i) => `event: tick\ndata: {"i":${i}}\n\n`));
    expect(res.body).toBe(res.chunks.join(""));
    expect(res.complete).toBe(true);
    expect(res).not.toHaveProperty("error");
    // Function URLs take Set-Cookie in the prelude's cookies, never in headers.
    expect(res.prelude).toEqual({ statusCode: 200, headers: expect.not.objectContaining({ "set-cookie": expect.anything() }), cookies: ["seen=1", "b=2"] });
  });

  it("REST: the prelude carries repeated headers and Set-Cookie in multiValueHeaders, and no cookies key", async () => {
    const res = await invokeStream(app, { source: "apigw-v1", path: "/ticks?n=1" });
    expect(res.prelude).not.toHaveProperty("cookies");
    expect(res.prelude.multiValueHeaders?.["set-cookie"]).toEqual(["seen=1", "b=2"]);
    expect(res.cookies).toEqual(["seen=1", "b=2"]);
    expect(res.chunks).toEqual(['event: tick\ndata: {"i":1}\n\n']);
    expect((await invokeStream(app, { source: "apigw-v1", path: "/json" })).headers["vary"]).toBe("origin, accept");
  });

  it("an ordinary response is written whole: one chunk, json() reads it", async () => {
    const res = await invokeStream(app, { path: "/json" });
    expect(res.json()).toEqual({ ok: true });
    expect(res.chunks).toEqual(['{"ok":true}']);
    expect(res.headers["vary"]).toBe("origin, accept");
    expect(res.complete).toBe(true);
  });

  it("takes a request body, as JSON or text", async () => {
    expect((await invokeStream(app, { method: "POST", path: "/echo", body: "hi" })).body).toBe("hi!");
    expect((await invokeStream(app, { method: "POST", path: "/echo", json: { a: 1 } })).body).toBe('{"a":1}!');
  });

  it("bytes: the body exact; a character split between two writes is read with the write that completes it", async () => {
    const res = await invokeStream(app, { path: "/bytes" });
    expect([...res.bytes]).toEqual([0xc3, 0xa9, 0x21, 0xff]);
    expect(res.chunks).toEqual(["", "é!", "\ufffd"]);
    expect(res.headers["content-type"]).toBe("application/octet-stream");
  });

  it("HEAD and a 204 send the prelude alone: no chunks, an empty body", async () => {
    const head = await invokeStream(app, { method: "HEAD", path: "/json" });
    expect(head.status).toBe(200);
    expect(head.chunks).toEqual([]);
    expect(head.body).toBe("");
    expect(head.complete).toBe(true);
    const none = await invokeStream(router().get("/", () => undefined), { path: "/" });
    expect([none.status, none.body, none.chunks]).toEqual([204, "", []]);
  });

  it("the app knows it is streamed (canStream) and sees the invocation's request id", async () => {
    const res = await invokeStream(app, { path: "/streaming" });
    expect(res.json()).toEqual({ canStream: true, requestId: res.headers["x-request-id"] });
  });

  it("context: the Lambda context the handler gets (a deadline the route watches)", async () => {
    const deadline = router().get("/left", (req) => stream([String(req.context?.getRemainingTimeInMillis?.()), "|", req.context?.awsRequestId ?? ""]));
    const res = await invokeStream(deadline, { path: "/left", context: { awsRequestId: "fixed-2", getRemainingTimeInMillis: () => 900 } });
    expect(res.body).toBe("900|fixed-2");
    await expect(invokeStream(deadline, { path: "/left", context: 5 as never })).rejects.toThrow(/^invokeStream: context: 5 is not an object/);
  });

  it("errors before the first byte are problem+json written whole; a 404 too", async () => {
    vi.spyOn(process.stdout, "write").mockReturnValue(true);
    const boom = await invokeStream(app, { path: "/boom" });
    expect(boom.status).toBe(500);
    expect(boom.headers["content-type"]).toBe("application/problem+json");
    expect(boom.body).not.toContain("secret stack");
    expect((await invokeStream(app, { path: "/nothing" })).status).toBe(404);
  });

  it("a body failing after its first byte: what was written, complete false, the error (the runtime cuts the transfer)", async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((line) => (lines.push(String(line)), true));
    const res = await invokeStream(app, { path: "/fails" });
    expect(res.status).toBe(200);
    expect(res.body).toBe("first,");
    expect(res.complete).toBe(false);
    expect(res.error).toBeInstanceOf(Error);
    expect(lines.join("")).toContain("streamed response failed after the first byte");
  });

  it("leaveAfter: the client leaves after that many chunks and the producer is released (an endless feed ends)", async () => {
    const released = { done: false };
    const feed = router().get("/feed", () => sse(ticks(Infinity, released)));
    const res = await invokeStream(feed, { path: "/feed", leaveAfter: 2 });
    expect(res.chunks).toHaveLength(2);
    expect(res.complete).toBe(false);
    expect(res).not.toHaveProperty("error");
    expect(released.done).toBe(true);
    // A synchronous producer that never waits ends too.
    function* endless() {
      for (;;) yield "x";
    }
    const sync = await invokeStream(router().get("/", () => stream(endless())), { path: "/", leaveAfter: 3 });
    expect(sync.body).toBe("xxx");
  });

  it("a producer that never waits still lets the event loop turn (writes past the high-water mark wait for drain)", async () => {
    let turns = 0;
    let stop = false;
    const turn = () => void (stop || (turns++, setImmediate(turn)));
    setImmediate(turn);
    function* big() {
      for (let i = 0; i < 64; i++) yield "y".repeat(4096);
    }
    try {
      const res = await invokeStream(router().get("/", () => stream(big())), { path: "/" });
      expect(res.body).toHaveLength(64 * 4096);
      expect(res.complete).toBe(true);
    } finally {
      stop = true;
    }
    expect(turns).toBeGreaterThan(0);
  });

  it("calls may overlap: each reads its own stream, and the global goes back as it was after the last", async () => {
    expect(holder.awslambda).toBeUndefined();
    const [one, two] = await Promise.all([invokeStream(app, { path: "/ticks?n=1" }), invokeStream(app, { path: "/json" })]);
    expect(one.headers["content-type"]).toBe("text/event-stream");
    expect(two.json()).toEqual({ ok: true });
    expect(holder.awslambda).toBeUndefined();
  });

  it("the global stays while any call runs: a handler that waits before reading it still finds it", async () => {
    const inner = streamHandler(app);
    const late: StreamingHandler = async (event, out, context) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return inner(event, out, context);
    };
    const [quick, slow] = await Promise.all([invokeStream(app, { path: "/json" }), invokeStream(late, { path: "/ticks?n=1" })]);
    expect([quick.status, slow.status, slow.chunks.length]).toEqual([200, 200, 1]);
    expect(holder.awslambda).toBeUndefined();
  });

  it("the AWS SDK's awslambda object is extended for the call and given back with its own keys", async () => {
    const store = { id: "invoke-store" };
    holder.awslambda = { InvokeStore: store };
    try {
      expect((await invokeStream(app, { path: "/json" })).status).toBe(200);
      expect(holder.awslambda.InvokeStore).toBe(store);
      // Its keys as they were (was: streamifyResponse and HttpResponseStream left behind as undefined).
      expect(Object.keys(holder.awslambda)).toEqual(["InvokeStore"]);
    } finally {
      delete holder.awslambda;
    }
  });
});

describe("invokeStream: an exported streaming handler", () => {
  it("made at import outside Lambda (no global then), with its options: basePath, onError", async () => {
    const own = (req: { path: string }) => (req.path === "/json" ? json({ ok: true }) : Promise.reject(new Error("escaped")));
    const handler = streamHandler(own, { basePath: "/v1", onError: () => text("handled", 503) });
    expect((await invokeStream(handler, { path: "/v1/json" })).json()).toEqual({ ok: true });
    const handled = await invokeStream(handler, { path: "/v1/boom" });
    expect([handled.status, handled.body]).toEqual([503, "handled"]);
  });

  it("a hand-written handler ending with end(chunk) after its first write: the chunk is the body's last", async () => {
    const handler: StreamingHandler = async (_event, out) => {
      const sent = holder.awslambda!.HttpResponseStream!.from(out, { statusCode: 202, headers: { "content-type": "text/plain" } });
      sent.write("a");
      (sent.end as (chunk: string) => void)("b");
    };
    const res = await invokeStream(handler, { path: "/" });
    expect([res.status, res.body, res.chunks, res.complete]).toEqual([202, "ab", ["a", "b"], true]);
  });

  it("AWS's own example: pipeline() into the stream HttpResponseStream.from gave (was: 'dest.once is not a function', told to pass streamHandler(app))", async () => {
    const handler: StreamingHandler = async (_event, out) => {
      const sent = holder.awslambda!.HttpResponseStream!.from(out, { statusCode: 200, headers: { "content-type": "text/plain" } });
      await pipeline(Readable.from(["Hello ", "world"]), sent as never);
    };
    const res = await invokeStream(handler, { path: "/" });
    expect([res.status, res.body, res.chunks, res.complete]).toEqual([200, "Hello world", ["Hello ", "world"], true]);
  });

  it("the stream is a Writable: write() and end() call their callbacks, and the call returns once it finished (was: never called)", async () => {
    const called: string[] = [];
    const handler: StreamingHandler = async (_event, out) => {
      const sent = holder.awslambda!.HttpResponseStream!.from(out, { statusCode: 200, headers: {} }) as ResponseStream & Writable;
      sent.write("a", () => called.push("write"));
      sent.once("finish", () => called.push("finish"));
      sent.end(() => called.push("end"));
    };
    const res = await invokeStream(handler, { path: "/" });
    expect([res.body, res.complete]).toEqual(["a", true]);
    expect(called).toEqual(expect.arrayContaining(["write", "finish", "end"]));
  });

  it("a rejection before the first write is the function's error: it rejects", async () => {
    await expect(invokeStream(async () => Promise.reject(new RangeError("mine")), { path: "/" })).rejects.toThrow(/^mine$/);
  });

  it("a handler breaking the runtime's rules is a TypeError saying which", async () => {
    const from = (out: ResponseStream) => holder.awslambda!.HttpResponseStream!.from(out, { statusCode: 200, headers: {} });
    const cases: Array<[string, StreamingHandler | ((event: unknown) => unknown), RegExp]> = [
      ["a buffered handler", handle(app) as never, /returned an object instead of writing to the stream.*handle\(\)/],
      ["writes before from()", async (_event, out) => void (out.write("x"), out.end()), /wrote before awslambda\.HttpResponseStream\.from/],
      ["ends without writing", async (_event, out) => void (from(out), out.end()), /ended the stream without writing/],
      ["does nothing", async () => undefined, /wrote nothing/],
      ["writes a Uint16Array", async (_event, out) => void (from(out).write(new Uint16Array([1]) as never), out.end()), /neither a string, a Buffer nor a Uint8Array/],
      ["sets another content type after from()", async (_event, out) => void (from(out), out.setContentType?.("text/plain"), out.write("x"), out.end()), /content type is "text\/plain", not the prelude's/],
      ["end(chunk) before any write()", async (_event, out) => void (from(out), (out.end as (chunk: string) => void)("body")), /end\(chunk\) before any write\(\)/],
      ["writes after end()", async (_event, out) => void (from(out).write("a"), out.end(), out.write("b")), /write\(\) after end\(\)/],
      ["settles without end() (the runtime waits for it until the timeout)", async (_event, out) => void from(out).write("a"), /settled without end\(\).*timeout/],
      ["is not async (the runtime fails it)", ((_event: unknown, out: ResponseStream) => void (from(out).write("a"), out.end())) as never, /returned no promise.*not async/],
      ["end(chunk, callback) (the runtime drops the callback)", async (_event, out) => void (from(out).write("a"), (out.end as (chunk: string, done: () => void) => void)("b", () => undefined)), /end\(chunk, callback\).*never called/],
    ];
    for (const [name, handler, message] of cases) {
      const attempt = invokeStream(handler as StreamingHandler, { path: "/json" });
      await expect(attempt, name).rejects.toThrow(TypeError);
      await expect(attempt, name).rejects.toThrow(message);
    }
    expect(holder.awslambda).toBeUndefined();
  });
});

describe("invokeStream: a function app passed where a streaming handler goes", () => {
  it("fails saying to pass streamHandler(app) (was: 'Cannot read properties of undefined', or 'pass the app', the very thing passed)", async () => {
    vi.spyOn(process.stdout, "write").mockReturnValue(true);
    // It reads the event as a request: a TypeError from inside the app, with the way out appended.
    const reads = (req: { path: string }) => sse([req.path.toUpperCase()]);
    const reading = invokeStream(reads as never, { path: "/ticks" });
    await expect(reading).rejects.toThrow(TypeError);
    await expect(reading).rejects.toThrow(/toUpperCase.*for a function app, pass invokeStream\(streamHandler\(app\), …\)/);
    // It reads nothing and returns its response instead of writing it.
    await expect(invokeStream((() => sse(["x"])) as never, { path: "/" })).rejects.toThrow(/returned an object instead of writing to the stream.*function app.*streamHandler\(app\)/);
    // Through streamHandler it is served.
    expect((await invokeStream(streamHandler(reads), { path: "/ticks" })).body).toBe("data: /TICKS\n\n");
  });
});

describe("invokeStream: arguments it cannot use, named", () => {
  it.each<[string, unknown, unknown, RegExp]>([
    ["a target that is no handler or app", { handle: 5 }, { path: "/" }, /^invokeStream: target: an object is neither a streaming handler nor an app/],
    ["no init", app, undefined, /^invokeStream: init: expected \{ path, … \}, got undefined/],
    ["a source that cannot stream", app, { source: "http-api-v2", path: "/" }, /^invokeStream: source: "http-api-v2" cannot invoke a streaming function.*"function-url" or "apigw-v1"/],
    ["leaveAfter 0", app, { path: "/", leaveAfter: 0 }, /^invokeStream: leaveAfter: 0 is not a whole number of chunks above 0/],
    ["leaveAfter 1.5", app, { path: "/", leaveAfter: 1.5 }, /leaveAfter: 1\.5/],
    ["json and body", app, { path: "/", json: {}, body: "x" }, /^invokeStream: json and body: give one of them/],
    ["a path without /", app, { path: "ticks" }, /path: "ticks" must start with "\/"/],
  ])("%s", async (_name, target, init, message) => {
    await expect(invokeStream(target as never, init as InvokeStreamInit)).rejects.toThrow(message);
    expect(holder.awslambda).toBeUndefined();
  });
});
