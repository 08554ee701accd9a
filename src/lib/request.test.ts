import { describe, expect, it, vi } from "vitest";
import { createEvent, handle, json, text, type EventSource } from "../index.ts";
import { createRequest } from "./create-request.ts";
import { HttpError } from "./error.ts";
import { isBase64 } from "./request.ts";

const base = { method: "POST", path: "/x", source: "test", requestId: "r-1" };

describe("createRequest", () => {
  it("parses the query lazily from rawQuery, null-prototype", () => {
    const req = createRequest({ ...base, rawQuery: "a=1&a=2&flag&__proto__=p" });
    expect({ ...req.queryAll }).toEqual({ a: ["1", "2"], flag: [""], ["__proto__"]: ["p"] });
    expect({ ...req.query }).toEqual({ a: "1", flag: "", ["__proto__"]: "p" });
    for (const k of ["toString", "constructor", "hasOwnProperty", "__proto__"]) expect(k in req.query && !Object.hasOwn(req.query, k), k).toBe(false);
    expect(req.query).toBe(req.query); // memoized
  });
  it("upper-cases the method, whatever a custom adapter or a test event sends", () => {
    for (const [given, method] of [["get", "GET"], ["Post", "POST"], ["GET", "GET"], ["POST", "POST"], ["patch", "PATCH"], ["OPTIONS", "OPTIONS"]]) {
      expect(createRequest({ ...base, method: given! }).method).toBe(method);
    }
  });
  it("rebuilds rawQuery from decoded values", () => {
    const req = createRequest({ ...base, queryAll: { q: ["a b", "b%40r"] } });
    expect(req.rawQuery).toBe("q=a%20b&q=b%2540r");
    expect(req.query["q"]).toBe("a b");
  });
  it("has empty maps when the source has nothing", () => {
    const req = createRequest(base);
    expect(req.rawQuery).toBe("");
    expect({ ...req.headers }).toEqual({});
    expect({ ...req.headersAll }).toEqual({});
    expect({ ...req.cookies }).toEqual({});
    expect(req.sourceIp).toBe("");
    expect(req.bytes()).toEqual(new Uint8Array(0));
    expect(req.text()).toBe("");
    expect(req.params).toEqual({});
    expect(req.route).toBeUndefined();
    expect(req.source).toBe("test");
  });
  it("joins headers with ', ' and cookie with '; ', lower-cases names, keeps every value in headersAll", () => {
    const req = createRequest({ ...base, headersAll: { Accept: ["a", "b"], cookie: ["x=1", "y=2"], "X-One": ["1"] } });
    expect({ ...req.headers }).toEqual({ accept: "a, b", cookie: "x=1; y=2", "x-one": "1" });
    expect({ ...req.headersAll }).toEqual({ accept: ["a", "b"], cookie: ["x=1", "y=2"], "x-one": ["1"] });
    expect({ ...req.cookies }).toEqual({ x: "1", y: "2" });
  });
  it("keeps a base64 body as bytes; text() decodes UTF-8", () => {
    const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff];
    const req = createRequest({ ...base, body: Buffer.from(png).toString("base64"), isBase64Encoded: true });
    expect([...req.bytes()]).toEqual(png);
    const t = createRequest({ ...base, body: Buffer.from("é").toString("base64"), isBase64Encoded: true });
    expect(t.text()).toBe("é");
    expect(createRequest({ ...base, body: "é" }).bytes().length).toBe(2);
    expect(createRequest({ ...base, body: new Uint8Array([104, 105]) }).text()).toBe("hi");
  });
  it("json() parses once and memoizes", () => {
    const req = createRequest({ ...base, body: '{"a":[1]}' });
    const first = req.json();
    expect(first).toEqual({ a: [1] });
    expect(req.json()).toBe(first);
    expect(createRequest({ ...base, body: "null" }).json()).toBeNull();
  });
  it.each([
    ["", /empty/],
    ["   ", /empty/],
    ["{bad", /^The request body is not valid JSON\.$/],
    ['{"secret": "value" x', /^The request body is not valid JSON\.$/],
  ])("json() of %j throws HttpError 400 without quoting the body", (body, message) => {
    const req = createRequest({ ...base, body });
    let caught: unknown;
    try {
      req.json();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(HttpError);
    expect((caught as HttpError).status).toBe(400);
    expect((caught as HttpError).message).toMatch(message);
  });
  it("a body that is neither text nor bytes is a 400 naming it", () => {
    expect(() => createRequest({ ...base, body: 42 as never }).bytes()).toThrow("The event's body is not a string but a number.");
  });
  it("a method that is not a string is refused, naming the field", () => {
    expect(() => createRequest({ ...base, method: 7 as never })).toThrow("custom adapter event: the method is number, not a string");
  });
  it("state is a per-request bag", () => {
    const a = createRequest(base);
    const b = createRequest(base);
    a.state["user"] = 1;
    expect(b.state["user"]).toBeUndefined();
    expect(a.state["user"]).toBe(1);
  });
});

