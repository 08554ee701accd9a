import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { binary, createEvent, createHandler, defaultAdapters, empty, handle, HttpError, httpApiV2, json, lambdaEdge, RESPONSE, router, text, vpcLattice, type HttpRequest } from "../index.ts";
import { readResult } from "../testing/invoke.ts";

const ctx = { awsRequestId: "lambda-request-id" };
const get = (path = "/x", source: Parameters<typeof createEvent>[0] = "http-api-v2") => createEvent(source, { method: "GET", path, requestId: "rid" });

afterEach(() => vi.restoreAllMocks());

describe("handle(): binary bodies", () => {
  const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x00, 0xff, 0xfe]);
  it("a Uint8Array body is base64 with isBase64Encoded", async () => {
    const result = await handle(() => binary(pdf, "application/pdf"))(get(), ctx);
    expect(result).toMatchObject({ isBase64Encoded: true, body: Buffer.from(pdf).toString("base64") });
  });
  it("a string body with a non-text type (PDF, ZIP) is base64 of its UTF-8 bytes", async () => {
    const result = await handle(() => text("%PDF-é", { headers: { "content-type": "application/pdf" } }))(get(), ctx);
    expect(result).toMatchObject({ isBase64Encoded: true, body: Buffer.from("%PDF-é").toString("base64") });
  });
  it("compressed JSON is binary; identity is not", async () => {
    const br = await handle(() => json({ a: 1 }, { headers: { "content-encoding": "br" } }))(get(), ctx);
    expect(br).toMatchObject({ isBase64Encoded: true });
    const id = await handle(() => json({ a: 1 }, { headers: { "Content-Encoding": "identity" } }))(get(), ctx);
    expect(id).toMatchObject({ isBase64Encoded: false, body: '{"a":1}' });
  });
  it("isBinary overrides the decision for string bodies", async () => {
    const h = handle(() => text("x", { headers: { "content-type": "application/x-custom-text" } }), { isBinary: () => false });
    expect(await h(get(), ctx)).toMatchObject({ isBase64Encoded: false, body: "x" });
    const h2 = handle(() => json({}), { isBinary: (type) => type?.startsWith("application/json") ?? false });
    expect(await h2(get(), ctx)).toMatchObject({ isBase64Encoded: true });
  });
  it("bytes returned directly go out as octet-stream, base64", async () => {
    const result = await handle(() => pdf)(get(), ctx);
    expect(result).toMatchObject({ headers: { "content-type": "application/octet-stream" }, isBase64Encoded: true });
  });
});

describe("handle(): bodiless responses", () => {
  it.each([101, 204, 205, 304])("status %i carries no body", async (status) => {
    const result = await handle(() => text("nope", status))(get(), ctx);
    expect(result).toMatchObject({ statusCode: status, body: "", isBase64Encoded: false });
  });
  it.each(["http-api-v2", "apigw-v1", "http-api-v1", "alb", "alb-multi", "function-url"] as const)("HEAD via %s: headers kept, no body", async (source) => {
    const result = await handle(() => json({ big: "x".repeat(100) }))(createEvent(source, { method: "HEAD", path: "/x" }), ctx);
    expect(result).toMatchObject({ statusCode: 200, body: "", isBase64Encoded: false });
    expect(JSON.stringify(result)).toContain("application/json");
  });
  it("undefined/null from the app is a 204", async () => {
    expect(await handle(() => undefined)(get(), ctx)).toMatchObject({ statusCode: 204, body: "" });
    expect(await handle(async () => null)(get(), ctx)).toMatchObject({ statusCode: 204 });
  });
});

