import { afterEach, describe, expect, it, vi } from "vitest";
import { createEvent, defaultAdapters, handle, json, lambdaEdge, text, vpcLattice, type EventSource } from "../index.ts";
import { readResult } from "../testing/invoke.ts";
import { createRequest } from "../lib/create-request.ts";
import { RESPONSE, type HttpResponse } from "../lib/response.ts";
import { toResult } from "./to-result.ts";

const ctx = { awsRequestId: "lambda-id" };

afterEach(() => void vi.restoreAllMocks());

describe("toResult regressions (found by the round-trip properties)", () => {
  it.each(["apigw-v1", "http-api-v2", "function-url", "alb", "alb-multi"] as EventSource[])(
    "%s: a repeated response header named `constructor` is sent like any other (was: TypeError, a logged 500)",
    async (source) => {
      const app = handle(() => text("ok", { headers: { constructor: ["a", "b"], vary: ["Origin", "Accept"], toString: "t" } }));
      const result = await app(createEvent(source, { path: "/" }), ctx);
      expect(result.statusCode).toBe(200);
      const read = readResult(result, source);
      expect(read.headers["constructor"]).toBe("a, b");
      expect(read.headers["tostring"]).toBe("t");
      expect(read.headers["vary"]).toBe("Origin, Accept");
    },
  );

  it("alb-multi: a single header named `constructor` beside a repeated one keeps its own value (was: Object's constructor, dropped)", async () => {
    const app = handle(() => text("ok", { headers: { constructor: "c", vary: ["Origin", "Accept"] } }));
    const result = await app(createEvent("alb-multi", { path: "/" }), ctx);
    expect(result.multiValueHeaders["constructor"]).toEqual(["c"]);
    expect(result.multiValueHeaders["vary"]).toEqual(["Origin", "Accept"]);
  });
});

describe("toResult: header injection", () => {
  const injected = [
    ["a CR LF in a cookie", () => json({}, { cookies: ["a=1\r\nLocation: https://evil.example"] })],
    ["a CR LF in a header name", () => json({}, { headers: { "x-a\r\nlocation": "x" } })],
    ["a colon in a header name", () => json({}, { headers: { "location: https://evil.example#": "x" } })],
  ] as const;
  it.each(["apigw-v1", "http-api-v2", "alb", "alb-multi", "function-url"] as EventSource[])(
    "%s: a CR, LF or NUL in a cookie or a header name, or a colon in a name, is a logged 500; a normal cookie is sent (was: passed through to the result)",
    async (source) => {
      const lines: string[] = [];
      vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (lines.push(String(chunk)), true));
      for (const [name, make] of injected) {
        const result = await handle(make)(createEvent(source, { path: "/" }), ctx);
        expect(result.statusCode, name).toBe(500);
        expect(JSON.stringify(result), name).not.toContain("evil.example");
      }
      expect(lines.map((line) => JSON.parse(line))).toEqual(injected.map(() => expect.objectContaining({ level: "error", errorMessage: expect.stringMatching(/header injection/) })));
      const result = await handle(() => json({}, { cookies: ["a=1; Path=/"] }))(createEvent(source, { path: "/" }), ctx);
      expect(result.statusCode).toBe(200);
      expect(readResult(result, source).cookies).toEqual(["a=1; Path=/"]);
    },
  );
});

describe("toResult: Set-Cookie given as a header", () => {
  const expires = "a=1; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT";
  it.each(["apigw-v1", "http-api-v2", "function-url", "alb", "alb-multi", "vpc-lattice", "vpc-lattice-v2", "lambda-edge"] as EventSource[])(
    "%s: a Set-Cookie header whose Expires holds a comma is one cookie, never split or joined with the others",
    async (source) => {
      const app = handle(() => text("ok", { cookies: ["c=3; Expires=Thu, 22 Oct 2026 07:28:00 GMT"], headers: { "Set-Cookie": [expires, "b=2"] } }), { adapters: [...defaultAdapters, lambdaEdge, vpcLattice] });
      const read = readResult(await app(createEvent(source, { path: "/" }), ctx), source);
      expect(read.cookies).toEqual(["c=3; Expires=Thu, 22 Oct 2026 07:28:00 GMT", expires, "b=2"]);
      // A single string too: one cookie, its comma kept.
      const one = readResult(await handle(() => text("ok", { headers: { "set-cookie": expires } }), { adapters: [...defaultAdapters, lambdaEdge, vpcLattice] })(createEvent(source, { path: "/" }), ctx), source);
      expect(one.cookies).toEqual([expires]);
      expect(read.headers).not.toHaveProperty("set-cookie");
    },
  );
});

// Found by hand mutation testing: each test below fails on a one-token change of toResult that the
// suite used to let through.
describe("toResult: the edges of what it sends", () => {
  const req = createRequest({ method: "GET", path: "/", source: "test", requestId: "r-1" });
  const send = (res: Record<string, unknown>, limit?: number) => toResult({ [RESPONSE]: true, status: 200, ...res } as HttpResponse, req, {}, limit);

  it("a status of 100 or 599 is sent; 99, 600 and 200.5 throw naming it", () => {
    expect(send({ status: 100 })[0].statusCode).toBe(100);
    expect(send({ status: 599 })[0].statusCode).toBe(599);
    for (const status of [99, 600, 200.5]) expect(() => send({ status })).toThrow(`response status ${status} is not 100–599`);
  });
  it("a CR alone, a LF alone or a NUL in a header value or a cookie throws (header injection: a lone CR ends a line for some parsers)", () => {
    for (const bad of ["a\rlocation: https://evil.example", "a\nlocation: https://evil.example", "a\0b"]) {
      expect(() => send({ headers: { "x-a": bad } }), JSON.stringify(bad)).toThrow(/header injection/);
      expect(() => send({ headers: { "x-a": ["fine", bad] } }), JSON.stringify(bad)).toThrow(/header injection/);
      expect(() => send({ cookies: [bad] }), JSON.stringify(bad)).toThrow(/header injection/);
    }
  });
  it("a header whose value is null or undefined (a JavaScript caller's) is left out, not sent as \"null\"", () => {
    const [result] = send({ headers: { "x-a": null, "x-b": undefined, "x-c": "c" } });
    expect(result.headers).toEqual({ "x-c": "c", "x-request-id": "r-1" });
  });
  it("a body that is neither text nor bytes throws naming its type", () => {
    expect(() => send({ body: 42 })).toThrow("response body is number, not a string or Uint8Array");
    expect(() => send({ body: { a: 1 } })).toThrow("response body is object, not a string or Uint8Array");
  });
  it("an empty text body is never flagged base64, whatever its content type", () => {
    expect(send({ headers: { "content-type": "image/png" }, body: "" })[0]).toMatchObject({ body: "", isBase64Encoded: false });
    expect(send({ headers: { "content-type": "image/png" }, body: "x" })[0]).toMatchObject({ body: "eA==", isBase64Encoded: true });
  });
  it("a result exactly at the source's limit is sent; one byte over throws naming the size", () => {
    const res = { body: "x".repeat(1000) };
    const [result, cookies] = send(res, Infinity);
    const size = Buffer.byteLength(JSON.stringify([result, cookies]));
    expect(send(res, size)[0].body).toBe(res.body);
    expect(() => send(res, size - 1)).toThrow(`the response is ${size} bytes of JSON, over this source's ${size - 1}-byte limit`);
  });
});
