import { describe, expect, it } from "vitest";
import { apiGatewayV1, createEvent, defaultAdapters, detectAdapter, handle, json, text } from "../index.ts";
import { parseQuery } from "../lib/query.ts";

const ctx = { awsRequestId: "lambda-request-id" };
const restEvent = (over: Record<string, unknown> = {}) => ({ ...createEvent("apigw-v1", { method: "GET", path: "/exams/e-1", requestId: "rest-id" }), ...over });

describe("API Gateway REST (payload 1.0)", () => {
  it("console test events: headers, multi-value maps, query maps and body may all be null", () => {
    const event = restEvent({ headers: null, multiValueHeaders: null, queryStringParameters: null, multiValueQueryStringParameters: null, body: null });
    const req = apiGatewayV1.request(event as never, ctx, {});
    expect({ ...req.headers }).toEqual({});
    expect({ ...req.query }).toEqual({});
    expect(req.rawQuery).toBe("");
    expect(req.bytes().length).toBe(0);
    expect(() => req.json()).toThrow(/empty/);
  });

  it("query values are already decoded by API Gateway: b%40r stays b%40r", () => {
    const event = restEvent({ queryStringParameters: { e: "b%40r" }, multiValueQueryStringParameters: { e: ["b%40r"] } });
    const req = apiGatewayV1.request(event as never, ctx, {});
    expect(req.query["e"]).toBe("b%40r");
    expect(req.rawQuery).toBe("e=b%2540r");
  });

  it("decoded query values holding &, =, + or a space are re-encoded into rawQuery and read back unchanged", () => {
    const values = { q: ["a&b=c d", "1+1"], "k&=y": ["/book/{bookId}/"] };
    const event = restEvent({ queryStringParameters: { q: "1+1", "k&=y": "/book/{bookId}/" }, multiValueQueryStringParameters: values });
    const req = apiGatewayV1.request(event as never, ctx, {});
    expect(req.rawQuery).toBe("q=a%26b%3Dc%20d&q=1%2B1&k%26%3Dy=%2Fbook%2F%7BbookId%7D%2F");
    expect({ ...req.queryAll }).toEqual(values);
    // Parsed again from rawQuery (as createRequest would), the values are the same.
    const parsed: Record<string, string[]> = {};
    parseQuery(req.rawQuery, (key, value) => (parsed[key] ??= []).push(value as string));
    expect(parsed).toEqual(values);
  });

  it("prefers multiValueQueryStringParameters, then single keys it lacks", () => {
    const event = restEvent({ queryStringParameters: { tag: "b", only: "1" }, multiValueQueryStringParameters: { tag: ["a", "b"] } });
    const req = apiGatewayV1.request(event as never, ctx, {});
    expect({ ...req.queryAll }).toEqual({ tag: ["a", "b"], only: ["1"] });
    expect(req.query["tag"]).toBe("a");
  });

  it("reads a single-value key named like an Object.prototype member that the multi-value map lacks (was: dropped)", () => {
    const event = restEvent({
      queryStringParameters: { tag: "a", toString: "t", valueOf: "v" },
      multiValueQueryStringParameters: { tag: ["a"] },
      headers: { accept: "*/*", constructor: "c" },
      multiValueHeaders: { accept: ["*/*"] },
    });
    const req = apiGatewayV1.request(event as never, ctx, {});
    expect(req.query["toString"]).toBe("t");
    expect(req.query["valueOf"]).toBe("v");
    expect(req.headers["constructor"]).toBe("c");
    expect({ ...req.queryAll }).toEqual({ tag: ["a"], toString: ["t"], valueOf: ["v"] });
  });

  it("prefers multiValueHeaders: x-forwarded-for keeps its first entry", () => {
    const event = restEvent({
      headers: { "X-Forwarded-For": "203.0.113.10", Accept: "*/*" },
      multiValueHeaders: { "X-Forwarded-For": ["203.0.113.1", "203.0.113.10"], Accept: ["*/*"] },
    });
    const req = apiGatewayV1.request(event as never, ctx, {});
    expect(req.headers["x-forwarded-for"]).toBe("203.0.113.1, 203.0.113.10");
    expect(req.headersAll["x-forwarded-for"]).toEqual(["203.0.113.1", "203.0.113.10"]);
  });

  it("several Cookie headers (HTTP/2) are joined with '; '", () => {
    const event = restEvent({ headers: { cookie: "b=2" }, multiValueHeaders: { cookie: ["a=1", "b=2"] } });
    const req = apiGatewayV1.request(event as never, ctx, {});
    expect(req.headers["cookie"]).toBe("a=1; b=2");
    expect({ ...req.cookies }).toEqual({ a: "1", b: "2" });
  });

  it("a REST event behind a base path mapping carries rawPath and is still REST", () => {
    const event = restEvent({ path: "/v1/exams/e-1", rawPath: "/v1/exams/e-1" });
    expect(detectAdapter(event, defaultAdapters)?.name).toBe("apigw-v1");
    const req = apiGatewayV1.request(event as never, ctx, { basePath: "/v1" });
    expect(req.path).toBe("/exams/e-1");
  });

  it("basePath strips whole segments only", () => {
    expect(apiGatewayV1.request(restEvent({ path: "/v10/x" }) as never, ctx, { basePath: "/v1" }).path).toBe("/v10/x");
    expect(apiGatewayV1.request(restEvent({ path: "/v1" }) as never, ctx, { basePath: "v1/" }).path).toBe("/");
  });

  it("the path arrives encoded: kept byte for byte, never double-encoded", () => {
    expect(apiGatewayV1.request(restEvent({ path: "/files/a%20b/%C3%A9" }) as never, ctx, {}).path).toBe("/files/a%20b/%C3%A9");
  });

  it("HTTP API payload 1.0: decoded path re-encoded, named stage stripped", () => {
    const event = restEvent({ version: "1.0", path: "/dev/files/a b", requestContext: { requestId: "h1", stage: "dev", identity: { sourceIp: "198.51.100.1" } } });
    const req = apiGatewayV1.request(event as never, ctx, {});
    expect(req.path).toBe("/files/a%20b");
    expect(req.stage).toBe("dev");
    expect(req.sourceIp).toBe("198.51.100.1");
    expect(apiGatewayV1.request(event as never, ctx, { stripStage: false }).path).toBe("/dev/files/a%20b");
  });

  it("auth: Cognito claims, else the Lambda authorizer context", () => {
    const claims = { sub: "u-1", "cognito:groups": "teacher" };
    const withClaims = restEvent({ requestContext: { requestId: "x", authorizer: { claims } } });
    expect(apiGatewayV1.request(withClaims as never, ctx, {}).auth).toEqual(claims);
    const lambdaCtx = { principalId: "u-2", role: "student", integrationLatency: 3 };
    const withLambda = restEvent({ requestContext: { requestId: "x", authorizer: lambdaCtx } });
    expect(apiGatewayV1.request(withLambda as never, ctx, {}).auth).toEqual(lambdaCtx);
    expect(apiGatewayV1.request(restEvent() as never, ctx, {}).auth).toBeUndefined();
  });

  it("requestId is API Gateway's, the method upper case", () => {
    const req = apiGatewayV1.request(restEvent({ httpMethod: "post" }) as never, ctx, {});
    expect(req.requestId).toBe("rest-id");
    expect(req.method).toBe("POST");
    expect(req.source).toBe("apigw-v1");
  });

  it("result: several Set-Cookie in multiValueHeaders, never comma-joined, no `cookies` key", async () => {
    const cookies = ["a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT", "b=2"];
    const result = await handle(() => text("ok", { cookies, headers: { vary: ["Origin", "Accept"] } }))(restEvent(), ctx);
    expect(result).toEqual({
      statusCode: 200,
      headers: { "content-type": "text/plain; charset=utf-8", "x-request-id": "rest-id" },
      multiValueHeaders: { vary: ["Origin", "Accept"], "set-cookie": cookies },
      body: "ok",
      isBase64Encoded: false,
    });
    expect(result).not.toHaveProperty("cookies");
  });

  it("result: no multiValueHeaders when nothing repeats", async () => {
    const result = await handle(() => json({ a: 1 }))(restEvent(), ctx);
    expect(Object.keys(result).sort()).toEqual(["body", "headers", "isBase64Encoded", "statusCode"]);
  });
});