describe("handle(): errors", () => {
  it("HttpError becomes problem+json with its headers and the request id", async () => {
    const result = await handle(() => {
      throw new HttpError(429, "Slow down", { headers: { "retry-after": "3" }, limit: 10 });
    })(get(), ctx);
    expect(result).toMatchObject({ statusCode: 429, headers: { "content-type": "application/problem+json", "retry-after": "3", "x-request-id": "rid" } });
    expect(JSON.parse((result as { body: string }).body)).toEqual({ type: "about:blank", title: "Too Many Requests", status: 429, detail: "Slow down", requestId: "rid", limit: 10 });
  });
  it("an unknown error is a 500 problem with the request id; the stack is logged, never sent", async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (lines.push(String(chunk)), true));
    const result = (await handle(() => {
      throw new Error("secret database password in message");
    })(get(), ctx)) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toMatch(/secret|stack|at /);
    expect(JSON.parse(result.body)).toMatchObject({ status: 500, requestId: "rid" });
    expect(lines).toHaveLength(1);
    const logged = JSON.parse(lines[0]!);
    expect(logged).toMatchObject({ level: "error", requestId: "rid", errorMessage: "secret database password in message" });
    expect(logged.stack).toContain("Error: secret");
  });
  it.each([
    ["an HttpError with a BigInt extension", () => new HttpError(409, "taken", { version: 1n })],
    ["a null-prototype object", () => Object.create(null)],
    ["a Proxy that throws on every read", () => new Proxy({}, { get: () => { throw new Error("trap"); }, getPrototypeOf: () => { throw new Error("trap"); } })],
  ])("a handler throwing %s gets a logged 500 problem with the request id, on every source (was: the Lambda handler rejected: an invocation error, API Gateway's bare 502)", async (_name, make) => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (lines.push(String(chunk)), true));
    // A plain function app has one settle around it; a router's second one hid the rejection, not the wrong log line.
    const fails = () => {
      throw make();
    };
    for (const app of [fails, router().get("/x", fails)]) {
      for (const source of ["http-api-v2", "apigw-v1", "function-url", "alb"] as const) {
        const result = (await handle(app)(get("/x", source), ctx)) as { statusCode: number; body: string };
        expect(result.statusCode).toBe(500);
        expect(JSON.parse(result.body)).toMatchObject({ status: 500, requestId: source === "alb" ? "lambda-request-id" : "rid" });
      }
    }
    expect(lines.map((line) => JSON.parse(line))).toEqual([...Array(4).fill(expect.objectContaining({ level: "error", message: "unhandled error", path: "/x" })), ...Array(4).fill(expect.objectContaining({ route: "/x" }))]);
  });
  it("malformed JSON in the request is a 400, not a SyntaxError", async () => {
    const event = createEvent("http-api-v2", { method: "POST", path: "/x", body: "{nope", headers: { "content-type": "application/json" } });
    const result = (await handle((req) => req.json())(event, ctx)) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body).detail).toMatch(/not valid JSON/);
  });
  it("onError turns escaping errors into a response; if it throws, the default applies", async () => {
    const h = handle(() => Promise.reject(new Error("x")), { onError: (err, req) => json({ caught: (err as Error).message, id: req.requestId }, 502) });
    expect(await h(get(), ctx)).toMatchObject({ statusCode: 502, body: '{"caught":"x","id":"rid"}' });
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const h2 = handle(() => Promise.reject(new Error("x")), {
      onError: () => {
        throw new HttpError(418);
      },
    });
    expect(await h2(get(), ctx)).toMatchObject({ statusCode: 418 });
  });
  it("maxBodyBytes that is not a number (NaN from an unset Number(process.env.X)) refuses bodies instead of lifting the limit (was: no limit at all)", async () => {
    const post = createEvent("http-api-v2", { method: "POST", path: "/", body: "x".repeat(10_000), requestId: "rid" });
    const result = (await handle((req) => text(String(req.text().length)), { maxBodyBytes: Number(undefined) })(post, ctx)) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(413);
    expect(JSON.parse(result.body).detail).toBe("The request body is over NaN bytes.");
  });
  it("maxBodyBytes: a Lambda@Edge body CloudFront truncated is a 413 problem in Edge's result shape (was: the handler rejected with an HttpError)", async () => {
    const event = JSON.parse(readFileSync(new URL("../../events/lambda-edge-viewer-post-truncated.json", import.meta.url), "utf8"));
    const result = (await createHandler((req) => text(req.text()), { adapters: [lambdaEdge], maxBodyBytes: 1_000_000 })(event, ctx)) as { status: string; headers: Record<string, unknown>; body: string };
    expect(result).toMatchObject({ status: "413", statusDescription: "Content Too Large", headers: { "content-type": [{ key: "Content-Type", value: "application/problem+json" }] } });
    expect(JSON.parse(result.body)).toMatchObject({ status: 413, detail: expect.stringMatching(/truncated/), requestId: event.Records[0].cf.config.requestId });
  });
  it("maxBodyBytes: a Lambda@Edge body the trigger left out (Include body off) is a logged 500 before the app runs, as the README says", async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((line) => (lines.push(String(line)), true));
    const event = createEvent("lambda-edge", { method: "POST", path: "/", body: '{"a":1}', headers: { "content-type": "application/json" } }) as any;
    delete event.Records[0].cf.request.body;
    event.Records[0].cf.request.headers["content-length"] = [{ key: "Content-Length", value: "7" }];
    const app = vi.fn((req: HttpRequest) => json(req.json()));
    const result = (await createHandler(app, { adapters: [lambdaEdge], maxBodyBytes: 1_000_000 })(event, ctx)) as { status: string };
    expect(result.status).toBe("500");
    expect(app).not.toHaveBeenCalled();
    expect(lines.map((line) => JSON.parse(line))).toEqual([expect.objectContaining({ level: "error", errorMessage: expect.stringContaining('"Include body"') })]);
  });
  it("a response with a bad body type becomes a 500, not a crash", async () => {
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const result = await handle(() => ({ [RESPONSE]: true, status: 200, body: 42 }) as never)(get(), ctx);
    expect(result).toMatchObject({ statusCode: 500 });
  });
});

