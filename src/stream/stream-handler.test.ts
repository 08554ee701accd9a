// streamHandler against an emulation of the Lambda Node.js runtime's streaming globals (src/dev/lambda-runtime.ts,
// behaviour read from aws-lambda-nodejs-runtime-interface-client): prelude, 8 NUL bytes, chunks and their timing.
import { Readable } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { alb, apiGatewayV1, binary, createEvent, defaultAdapters, empty, functionUrl, handle, httpApiV2, lambdaEdge, type EventInit, HttpError, json, redirect, router, setCookie, text, vpcLattice, type HttpRequest } from "../index.ts";
import { createResponseStream, installAwsLambdaGlobal, invokeStreaming, isStreamingHandler, PRELUDE_CONTENT_TYPE, STREAMING_MARKER } from "../dev/lambda-runtime.ts";
import { createStreamHandler, streamHandler } from "./stream-handler.ts";
import { canStream, stream } from "./stream.ts";
import { sse } from "./sse.ts";

type Init = Omit<EventInit, "path">;
const url = (path: string, init: Init = {}) => createEvent("function-url", { ...init, path });
const rest = (path: string, init: Init = {}) => createEvent("apigw-v1", { ...init, path });
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe("outside Lambda (no awslambda global)", () => {
  it("the handler can be created and exported without the runtime, and says what is missing when invoked", async () => {
    expect((globalThis as { awslambda?: unknown }).awslambda).toBeUndefined();
    const handler = streamHandler(() => "ok");
    expect(isStreamingHandler(handler)).toBe(false);
    const out = createResponseStream({ sink: () => {} });
    await expect(handler(url("/"), out)).rejects.toThrow(/Lambda Node\.js runtime.*awslambda global/);
  });

  it("the empty awslambda object the AWS SDK leaves behind (@aws/lambda-invoke-store) is not the runtime", async () => {
    const g = globalThis as { awslambda?: unknown };
    g.awslambda = {};
    try {
      const handler = streamHandler(() => "ok");
      expect(isStreamingHandler(handler)).toBe(false);
      await expect(handler(url("/"), createResponseStream({ sink: () => {} }))).rejects.toThrow(/Lambda Node\.js runtime/);
      // The emulation extends the SDK's object rather than replacing it (the SDK keeps its InvokeStore there).
      const uninstall = installAwsLambdaGlobal();
      expect(g.awslambda).toMatchObject({ streamifyResponse: expect.any(Function) });
      uninstall();
      expect(g.awslambda).toEqual({ streamifyResponse: undefined, HttpResponseStream: undefined });
    } finally {
      delete g.awslambda;
    }
  });

  it("invoked as a buffered handler (the context where the stream should be), it says so too", async () => {
    const uninstall = installAwsLambdaGlobal();
    try {
      await expect(streamHandler(() => "ok")(url("/"), { awsRequestId: "x" } as never)).rejects.toThrow(/no response stream/);
    } finally {
      uninstall();
    }
  });
});