describe("text and JSON bodies", () => {
  it("a leading byte order mark is not text: text() drops it and json() parses (was: a 400)", () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')]);
    const base64 = createRequest({ ...base, body: bom.toString("base64"), isBase64Encoded: true });
    expect(base64.text()).toBe('{"a":1}');
    expect(base64.json()).toEqual({ a: 1 });
    expect(createRequest({ ...base, body: '\ufeff{"a":2}' }).json()).toEqual({ a: 2 });
  });
  it("text() of a base64 body is decoded once, however often it is read (was: copied and decoded on every call)", () => {
    const req = createRequest({ ...base, body: Buffer.from("héllo").toString("base64"), isBase64Encoded: true });
    const from = vi.spyOn(Buffer, "from");
    for (let i = 0; i < 5; i++) expect(req.text()).toBe("héllo");
    // bytes() once, its text once.
    expect(from.mock.calls.length).toBeLessThanOrEqual(2);
    from.mockRestore();
  });
  it("createRequest makes a custom adapter's path canonical, as every built-in adapter does (was: \"/a b\" never matched /a%20b)", () => {
    expect(createRequest({ ...base, path: "/a b" }).path).toBe("/a%20b");
    expect(createRequest({ ...base, path: "/files/100%" }).path).toBe("/files/100%25");
    expect(createRequest({ ...base, path: "" }).path).toBe("/");
  });
  it("createRequest takes a custom adapter's path as encoded, as it arrives from REST, ALB and Function URLs: '%41' stays one escape, never '%2541'", () => {
    expect(createRequest({ ...base, path: "/a%41/%c3%a9" }).path).toBe("/a%41/%C3%A9");
  });
  it("createRequest keeps stage, auth, event and context as given, and a given rawQuery as sent beside queryAll (the client's '+' stays '+')", () => {
    const auth = { sub: "u-1" }, event = { any: 1 }, context = { awsRequestId: "r-1" } as never;
    const req = createRequest({ ...base, stage: "prod", auth, event, context, rawQuery: "q=a+b", queryAll: { q: ["a b"] } });
    expect([req.stage, req.auth, req.event, req.context]).toEqual(["prod", auth, event, context]);
    expect(req.rawQuery).toBe("q=a+b");
    expect(req.queryAll["q"]).toEqual(["a b"]);
  });
  it("createRequest reads queryAll: null (REST's multiValueQueryStringParameters with no query) as absent: query is parsed from rawQuery, as rawQuery is (was: rawQuery \"a=1\" but query {})", () => {
    const req = createRequest({ ...base, rawQuery: "a=1", queryAll: null as never });
    expect(req.rawQuery).toBe("a=1");
    expect({ ...req.query }).toEqual({ a: "1" });
  });
});

describe("base64 bodies", () => {
  it.each(["http-api-v2", "apigw-v1", "function-url"] as EventSource[])(
    "%s: a 4,000,000-byte binary upload reads back whole (was: RangeError from the base64 check, a 500)",
    async (source) => {
      const event = createEvent(source, { method: "POST", path: "/upload", body: new Uint8Array(4_000_000), headers: { "content-type": "application/octet-stream" } });
      const result = await handle((req) => text(String(req.bytes().length)))(event, { awsRequestId: "lambda-id" });
      expect(result).toMatchObject({ statusCode: 200, body: "4000000" });
    },
  );
  it.each([
    ["", true],
    ["QQ==", true],
    ["QQ", true],
    ["QUI=", true],
    ["QUI", true],
    ["QUJD", true],
    ["Q", false],
    ["QQ=", false],
    ["QUJD==", false],
    ["QQ==QQ==", false],
    ["QU JD", false],
    ["QUJD=", false],
  ])("isBase64(%j) is %s: whole quartets, then 2 or 3 characters, padding optional and last (as the repeated-group expression it replaces decided)", (body, valid) => {
    expect(isBase64(body)).toBe(valid);
  });
});

// Found by hand mutation testing.
describe("request edges", () => {
  it.each(["Q===", "QQ===", "QUJD===="])("isBase64(%j) is false: at most two padding characters", (text) => {
    expect(isBase64(text)).toBe(false);
  });
});
describe("request edges: malformed fields and the body's delivered form", () => {
  it("a malformed event's stage, authorizer claims or source IP of another type is none (handlers rely on the declared types)", async () => {
    const app = handle((req) => json({ stage: req.stage ?? "none", auth: req.auth ?? "none", ip: req.sourceIp }));
    const event = createEvent("apigw-v1", { path: "/x" }) as { requestContext: Record<string, unknown> };
    event.requestContext = { ...event.requestContext, stage: 7, authorizer: { claims: "sub=1" }, identity: { sourceIp: 42 } };
    const result = await app(event, { awsRequestId: "l" });
    expect(JSON.parse(result.body)).toEqual({ stage: "none", auth: "none", ip: "" });
  });
  it('only isBase64Encoded: true decodes base64: a string "true" (a hand-built event) leaves the body as text', () => {
    const req = createRequest({ ...base, body: "aGk=", isBase64Encoded: "true" as never });
    expect(Buffer.from(req.bytes()).toString()).toBe("aGk=");
    expect(req.text()).toBe("aGk=");
  });
});
