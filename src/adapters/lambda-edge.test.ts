import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { binary, createEvent, createHandler, defaultAdapters, detectAdapter, empty, handle, json, lambdaEdge, text, type HttpRequest, type LambdaEdgeResult } from "../index.ts";

const ctx = { awsRequestId: "lambda-request-id" };
const viewer = (init: Partial<Parameters<typeof createEvent>[1]> = {}) => createEvent("lambda-edge", { method: "GET", path: "/exams", requestId: "cf-id", ...init }) as any;
const origin = (init: Partial<Parameters<typeof createEvent>[1]> = {}) => createEvent("lambda-edge-origin", { method: "GET", path: "/exams", requestId: "cf-id", ...init }) as any;
const edge = (app: (req: HttpRequest) => unknown) => createHandler(app, { adapters: [lambdaEdge] });
// A captured event from events/, parsed afresh for each test to mutate.
const captured = (name: string) => JSON.parse(readFileSync(new URL(`../../events/${name}.json`, import.meta.url), "utf8"));

// Captures the JSON log lines written while a test runs.
function logLines(): Array<Record<string, unknown>> {
  const lines: Array<Record<string, unknown>> = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (lines.push(JSON.parse(String(chunk))), true));
  return lines;
}
afterEach(() => void vi.restoreAllMocks());