describe("in the Lambda runtime (emulated globals)", () => {
  let uninstall: () => void;
  beforeAll(() => void (uninstall = installAwsLambdaGlobal()));
  afterAll(() => uninstall());
  afterEach(() => vi.restoreAllMocks());

  const cookies = ["a=1; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT", "b=2; Path=/"];
  const app = router()
    .get("/json", () => json({ ok: true }, { cookies, headers: { vary: ["origin", "accept"] } }))
    .get("/none", () => empty(204))
    .get("/moved", () => redirect("/json"))
    .get("/bytes", () => new Uint8Array([0, 1, 2, 255]))
    .get("/can", (req) => ({ canStream: canStream(req) }));

  it("streamifyResponse marks the handler when it is created, as the runtime reads the mark right after loading", () => {
    const handler = streamHandler(app);
    expect((handler as unknown as Record<symbol, unknown>)[STREAMING_MARKER]).toBe("response");
  });

  it("Function URL: JSON prelude, exactly 8 NUL bytes, then the body; Set-Cookie only in the prelude's cookies", async () => {
    const res = await invokeStreaming(streamHandler(app), url("/json"));
    expect(res.contentType).toBe(PRELUDE_CONTENT_TYPE);
    expect(res.prelude).toEqual({ statusCode: 200, headers: { "content-type": "application/json; charset=utf-8", vary: "origin, accept", "x-request-id": expect.any(String) }, cookies });
    const json = Buffer.from(JSON.stringify(res.prelude));
    expect(res.raw.subarray(0, json.length)).toEqual(json);
    expect([...res.raw.subarray(json.length, json.length + 8)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(res.body.toString()).toBe('{"ok":true}');
    // The runtime writes the prelude, the delimiter, then the first chunk, as three writes.
    expect(res.chunks.map((c) => c.bytes.length)).toEqual([json.length, 8, 11]);
    expect(res.ends).toBe(1);
  });

  it("REST: repeated headers and every Set-Cookie in multiValueHeaders (AWS's REST streaming example), never comma-joined", async () => {
    const res = await invokeStreaming(streamHandler(app), rest("/json"));
    expect(res.prelude).toEqual({
      statusCode: 200,
      headers: { "content-type": "application/json; charset=utf-8", "x-request-id": expect.any(String) },
      multiValueHeaders: { vary: ["origin", "accept"], "set-cookie": cookies },
    });
    expect(res.prelude).not.toHaveProperty("cookies");
    expect(res.body.toString()).toBe('{"ok":true}');
  });

  it("body-less responses (204, a redirect, HEAD) still write once, so the prelude goes out", async () => {
    for (const [event, status] of [[url("/none"), 204], [url("/moved"), 302], [rest("/json", { method: "HEAD" }), 200]] as const) {
      const res = await invokeStreaming(streamHandler(app), event);
      expect(res.prelude?.statusCode).toBe(status);
      expect(res.body.length).toBe(0);
      expect(res.ends).toBe(1);
    }
    const head = await invokeStreaming(streamHandler(app), url("/json", { method: "HEAD" }));
    expect(head.prelude?.headers?.["content-type"]).toBe("application/json; charset=utf-8");
  });

  it("bytes are written raw (no base64 when streaming), whatever kind of Uint8Array", async () => {
    class Bytes extends Uint8Array {}
    const res = await invokeStreaming(streamHandler(app), url("/bytes"));
    expect([...res.body]).toEqual([0, 1, 2, 255]);
    const sub = await invokeStreaming(streamHandler(() => stream([new Bytes([9, 8, 7, 6]).subarray(1)])), url("/"));
    expect([...sub.body]).toEqual([8, 7, 6]);
  });

  it("canStream(req) is true under streamHandler, false under handle()", async () => {
    expect(JSON.parse((await invokeStreaming(streamHandler(app), url("/can"))).body.toString())).toEqual({ canStream: true });
    expect(JSON.parse((await handle(app)(url("/can"), { awsRequestId: "x" })).body)).toEqual({ canStream: false });
  });

  it("createStreamHandler serves only the adapters given, and needs at least one", async () => {
    const pinned = createStreamHandler(app, { adapters: [functionUrl] });
    expect((await invokeStreaming(pinned, url("/json"))).prelude?.statusCode).toBe(200);
    await expect(pinned(rest("/json"), createResponseStream({ sink: () => {} }))).rejects.toThrow(/streamHandler: unrecognised event .*supported sources: function-url\. HTTP APIs/);
    expect(() => createStreamHandler(app, { adapters: [] })).toThrow(/adapters a non-empty list/);
  });

  it("refuses, when created, an adapter whose source cannot invoke a streaming function (was: their events answered with a prelude and 8 NULs, which those sources cannot read)", () => {
    for (const adapter of [httpApiV2, alb, vpcLattice, lambdaEdge]) {
      expect(() => createStreamHandler(app, { adapters: [functionUrl, adapter] })).toThrow(new RegExp(`adapters \\}\\): ${adapter.name} cannot invoke a streaming function.*handle\\(app\\)`));
      expect(() => streamHandler(app, { adapters: [adapter] })).toThrow(/cannot invoke a streaming function/);
    }
  });

  it("refuses defaultAdapters (they hold httpApiV2 and alb), as the CHANGELOG's breaking entry says; the two streaming sources are what it takes", () => {
    expect(() => streamHandler(app, { adapters: defaultAdapters })).toThrow(/alb cannot invoke a streaming function/);
    expect(() => streamHandler(app, { adapters: [functionUrl, apiGatewayV1] })).not.toThrow();
  });

  it("maxBodyBytes answers an oversized request body with a 413 problem, as handle() does", async () => {
    const res = await invokeStreaming(streamHandler(app, { maxBodyBytes: 4 }), url("/json", { method: "POST", body: "12345" }));
    expect(res.prelude).toMatchObject({ statusCode: 413, headers: { "content-type": "application/problem+json" } });
  });

  it("an HTTP API's payload 1.0 event is refused like an ALB's or a payload 2.0 one: HTTP APIs cannot invoke a streaming function (was: taken for REST, a prelude the HTTP API cannot parse)", async () => {
    const written: Buffer[] = [];
    const httpApiV1 = { ...rest("/json"), version: "1.0" };
    for (const event of [httpApiV1, createEvent("http-api-v2", { path: "/json" }), createEvent("alb", { path: "/json" })]) {
      await expect(streamHandler(app)(event, createResponseStream({ sink: (bytes) => void written.push(bytes) }))).rejects.toThrow(/HTTP APIs and ALBs cannot invoke a streaming function/);
    }
    expect(written).toEqual([]);
    // A REST event (no `version`) still streams.
    expect((await invokeStreaming(streamHandler(app), rest("/json"))).prelude?.statusCode).toBe(200);
  });

  it("an unknown event is refused, naming the streaming sources", async () => {
    await expect(streamHandler(app)({ Records: [] }, createResponseStream({ sink: () => {} }))).rejects.toThrow(/function-url, apigw-v1/);
  });
});

describe("stream(): chunks as they are produced", () => {
  let uninstall: () => void;
  beforeAll(() => void (uninstall = installAwsLambdaGlobal()));
  afterAll(() => uninstall());
  afterEach(() => vi.restoreAllMocks());

  it("writes the first chunk before the producer has finished (the producer waits for the client to see it)", async () => {
    let seen!: () => void;
    const clientSawFirst = new Promise<void>((resolve) => (seen = resolve));
    let finishedAt = 0;
    async function* rows() {
      yield "row 1\n";
      await clientSawFirst; // a buffering handler never gets here: the test would time out
      yield "row 2\n";
      finishedAt = performance.now();
    }
    const handler = streamHandler(() => stream(rows(), { headers: { "content-type": "text/csv" } }));
    const res = await invokeStreaming(handler, url("/"), { sink: (bytes) => void (bytes.toString() === "row 1\n" && seen()) });
    expect(res.body.toString()).toBe("row 1\nrow 2\n");
    const first = res.chunks.find((c) => c.bytes.toString() === "row 1\n")!;
    expect(first.at).toBeLessThan(finishedAt);
    expect(res.prelude?.headers?.["content-type"]).toBe("text/csv");
    expect(res.ends).toBe(1);
  });

  it("honours backpressure: the producer never runs more than a chunk ahead of a slow client", async () => {
    const chunk = "x".repeat(4096);
    let produced = 0;
    let consumed = 0;
    let ahead = 0;
    async function* big() {
      for (let i = 0; i < 40; i++) {
        produced++;
        ahead = Math.max(ahead, produced - consumed);
        yield chunk;
      }
    }
    const res = await invokeStreaming(streamHandler(() => stream(big())), url("/"), {
      highWaterMark: 4096,
      sink: async (bytes) => {
        if (bytes.length === chunk.length) consumed++;
        await tick();
      },
    });
    expect(res.body.length).toBe(40 * 4096);
    // Without waiting for 'drain' all 40 would be produced before the client read the second.
    expect(ahead).toBeLessThanOrEqual(3);
  });

  it("a Node Readable is a body (Buffers and strings, in order)", async () => {
    const res = await invokeStreaming(streamHandler(() => stream(Readable.from([Buffer.from("a"), "b", new Uint8Array([99])]))), url("/"));
    expect(res.body.toString()).toBe("abc");
    expect(res.prelude?.headers?.["content-type"]).toBe("application/octet-stream");
  });

  it("an error before the first chunk is a problem+json written whole (an HttpError keeps its status)", async () => {
    const log = vi.spyOn(process.stdout, "write").mockReturnValue(true);
    async function* fails(): AsyncGenerator<string> {
      throw new Error("database down: secret detail");
    }
    async function* busy(): AsyncGenerator<string> {
      throw new HttpError(503, "Busy", { headers: { "retry-after": "1" } });
    }
    const res = await invokeStreaming(streamHandler(() => stream(fails())), url("/"));
    expect(res.prelude?.statusCode).toBe(500);
    expect(res.prelude?.headers?.["content-type"]).toBe("application/problem+json");
    expect(JSON.parse(res.body.toString())).toMatchObject({ status: 500, requestId: expect.any(String) });
    expect(res.body.toString()).not.toMatch(/secret|at |stack/);
    expect(log.mock.calls.some(([line]) => String(line).includes("secret detail"))).toBe(true);
    const throttled = await invokeStreaming(streamHandler(() => stream(busy())), url("/"));
    expect(throttled.prelude).toMatchObject({ statusCode: 503, headers: { "retry-after": "1" } });
  });

  it.each([
    ["an HttpError with a circular extension", () => new HttpError(409, "taken", { cycle: ((c: Record<string, unknown>) => ((c["self"] = c), c))({}) })],
    ["a null-prototype object", () => Object.create(null)],
  ])("%s thrown by the app or before the first chunk is a logged 500 problem written whole (was: the streaming handler rejected, nothing written)", async (_name, make) => {
    vi.spyOn(process.stdout, "write").mockReturnValue(true);
    async function* fails(): AsyncGenerator<string> {
      throw make();
    }
    const apps = [
      () => {
        throw make();
      },
      () => stream(fails()),
    ];
    for (const app of apps) {
      const res = await invokeStreaming(streamHandler(app), url("/", { requestId: "req-7" } as never));
      expect(res.prelude).toMatchObject({ statusCode: 500, headers: { "content-type": "application/problem+json" } });
      expect(JSON.parse(res.body.toString())).toMatchObject({ status: 500, requestId: "req-7" });
    }
  });

  it("a first chunk that is neither text nor bytes is a 500 problem written whole, the producer released (was: no prelude at all)", async () => {
    vi.spyOn(process.stdout, "write").mockReturnValue(true);
    let closed = false;
    async function* objects() {
      try {
        yield { secret: "token" } as unknown as string;
        yield "never";
      } finally {
        closed = true;
      }
    }
    const res = await invokeStreaming(streamHandler(() => stream(objects())), url("/"));
    expect(res.prelude).toMatchObject({ statusCode: 500, headers: { "content-type": "application/problem+json" } });
    expect(res.body.toString()).not.toContain("token");
    expect(res.ends).toBe(1);
    expect(closed).toBe(true);
  });

  it("an onError answer the source cannot take falls back to the default problem; onError is asked once (was: a rejection, nothing written)", async () => {
    vi.spyOn(process.stdout, "write").mockReturnValue(true);
    const seen: string[] = [];
    const onError = (err: unknown) => (seen.push((err as Error).message), json({ busy: true }, { status: 503, headers: { "retry-after": "1\r\n2" } }));
    const failing = () => {
      throw new Error("db down");
    };
    const res = await invokeStreaming(streamHandler(failing, { onError }), url("/"));
    expect(res.prelude).toMatchObject({ statusCode: 500, headers: { "content-type": "application/problem+json" } });
    expect(seen).toEqual(["db down"]);
  });

  it("an error mid-stream fails the invocation (the handler rejects: the runtime ends its stream with error trailers) and never destroys the runtime's stream (was: destroy(), which resets the runtime's connection to the Runtime API; the runtime's unhandled rejection then exits the process, code 128); logged with the request id, no stack or app message in the rejection", async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((line) => (lines.push(String(line)), true));
    async function* breaks() {
      yield "row 1\n";
      throw new Error("lost the connection to the database");
    }
    const handler = streamHandler(() => stream(breaks()));
    const chunks: Buffer[] = [];
    const out = createResponseStream({ sink: (bytes) => void chunks.push(bytes) });
    const destroy = vi.spyOn(out, "destroy");
    const failure = await handler(url("/", { requestId: "req-42" } as never), out, { awsRequestId: "lambda-42" }).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(destroy).not.toHaveBeenCalled();
    // Left open for the runtime, which adds its error trailers and ends it (Runtime.js handleOnceStreaming).
    expect(out.writableEnded).toBe(false);
    expect(failure).toBeInstanceOf(Error);
    expect(failure!.message).toMatch(/failed after its first byte/);
    // What the runtime sends on as the invocation's error: no detail of the app's, no stack frames.
    expect(`${failure!.message}\n${failure!.stack}`).not.toMatch(/database|\bat /);
    await tick();
    const logged = lines.map((l) => JSON.parse(l)).find((l) => l.message.includes("after the first byte"));
    expect(logged).toMatchObject({ level: "error", lambdaRequestId: "lambda-42", errorMessage: "lost the connection to the database", stack: expect.stringContaining("Error") });
    const prelude = JSON.parse(Buffer.concat(chunks).toString().split("\0")[0]!);
    expect(logged.requestId).toBe(prelude.headers["x-request-id"]);
    expect(failure!.message).toContain(logged.requestId);
    // As the client sees it (the emulated runtime cuts a stream whose handler failed after the first byte).
    const res = await invokeStreaming(handler, url("/"));
    expect(res.prelude?.statusCode).toBe(200);
    expect(res.body.toString()).toBe("row 1\n");
    expect(res.ends).toBe(0);
    expect(res.finished).toBe(false);
  });

  it("a chunk that is neither text nor bytes stops the stream (logged), the stream cut", async () => {
    const write = vi.spyOn(process.stdout, "write").mockReturnValue(true);
    let closed = false;
    async function* odd() {
      try {
        yield "a";
        yield 42 as unknown as string;
        yield "never";
      } finally {
        closed = true;
      }
    }
    const res = await invokeStreaming(streamHandler(() => stream(odd())), url("/"));
    expect(res.body.toString()).toBe("a");
    expect(res.ends).toBe(0);
    expect(res.finished).toBe(false);
    expect(res.error).toMatchObject({ message: expect.stringContaining("failed after its first byte") });
    expect(closed).toBe(true);
    expect(write.mock.calls.map(([line]) => String(line)).join("")).toContain("a streamed body yielded a number, not a string or Uint8Array");
  });

  it("when the client goes away the producer is stopped (return()) and the stream is not ended again", async () => {
    let closed = false;
    async function* endless() {
      try {
        for (let i = 0; ; i++) yield `row ${i}\n`;
      } finally {
        closed = true;
      }
    }
    let out!: ReturnType<typeof createResponseStream>;
    const handler = streamHandler(() => stream(endless()));
    const received: string[] = [];
    out = createResponseStream({
      sink: (bytes) => {
        received.push(bytes.toString());
        if (received.length === 5) out.destroy(); // the connection drops after two body chunks
      },
      highWaterMark: 8,
    });
    let ends = 0;
    const end = out.end.bind(out);
    out.end = ((...args: never[]) => (ends++, end(...args))) as typeof out.end;
    await handler(url("/"), out, { awsRequestId: "x" });
    await tick();
    expect(closed).toBe(true);
    expect(ends).toBe(0);
  });

  it("a producer idle when the client leaves does not keep the invocation running; a Readable is destroyed", async () => {
    const idle = new Readable({ read() {} });
    idle.push("hello\n");
    let out!: ReturnType<typeof createResponseStream>;
    out = createResponseStream({ sink: (bytes) => void (bytes.toString() === "hello\n" && setTimeout(() => out.destroy(), 5)) });
    await streamHandler(() => stream(idle))(url("/"), out, { awsRequestId: "x" });
    await tick();
    expect(idle.destroyed).toBe(true);
  });

  it("a client that leaves before the first chunk ends the invocation and stops the producer (was: it waited forever)", async () => {
    let closed = false;
    let produced = 0;
    async function* late() {
      try {
        await new Promise((resolve) => setTimeout(resolve, 50));
        produced++;
        yield "late\n";
      } finally {
        closed = true;
      }
    }
    const out = createResponseStream({ sink: () => {} });
    setTimeout(() => out.destroy(), 5);
    await streamHandler(() => stream(late()))(url("/"), out, { awsRequestId: "x" });
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(closed).toBe(true);
    expect(produced).toBeLessThanOrEqual(1);
  });

  it("each wait for the client gets its own promise: a long stream holds no reaction per chunk (was: one promise raced for every chunk, heap growing ~350 B per chunk)", async () => {
    const { watchClient } = await import("./write-body.ts");
    const out = createResponseStream({ sink: () => {} });
    const client = watchClient(out);
    const waits = [client.left(), client.left()];
    expect(waits[0]).not.toBe(waits[1]);
    out.destroy();
    await tick();
    expect(client.gone).toBe(true);
    await expect(client.left()).resolves.toBe(await waits[1]);
    client.stop();
  });

  it("sse(): a client leaving during a quiet period releases the caller's source at once; HEAD releases it unread (was: only when it produced again)", async () => {
    const idle = new Readable({ objectMode: true, read() {} });
    idle.push({ data: "hello" });
    let out!: ReturnType<typeof createResponseStream>;
    out = createResponseStream({ sink: (bytes) => void (bytes.toString().startsWith("data: hello") && setTimeout(() => out.destroy(), 5)) });
    await streamHandler(() => sse(idle))(url("/"), out, { awsRequestId: "x" });
    await tick();
    expect(idle.destroyed).toBe(true);
    const returned = vi.fn(async () => ({ done: true as const, value: undefined }));
    const next = vi.fn();
    const unread = new Readable({ objectMode: true, read() {} });
    await invokeStreaming(streamHandler(router().get("/feed", () => sse(unread)).get("/it", () => sse({ [Symbol.asyncIterator]: () => ({ next, return: returned }) }))), url("/feed", { method: "HEAD" }));
    expect(unread.destroyed).toBe(true);
    await invokeStreaming(streamHandler(router().get("/it", () => sse({ [Symbol.asyncIterator]: () => ({ next, return: returned }) }))), url("/it", { method: "HEAD" }));
    expect(next).not.toHaveBeenCalled();
    expect(returned).toHaveBeenCalled();
  });

  it("HEAD never starts the producer and releases it", async () => {
    const returned = vi.fn(async () => ({ done: true as const, value: undefined }));
    const next = vi.fn();
    const body = { [Symbol.asyncIterator]: () => ({ next, return: returned }) };
    const res = await invokeStreaming(streamHandler(router().get("/feed", () => stream(body))), url("/feed", { method: "HEAD" }));
    expect(res.prelude?.statusCode).toBe(200);
    expect(res.body.length).toBe(0);
    expect(next).not.toHaveBeenCalled();
    expect(returned).toHaveBeenCalledTimes(1);
  });

  it("an empty stream still sends the prelude", async () => {
    const res = await invokeStreaming(streamHandler(() => stream([])), url("/"));
    expect(res.prelude?.statusCode).toBe(200);
    expect(res.body.length).toBe(0);
    expect(res.ends).toBe(1);
  });

  it("sse(): text/event-stream, no-cache, one formatted event per chunk as it comes", async () => {
    async function* events() {
      yield "hello";
      yield { event: "row", id: "2", data: "a\nb" };
      yield { data: { n: 3 }, retry: 1000 };
    }
    const res = await invokeStreaming(streamHandler(() => sse(events(), { headers: { "x-accel-buffering": "no" } })), rest("/"));
    expect(res.prelude?.headers).toMatchObject({ "content-type": "text/event-stream", "cache-control": "no-cache", "x-accel-buffering": "no" });
    expect(res.body.toString()).toBe('data: hello\n\nevent: row\nid: 2\ndata: a\ndata: b\n\nretry: 1000\ndata: {"n":3}\n\n');
    expect(res.chunks.slice(2).map((c) => c.bytes.toString())).toEqual(["data: hello\n\n", "event: row\nid: 2\ndata: a\ndata: b\n\n", 'retry: 1000\ndata: {"n":3}\n\n']);
  });
});

describe("stream() under the buffered handle()", () => {
  it("sends the status and headers with an empty body (documented: check canStream(req) in apps served by both)", async () => {
    const res = await handle((req: HttpRequest) => stream(["never sent"], { headers: { "content-type": "text/csv" } }))(url("/"), { awsRequestId: "x" });
    expect(res).toMatchObject({ statusCode: 200, body: "" });
  });

  it("refuses a string body (it would stream one character per chunk)", () => {
    expect(() => stream("abc" as never)).toThrow(/use text\(\)/);
    expect(() => stream({} as never)).toThrow(/async iterable/);
  });

  it("setCookie() values stream in the prelude like any cookie", async () => {
    const uninstall = installAwsLambdaGlobal();
    try {
      const res = await invokeStreaming(streamHandler(() => stream(["x"], { cookies: [setCookie("sid", "1", { httpOnly: true })] })), url("/"));
      expect(res.prelude?.cookies).toEqual(["sid=1; HttpOnly"]);
    } finally {
      uninstall();
    }
  });
});

// Pinned by hand mutation testing: each case below let a mutant of stream-handler.ts pass every other test.
describe("streamHandler edges pinned by mutation testing", () => {
  let uninstall: () => void;
  beforeAll(() => void (uninstall = installAwsLambdaGlobal()));
  afterAll(() => uninstall());
  afterEach(() => vi.restoreAllMocks());
  const ctx = { awsRequestId: "x" };

  it("an app that is neither a function nor a router is refused when the handler is created", () => {
    expect(() => streamHandler({} as never)).toThrow(/app is a function or a router/);
  });

  it("a producer's error before the first chunk goes to onError; an answer the source cannot take is the default problem, onError asked once", async () => {
    vi.spyOn(process.stdout, "write").mockReturnValue(true);
    async function* fails(): AsyncGenerator<string> {
      throw new Error("db down");
    }
    const seen: string[] = [];
    const busy = (err: unknown) => (seen.push((err as Error).message), json({ busy: true }, { status: 503 }));
    expect((await invokeStreaming(streamHandler(() => stream(fails()), { onError: busy }), url("/"))).prelude).toMatchObject({ statusCode: 503 });
    const unsendable = (err: unknown) => (seen.push((err as Error).message), json({ busy: true }, { status: 503, headers: { "retry-after": "1\r\n2" } }));
    expect((await invokeStreaming(streamHandler(() => stream(fails()), { onError: unsendable }), url("/"))).prelude).toMatchObject({ statusCode: 500, headers: { "content-type": "application/problem+json" } });
    expect(seen).toEqual(["db down", "db down"]);
  });

  it("a client that leaves while the producer never answers ends the invocation at once (a pending generator's return() is not waited for)", async () => {
    async function* silent(): AsyncGenerator<string> {
      await new Promise(() => {});
      yield "never";
    }
    const out = createResponseStream({ sink: () => {} });
    setTimeout(() => out.destroy(), 5);
    const ended = streamHandler(() => stream(silent()))(url("/"), out, ctx).then(() => "ended");
    expect(await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 1000, "still waiting"))])).toBe("ended");
    // The producer is released once, and nothing is written to the stream that closed.
    const returned = vi.fn(async () => ({ done: true as const, value: undefined }));
    const written: Buffer[] = [];
    const gone = createResponseStream({ sink: (bytes) => void written.push(bytes) });
    setTimeout(() => gone.destroy(), 5);
    await streamHandler(() => stream({ [Symbol.asyncIterator]: () => ({ next: () => new Promise<never>(() => {}), return: returned }) }))(url("/"), gone, ctx);
    await tick();
    expect([returned.mock.calls.length, written.length]).toEqual([1, 0]);
  });

  it("a producer released unread (HEAD) is waited for: its return() has finished when the handler has", async () => {
    let released = false;
    const body = {
      [Symbol.asyncIterator]: () => ({
        next: async () => ({ done: false as const, value: "x" }),
        return: async () => (await tick(), (released = true), { done: true as const, value: undefined }),
      }),
    };
    await streamHandler(() => stream(body))(url("/", { method: "HEAD" }), createResponseStream({ sink: () => {} }), ctx);
    expect(released).toBe(true);
  });

  it("HEAD: a response the source cannot take is a 500 problem without its body", async () => {
    vi.spyOn(process.stdout, "write").mockReturnValue(true);
    const res = await invokeStreaming(streamHandler(() => json({ a: 1 }, { headers: { "x-bad": "a\r\nb" } })), url("/", { method: "HEAD" }));
    expect(res.prelude).toMatchObject({ statusCode: 500, headers: { "content-type": "application/problem+json" } });
    expect(res.body.length).toBe(0);
  });

  it("stops watching the response stream when done: no close, error or drain listener of its own is left on it", async () => {
    const out = createResponseStream({ sink: () => {}, highWaterMark: 1 });
    const before = [out.listenerCount("close"), out.listenerCount("error"), out.listenerCount("drain")];
    // Chunks over the high-water mark: each write waits for drain.
    await streamHandler(() => stream(["aaaa", "bbbb", "cccc"]))(url("/"), out, ctx);
    expect([out.listenerCount("close"), out.listenerCount("error"), out.listenerCount("drain")]).toEqual(before);
  });
  it("a whole body over Lambda's 6 MB buffered limit is streamed (streaming has no such limit)", async () => {
    const big = "x".repeat(7 * 1024 * 1024);
    const res = await invokeStreaming(streamHandler(() => text(big)), url("/"));
    expect([res.prelude?.statusCode, res.body.length]).toEqual([200, big.length]);
  });

  it.each([103, 204, 205, 304])("status %i streams no body, even when the response has one", async (status) => {
    const res = await invokeStreaming(streamHandler(() => text("never sent", status)), url("/"));
    expect([res.prelude?.statusCode, res.body.length, res.ends]).toEqual([status, 0, 1]);
  });

  it("a whole body that is neither text nor bytes is a 500 problem written whole", async () => {
    vi.spyOn(process.stdout, "write").mockReturnValue(true);
    const res = await invokeStreaming(streamHandler(() => Object.assign(text("x"), { body: 42 })), url("/"));
    expect(res.prelude).toMatchObject({ statusCode: 500, headers: { "content-type": "application/problem+json" } });
  });

  it("a whole body of another kind of Uint8Array (a subclass, a view) is written as its bytes", async () => {
    class Bytes extends Uint8Array {}
    const res = await invokeStreaming(streamHandler(() => Object.assign(binary(new Uint8Array(0), "application/octet-stream"), { body: new Bytes([9, 8, 7, 6]).subarray(1) })), url("/"));
    expect([...res.body]).toEqual([8, 7, 6]);
  });

  it("an empty first chunk is written (it carries the prelude); later empty chunks are not", async () => {
    const res = await invokeStreaming(streamHandler(() => stream(["", "a", "", "b"])), url("/"));
    expect(res.chunks.slice(2).map((chunk) => chunk.bytes.length)).toEqual([0, 1, 1]);
  });

  it("a partial awslambda global (no streamifyResponse function, or no HttpResponseStream) is not the runtime", async () => {
    const g = globalThis as { awslambda?: unknown };
    const installed = g.awslambda as Record<string, unknown>;
    try {
      for (const partial of [{ ...installed, streamifyResponse: undefined }, { ...installed, HttpResponseStream: undefined }]) {
        g.awslambda = partial;
        await expect(streamHandler(() => "ok")(url("/"), createResponseStream({ sink: () => {} }), ctx)).rejects.toThrow(/Lambda Node\.js runtime/);
      }
    } finally {
      g.awslambda = installed;
    }
  });
  it("a client that leaves mid-stream while the producer never answers ends the invocation at once", async () => {
    async function* stalls(): AsyncGenerator<string> {
      yield "first\n";
      await new Promise(() => {});
    }
    let out!: ReturnType<typeof createResponseStream>;
    out = createResponseStream({ sink: (bytes) => void (bytes.toString() === "first\n" && setTimeout(() => out.destroy(), 5)) });
    const ended = streamHandler(() => stream(stalls()))(url("/"), out, ctx).then(() => "ended");
    expect(await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 1000, "still waiting"))])).toBe("ended");
  });

  it("a producer stopped by a bad chunk is released before the handler rejects", async () => {
    vi.spyOn(process.stdout, "write").mockReturnValue(true);
    let released = false;
    const chunks: unknown[] = ["a", 42];
    const body = {
      [Symbol.asyncIterator]: () => ({
        next: async () => ({ done: false as const, value: chunks.shift() as string }),
        return: async () => (await tick(), (released = true), { done: true as const, value: undefined }),
      }),
    };
    await expect(streamHandler(() => stream(body))(url("/"), createResponseStream({ sink: () => {} }), ctx)).rejects.toThrow(/failed after its first byte/);
    expect(released).toBe(true);
  });

  it("a response stream already destroyed when the handler starts gets nothing written, and the producer is released", async () => {
    const returned = vi.fn(async () => ({ done: true as const, value: undefined }));
    const written: Buffer[] = [];
    const out = createResponseStream({ sink: (bytes) => void written.push(bytes) });
    out.destroy();
    await tick();
    const ended = streamHandler(() => stream({ [Symbol.asyncIterator]: () => ({ next: async () => ({ done: false as const, value: "a" }), return: returned }) }))(url("/"), out, ctx).then(() => "ended");
    expect(await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 1000, "still waiting"))])).toBe("ended");
    expect([written.length, returned.mock.calls.length]).toEqual([0, 1]);
  });
  it("a producer whose return() rejects is still released quietly: the response goes out", async () => {
    const body = { [Symbol.asyncIterator]: () => ({ next: async () => ({ done: false as const, value: "x" }), return: async () => Promise.reject(new Error("close failed")) }) };
    const res = await invokeStreaming(streamHandler(() => stream(body)), url("/", { method: "HEAD" }));
    expect([res.prelude?.statusCode, res.body.length, res.ends]).toEqual([200, 0, 1]);
  });
});