describe("handle(): values it cannot send become a logged 500 naming the route and what was returned", () => {
  const logged = () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (lines.push(String(chunk)), true));
    return lines;
  };
  it.each([
    ["a Map", () => new Map([["a", 1]]), /cannot send a Map/],
    ["a class instance", () => new (class Exam {})(), /cannot send a Exam/],
    ["a fetch Response", () => new Response("x"), /cannot send a Response/],
    ["a status outside 100–599", () => json({}, 99), /response status 99 is not 100–599/],
    ["a fractional status", () => json({}, 200.5), /response status 200.5/],
    ["an async handler's status outside 100–599", async () => json({}, 600), /response status 600 is not 100–599/],
  ])("%s", async (_name, make, message) => {
    const lines = logged();
    const app = (await import("../index.ts")).router().get("/x", make as never);
    const result = await handle(app)(get(), ctx);
    expect(result).toMatchObject({ statusCode: 500 });
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ level: "error", route: "/x", requestId: "rid" });
    expect(line.errorMessage).toMatch(message);
  });
  it("dates and objects with toJSON are data", async () => {
    expect(await handle(() => ({ at: new Date(0) }))(get(), ctx)).toMatchObject({ statusCode: 200, body: '{"at":"1970-01-01T00:00:00.000Z"}' });
    expect(await handle(() => new Date(0))(get(), ctx)).toMatchObject({ statusCode: 200, body: '"1970-01-01T00:00:00.000Z"' });
  });
});

