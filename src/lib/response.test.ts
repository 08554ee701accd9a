import { describe, expect, it } from "vitest";
import { HttpError, problem, problemHead } from "./error.ts";
import { binary, empty, html, isResponse, json, redirect, RESPONSE, text, toResponse } from "./response.ts";

describe("response helpers", () => {
  it("json/text/html/binary set their content type and accept a status or an init", () => {
    expect(json({ a: 1 }, 201)).toMatchObject({ status: 201, headers: { "content-type": "application/json; charset=utf-8" }, body: '{"a":1}' });
    expect(text("hi", { headers: { "x-a": "1" }, cookies: ["a=1"] })).toMatchObject({ status: 200, headers: { "content-type": "text/plain; charset=utf-8", "x-a": "1" }, cookies: ["a=1"], body: "hi" });
    expect(html("<p>", { status: 404 })).toMatchObject({ status: 404, headers: { "content-type": "text/html; charset=utf-8" } });
    const bytes = new Uint8Array([1, 2]);
    expect(binary(bytes, "application/pdf")).toMatchObject({ status: 200, headers: { "content-type": "application/pdf" }, body: bytes });
    expect(json(undefined).body).toBe("null");
  });
  it("a user's Content-Type replaces the default one", () => {
    expect(json({}, { headers: { "Content-Type": "application/vnd.x+json" } }).headers).toEqual({ "content-type": "application/vnd.x+json" });
    expect(redirect("/x", 302, { headers: { Location: "/y" } }).headers).toEqual({ location: "/x" });
  });
  it("redirect and empty", () => {
    expect(redirect("/x")).toMatchObject({ status: 302, headers: { location: "/x" } });
    expect(redirect("/y", 303, { headers: { "x-a": "1" } })).toMatchObject({ status: 303, headers: { location: "/y", "x-a": "1" } });
    expect(empty()).toMatchObject({ status: 204 });
    expect(empty(202).body).toBeUndefined();
  });
  it("helpers mark their result; plain objects are data", () => {
    expect(isResponse(json(1))).toBe(true);
    expect(isResponse({ status: 200 })).toBe(false);
    expect(toResponse({ status: 200, body: "x" })).toMatchObject({ status: 200, body: '{"status":200,"body":"x"}' });
    expect(toResponse({ [RESPONSE]: true, status: 201, body: "x" })).toMatchObject({ status: 201, body: "x" });
  });
  it.each([
    [undefined, 204, undefined, undefined],
    [null, 204, undefined, undefined],
    ["hello", 200, "text/plain; charset=utf-8", "hello"],
    [[1, 2], 200, "application/json; charset=utf-8", "[1,2]"],
    [42, 200, "application/json; charset=utf-8", "42"],
    [false, 200, "application/json; charset=utf-8", "false"],
  ])("toResponse(%j)", (value, status, type, body) => {
    const res = toResponse(value);
    expect(res.status).toBe(status);
    expect(res.headers?.["content-type"]).toBe(type);
    expect(res.body).toBe(body);
  });
  it.each([
    ["a function", () => "x", /cannot send a function/],
    ["a symbol", Symbol("exam"), /cannot send a symbol/],
  ])("toResponse refuses %s with a TypeError naming it (was: sent as JSON null)", (_name, value, message) => {
    expect(() => toResponse(value)).toThrow(TypeError);
    expect(() => toResponse(value)).toThrow(message);
  });
  it("the request's own maps and null-prototype objects are plain data: 200 JSON (req.query was a 500: 'cannot send a undefined')", async () => {
    const { createRequest } = await import("./create-request.ts");
    const req = createRequest({ method: "GET", path: "/q", rawQuery: "a=1", headersAll: { cookie: ["c=d"] }, source: "test", requestId: "r-1" });
    expect(toResponse(req.query).body).toBe('{"a":"1"}');
    expect(toResponse(req.cookies).body).toBe('{"c":"d"}');
    expect(toResponse(Object.assign(Object.create(null), { a: 1 })).body).toBe('{"a":1}');
    expect(() => toResponse(new (class Exam {})())).toThrow(/cannot send a Exam/);
  });
  it("bytes become octet-stream", () => {
    const bytes = new Uint8Array([0xff]);
    expect(toResponse(bytes)).toMatchObject({ status: 200, headers: { "content-type": "application/octet-stream" }, body: bytes });
  });
});

