// Malformed or hostile variants of real events: each gets a clean answer, never a native TypeError from
// deep inside. The policy (README, "Malformed events"): a field read to route the request (method, path)
// that is unusable makes the invocation fail with an Error naming the field (no request exists to answer
// yet; the source answers 502, as for any failed invocation); a field read lazily (headers, query,
// cookies, body) that is malformed is a 400 problem in the source's own result shape, naming the field.
import { describe, expect, it } from "vitest";
import { createEvent, defaultAdapters, handle, json, lambdaEdge, text, vpcLattice, type EventSource } from "../index.ts";

const ctx = { awsRequestId: "lambda-id" };
// Reads every lazy view, so any malformed field surfaces.
const app = handle((req) => json({ headers: req.headers, all: req.headersAll, query: req.queryAll, cookies: req.cookies, body: req.text() }), { adapters: [...defaultAdapters, vpcLattice, lambdaEdge] });
const event = (source: EventSource, over: Record<string, unknown>) => ({ ...createEvent(source, { method: "POST", path: "/x?a=1", headers: { accept: "a" }, body: "hi" }), ...over });

function edge(headers: unknown): Record<string, unknown> {
  const base = createEvent("lambda-edge", { method: "GET", path: "/x" }) as { Records: Array<{ cf: { request: Record<string, unknown> } }> };
  base.Records[0]!.cf.request["headers"] = headers;
  return base;
}

describe("malformed events: a 400 problem in the source's result shape, naming the field", () => {
  it.each([
    ["REST multiValueHeaders value not a list", event("apigw-v1", { multiValueHeaders: { accept: "a" } }), /multiValueHeaders\.accept is not a list but a string/],
    ["ALB multiValueHeaders value a number", event("alb-multi", { multiValueHeaders: { accept: 5 } }), /multiValueHeaders\.accept is not a list but a number/],
    ["REST headers as a string", event("apigw-v1", { headers: "accept: a", multiValueHeaders: null }), /headers is not a map but a string/],
    ["HTTP API headers as a string", event("http-api-v2", { headers: "accept: a" }), /headers is not a map but a string/],
    ["HTTP API headers as a list", event("http-api-v2", { headers: ["accept"] }), /headers is not a map but a list/],
    ["ALB headers as a string", event("alb", { headers: "x" }), /headers is not a map but a string/],
    ["a numeric header value", event("http-api-v2", { headers: { "content-length": 2 } }), /header content-length is not a string but a number/],
    ["an object header value", event("alb", { headers: { a: { b: 1 } } }), /header a is not a string but a object/],
    ["HTTP API cookies as a string", event("http-api-v2", { cookies: "a=1; b=2" }), /cookies is not a list but a string/],
    ["REST multiValueQueryStringParameters value a string", event("apigw-v1", { multiValueQueryStringParameters: { a: "12" } }), /multiValueQueryStringParameters\.a is not a list but a string/],
    ["REST queryStringParameters value a number", event("apigw-v1", { queryStringParameters: { a: 1 }, multiValueQueryStringParameters: null }), /query a is not a string but a number/],
    ["ALB query value a number", event("alb", { queryStringParameters: { a: 1 } }), /query a is not a string but a number/],
    ["HTTP API rawQueryString a number", event("http-api-v2", { rawQueryString: 42 }), /query string is not a string but a number/],
    ["a numeric body", event("http-api-v2", { body: 42 }), /body is not a string but a number/],
    ["an object body", event("apigw-v1", { body: { a: 1 } }), /body is not a string but a object/],
    ["isBase64Encoded with invalid base64", event("function-url", { body: "not base64!", isBase64Encoded: true }), /body is not valid base64/],
    ["isBase64Encoded with junk after the padding", event("alb", { body: "aGk=junk", isBase64Encoded: true }), /body is not valid base64/],
    ["Lattice v2 headers as a string", event("vpc-lattice-v2", { headers: "x" }), /headers is not a map but a string/],
    ["Lattice v2 header value a number", event("vpc-lattice-v2", { headers: { accept: [1] } }), /header accept is not a string but a number/],
    ["Lattice v1 query as a list", event("vpc-lattice", { query_string_parameters: ["a"] }), /query parameters is not a map but a list/],
    ["Edge header entries not a list", edge({ accept: { key: "Accept", value: "a" } }), /headers\.accept is not a list but a object/],
    ["Edge header entry without a value", edge({ accept: [{ key: "Accept" }] }), /header accept is not a string\./],
  ])("%s", async (_name, malformed, detail) => {
    const result = await app(malformed, ctx);
    const problem = JSON.parse(result.bodyEncoding === "base64" ? Buffer.from(result.body, "base64").toString() : result.body);
    expect(problem).toMatchObject({ status: 400, title: "Bad Request" });
    expect(problem.detail).toMatch(detail);
    if (result.status !== undefined) return expect(result.status).toBe("400"); // Lambda@Edge's shape
    expect(result.statusCode).toBe(400);
    if ("elb" in ((malformed.requestContext as object) ?? {})) expect(result.statusDescription).toBe("400 Bad Request");
    if (malformed["version"] === "2.0") expect(result.headers["content-type"]).toBe("application/problem+json");
  });

  it("valid base64, padded or not, is accepted", async () => {
    for (const body of ["aGk=", "aGk", "aGVsbG8=", ""]) expect((await app(event("http-api-v2", { body, isBase64Encoded: true }), ctx)).statusCode).toBe(200);
  });

  it("an app that never reads a malformed view still answers (views are read lazily)", async () => {
    const result = await handle(() => "ok")(event("http-api-v2", { headers: "junk", cookies: "junk" }), ctx);
    expect(result).toMatchObject({ statusCode: 200, body: "ok" });
  });
});