describe("detection and pinning", () => {
  it("an unknown event throws naming the keys it saw and the supported sources", async () => {
    await expect(handle(() => "x")({ Records: [{ eventSource: "aws:sqs" }] }, ctx)).rejects.toThrow(/keys: "Records".*apigw-v1/);
    await expect(handle(() => "x")(null, ctx)).rejects.toThrow(/keys: \(null\)/);
  });
  it("the unknown-event error lists keys and sources with spaces, and says when the event has no keys (was: 'keys: )' and 'alb,http-api-v2,…')", async () => {
    await expect(handle(() => "x")({ a: 1, b: 2 }, ctx)).rejects.toThrow('lambdalith: unrecognised event (keys: "a", "b"); supported sources: alb, http-api-v2, function-url, apigw-v1. Add its adapter');
    await expect(handle(() => "x")({}, ctx)).rejects.toThrow("unrecognised event (keys: none);");
    await expect(handle(() => "x")(undefined, ctx)).rejects.toThrow("unrecognised event (keys: (undefined));");
  });
  it("the unknown-event error names the first 20 keys, each clipped to 64 characters", async () => {
    const event = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`k${i}`, i]));
    const keys = (await handle(() => "x")(event, ctx).catch((e: Error) => e.message)).match(/\(keys: (.*)\); supported/)![1];
    expect(keys).toBe(Array.from({ length: 20 }, (_, i) => `"k${i}"`).join(", "));
    const clipped = (await handle(() => "x")({ ["a".repeat(64)]: 1, ["b".repeat(65)]: 2 }, ctx).catch((e: Error) => e.message)).match(/\(keys: (.*)\); supported/)![1];
    expect(clipped).toBe(`"${"a".repeat(64)}", "${"b".repeat(64)}…"`);
  });
  it("the unknown-event error quotes and clips the keys it names: a 1 MB key, or one that reads like the message, stays bounded and unambiguous (was: a 1 MB message)", async () => {
    const err = await handle(() => "x")({ ["k".repeat(1_000_000)]: 1, "a\nb, supported sources: evil": 2 }, ctx).catch((e: Error) => e);
    expect((err as Error).message.length).toBeLessThan(400);
    expect((err as Error).message).toContain('"a\\nb, supported sources: evil"');
  });
  it("an API Gateway authorizer's input (REST methodArn, HTTP API routeArn) is not a request: it goes to fallback (was: answered as one)", async () => {
    const seen: string[] = [];
    const handler = handle(() => (seen.push("app"), "x"), { fallback: (event) => (seen.push("fallback"), { isAuthorized: false, event }) });
    const rest = { ...createEvent("apigw-v1", { path: "/exams" }), type: "REQUEST", methodArn: "arn:aws:execute-api:us-east-1:123456789012:api-id/prod/GET/exams" };
    const http = { ...createEvent("http-api-v2", { path: "/exams" }), type: "REQUEST", routeArn: "arn:aws:execute-api:us-east-1:123456789012:api-id/$default/GET/exams" };
    expect(await handler(rest, ctx)).toMatchObject({ isAuthorized: false });
    expect(await handler(http, ctx)).toMatchObject({ isAuthorized: false });
    expect(seen).toEqual(["fallback", "fallback"]);
  });
  it("a router is called through its handle: a replaced handle (a tracing wrapper) is the one used", async () => {
    const app = router().get("/x", () => "direct");
    expect(await handle(app)(get("/x"), ctx)).toMatchObject({ statusCode: 200, body: "direct" });
    const wrapped = { ...app, handle: async (req: HttpRequest) => ({ ...(await app.handle(req)), headers: { "x-traced": "1" } }) };
    expect(await handle(wrapped)(get("/x"), ctx)).toMatchObject({ statusCode: 200, body: "direct", headers: { "x-traced": "1" } });
  });
  it("fallback answers non-HTTP events (warmers)", async () => {
    const h = handle(() => "x", { fallback: (event) => ({ warmed: (event as { warmer: boolean }).warmer }) });
    expect(await h({ warmer: true }, ctx)).toEqual({ warmed: true });
  });
  it("createHandler with one adapter refuses other sources", async () => {
    const h = createHandler(() => "x", { adapters: [httpApiV2] });
    expect(await h(get(), ctx)).toMatchObject({ statusCode: 200 });
    await expect(h(get("/x", "alb"), ctx)).rejects.toThrow(/supported sources: http-api-v2\./);
    expect(() => createHandler(() => "x", { adapters: [] })).toThrow(/adapters a non-empty list/);
    expect(() => createHandler(() => "x", undefined as never)).toThrow(/adapters a non-empty list/);
    expect(() => createHandler({} as never, { adapters: [httpApiV2] })).toThrow(/app is a function or a router/);
    expect(() => handle({} as never)).toThrow(/app is a function or a router/);
  });
  it("an object with handle(req) is an app", async () => {
    const app = { handle: (req: { path: string }) => text(req.path) };
    expect(await handle(app as never)(get("/p"), ctx)).toMatchObject({ body: "/p" });
  });
  it("every response carries x-request-id; the app's own wins", async () => {
    expect(await handle(() => empty())(get(), ctx)).toMatchObject({ headers: { "x-request-id": "rid" } });
    expect(await handle(() => empty(204, { headers: { "X-Request-Id": "mine" } }))(get(), ctx)).toMatchObject({ headers: { "x-request-id": "mine" } });
  });
  it("a request without an id (a hand-built event, no context) gets no empty x-request-id or requestId (was: '')", async () => {
    const event = createEvent("http-api-v2", { method: "GET", path: "/missing" }) as { requestContext: Record<string, unknown> };
    delete event.requestContext["requestId"];
    const result = (await handle(router())(event)) as { statusCode: number; headers: Record<string, string>; body: string };
    expect(result.statusCode).toBe(404);
    expect(result.headers).not.toHaveProperty("x-request-id");
    expect(JSON.parse(result.body)).not.toHaveProperty("requestId");
    const thrown = (await handle(() => { throw new HttpError(409, "Taken"); })(event)) as { body: string };
    expect(JSON.parse(thrown.body)).toEqual({ type: "about:blank", title: "Conflict", status: 409, detail: "Taken" });
  });
});