describe("HttpError → problem+json (RFC 9457)", () => {
  it("a detail that cannot become a string (a Symbol, a null-prototype map) throws a TypeError and leaves Error.stackTraceLimit as it was", () => {
    const limit = Error.stackTraceLimit;
    try {
      expect(() => new HttpError(400, Symbol("x") as never)).toThrow(TypeError);
      expect(() => new HttpError(400, Object.create(null) as never)).toThrow(TypeError);
      expect(Error.stackTraceLimit).toBe(limit);
    } finally {
      Error.stackTraceLimit = limit;
    }
  });
  it("carries type, title, status, detail, requestId, extensions and headers", () => {
    const res = problem(new HttpError(503, "Busy", { headers: { "retry-after": "2" }, retryable: true }), "req-1");
    expect(res.status).toBe(503);
    expect(res.headers).toEqual({ "retry-after": "2", "content-type": "application/problem+json" });
    expect(JSON.parse(res.body as string)).toEqual({ type: "about:blank", title: "Service Unavailable", status: 503, detail: "Busy", requestId: "req-1", retryable: true });
  });
  it("custom type/title; extensions cannot overwrite the standard members", () => {
    const body = JSON.parse(problem(new HttpError(409, "Stale", { type: "https://exambuddy.dev/problems/stale", title: "Stale version", status: 200 }), "r").body as string);
    expect(body).toMatchObject({ type: "https://exambuddy.dev/problems/stale", title: "Stale version", status: 409, detail: "Stale" });
  });
  it("a precomputed head (the router's 404) gives the same body; the request id comes last and no extension replaces it", () => {
    const errors = [new HttpError(404), new HttpError(422, "Bad", { errors: [{ path: "body.a", message: "x" }], requestId: "forged", status: 200 })];
    for (const err of errors) {
      for (const requestId of ["req-1", 'quote " and \\', undefined]) {
        const body = problem(err, requestId).body as string;
        expect(problem(err, requestId, problemHead(err)).body).toBe(body);
        const parsed = JSON.parse(body);
        expect(parsed.requestId).toBe(requestId);
        expect(parsed.status).toBe(err.status);
        if (requestId !== undefined) expect(Object.keys(parsed).at(-1)).toBe("requestId");
      }
    }
    expect(problemHead(new HttpError(404))).toBe('{"type":"about:blank","title":"Not Found","status":404');
  });
  it("a status outside 400-599 becomes 500", () => {
    expect(new HttpError(200, "no").status).toBe(500);
  });
  it.each([418, 451, 499, 599])("a %i, which has no phrase in our table, has no title (RFC 9457 §4.2.1: about:blank's title is the status phrase; was: \"Unknown\")", (status) => {
    const err = new HttpError(status);
    const body = JSON.parse(problem(err, "r").body as string);
    expect(body).toEqual({ type: "about:blank", status, requestId: "r" });
    expect(problem(err, "r", problemHead(err)).body).toBe(JSON.stringify(body));
    expect(err.title).toBeUndefined();
    expect(err.message).toBe("");
    expect(JSON.parse(problem(new HttpError(status, "Mind the teapot", { title: "Teapot" }), "r").body as string).title).toBe("Teapot");
  });
  it("is an Error named HttpError whose message is the detail, else the status text; subclasses keep the fields", () => {
    const err = new HttpError(404);
    expect(err).toBeInstanceOf(Error);
    expect([err.name, err.message, String(err)]).toEqual(["HttpError", "Not Found", "HttpError: Not Found"]);
    expect(new HttpError(400, "Bad cursor").message).toBe("Bad cursor");
    class Gone extends HttpError {
      constructor(id: string) {
        super(410, `Exam ${id} was deleted`, { examId: id });
      }
    }
    expect(new Gone("e-1")).toMatchObject({ name: "HttpError", status: 410, title: "Gone", detail: "Exam e-1 was deleted", extensions: { examId: "e-1" } });
  });
  it("instanceof HttpError goes by the shared brand (another copy's errors pass, look-alikes do not); a subclass checks as usual", () => {
    class Gone extends HttpError {}
    expect(new Gone(410)).toBeInstanceOf(HttpError);
    expect(new Gone(410)).toBeInstanceOf(Gone);
    expect(new HttpError(410)).not.toBeInstanceOf(Gone);
    // What an HttpError of the other build (ESM beside CommonJS) carries; test/package.test.ts loads both.
    const otherCopy = Object.create(Error.prototype, { [Symbol.for("lambdalith.http-error")]: { value: true } });
    expect(otherCopy instanceof HttpError).toBe(true);
    for (const lookAlike of [new Error("x"), { name: "HttpError", status: 404 }, null, undefined, "HttpError", 404]) expect(lookAlike instanceof HttpError).toBe(false);
  });
});

