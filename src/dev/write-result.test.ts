// What the dev server answers for results a hand-written handler returns: the AWS service's answer, never
// the dev server's own 500, and never bytes that break HTTP framing. Driven through a real server on 127.0.0.1.
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { DevSource } from "./http-event.ts";
import { startDevServer, type DevServer } from "./server.ts";
import { fromResult } from "./write-result.ts";

let dev: DevServer | undefined;
const lines: string[] = [];
afterEach(async () => {
  await dev?.close();
  dev = undefined;
  lines.length = 0;
});

async function serve(source: DevSource, result: unknown): Promise<string> {
  dev = await startDevServer({ source, port: 0, log: (l) => lines.push(l), getHandler: async () => ({ handler: async () => result, cold: false }) });
  return dev.url;
}

// The response exactly as it crosses the socket (fetch would hide a framing error, or throw on it).
function rawGet(port: number, path = "/x"): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let text = "";
    socket.on("data", (chunk) => (text += chunk.toString("latin1"))).on("end", () => resolve(text)).on("error", reject);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  });
}

describe("payload 2.0 (http, url): a result without statusCode is inferred, as API Gateway and Lambda document (was: a 502)", () => {
  // "If your function returns valid JSON and doesn't return a statusCode, Lambda assumes: statusCode 200,
  // content-type application/json, body the function response" (Lambda "Invoking Lambda function URLs",
  // response payload format; API Gateway's HTTP API payload 2.0 says the same).
  it.each(["http", "url"] as DevSource[])("%s: an object is 200 application/json with the object as its body", async (source) => {
    const res = await fetch(`${await serve(source, { message: "Hello, world!" })}/x`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toEqual({ message: "Hello, world!" });
  });

  it.each(["http", "url"] as DevSource[])("%s: a string is 200 with the string as JSON text", async (source) => {
    const res = await fetch(`${await serve(source, "Hello, world!")}/x`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('"Hello, world!"');
  });

  it.each(["rest", "http-v1", "alb", "alb-single", "lattice"] as DevSource[])("%s makes no such assumption: the same result is a 502", async (source) => {
    const res = await fetch(`${await serve(source, { message: "Hello, world!" })}/x`);
    expect(res.status).toBe(502);
  });
});

describe("a result in the wrong format is the source's 502 with a log line naming the field (was: the dev server's own 500 with a stack, or a garbled reply)", () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ["a body that is not a string", { statusCode: 200, body: { a: 1 } }, /body/],
    ["a numeric body", { statusCode: 200, body: 5 }, /body/],
    ["a header name that is not an HTTP token", { statusCode: 200, headers: { "bad name": "v" }, body: "x" }, /bad name/],
    ["a header value with a line break", { statusCode: 200, headers: { "x-a": "a\r\nset-cookie: injected=1" }, body: "x" }, /x-a/],
    ["a status code outside 100-599", { statusCode: 1000, body: "x" }, /statusCode/],
  ];
  it.each(cases)("%s", async (_, result, field) => {
    const res = await fetch(`${await serve("rest", result)}/x`);
    expect(res.status).toBe(502);
    // API Gateway's words for a function error or a response in the wrong format (Lambda developer guide,
    // "Handling Lambda errors with an API Gateway API").
    expect(await res.json()).toEqual({ message: "Internal server error" });
    expect(lines.some((l) => /malformed Lambda proxy response/.test(l) && field.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith("dev server error"))).toBe(false);
  });

  // HTTP sends a 1xx as an interim response, never as the answer: written as the final status, the client got
  // "103" and then nothing, waiting for an answer that never came (was: accepted as 100-599).
  it.each(["http", "rest", "alb-single"] as DevSource[])("%s: an informational status (1xx) is a 502 naming statusCode, never an answer the client waits on forever", async (source) => {
    const res = await fetch(`${await serve(source, { statusCode: 103, body: "x" })}/x`, { signal: AbortSignal.timeout(3_000) });
    expect(res.status).toBe(502);
    expect(lines.some((l) => /malformed Lambda proxy response: statusCode/.test(l))).toBe(true);
  });

  it("edge: an informational status (\"103\") is CloudFront's 502, never an answer the client waits on forever", async () => {
    const res = await fetch(`${await serve("edge", { status: "103", headers: {}, body: "x" })}/x`, { signal: AbortSignal.timeout(3_000) });
    expect(res.status).toBe(502);
  });

  it("payload 2.0 cookies that are not a list of strings are a 502 (was: one Set-Cookie per character)", async () => {
    const res = await fetch(`${await serve("http", { statusCode: 200, cookies: "a=1", body: "x" })}/x`);
    expect(res.status).toBe(502);
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(lines.some((l) => /malformed Lambda proxy response.*cookies/.test(l))).toBe(true);
  });

  it("REST multiValueHeaders values that are not lists are a 502 (was: one header per character)", async () => {
    const res = await fetch(`${await serve("rest", { statusCode: 200, multiValueHeaders: { "x-m": "abc" }, body: "x" })}/x`);
    expect(res.status).toBe(502);
    expect(res.headers.get("x-m")).toBeNull();
    expect(lines.some((l) => /malformed Lambda proxy response.*x-m/.test(l))).toBe(true);
  });

  it("a missing statusCode on REST says so in the log (was: a bare 502, no word why)", async () => {
    await fetch(`${await serve("rest", { body: "x" })}/x`);
    expect(lines.some((l) => /malformed Lambda proxy response.*statusCode/.test(l))).toBe(true);
  });

  it("header values REST stringifies (a boolean CORS header) still pass", async () => {
    const res = await fetch(`${await serve("rest", { statusCode: 200, headers: { "access-control-allow-credentials": true, "x-n": 3 }, body: "x" })}/x`);
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(res.headers.get("x-n")).toBe("3");
  });
});

