import { describe, expect, it } from "vitest";
import { binary, handle, json, router, setCookie, text, type HttpRequest } from "../index.ts";
import type { EventSource } from "../adapters/events.ts";
import { invoke, readResult, type InvokeInit, type InvokeTarget } from "./invoke.ts";

const app = router()
  .get("/exams/:examId", (req) => ({ examId: req.params.examId, q: req.query["q"] ?? null, source: req.source }))
  .post("/exams", (req) => json({ id: "e-1", ...(req.json() as object) }, { status: 201, cookies: [setCookie("a", "1"), setCookie("b", "2", { httpOnly: true })] }))
  .get("/pdf", () => binary(new Uint8Array([0x25, 0x50, 0x44, 0x46, 0xff]), "application/pdf"))
  .get("/vary", () => text("x", { headers: { vary: ["Origin", "Accept"] } }));

describe("invoke: an app or handler in one line, read back from the source's real result", () => {
  it.each(["http-api-v2", "apigw-v1", "http-api-v1", "function-url", "alb", "alb-multi"] as const)("%s: status, headers, cookies, JSON", async (source) => {
    const res = await invoke(app, { source, method: "POST", path: "/exams", json: { title: "Algebra" } });
    expect(res.status).toBe(201);
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(res.cookies).toEqual(["a=1", "b=2; HttpOnly"]);
    expect(res.json()).toEqual({ id: "e-1", title: "Algebra" });
    const get = await invoke(app, { source, path: "/exams/e%2042?q=a+b" });
    expect(get.json()).toEqual({ examId: "e 42", q: "a b", source: source === "alb-multi" ? "alb" : source === "http-api-v1" ? "apigw-v1" : source });
  });
  it("http-api-v1: an HTTP API with payload 1.0 decodes the path, so a %2F in an id splits it, as deployed; REST keeps it (was: no such source, only REST's behaviour could be tested)", async () => {
    expect((await invoke(app, { source: "apigw-v1", path: "/exams/a%2Fb" })).json()).toMatchObject({ examId: "a/b" });
    expect((await invoke(app, { source: "http-api-v1", path: "/exams/a%2Fb" })).status).toBe(404);
    // The JWT authorizer's claims, as payload 1.0 delivers them, reach the app.
    const whoami = router().get("/me", (req) => ({ auth: req.auth ?? null }));
    const me = await invoke(whoami, { source: "http-api-v1", path: "/me", auth: { sub: "u-1", "cognito:groups": ["teacher"] } });
    expect(me.json()).toEqual({ auth: { sub: "u-1", "cognito:groups": "[teacher]" } });
  });
  it("binary bodies come back as bytes; repeated headers joined", async () => {
    const pdf = await invoke(app, { path: "/pdf", source: "apigw-v1" });
    expect([...pdf.bytes]).toEqual([0x25, 0x50, 0x44, 0x46, 0xff]);
    expect((await invoke(app, { path: "/vary", source: "apigw-v1" })).headers["vary"]).toBe("Origin, Accept");
    expect((await invoke(app, { path: "/vary", source: "alb-multi" })).headers["vary"]).toBe("Origin, Accept");
  });
  it("context: the Lambda context the handler gets, over a fresh awsRequestId (ALB's request id is Lambda's)", async () => {
    const deadline = router().get("/left", (req) => ({ left: req.context?.getRemainingTimeInMillis?.() ?? null, fn: req.context?.functionName ?? null }));
    const res = await invoke(deadline, { source: "alb", path: "/left", context: { awsRequestId: "fixed-1", getRemainingTimeInMillis: () => 1234, functionName: "exams" } });
    expect(res.json()).toEqual({ left: 1234, fn: "exams" });
    expect(res.headers["x-request-id"]).toBe("fixed-1");
    const fresh = await invoke(deadline, { source: "alb", path: "/left", context: { functionName: "exams" } });
    expect(fresh.headers["x-request-id"]).toMatch(/^invoke-[a-z0-9]+$/);
    await expect(invoke(deadline, { path: "/left", context: "ctx" as never })).rejects.toThrow(/^invoke: context: "ctx" is not an object/);
    await expect(invoke(deadline, { path: "/left", context: null as never })).rejects.toThrow(/^invoke: context: null is not an object/);
    await expect(invoke(deadline, { path: "/left", context: { awsRequestId: 5 as never } })).rejects.toThrow(/^invoke: context\.awsRequestId: 5 is not a string/);
    expect((await invoke(deadline, { source: "alb", path: "/left", context: { awsRequestId: undefined } })).headers["x-request-id"]).toMatch(/^invoke-/);
  });
  it("context: one built by a class keeps what its prototype holds (was: its methods and getters dropped, getRemainingTimeInMillis undefined)", async () => {
    class TestContext {
      deadline = 1_000;
      get functionName() {
        return "exams";
      }
      getRemainingTimeInMillis() {
        return this.deadline;
      }
    }
    const deadline = router().get("/left", (req) => ({ left: req.context?.getRemainingTimeInMillis?.() ?? null, fn: req.context?.functionName ?? null }));
    // Without an awsRequestId, the handler gets a fresh one over the object's fields and its class's members.
    const fresh = await invoke(deadline, { source: "alb", path: "/left", context: new TestContext() });
    expect(fresh.json()).toEqual({ left: 1_000, fn: "exams" });
    expect(fresh.headers["x-request-id"]).toMatch(/^invoke-[a-z0-9]+$/);
    // With one, the handler gets the very object, as the runtime hands over its own (a private field reads too).
    class Private {
      awsRequestId = "fixed-3";
      #left = 750;
      getRemainingTimeInMillis() {
        return this.#left;
      }
    }
    const given = new Private();
    let seen: unknown;
    const same = await invoke(router().get("/", (req) => ((seen = req.context), { left: req.context?.getRemainingTimeInMillis?.() })), { path: "/", context: given });
    expect(seen).toBe(given);
    expect(same.json()).toEqual({ left: 750 });
    // An awsRequestId given as undefined does not hide the fresh one.
    expect((await invoke(deadline, { source: "alb", path: "/left", context: { awsRequestId: undefined as never } })).headers["x-request-id"]).toMatch(/^invoke-/);
  });

  it("takes an exported Lambda handler as well as an app", async () => {
    const handler = handle((req) => text(`hi ${req.method}`));
    expect((await invoke(handler, { method: "PUT", path: "/" })).body).toBe("hi PUT");
  });
  it("a function app passed where a Lambda handler goes fails saying to pass handle(app) (was: 'not an HTTP result: {}', 'reading 'tag'')", async () => {
    // The README's per-source examples define `const app = (req: HttpRequest) => …`; invoke(app, …) type-checks.
    const returnsResponse = (req: HttpRequest) => json({ path: req.path });
    const readsRequestViews = (req: HttpRequest) => json({ tags: req.queryAll["tag"] ?? [] });
    await expect(invoke(returnsResponse, { path: "/x" })).rejects.toThrow(/not an HTTP result.*pass invoke\(handle\(app\), …\)/);
    await expect(invoke(readsRequestViews, { path: "/x?tag=a" })).rejects.toThrow(/reading 'tag'.*pass invoke\(handle\(app\), …\)/);
    expect((await invoke(handle(readsRequestViews), { path: "/x?tag=a" })).json()).toEqual({ tags: ["a"] });
    // A handler's other errors, and a Lambda result readResult refuses, pass through without the hint.
    await expect(invoke(() => Promise.reject(new RangeError("mine")), { path: "/" })).rejects.toThrow(/^mine$/);
    await expect(invoke(async () => ({ statusCode: "201", body: "" }), { path: "/" })).rejects.toThrow(/^not an HTTP result: \{"statusCode":"201","body":""\}$/);
  });
  it("result headers are plain objects: deepStrictEqual against a literal works in users' tests", async () => {
    const res = await invoke(app, { path: "/vary" });
    expect(Object.getPrototypeOf(res.result.headers)).toBe(Object.prototype);
    expect(res.result.headers).toStrictEqual({ "content-type": "text/plain; charset=utf-8", vary: "Origin, Accept", "x-request-id": res.headers["x-request-id"] });
  });
  it.each(["vpc-lattice", "vpc-lattice-v2", "lambda-edge", "lambda-edge-origin"] as const)("%s: a router is served with the opt-in adapter, and the answer read from that source's result (was: unrecognised event; Edge results unreadable)", async (source) => {
    const res = await invoke(app, { source, method: "POST", path: "/exams", json: { title: "Algebra" } });
    expect(res.status).toBe(201);
    expect(res.json()).toEqual({ id: "e-1", title: "Algebra" });
    expect(res.cookies).toEqual(["a=1", "b=2; HttpOnly"]);
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
  });

  it("refuses a request it would send wrong, naming the field (was: json silently replaced body; a TypeError from inside)", async () => {
    await expect(invoke(app, { method: "POST", path: "/exams", json: { title: "A" }, body: '{"title":"B"}' })).rejects.toThrow(/^invoke: json and body: give one of them/);
    await expect(invoke(app, undefined as unknown as InvokeInit)).rejects.toThrow(/^invoke: init: expected \{ path, … \}, got undefined/);
    await expect(invoke({ handle: 5 } as unknown as InvokeTarget, { path: "/" })).rejects.toThrow(/^invoke: target: an object is neither a Lambda handler nor an app with handle\(req\)/);
    await expect(invoke(app, { source: "rest" as EventSource, path: "/" })).rejects.toThrow(/source: "rest" is not one of "apigw-v1"/);
    await expect(invoke(app, { path: "exams/e-1" })).rejects.toThrow(/path: "exams\/e-1" must start with "\/"/);
    await expect(invoke(app, { path: "/exams", headers: { "x-n": 5 as unknown as string } })).rejects.toThrow(/headers\["x-n"\]: 5 is not a string/);
    await expect(invoke(app, { method: "POST", path: "/exams", json: { a: 1 }, headers: "accept: */*" as unknown as Record<string, string> })).rejects.toThrow(/headers: "accept: \*\/\*" is not a map/);
    await expect(invoke(app, { method: "POST", path: "/exams", json: () => 1 })).rejects.toThrow(/^invoke: json: a function has no JSON form/);
  });

  it("reads a 4 MB binary result (was: 'Maximum call stack size exceeded' from its base64 check)", () => {
    const bytes = Buffer.alloc(4_000_000, 7);
    const res = readResult({ statusCode: 200, headers: { "content-type": "application/octet-stream" }, body: bytes.toString("base64"), isBase64Encoded: true }, "http-api-v2");
    expect(res.bytes.length).toBe(bytes.length);
  });

  it("refuses what is not an HTTP result", () => {
    expect(() => readResult({ ok: true })).toThrow(/not an HTTP result/);
  });

  describe("readResult refuses a result its source could not deliver, naming the field (was: read into something else)", () => {
    const bad: Array<[string, unknown, EventSource | undefined, RegExp]> = [
      ["a multiValueHeaders value that is a string (was: one header per character, 'O, r, i, g, i, n')", { statusCode: 200, multiValueHeaders: { vary: "Origin" } }, "apigw-v1", /multiValueHeaders\["vary"\]: "Origin" is not a list/],
      ["a Set-Cookie list that is a string (was: one cookie per character)", { statusCode: 200, multiValueHeaders: { "set-cookie": "a=1" } }, "alb-multi", /multiValueHeaders\["set-cookie"\]: "a=1" is not a list/],
      ["payload 2.0 cookies as one string (was: one cookie per character)", { statusCode: 200, cookies: "a=1; Path=/" }, "http-api-v2", /cookies: "a=1; Path=\/" is not a list of Set-Cookie values/],
      ["a cookie that is no string", { statusCode: 200, cookies: [{ a: 1 }] }, "function-url", /cookies\[0\]: an object is not a Set-Cookie value/],
      ["an object header value (was: '[object Object]')", { statusCode: 200, headers: { vary: { a: 1 } } }, "alb", /headers\["vary"\]: an object is not a header value/],
      ["a null header value (was: 'null')", { statusCode: 200, headers: { vary: null } }, "apigw-v1", /headers\["vary"\]: null is not a header value/],
      ["an object body (was: a Buffer TypeError)", { statusCode: 200, body: { a: 1 } }, "http-api-v2", /body: an object is not a string/],
      ["a body that is not base64 though isBase64Encoded says so (was: garbage bytes)", { statusCode: 200, body: "!!!not base64", isBase64Encoded: true }, "alb", /body: not base64, though isBase64Encoded is true/],
      ["a status outside 100-599 (was: read as 1000)", { statusCode: 1000 }, "alb", /statusCode: 1000 is not an HTTP status/],
      ["a fractional status (was: read as 200.5)", { statusCode: 200.5 }, "http-api-v2", /statusCode: 200.5 is not an HTTP status/],
      ["an unknown source (was: read as every source at once)", { statusCode: 200 }, "rest" as EventSource, /source: "rest" is not one of "apigw-v1"/],
      ["an Edge header that is no list (was: 'is not iterable')", { status: "200", headers: { vary: { key: "Vary", value: "a" } } }, "lambda-edge", /headers\["vary"\]: an object is not a list of \{ key, value \}/],
      ["an Edge header entry without a string value", { status: "200", headers: { vary: [{ key: "Vary" }] } }, "lambda-edge-origin", /headers\["vary"\]\[0\]\.value: undefined is not a string/],
      ["an Edge body that is not base64 though bodyEncoding says so", { status: "200", body: "%%%", bodyEncoding: "base64" }, "lambda-edge", /body: not base64, though bodyEncoding is "base64"/],
    ];
    it.each(bad)("%s", (_what, result, source, message) => {
      expect(() => readResult(result, source)).toThrow(TypeError);
      expect(() => readResult(result, source)).toThrow(message);
    });
    it("what the sources do deliver still reads: number header values, padded and unpadded base64, no body", () => {
      expect(readResult({ statusCode: 200, headers: { "content-length": 2 }, body: "aGk=", isBase64Encoded: true }, "apigw-v1")).toMatchObject({ headers: { "content-length": "2" }, body: "hi" });
      expect(readResult({ statusCode: 204, multiValueHeaders: { "x-n": [1, true] } }, "alb-multi")).toMatchObject({ headers: { "x-n": "1, true" }, body: "" });
      expect(readResult({ status: "200", headers: { vary: [{ key: "Vary", value: "a" }] }, body: "aGk", bodyEncoding: "base64" }, "lambda-edge")).toMatchObject({ headers: { vary: "a" }, body: "hi" });
    });
  });

  describe("readResult(result, source): only the fields that source reads", () => {
    const both = { statusCode: 200, headers: { a: "single" }, multiValueHeaders: { a: ["m1", "m2"], "set-cookie": ["x=1"] }, cookies: ["v2=1"], body: "", isBase64Encoded: false };
    it("REST merges both maps, an identical name and value once (was: the headers value of a name in both dropped), and answers 502 for a cookies key", () => {
      const { cookies, ...rest } = both;
      expect(readResult(rest, "apigw-v1")).toMatchObject({ headers: { a: "single, m1, m2" }, cookies: ["x=1"] });
      // "If the same key-value pair is specified in both, only the values from multiValueHeaders will appear."
      const same = { statusCode: 200, headers: { A: "m1", "Set-Cookie": "x=1", b: "2" }, multiValueHeaders: { a: ["m1", "m2"], "set-cookie": ["x=1"] } };
      expect(readResult(same, "apigw-v1")).toMatchObject({ headers: { a: "m1, m2", b: "2" }, cookies: ["x=1"] });
      expect(() => readResult(both, "apigw-v1")).toThrow(/Malformed Lambda proxy response/);
    });
    it("HTTP API payload 1.0 reads REST's fields, both header maps merged, and no cookies[] (payload 2.0's field; was: an unknown source)", () => {
      expect(readResult(both, "http-api-v1")).toMatchObject({ headers: { a: "single, m1, m2" }, cookies: ["x=1"] });
      const same = { statusCode: 201, headers: { A: "m1", b: "2" }, multiValueHeaders: { a: ["m1", "m2"], "set-cookie": ["x=1", "y=2"] }, body: "aGk=", isBase64Encoded: true };
      expect(readResult(same, "http-api-v1")).toMatchObject({ status: 201, headers: { a: "m1, m2", b: "2" }, cookies: ["x=1", "y=2"], body: "hi" });
    });
    it("payload 2.0 reads headers and cookies[], never multiValueHeaders", () => {
      expect(readResult(both, "http-api-v2")).toMatchObject({ headers: { a: "single" }, cookies: ["v2=1"] });
      expect(readResult(both, "function-url")).toMatchObject({ headers: { a: "single" }, cookies: ["v2=1"] });
    });
    it("ALB reads the map of its header mode only; single-value Set-Cookie under case variants", () => {
      expect(readResult({ ...both, headers: { a: "single", "set-cookie": "s=1", "Set-cookie": "s=2" } }, "alb")).toMatchObject({ headers: { a: "single" }, cookies: ["s=1", "s=2"] });
      expect(readResult(both, "alb-multi")).toMatchObject({ headers: { a: "m1, m2" }, cookies: ["x=1"] });
    });
    it("without a source, every field of every source (as before)", () => {
      expect(readResult(both)).toMatchObject({ headers: { a: "single, m1, m2" }, cookies: ["v2=1", "x=1"] });
    });
    it("a header named `constructor` or `__proto__` reads back like any other, into a plain object", () => {
      const read = readResult(JSON.parse('{"statusCode": 200, "headers": {"constructor": "c", "__proto__": "p"}, "multiValueHeaders": {"toString": ["t1", "t2"]}}'), "apigw-v1");
      expect(Object.getPrototypeOf(read.headers)).toBe(Object.prototype);
      expect(Object.keys(read.headers)).toEqual(["constructor", "__proto__", "tostring"]);
      expect(read.headers["constructor"]).toBe("c");
      expect(Object.getOwnPropertyDescriptor(read.headers, "__proto__")?.value).toBe("p");
    });
  });
});
