import { describe, expect, it } from "vitest";
import { createEvent, defaultAdapters, detectAdapter, functionUrl, handle, httpApiV2 } from "../index.ts";

const ctx = { awsRequestId: "lambda-request-id" };
const furl = (over: Record<string, unknown> = {}) => ({ ...createEvent("function-url", { method: "GET", path: "/files/a%20b", requestId: "furl-id" }), ...over });

describe("Lambda Function URLs", () => {
  it("is told apart from an HTTP API by its .lambda-url. domain", () => {
    expect(detectAdapter(furl(), defaultAdapters)?.name).toBe("function-url");
    expect(httpApiV2.match(furl())).toBe(false);
    expect(functionUrl.match(createEvent("http-api-v2", { path: "/" }))).toBe(false);
  });

  it("the path arrives encoded: kept, never double-encoded", () => {
    expect(functionUrl.request(furl() as never, ctx, {}).path).toBe("/files/a%20b");
    expect(functionUrl.request(furl({ rawPath: "/files/%E2%9C%93/x y" }) as never, ctx, {}).path).toBe("/files/%E2%9C%93/x%20y");
  });

  it("keeps the cookie header and cookies[] without counting pairs twice", () => {
    const event = furl({ headers: { cookie: "a=1; b=2" }, cookies: ["a=1", "b=2", "c=3"] });
    const req = functionUrl.request(event as never, ctx, {});
    expect(req.headers["cookie"]).toBe("a=1; b=2; c=3");
    expect({ ...req.cookies }).toEqual({ a: "1", b: "2", c: "3" });
  });

  it("IAM auth carries no claims", () => {
    const base = furl().requestContext as object;
    const req = functionUrl.request(furl({ requestContext: { ...base, authorizer: { iam: { accessKey: "AKIA", userArn: "arn" } } } }) as never, ctx, {});
    expect(req.auth).toBeUndefined();
    expect(req.source).toBe("function-url");
    expect(req.requestId).toBe("furl-id");
  });

  it("no stage is stripped (stage is $default)", () => {
    expect(functionUrl.request(furl({ rawPath: "/dev/x" }) as never, ctx, {}).path).toBe("/dev/x");
  });

  it("result uses cookies[] like payload 2.0", async () => {
    const result = await handle(() => ({ ok: 1 }))(furl(), ctx);
    expect(result).toMatchObject({ statusCode: 200, headers: { "x-request-id": "furl-id" }, body: '{"ok":1}', isBase64Encoded: false });
  });
  // Pinned by hand mutation testing (payload-v2.ts): each case below let a mutant pass every other test.
  it("a cookie header without blanks after ';' still counts its pairs once; a null header is no header", () => {
    const req = functionUrl.request(furl({ headers: { cookie: "a=1;b=2", "x-none": null }, cookies: ["a=1", "b=2", "c=3"] }) as never, ctx, {});
    expect(req.headers["cookie"]).toBe("a=1;b=2; c=3");
    expect(req.headersAll).not.toHaveProperty("x-none");
  });

  it("a cookies[] entry that is not a string is a 400 naming it, never a TypeError", async () => {
    const result = await handle((req) => ({ ...req.cookies }))(furl({ cookies: [42] }), ctx);
    expect(result).toMatchObject({ statusCode: 400 });
    expect(result.body).toMatch(/cookie/);
  });

  it("no rawQueryString and no http.sourceIp read as none", () => {
    const event = furl();
    delete (event as { rawQueryString?: string }).rawQueryString;
    delete (event.requestContext as { http: { sourceIp?: string } }).http.sourceIp;
    const req = functionUrl.request(event as never, ctx, {});
    expect([req.rawQuery, { ...req.queryAll }, req.sourceIp]).toEqual(["", {}, ""]);
  });
});