describe("binary() and redirect() take what their names promise", () => {
  it("binary() of an ArrayBuffer, a DataView or a typed array sends their bytes (was: a 500, 'response body is object')", () => {
    const bytes = (res: { body?: unknown }) => [...(res.body as Uint8Array)];
    expect(bytes(binary(new Uint8Array([1, 2, 3]).buffer, "application/pdf"))).toEqual([1, 2, 3]);
    expect(bytes(binary(new DataView(new Uint8Array([9, 8, 7, 6]).buffer, 1, 2), "application/pdf"))).toEqual([8, 7]);
    expect(bytes(binary(new Uint16Array([0x0201]), "application/octet-stream"))).toEqual([1, 2]);
  });
  it("binary() of a Buffer's subarray sends that slice, from its own offset", () => {
    const res = binary(Buffer.from("hello world").subarray(6), "text/plain");
    expect(Buffer.from(res.body as Uint8Array).toString()).toBe("world");
  });
  it.each([200, 201, 304, 404, 500])("redirect() with status %i throws naming it (was: sent with a Location, which redirects nothing)", (status) => {
    expect(() => redirect("/x", status)).toThrow(`redirect: status ${status} is not a redirect (300–303, 307, 308)`);
    expect(() => redirect("/x", 302, { status })).toThrow(`redirect: status ${status} is not a redirect`);
  });
  it.each([300, 301, 302, 303, 307, 308])("redirect() with status %i is sent", (status) => {
    expect(redirect("/x", status)).toMatchObject({ status, headers: { location: "/x" } });
  });
});

describe("edges no test pinned (mutation testing, round 4)", () => {
  it("a response without a type has no content-type key at all (empty, redirect)", () => {
    expect(Object.keys(empty().headers!)).toEqual([]);
    expect(Object.keys(redirect("/x").headers!)).toEqual(["location"]);
  });

  it.each([3021, 1302, 30])("redirect() with status %i throws (only 300–303, 307, 308 are redirects)", (status) => {
    expect(() => redirect("/x", status)).toThrow(TypeError);
  });

  it("toResponse sends what has a toJSON (a Date, a class that defines one) as JSON", () => {
    expect(toResponse(new Date(Date.UTC(2026, 0, 2)))).toMatchObject({ status: 200, body: '"2026-01-02T00:00:00.000Z"' });
    expect(toResponse(new (class Exam { toJSON() { return { id: "e-1" }; } })()).body).toBe('{"id":"e-1"}');
  });

  it.each([600, 399, 404.5, Number.NaN, Infinity])("HttpError(%s) is a 500", (status) => {
    expect(new HttpError(status).status).toBe(500);
  });
  it.each([400, 599])("HttpError(%i) keeps its status", (status) => {
    expect(new HttpError(status).status).toBe(status);
  });

  it("an empty request id is left out, with or without a precomputed head", () => {
    const err = new HttpError(404);
    for (const body of [problem(err, "").body, problem(err, "", problemHead(err)).body]) expect(JSON.parse(body as string)).not.toHaveProperty("requestId");
  });

  it("the request id comes last even when an extension of that name sits before others", () => {
    const err = new HttpError(429, "Slow down", { requestId: "forged", limit: 3 });
    expect(problem(err, "req-1").body).toBe('{"type":"about:blank","title":"Too Many Requests","status":429,"detail":"Slow down","limit":3,"requestId":"req-1"}');
  });

  it("the content type is problem JSON whatever the error's headers say; its other headers go out", () => {
    const res = problem(new HttpError(400, "x", { headers: { "Content-Type": "text/plain", "Retry-After": "1" } }), "req-1");
    expect(res.headers).toEqual({ "content-type": "application/problem+json", "retry-after": "1" });
  });
});