describe("handle(): request header text a fetch Headers object would refuse", () => {
  // Hono builds a Headers object, which throws on non-Latin-1 values and names like a"a (its #4437, #4883);
  // our maps are plain: the value and the name arrive as delivered and the app answers.
  it.each(["apigw-v1", "http-api-v1", "http-api-v2", "function-url", "alb", "alb-multi", "vpc-lattice", "vpc-lattice-v2", "lambda-edge"] as const)("%s: a non-ASCII value and a name with a quote are read as delivered", async (source) => {
    const app = handle((req) => ({ name: req.headers["x-name"], quoted: req.headers['a"a'] }), { adapters: [...defaultAdapters, vpcLattice, lambdaEdge] });
    const result = readResult(await app(createEvent(source, { path: "/", headers: { "x-name": "Jörg 😀", 'a"a': "1" } }), ctx), source);
    expect([result.status, result.json()]).toEqual([200, { name: "Jörg 😀", quoted: "1" }]);
  });
});

describe("handle(): setup happens once per execution environment", () => {
  it("the app is resolved when the handler is created; invocations only call it (Mangum ran its lifespan around every call)", async () => {
    let reads = 0;
    let calls = 0;
    const app = {
      get handle() {
        reads++;
        return () => (calls++, text("ok"));
      },
    };
    const handler = handle(app);
    const afterCreate = reads;
    for (let i = 0; i < 3; i++) expect(await handler(get(), ctx)).toMatchObject({ statusCode: 200 });
    expect([reads, calls]).toEqual([afterCreate, 3]);
  });
});

// Pinned by hand mutation testing: each case below let a mutant of create-handler.ts pass every other test.
describe("createHandler(): edges pinned by mutation testing", () => {
  const post = (body: string) => createEvent("http-api-v2", { method: "POST", path: "/x", body, requestId: "rid" });

  it("maxBodyBytes is inclusive: a body of exactly the limit is read, one byte more is the 413", async () => {
    const handler = handle((req) => text(req.text()), { maxBodyBytes: 3 });
    expect(await handler(post("abc"), ctx)).toMatchObject({ statusCode: 200, body: "abc" });
    expect(await handler(post("abcd"), ctx)).toMatchObject({ statusCode: 413 });
  });

  it("fallback gets the event and the context", async () => {
    expect(await handle(() => "x", { fallback: (event, context) => ({ event, context }) })({ warm: true }, ctx)).toEqual({ event: { warm: true }, context: ctx });
  });

  it("an app object's handle() runs with the object as `this`", async () => {
    const app = { greeting: "hi", handle(this: { greeting: string }) { return text(this.greeting); } };
    expect(await handle(app)(get(), ctx)).toMatchObject({ statusCode: 200, body: "hi" });
  });

  it("an answer the source cannot send is the default 500 problem; onError (for errors escaping the app) is not asked", async () => {
    vi.spyOn(process.stdout, "write").mockReturnValue(true);
    const onError = vi.fn(() => json({ mine: true }, 503));
    const result = await handle(() => ({ ...text("x"), status: 700 }), { onError })(get(), ctx);
    expect(result).toMatchObject({ statusCode: 500 });
    expect(onError).not.toHaveBeenCalled();
  });
});