describe("malformed events: fields needed to route fail the invocation with an Error naming them", () => {
  it.each([
    ["an ALB event without a path", event("alb", { path: undefined }), /the event's path is undefined, not a string/],
    ["an HTTP API rawPath that is a number", event("http-api-v2", { rawPath: 42 }), /the event's path is number, not a string/],
    ["a REST path that is an object", event("apigw-v1", { path: { a: 1 } }), /the event's path is object, not a string/],
    ["an HTTP API method that is a number", { ...event("http-api-v2", {}), requestContext: { ...(event("http-api-v2", {}).requestContext as object), http: { method: 1 } } }, /http-api-v2 event: the method is number, not a string/],
  ])("%s", async (_name, malformed, message) => {
    await expect(app(malformed, ctx)).rejects.toThrow(message);
  });
});

describe("limits", () => {
  const echo = (options: Parameters<typeof handle>[1]) => handle((req) => ({ size: req.bytes().length }), options);
  it("maxBodyBytes: a larger body is a 413 problem, measured before decoding; at the limit it is read", async () => {
    const big = Buffer.alloc(1001, 7);
    const over = await echo({ maxBodyBytes: 1000 })(createEvent("http-api-v2", { method: "POST", path: "/", body: new Uint8Array(big) }), ctx);
    expect(over.statusCode).toBe(413);
    expect(JSON.parse(over.body).detail).toBe("The request body is over 1000 bytes.");
    const at = await echo({ maxBodyBytes: 1001 })(createEvent("apigw-v1", { method: "POST", path: "/", body: new Uint8Array(big) }), ctx);
    expect(JSON.parse(at.body)).toEqual({ size: 1001 });
    const text = await echo({ maxBodyBytes: 3 })(createEvent("alb", { method: "POST", path: "/", body: "éé" }), ctx);
    expect(text.statusCode).toBe(413); // 4 UTF-8 bytes
  });
  it.each(["http-api-v2", "apigw-v1", "alb", "function-url"] as const)("%s: maxBodyBytes measures the body delivered, not the client's Content-Length (a 10 KB body claiming 1 byte is a 413; one claiming 1 MB under the limit is read)", async (source) => {
    const lying = await echo({ maxBodyBytes: 100 })(createEvent(source, { method: "POST", path: "/", body: "x".repeat(10_240), headers: { "content-length": "1" } }), ctx);
    expect(lying.statusCode).toBe(413);
    const small = await echo({ maxBodyBytes: 100 })(createEvent(source, { method: "POST", path: "/", body: "x".repeat(10), headers: { "content-length": "1048576" } }), ctx);
    expect(JSON.parse(small.body)).toEqual({ size: 10 });
  });
  it.each([
    ["http-api-v2", 6 * 1024 * 1024],
    ["apigw-v1", 6 * 1024 * 1024],
    ["alb", 1024 * 1024],
  ] as const)("%s: a buffered response over the source's limit is a logged 500 naming the size", async (source, limit) => {
    const lines: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => (lines.push(chunk), true)) as never;
    try {
      const result = await handle(() => "x".repeat(limit))(createEvent(source, { path: "/" }), ctx);
      expect(result.statusCode).toBe(500);
      expect(JSON.parse(lines[0]!).errorMessage).toMatch(new RegExp(`the response is \\d+ bytes of JSON, over this source's ${limit}-byte limit`));
      const under = await handle(() => "x".repeat(limit - 4096))(createEvent(source, { path: "/" }), ctx);
      expect(under.statusCode).toBe(200);
    } finally {
      process.stdout.write = write;
    }
  });
  it.each(["alb", "alb-multi"] as const)("%s: the 1 MB limit counts what the ALB result adds (statusDescription, lists, cookie name variants; was: 1,048,710 bytes passed)", async (source) => {
    const lines: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => (lines.push(chunk), true)) as never;
    try {
      const headers = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`x-h${i}`, "v"]));
      const cookies = Array.from({ length: 20 }, (_, i) => `c${i}=v`);
      const respond = (size: number) => handle(() => text("x".repeat(size), { headers, cookies }))(createEvent(source, { path: "/" }), ctx);
      // The largest body the old check let through, found by bisection: the result as sent is over 1 MB.
      let low = 1024 * 1024 - 8192;
      let high = 1024 * 1024;
      while (low < high) {
        const mid = Math.ceil((low + high) / 2);
        if ((await respond(mid)).statusCode === 200) low = mid;
        else high = mid - 1;
      }
      const largest = await respond(low);
      expect(Buffer.byteLength(JSON.stringify(largest))).toBeLessThanOrEqual(1024 * 1024);
      expect((await respond(low + 1)).statusCode).toBe(500);
      expect(lines.some((l) => /over this source's 1048576-byte limit/.test(l))).toBe(true);
    } finally {
      process.stdout.write = write;
    }
  });
  it("header values with CR or LF stay refused", async () => {
    const write = process.stdout.write;
    process.stdout.write = (() => true) as never;
    try {
      expect((await handle(() => json({}, { headers: { "x-a": "1\r\nx-b: 2" } }))(createEvent("alb", { path: "/" }), ctx)).statusCode).toBe(500);
    } finally {
      process.stdout.write = write;
    }
  });
});
