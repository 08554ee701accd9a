import { describe, expect, it } from "vitest";
import { createEvent, defaultAdapters, detectAdapter, handle, httpApiV2, json } from "../index.ts";

const ctx = { awsRequestId: "lambda-request-id" };
const v2 = (over: Record<string, unknown> = {}, init: Partial<Parameters<typeof createEvent>[1]> = {}) => ({
  ...createEvent("http-api-v2", { method: "GET", path: "/exams/e-1", requestId: "v2-id", ...init }),
  ...over,
});

describe("API Gateway HTTP API (payload 2.0)", () => {
  it("builds the query from rawQueryString, never from queryStringParameters", () => {
    // API Gateway joins duplicates with commas and has already turned %2B into a space there.
    const event = v2({ rawQueryString: "tag=a&tag=b&plus=%2B&sp=a+b", queryStringParameters: { tag: "a,b", plus: " ", sp: "a b" } });
    const req = httpApiV2.request(event as never, ctx, {});
    expect({ ...req.queryAll }).toEqual({ tag: ["a", "b"], plus: ["+"], sp: ["a b"] });
    expect(req.rawQuery).toBe("tag=a&tag=b&plus=%2B&sp=a+b");
  });

  it("joins cookies[] into the cookie header with '; '", () => {
    const event = v2({ cookies: ["a=1", "b=x%20y"], headers: { host: "h" } });
    const req = httpApiV2.request(event as never, ctx, {});
    expect(req.headers["cookie"]).toBe("a=1; b=x%20y");
    expect({ ...req.cookies }).toEqual({ a: "1", b: "x y" });
  });

  it("rawPath arrives decoded: re-encoded into the canonical path", () => {
    const req = httpApiV2.request(v2({ rawPath: "/files/a b/é/100%" }) as never, ctx, {});
    expect(req.path).toBe("/files/a%20b/%C3%A9/100%25");
  });

  it("strips a named stage only when the path starts with that whole segment", () => {
    const named = (rawPath: string) => v2({ rawPath, requestContext: { ...(v2().requestContext as object), stage: "dev" } });
    expect(httpApiV2.request(named("/dev/exams") as never, ctx, {}).path).toBe("/exams");
    expect(httpApiV2.request(named("/dev") as never, ctx, {}).path).toBe("/");
    expect(httpApiV2.request(named("/devices") as never, ctx, {}).path).toBe("/devices");
    expect(httpApiV2.request(named("/exams") as never, ctx, {}).path).toBe("/exams"); // custom domain: no stage segment
    expect(httpApiV2.request(named("/dev/exams") as never, ctx, { stripStage: false }).path).toBe("/dev/exams");
    expect(httpApiV2.request(v2({ rawPath: "/$default/x" }) as never, ctx, {}).path).toBe("/$default/x");
  });

  it("createEvent puts a named stage in rawPath, and the adapter takes it off again", () => {
    const event = createEvent("http-api-v2", { path: "/exams/a%20b", stage: "dev" });
    expect(event["rawPath"]).toBe("/dev/exams/a b");
    expect(httpApiV2.request(event as never, ctx, {}).path).toBe("/exams/a%20b");
  });

  it("auth: JWT claims (array claims arrive as strings), else the Lambda authorizer context", () => {
    const claims = { sub: "u-1", "cognito:groups": "[teacher admin]" };
    const base = v2().requestContext as object;
    expect(httpApiV2.request(v2({ requestContext: { ...base, authorizer: { jwt: { claims, scopes: null } } } }) as never, ctx, {}).auth).toEqual(claims);
    expect(httpApiV2.request(v2({ requestContext: { ...base, authorizer: { lambda: { role: "x" } } } }) as never, ctx, {}).auth).toEqual({ role: "x" });
    expect(httpApiV2.request(v2({ requestContext: { ...base, authorizer: { iam: { accessKey: "A" } } } }) as never, ctx, {}).auth).toBeUndefined();
  });

  it("base64 bodies stay bytes; content-length from the client is not trusted", () => {
    const bytes = new Uint8Array([0, 255, 1, 254, 0x89, 0x50]);
    const event = createEvent("http-api-v2", { method: "POST", path: "/up", body: bytes, headers: { "content-length": "1" } });
    const req = httpApiV2.request(event as never, ctx, {});
    expect([...req.bytes()]).toEqual([...bytes]);
    expect(req.bytes().length).toBe(6);
  });

  it("is detected only with version 2.0 and requestContext.http", () => {
    expect(detectAdapter(v2(), defaultAdapters)?.name).toBe("http-api-v2");
    expect(detectAdapter({ ...v2(), version: "1.0" }, defaultAdapters)?.name).not.toBe("http-api-v2");
    expect(httpApiV2.match({ version: "2.0", rawPath: "/", requestContext: {} })).toBe(false);
  });

  it("result: Set-Cookie values go to cookies[], other repeated headers are joined", async () => {
    const cookies = ["a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT", "b=2"];
    const result = await handle(() => json({ ok: true }, { cookies, headers: { "Set-Cookie": "c=3", vary: ["Origin", "Accept"] } }))(v2(), ctx);
    expect(result).toEqual({
      statusCode: 200,
      headers: { "content-type": "application/json; charset=utf-8", vary: "Origin, Accept", "x-request-id": "v2-id" },
      cookies: [...cookies, "c=3"],
      body: '{"ok":true}',
      isBase64Encoded: false,
    });
  });

  it("result: no cookies key when there are none", async () => {
    const result = await handle(() => "hi")(v2(), ctx);
    expect(result).not.toHaveProperty("cookies");
  });
  // Pinned by hand mutation testing (http-api-v2.ts, payload-v2.ts): each case below let a mutant pass every other test.
  it("a decoded rawPath's '%' is always text: '%41' becomes '%2541', never read as an escape", () => {
    expect(httpApiV2.request(v2({ rawPath: "/files/%41" }) as never, ctx, {}).path).toBe("/files/%2541");
  });

  it("a domain that merely contains 'lambda-url' is an HTTP API's; a malformed domainName never throws from match", () => {
    const base = v2().requestContext as object;
    expect(httpApiV2.match(v2({ requestContext: { ...base, domainName: "lambda-url.example.com" } }))).toBe(true);
    expect(() => httpApiV2.match(v2({ requestContext: { ...base, domainName: { toString: 1 } } }))).not.toThrow();
  });
  it("on a custom domain the path holds no stage: a first segment named like the stage stays", () => {
    const base = v2().requestContext as object;
    expect(httpApiV2.request(v2({ rawPath: "/v1/items", requestContext: { ...base, stage: "v1", domainName: "api.example.com" } }) as never, ctx, {}).path).toBe("/v1/items");
  });
});
