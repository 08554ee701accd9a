import { describe, expect, it, vi } from "vitest";
import { binary, createEvent, createHandler, defaultAdapters, detectAdapter, empty, handle, httpApiV2, json, text, vpcLattice } from "../index.ts";

const ctx = { awsRequestId: "lambda-request-id" };
const v1 = (over: Record<string, unknown> = {}) => ({ ...createEvent("vpc-lattice", { method: "GET", path: "/exams" }), ...over });
const v2 = (over: Record<string, unknown> = {}) => ({ ...createEvent("vpc-lattice-v2", { method: "GET", path: "/exams" }), ...over });
const lattice = createHandler((req) => json({ path: req.path }), { adapters: [vpcLattice] });

describe("VPC Lattice", () => {
  it("is opt-in: handle(app) refuses its events, naming the sources it supports and the fix (was: 'Use the fallback option', the wrong one)", async () => {
    expect(defaultAdapters).not.toContain(vpcLattice);
    await expect(handle(() => "x")(v2(), ctx)).rejects.toThrow(/unrecognised event.*supported sources: alb, http-api-v2.*\. Add its adapter \(vpcLattice, lambdaEdge…\) to adapters, or a fallback option\.$/);
    expect(await handle(() => "x", { adapters: [...defaultAdapters, vpcLattice] })(v2(), ctx)).toMatchObject({ statusCode: 200 });
  });

  it("v2 is never taken for HTTP API payload 2.0, and HTTP API events are never taken for Lattice", () => {
    // Both have version "2.0" and a requestContext; only HTTP API has requestContext.http.
    expect(httpApiV2.match(v2())).toBe(false);
    expect(vpcLattice.match(createEvent("http-api-v2", { path: "/x" }))).toBe(false);
    expect(vpcLattice.match(createEvent("function-url", { path: "/x" }))).toBe(false);
    // Payload 1.0 from an HTTP API has a version ("1.0") and a path, like a Lattice v2 event.
    expect(vpcLattice.match(createEvent("http-api-v1", { path: "/x" }))).toBe(false);
    expect(detectAdapter(v2(), [...defaultAdapters, vpcLattice])?.name).toBe("vpc-lattice");
    expect(vpcLattice.match({ version: "2.0", path: "/x", method: "GET", requestContext: {} })).toBe(false);
    expect(vpcLattice.match({ raw_path: "/x" })).toBe(false);
    expect(vpcLattice.match(null)).toBe(false);
  });

  it("v2: header and query values may be arrays or plain strings", () => {
    const arrays = vpcLattice.request(v2({ headers: { a: ["1", "2"] }, queryStringParameters: { q: ["x", "y"] } }) as never, ctx, {});
    const strings = vpcLattice.request(v2({ headers: { a: "1, 2" }, queryStringParameters: { q: "x" } }) as never, ctx, {});
    expect([arrays.headers["a"], { ...arrays.queryAll }]).toEqual(["1, 2", { q: ["x", "y"] }]);
    expect([strings.headersAll["a"], { ...strings.queryAll }]).toEqual([["1, 2"], { q: ["x"] }]);
  });

  it("a query carried in the path wins, byte for byte, over queryStringParameters", () => {
    const req = vpcLattice.request(v2({ path: "/a%2Fb?x=%2B&x=2", queryStringParameters: { x: ["+", "2"], stale: ["1"] } }) as never, ctx, {});
    expect([req.path, req.rawQuery, { ...req.queryAll }]).toEqual(["/a%2Fb", "x=%2B&x=2", { x: ["+", "2"] }]);
    expect(vpcLattice.request(v1({ raw_path: "/v1?k=v" }) as never, ctx, {}).rawQuery).toBe("k=v");
  });

  it("sourceIp is the last x-forwarded-for entry; requestId is Lambda's; basePath applies", () => {
    const req = vpcLattice.request(v2({ path: "/api/exams", headers: { "x-forwarded-for": ["6.6.6.6, 7.7.7.7, 10.0.0.9"] } }) as never, ctx, { basePath: "/api" });
    expect([req.sourceIp, req.requestId, req.path, req.stage]).toEqual(["10.0.0.9", "lambda-request-id", "/exams", undefined]);
  });

  it("v1 reads is_base64_encoded; auth only from v2's identity", () => {
    const req = vpcLattice.request(v1({ method: "POST", body: "AAEC/w==", is_base64_encoded: true }) as never, ctx, {});
    expect([...req.bytes()]).toEqual([0, 1, 2, 255]);
    expect(req.auth).toBeUndefined();
    const identity = { type: "AWS_IAM", principal: "arn:aws:iam::123456789012:role/caller" };
    expect(vpcLattice.request(v2({ requestContext: { serviceNetworkArn: "arn:sn", identity } }) as never, ctx, {}).auth).toEqual(identity);
    expect(vpcLattice.request(v2({ requestContext: { serviceNetworkArn: "arn:sn", identity: { principal: null } } }) as never, ctx, {}).auth).toBeUndefined();  });

  it("auth is undefined when Lattice vouched for no caller: auth type NONE sends only type and sourceVpcArn (was: that identity, so `if (!req.auth)` let anonymous callers in)", () => {
    const auth = (identity: Record<string, unknown>) => vpcLattice.request(v2({ requestContext: { serviceNetworkArn: "arn:sn", identity } }) as never, ctx, {}).auth;
    const vpc = "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0b8276c84697e7339";
    expect(auth({ sourceVpcArn: vpc, type: "NONE" })).toBeUndefined();
    expect(auth({ sourceVpcArn: vpc })).toBeUndefined();
    expect(auth({ sourceVpcArn: vpc, type: "AWS_IAM", principal: "" })).toBeUndefined();
    const iam = { sourceVpcArn: vpc, type: "AWS_IAM", principal: "arn:aws:iam::123456789012:role/caller", sessionName: "s-1" };
    expect(auth(iam)).toEqual(iam);
    const certificate = { sourceVpcArn: vpc, type: "NONE", X509SubjectCn: "client.example.com" };
    expect(auth(certificate)).toEqual(certificate);
  });

  it("result: statusDescription, one string per header, every Set-Cookie under its own name variant", async () => {
    const cookies = ["a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT", "b=2", "c=3"];
    const result = await createHandler(() => text("hi", { status: 201, cookies, headers: { vary: ["accept", "origin"] } }), { adapters: [vpcLattice] })(v2(), ctx);
    expect(result).toEqual({
      statusCode: 201,
      statusDescription: "201 Created",
      headers: { "content-type": "text/plain; charset=utf-8", vary: "accept, origin", "x-request-id": "lambda-request-id", "set-cookie": cookies[0], "Set-cookie": cookies[1], "sEt-cookie": cookies[2] },
      body: "hi",
      isBase64Encoded: false,
    });
  });

  it("result: Set-Cookie beyond the 512 case variants of the name is a logged 500, never dropped unseen (was: the 513th on silently lost)", async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (lines.push(String(chunk)), true));
    try {
      const cookies = Array.from({ length: 513 }, (_, i) => `c${i}=1`);
      const handler = (count: number) => createHandler(() => text("x", { cookies: cookies.slice(0, count) }), { adapters: [vpcLattice] });
      expect(await handler(513)(v2(), ctx)).toMatchObject({ statusCode: 500, statusDescription: "500 Internal Server Error" });
      expect(JSON.parse(lines[0]!)).toMatchObject({ level: "error", errorMessage: expect.stringMatching(/over 512 Set-Cookie/) });
      const fits = (await handler(512)(v1(), ctx)) as { statusCode: number; headers: Record<string, string> };
      expect([fits.statusCode, Object.keys(fits.headers).filter((name) => name.toLowerCase() === "set-cookie").length]).toEqual([200, 512]);
    } finally {
      spy.mockRestore();
    }
  });

  it("result: binary bodies travel base64; HEAD and 204 carry none", async () => {
    const bytes = new Uint8Array([0, 1, 2, 255]);
    const handler = createHandler((req) => (req.path === "/none" ? empty() : binary(bytes, "image/png")), { adapters: [vpcLattice] });
    expect(await handler(v1({ raw_path: "/png" }), ctx)).toMatchObject({ statusCode: 200, body: "AAEC/w==", isBase64Encoded: true });
    expect(await handler(v2({ method: "HEAD" }), ctx)).toMatchObject({ statusCode: 200, body: "", isBase64Encoded: false });
    expect(await handler(v2({ path: "/none" }), ctx)).toMatchObject({ statusCode: 204, statusDescription: "204 No Content", body: "" });
  });

  it("paths are read as encoded: valid escapes kept, anything else encoded", async () => {
    expect(await lattice(v2({ path: "/caf%C3%A9/a b/100%" }), ctx)).toMatchObject({ body: '{"path":"/caf%C3%A9/a%20b/100%25"}' });
  });

  it("v1 joins two Cookie headers with \", \" as it joins any header: both cookies are read (was: { a: \"1, b=2\" })", () => {
    const req = vpcLattice.request(v1({ headers: { cookie: "a=1, b=2; c=x,y" } }) as never, ctx, {});
    expect({ ...req.cookies }).toEqual({ a: "1", b: "2", c: "x,y" });
    expect(req.headersAll["cookie"]).toEqual(["a=1", "b=2; c=x,y"]);
    // v2 sends a list: each entry is one header as sent, commas untouched.
    expect({ ...vpcLattice.request(v2({ headers: { cookie: ["a=1, b=2"] } }) as never, ctx, {}).cookies }).toEqual({ a: "1, b=2" });
    // createEvent builds v1 as AWS documents it: repeated headers joined with ", ".
    expect(createEvent("vpc-lattice", { path: "/", headers: { cookie: ["a=1", "b=2"] } }).headers).toMatchObject({ cookie: "a=1, b=2" });
  });
  // Pinned by hand mutation testing: each case below let a mutant of vpc-lattice.ts pass every other test.
  it("a query in the path is split at its first '?' (a later one is query text), and an empty one still wins over queryStringParameters", () => {
    const req = vpcLattice.request(v2({ path: "/a?next=/b?c=1", queryStringParameters: { stale: ["1"] } }) as never, ctx, {});
    expect([req.path, req.rawQuery, { ...req.queryAll }]).toEqual(["/a", "next=/b?c=1", { next: ["/b?c=1"] }]);
    const empty = vpcLattice.request(v2({ path: "/a?", queryStringParameters: { stale: ["1"] } }) as never, ctx, {});
    expect([empty.path, empty.rawQuery, { ...empty.queryAll }]).toEqual(["/a", "", {}]);
  });

  it("v1 splits a joined Cookie header whatever the case of its name, only before a named pair (',=' stays in the value)", () => {
    expect({ ...vpcLattice.request(v1({ headers: { Cookie: "a=1, b=2" } }) as never, ctx, {}).cookies }).toEqual({ a: "1", b: "2" });
    expect({ ...vpcLattice.request(v1({ headers: { cookie: "a=1,=2" } }) as never, ctx, {}).cookies }).toEqual({ a: "1,=2" });
  });

  it("a value left undefined (the types allow it) is no value; no x-forwarded-for is sourceIp \"\"", () => {
    const req = vpcLattice.request(v2({ headers: { a: undefined, b: ["1"] }, queryStringParameters: { q: undefined, r: ["2"] } }) as never, ctx, {});
    expect([{ ...req.headersAll }, { ...req.queryAll }, req.sourceIp]).toEqual([{ b: ["1"] }, { r: ["2"] }, ""]);
  });

  it("auth is Lattice's identity object itself, as its doc comment says", () => {
    const identity = { type: "AWS_IAM", principal: "arn:aws:iam::123456789012:role/caller" };
    expect(vpcLattice.request(v2({ requestContext: { serviceNetworkArn: "arn:sn", identity } }) as never, ctx, {}).auth).toBe(identity);
  });
});