describe("API Gateway REST: authorizer edge cases", () => {
  it("HTTP API payload 1.0 without an authorizer sends { claims: null, scopes: null }: no auth", () => {
    const event = restEvent({ version: "1.0", requestContext: { requestId: "x", stage: "$default", authorizer: { claims: null, scopes: null } } });
    expect(apiGatewayV1.request(event as never, ctx, {}).auth).toBeUndefined();
  });
  // Pinned by hand mutation testing: each case below let a mutant of api-gateway-v1.ts pass every other test.
  it.each([
    ["JWT claims under jwt", { jwt: { claims: { sub: "u-j" }, scopes: ["exams/write"] } }, { sub: "u-j" }],
    ["a Lambda authorizer's context under lambda", { lambda: { user: "u-l" } }, { user: "u-l" }],
  ])("auth: %s is the identity", (_name, authorizer, auth) => {
    const event = restEvent({ version: "1.0", requestContext: { requestId: "x", stage: "$default", authorizer } });
    expect(apiGatewayV1.request(event as never, ctx, {}).auth).toEqual(auth);
  });
  it("an event with an httpMethod but no requestContext is not REST's (never a TypeError from match)", () => {
    expect(apiGatewayV1.match({ httpMethod: "GET", path: "/" })).toBe(false);
  });
  it("REST's path never holds the stage: a first segment named like the stage is a path segment; payload 1.0 on a custom domain keeps it too", () => {
    const rest = restEvent({ path: "/prod/items", requestContext: { requestId: "x", stage: "prod", domainName: "abc123.execute-api.eu-west-1.amazonaws.com" } });
    expect(apiGatewayV1.request(rest as never, ctx, {}).path).toBe("/prod/items");
    const custom = restEvent({ version: "1.0", path: "/v1/items", requestContext: { requestId: "x", stage: "v1", domainName: "api.example.com" } });
    expect(apiGatewayV1.request(custom as never, ctx, {}).path).toBe("/v1/items");
  });

  it("no identity.sourceIp is sourceIp \"\"", () => {
    expect(apiGatewayV1.request(restEvent({ requestContext: { requestId: "x", identity: null } }) as never, ctx, {}).sourceIp).toBe("");
  });
});