describe("the result's framing headers never frame the reply: the dev server writes its own, as API Gateway does (was: sent as given)", () => {
  it.each(["http", "rest", "alb-single"] as DevSource[])("%s: a content-length that disagrees with the body does not cut it", async (source) => {
    await serve(source, { statusCode: 200, headers: { "content-length": "2" }, body: "hello world" });
    const raw = await rawGet(dev!.port);
    expect(raw.endsWith("\r\n\r\nhello world")).toBe(true);
    expect(raw).not.toMatch(/^content-length: 2\r$/im);
  });

  it("REST hands them back renamed x-amzn-Remapped-*, as API Gateway documents it may", async () => {
    const res = await fetch(`${await serve("rest", { statusCode: 200, headers: { "Content-Length": "2" }, body: "hello world" })}/x`);
    expect(await res.text()).toBe("hello world");
    expect(res.headers.get("x-amzn-remapped-content-length")).toBe("2");
  });
});

describe("REST takes exactly its five documented keys (was: a cookies key ignored, so a result that passed locally was a 502 deployed)", () => {
  // "Execution failed due to configuration error: Malformed Lambda proxy response" for a result carrying
  // payload 2.0's cookies (reported in sst#2760, nitro#504, lamby#78, ridge#25; REST's documented format is
  // isBase64Encoded, statusCode, headers, multiValueHeaders, body).
  it("a cookies key is a 502 naming it", async () => {
    const res = await fetch(`${await serve("rest", { statusCode: 200, multiValueHeaders: { "set-cookie": ["a=1"] }, cookies: ["c=3"], body: "x" })}/x`);
    expect(res.status).toBe(502);
    expect(lines.some((l) => /malformed Lambda proxy response.*cookies/.test(l))).toBe(true);
  });

  it("the five keys pass", async () => {
    const res = await fetch(`${await serve("rest", { statusCode: 201, headers: { "x-a": "a" }, multiValueHeaders: { "set-cookie": ["a=1", "b=2"] }, body: "eA==", isBase64Encoded: true })}/x`);
    expect(res.status).toBe(201);
    expect(res.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    expect(await res.text()).toBe("x");
  });
});

// "If you specify values for both headers and multiValueHeaders, API Gateway merges them into a single list. If
// the same key-value pair is specified in both, only the values from multiValueHeaders will appear in the merged
// list." (API Gateway developer guide, "Output format of a Lambda function for proxy integration")
describe("REST: a header name in both headers and multiValueHeaders gets both maps' values, an identical pair once (was: the headers value dropped, but for Set-Cookie, which was kept even when identical)", () => {
  const sent = (result: object) => fromResult({ statusCode: 200, body: "x", ...result }, "rest").headers;

  it("a different value in headers is added to the multiValueHeaders values, whatever the names' case", () => {
    expect(sent({ headers: { Vary: "Origin" }, multiValueHeaders: { vary: ["Accept-Encoding"] } }).filter(([name]) => name === "vary")).toEqual([
      ["vary", "Accept-Encoding"],
      ["vary", "Origin"],
    ]);
  });

  it("the same name and value in both is sent once", () => {
    expect(sent({ headers: { "x-a": "1" }, multiValueHeaders: { "X-A": ["1", "2"] } }).filter(([name]) => name === "x-a")).toEqual([
      ["x-a", "1"],
      ["x-a", "2"],
    ]);
  });

  it("Set-Cookie follows the same rule: an identical cookie once, another one added", () => {
    expect(sent({ headers: { "set-cookie": "a=1" }, multiValueHeaders: { "Set-Cookie": ["a=1", "b=2"] } }).filter(([name]) => name === "set-cookie")).toEqual([
      ["set-cookie", "a=1"],
      ["set-cookie", "b=2"],
    ]);
    expect(sent({ headers: { "set-cookie": "c=3" }, multiValueHeaders: { "set-cookie": ["a=1"] } }).filter(([name]) => name === "set-cookie")).toEqual([
      ["set-cookie", "a=1"],
      ["set-cookie", "c=3"],
    ]);
  });

  it("a value REST stringifies compares as its string: headers { x-n: 3 } and multiValueHeaders { x-n: [\"3\"] } send it once", () => {
    expect(sent({ headers: { "x-n": 3 }, multiValueHeaders: { "x-n": ["3"] } }).filter(([name]) => name === "x-n")).toEqual([["x-n", "3"]]);
  });

  it("an ALB in multi-value mode still reads multiValueHeaders alone", () => {
    expect(fromResult({ statusCode: 200, headers: { vary: "Origin" }, multiValueHeaders: { vary: ["Accept-Encoding"] } }, "alb").headers).toEqual([["vary", "Accept-Encoding"]]);
  });
});