describe("Lambda@Edge", () => {
  it("is opt-in and matches request triggers only, never a default source's event", async () => {
    expect(defaultAdapters).not.toContain(lambdaEdge);
    await expect(handle(() => "x")(viewer(), ctx)).rejects.toThrow(/unrecognised event \(keys: "Records"\)/);
    expect(detectAdapter(origin(), [...defaultAdapters, lambdaEdge])?.name).toBe("lambda-edge");
    const response = viewer();
    response.Records[0].cf.config.eventType = "origin-response";
    response.Records[0].cf.response = { status: "200", headers: {} };
    expect(lambdaEdge.match(response)).toBe(false);
    expect(lambdaEdge.match({ Records: [{ s3: {} }] })).toBe(false);
    for (const source of ["apigw-v1", "http-api-v1", "http-api-v2", "function-url", "alb", "vpc-lattice", "vpc-lattice-v2"] as const) {
      expect(lambdaEdge.match(createEvent(source, { path: "/x" })), source).toBe(false);
    }
  });

  it("reads uri, querystring, repeated headers, clientIp and CloudFront's request id", () => {
    const req = lambdaEdge.request(viewer({ path: "/a%20b/%C3%A9?tag=x&tag=y+z", headers: { accept: ["a", "b"] }, cookies: ["s=1", "t=2"], sourceIp: "2001:db8::7" }), ctx, {});
    expect([req.path, req.rawQuery, { ...req.queryAll }]).toEqual(["/a%20b/%C3%A9", "tag=x&tag=y+z", { tag: ["x", "y z"] }]);
    expect([req.headersAll["accept"], req.headers["cookie"], req.sourceIp, req.requestId]).toEqual([["a", "b"], "s=1; t=2", "2001:db8::7", "cf-id"]);
  });

  it("reads an included body, base64 or text", () => {
    const event = viewer({ method: "POST", body: '{"a":1}' });
    expect(lambdaEdge.request(event, ctx, {}).json()).toEqual({ a: 1 });
    event.Records[0].cf.request.body = { inputTruncated: false, action: "read-only", encoding: "text", data: "plain" };
    expect(lambdaEdge.request(event, ctx, {}).text()).toBe("plain");
  });

  it("a body CloudFront truncated is a 413 the app sees, never parsed", async () => {
    const big = "x".repeat(40 * 1024 + 1);
    const event = viewer({ method: "POST", body: big, headers: { "content-type": "text/plain" } });
    expect(event.Records[0].cf.request.body.inputTruncated).toBe(true);
    const result = await edge((req) => text(req.text()))(event, ctx);
    expect(result).toMatchObject({ status: "413", statusDescription: "Content Too Large" });
    expect(JSON.parse(result.body)).toMatchObject({ status: 413, detail: expect.stringMatching(/truncated/), requestId: "cf-id" });
    // The origin-request limit is 1 MB: the same body arrives whole there.
    expect(await edge((req) => text(String(req.text().length)))(origin({ method: "POST", body: big }), ctx)).toMatchObject({ status: "200", body: String(big.length) });
  });

  it("result: string status, { key, value } pairs, repeated headers kept, one pair per Set-Cookie", async () => {
    const cookies = ["a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT", "b=2"];
    const result = await edge(() => json({ ok: true }, { status: 201, cookies, headers: { Vary: ["accept", "origin"] } }))(viewer(), ctx);
    expect(result).toEqual({
      status: "201",
      statusDescription: "Created",
      headers: {
        "content-type": [{ key: "Content-Type", value: "application/json; charset=utf-8" }],
        vary: [{ key: "Vary", value: "accept" }, { key: "Vary", value: "origin" }],
        "x-request-id": [{ key: "X-Request-Id", value: "cf-id" }],
        "set-cookie": cookies.map((value) => ({ key: "Set-Cookie", value })),
      },
      body: '{"ok":true}',
      bodyEncoding: "text",
    });
  });

  it("result: a header named `constructor` beside a repeated one is sent (was: a 500, \".map is not a function\")", async () => {
    const result = await edge(() => text("ok", { headers: { constructor: "x", vary: ["origin", "accept"] } }))(viewer(), ctx);
    expect(result.status).toBe("200");
    expect(result.headers["constructor"]).toEqual([{ key: "Constructor", value: "x" }]);
    expect(result.headers["vary"]).toEqual([{ key: "Vary", value: "origin" }, { key: "Vary", value: "accept" }]);
  });

  it.each([[42], [{ id: "cf" }]])("a config.requestId of %j falls back to the Lambda request id in x-request-id (was: Node's TypeError from Buffer.byteLength, a rejection)", async (requestId) => {
    const event = captured("lambda-edge-viewer-get");
    event.Records[0].cf.config.requestId = requestId;
    const result = await edge(() => text("ok"))(event, ctx);
    expect(result.status).toBe("200");
    expect(result.headers["x-request-id"]).toEqual([{ key: "X-Request-Id", value: ctx.awsRequestId }]);
  });

  it("result: binary is base64; HEAD and 304 carry no body", async () => {
    const handler = edge((req) => (req.path === "/cached" ? empty(304) : binary(new Uint8Array([0, 1, 2, 255]), "image/png")));
    expect(await handler(viewer(), ctx)).toMatchObject({ status: "200", body: "AAEC/w==", bodyEncoding: "base64" });
    expect(await handler(viewer({ method: "HEAD" }), ctx)).not.toHaveProperty("body");
    expect(await handler(viewer({ path: "/cached" }), ctx)).toStrictEqual({ status: "304", statusDescription: "Not Modified", headers: { "x-request-id": [{ key: "X-Request-Id", value: "cf-id" }] } });
  });

  it("result: no body, no body field; CloudFront answers a viewer-request 204 carrying one, even \"\", with its 502 (was: body \"\" on every 204)", async () => {
    // AWS, "Generating HTTP responses in request triggers" › Errors: "Response Contains a Body and Specifies
    // 204 (No Content) for Status"; an empty body property trips it too (serverless-nextjs/serverless-next.js#436).
    expect(await edge(() => empty(204))(viewer(), ctx)).toStrictEqual({ status: "204", statusDescription: "No Content", headers: { "x-request-id": [{ key: "X-Request-Id", value: "cf-id" }] } });
    const dropped = await edge(() => text("never sent", 204))(viewer(), ctx);
    expect([dropped.status, "body" in dropped, "bodyEncoding" in dropped]).toEqual(["204", false, false]);
  });

  it("a 1xx answer is a logged 500 problem: CloudFront takes a generated status of 200–599 only (was: status \"103\", CloudFront's error page)", async () => {
    const lines = logLines();
    const result = await edge(() => empty(103))(viewer(), ctx);
    expect(result).toMatchObject({ status: "500", headers: { "content-type": [{ key: "Content-Type", value: "application/problem+json" }] } });
    expect(JSON.parse(result.body!)).toMatchObject({ status: 500, detail: expect.stringMatching(/status outside 200–599/), requestId: "cf-id" });
    expect(lines).toEqual([expect.objectContaining({ level: "error", status: 103, requestId: "cf-id" })]);
  });

  it("a body the viewer sent that the trigger does not include is a logged 500 naming the fix, never read as empty (was: a 400 blaming the client, \"The request body is empty\")", async () => {
    const lines = logLines();
    const json = (req: HttpRequest) => text(JSON.stringify(req.json()));
    // "Include body" off: CloudFront sends no body field, but Content-Length (read-only, still exposed) says one came.
    const sent = captured("lambda-edge-viewer-post-base64-body");
    delete sent.Records[0].cf.request.body;
    sent.Records[0].cf.request.headers["content-length"] = [{ key: "Content-Length", value: "62" }];
    expect(await edge(json)(sent, ctx)).toMatchObject({ status: "500" });
    expect(lines).toEqual([expect.objectContaining({ level: "error", errorMessage: expect.stringMatching(/sent a body this trigger does not include.*"Include body"/) })]);
    // A chunked body has no Content-Length, only Transfer-Encoding.
    delete sent.Records[0].cf.request.headers["content-length"];
    sent.Records[0].cf.request.headers["transfer-encoding"] = [{ key: "Transfer-Encoding", value: "chunked" }];
    expect(await edge(json)(sent, ctx)).toMatchObject({ status: "500" });
    // No body sent (GET, Content-Length: 0, an empty Transfer-Encoding list) reads as empty, as before.
    sent.Records[0].cf.request.headers["transfer-encoding"] = [];
    expect(await edge((req) => text(`[${req.text()}]`))(sent, ctx)).toMatchObject({ status: "200", body: "[]" });
    const none = viewer({ method: "POST", headers: { "content-length": "0" } });
    expect(await edge((req) => text(`[${req.text()}]`))(none, ctx)).toMatchObject({ status: "200", body: "[]" });
    expect(await edge((req) => text(`[${req.text()}]`))(viewer(), ctx)).toMatchObject({ status: "200", body: "[]" });
  });

  it("drops headers CloudFront refuses in a generated response, with one log line", async () => {
    const lines = logLines();
    const refused = { "Content-Length": "2", "Transfer-Encoding": "chunked", Connection: "close", "Keep-Alive": "5", "Proxy-Authenticate": "x", Upgrade: "h2c", Via: "1.1 app", "X-Accel-Redirect": "/x", "X-Amz-Cf-Pop": "x", "X-Cache": "Hit", "X-Edge-Origin-Shield": "x", "X-Forwarded-Proto": "https", "X-Real-IP": "1.2.3.4", Trailer: "x", Expect: "100" };
    const result = await edge(() => text("ok", { headers: { ...refused, "Cache-Control": "max-age=60" } }))(origin(), ctx);
    expect(Object.keys(result.headers).sort()).toEqual(["cache-control", "content-type", "x-request-id"]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "warn", requestId: "cf-id", method: "GET", path: "/exams" });
    expect((lines[0]!["headers"] as string[]).sort()).toEqual(Object.keys(refused).map((n) => n.toLowerCase()).sort());
  });

  it("a response over the trigger's size limit is a logged 500 problem, not an invalid result", async () => {
    const lines = logLines();
    const body = "x".repeat(40 * 1024);
    const result = await edge(() => text(body))(viewer(), ctx);
    expect(result).toMatchObject({ status: "500", headers: { "content-type": [{ key: "Content-Type", value: "application/problem+json" }] } });
    expect(JSON.parse(result.body)).toMatchObject({ status: 500, requestId: "cf-id" });
    expect(lines).toEqual([expect.objectContaining({ level: "error", limit: 40 * 1024, requestId: "cf-id" })]);
    // The same body fits an origin-request's 1 MB; base64 is counted as sent (4/3 larger).
    expect(await edge(() => text(body))(origin(), ctx)).toMatchObject({ status: "200", bodyEncoding: "text" });
    const bytes = new Uint8Array(800 * 1024);
    expect(await edge(() => binary(bytes, "application/octet-stream"))(origin(), ctx)).toMatchObject({ status: "500" });
  });
  // Pinned by hand mutation testing: each case below let a mutant of lambda-edge.ts pass every other test.
  it("a request trigger event carrying a response (only response triggers do) is not matched", () => {
    const event = origin();
    event.Records[0].cf.response = { status: "200", headers: {} };
    expect(lambdaEdge.match(event)).toBe(false);
  });

  it("no querystring and no clientIp read as none: rawQuery \"\", no query, sourceIp \"\"", () => {
    const event = viewer({ path: "/a?x=1" });
    delete event.Records[0].cf.request.querystring;
    delete event.Records[0].cf.request.clientIp;
    const req = lambdaEdge.request(event, ctx, {});
    expect([req.rawQuery, { ...req.queryAll }, req.sourceIp]).toEqual(["", {}, ""]);
  });

  it("Content-Length: 1 without an included body is a body left out (a 500 naming the fix)", async () => {
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const event = viewer({ method: "POST", headers: { "content-length": "1" } });
    expect(await edge((req) => text(`[${req.text()}]`))(event, ctx)).toMatchObject({ status: "500" });
  });

  it("CloudFront's request id is used up to 256 characters; a longer one gives way to Lambda's", () => {
    const id = (requestId: string) => lambdaEdge.request(viewer({ requestId }), ctx, {}).requestId;
    expect(id("r".repeat(256))).toBe("r".repeat(256));
    expect(id("r".repeat(257))).toBe(ctx.awsRequestId);
  });

  it.each([100, 199])("status %i (1xx, CloudFront takes 200–599) is a logged 500; 200 is sent", async (status) => {
    const lines = logLines();
    expect(await edge(() => empty(status))(viewer(), ctx)).toMatchObject({ status: "500" });
    expect(await edge(() => empty(200))(viewer(), ctx)).toMatchObject({ status: "200" });
    expect(lines).toEqual([expect.objectContaining({ level: "error", status })]);
  });

  it("refuses every x-amzn-* header the AWS list names, and only whole names: x-amzn-trace-id, x-via, x-upgrade-id are sent", async () => {
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const refused = ["x-amzn-auth", "x-amzn-cf-billing", "x-amzn-cf-id", "x-amzn-cf-xff", "x-amzn-errortype", "x-amzn-fle-profile", "x-amzn-header-count", "x-amzn-header-order", "x-amzn-lambda-integration-tag", "x-amzn-requestid"];
    const kept = ["x-amzn-trace-id", "x-via", "x-upgrade-id", "my-connection"];
    const result = await edge(() => text("ok", { headers: Object.fromEntries([...refused, ...kept].map((name) => [name, "1"])) }))(origin(), ctx);
    expect(Object.keys(result.headers).sort()).toEqual([...kept, "content-type", "x-request-id"].sort());
  });

  // Headers count as name + value in UTF-8 bytes (each Set-Cookie as "set-cookie" + its value), the body as returned.
  const sizeOf = (result: LambdaEdgeResult) =>
    Buffer.byteLength(result.body ?? "") + Object.entries(result.headers).reduce((sum, [name, pairs]) => sum + pairs.reduce((n, { value }) => n + name.length + Buffer.byteLength(value), 0), 0);
  it.each([
    ["viewer", viewer, 40 * 1024],
    ["origin", origin, 1024 * 1024],
  ] as const)("a %s-request response of exactly the limit, headers and cookies counted in UTF-8 bytes, is sent; one byte more is the 500", async (_, event, limit) => {
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const answer = (body: string) => edge(() => text(body, { cookies: ["s=é"], headers: { "x-note": "né" } }))(event(), ctx);
    const overhead = sizeOf(await answer(""));
    const body = "é".repeat(100) + "x".repeat(limit - overhead - 200);
    const fits = await answer(body);
    expect([fits.status, sizeOf(fits)]).toEqual(["200", limit]);
    expect((await answer(body + "x")).status).toBe("500");
  });
});
