import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { binary, empty, json, text } from "../lib/response.ts";
import { compress, negotiate, type CompressOptions } from "./compress.ts";
import { router } from "./router.ts";
import { testRequest } from "./test-request.ts";
import type { HttpResponse } from "../lib/response.ts";

const big = { items: Array.from({ length: 100 }, (_, i) => ({ id: `q-${i}`, text: "What is the capital of France? ✓" })) };
const bigJson = JSON.stringify(big);
const app = router()
  .use(compress())
  .get("/big", () => json(big))
  .get("/small", () => json({ a: 1 }))
  .get("/no-transform", () => json(big, { headers: { "Cache-Control": "public, no-transform" } }))
  .get("/encoded", () => text(bigJson, { headers: { "content-encoding": "identity-ish" } }))
  .get("/png", () => binary(new Uint8Array(4096), "image/png"))
  .get("/svg", () => text("<svg>" + " ".repeat(4000) + "</svg>", { headers: { "content-type": "image/svg+xml", vary: "Cookie", "content-length": "4011" } }))
  .get("/bytes-json", () => binary(new TextEncoder().encode(bigJson), "application/problem+json"));
const get = (path: string, ae?: string, method = "GET") => app.handle(testRequest(method, path, { headers: ae === undefined ? {} : { "accept-encoding": ae } }));
const bytes = (res: HttpResponse) => {
  expect(res.body).toBeInstanceOf(Uint8Array);
  return res.body as Uint8Array;
};

describe("compress()", () => {
  it("brotli is preferred; the bytes decompress to the original body", async () => {
    const res = await get("/big", "gzip, deflate, br");
    expect(res.headers).toMatchObject({ "content-encoding": "br", vary: "Accept-Encoding", "content-type": "application/json; charset=utf-8" });
    const out = bytes(res);
    expect(out.length).toBeLessThan(bigJson.length / 4);
    expect(brotliDecompressSync(out).toString("utf8")).toBe(bigJson);
  });
  it("honours q-values: br;q=0 means gzip", async () => {
    const res = await get("/big", "br;q=0, gzip");
    expect(res.headers?.["content-encoding"]).toBe("gzip");
    expect(gunzipSync(bytes(res)).toString("utf8")).toBe(bigJson);
  });
  it("a higher q wins over the preference; * covers unnamed encodings", async () => {
    expect((await get("/big", "br;q=0.5, gzip;q=0.9")).headers?.["content-encoding"]).toBe("gzip");
    expect((await get("/big", "*")).headers?.["content-encoding"]).toBe("br");
    expect((await get("/big", "br;q=0, *;q=0.1")).headers?.["content-encoding"]).toBe("gzip");
  });
  it("identity only, or no Accept-Encoding: uncompressed, still Vary", async () => {
    for (const ae of [undefined, "identity", "br;q=0, gzip;q=0", "deflate"]) {
      const res = await get("/big", ae);
      expect(res.body, String(ae)).toBe(bigJson);
      expect(res.headers?.["content-encoding"]).toBeUndefined();
      expect(res.headers?.["vary"]).toBe("Accept-Encoding");
    }
  });
  it("skips bodies under 1 KiB", async () => {
    const res = await get("/small", "br, gzip");
    expect(res.body).toBe('{"a":1}');
    expect(res.headers?.["content-encoding"]).toBeUndefined();
    const custom = router().use(compress({ threshold: 64 })).get("/s", () => json({ a: "x".repeat(100) }));
    expect((await custom.handle(testRequest("GET", "/s", { headers: { "accept-encoding": "gzip" } }))).headers?.["content-encoding"]).toBe("gzip");
  });
  it("skips Cache-Control: no-transform, already-encoded bodies, and non-compressible types", async () => {
    expect((await get("/no-transform", "br")).body).toBe(bigJson);
    expect((await get("/encoded", "br")).headers).toMatchObject({ "content-encoding": "identity-ish" });
    expect((await get("/encoded", "br")).body).toBe(bigJson);
    const png = await get("/png", "br");
    expect(png.headers?.["content-encoding"]).toBeUndefined();
    expect(bytes(png).length).toBe(4096);
  });
  it("HEAD gets the headers GET gets, and no body", async () => {
    const head = await get("/big", "br", "HEAD");
    const getRes = await get("/big", "br");
    expect(head.headers?.["content-encoding"]).toBe("br");
    expect(head.headers?.["content-encoding"]).toBe(getRes.headers?.["content-encoding"]);
    expect(head.headers?.["vary"]).toBe(getRes.headers?.["vary"]);
    expect(head.body).toBeUndefined();
  });
  it("compresses svg and byte bodies of +json types; appends to an existing Vary and drops a stale content-length", async () => {
    const svg = await get("/svg", "gzip");
    expect(svg.headers).toMatchObject({ "content-encoding": "gzip", vary: "Cookie, Accept-Encoding" });
    expect(svg.headers?.["content-length"]).toBeUndefined();
    expect(gunzipSync(bytes(svg)).toString()).toMatch(/^<svg> +<\/svg>$/);
    const pj = await get("/bytes-json", "br");
    expect(brotliDecompressSync(bytes(pj)).toString()).toBe(bigJson);
  });
  it("an encoded response's strong ETag becomes weak, HEAD's too; an unencoded one keeps it (was: one strong ETag for different bytes)", async () => {
    const app = router()
      .use(compress())
      .get("/doc", () => text("x".repeat(5000), { headers: { etag: '"v1"' } }))
      .get("/weak", () => text("x".repeat(5000), { headers: { ETag: 'W/"v1"' } }));
    const gzip = { headers: { "accept-encoding": "gzip" } };
    expect((await app.handle(testRequest("GET", "/doc", gzip))).headers).toMatchObject({ "content-encoding": "gzip", etag: 'W/"v1"' });
    expect((await app.handle(testRequest("HEAD", "/doc", gzip))).headers).toMatchObject({ "content-encoding": "gzip", etag: 'W/"v1"' });
    expect((await app.handle(testRequest("GET", "/doc"))).headers).toMatchObject({ etag: '"v1"' });
    expect((await app.handle(testRequest("GET", "/weak", gzip))).headers).toMatchObject({ etag: 'W/"v1"' });
  });
  it("a body that would not shrink goes out as it came, still with Vary (was: random text grew by a third, and a 5.99 MB body became a 500 over Lambda's 6 MB)", async () => {
    const noise = randomBytes(6000).toString("base64");
    const app = router().use(compress()).get("/noise", () => text(noise, { headers: { "content-type": "text/csv", etag: '"n1"' } }));
    for (const method of ["GET", "HEAD"]) {
      const res = await app.handle(testRequest(method, "/noise", { headers: { "accept-encoding": "br, gzip" } }));
      expect(res.headers, method).toEqual({ "content-type": "text/csv", etag: '"n1"', vary: "Accept-Encoding" });
      if (method === "GET") expect(res.body).toBe(noise);
    }
  });
  it("a 304 carries the Vary and weak ETag its encoded 200 would (was: a strong ETag no cached entry matched, no Vary)", async () => {
    const app = router()
      .use(compress())
      .get("/doc", (req) => (req.headers["if-none-match"] ? empty(304, { headers: { etag: '"v1"' } }) : text("x".repeat(5000), { headers: { etag: '"v1"' } })))
      .get("/raw", () => empty(304, { headers: { etag: '"v1"', "cache-control": "no-transform" } }));
    const ok = await app.handle(testRequest("GET", "/doc", { headers: { "accept-encoding": "gzip" } }));
    const notModified = await app.handle(testRequest("GET", "/doc", { headers: { "accept-encoding": "gzip", "if-none-match": 'W/"v1"' } }));
    expect(notModified.status).toBe(304);
    expect(notModified.headers).toEqual({ etag: ok.headers!["etag"], vary: ok.headers!["vary"] });
    expect((await app.handle(testRequest("GET", "/doc", { headers: { "if-none-match": '"v1"' } }))).headers).toEqual({ etag: '"v1"' });
    expect((await app.handle(testRequest("GET", "/raw", { headers: { "accept-encoding": "gzip" } }))).headers).toEqual({ etag: '"v1"', "cache-control": "no-transform" });
  });
  it("an encoded body drops digests of the identity bytes, and Vary names each header once (was: Content-Digest kept, Vary: Accept-Encoding twice)", async () => {
    const app = router()
      .use(compress())
      .get("/d", () => text("y".repeat(5000), { headers: { "content-digest": "sha-256=:abc=:", "Content-MD5": "abc", vary: "origin, accept-encoding" } }))
      .get("/star", () => text("y".repeat(5000), { headers: { vary: "*" } }));
    const res = await app.handle(testRequest("GET", "/d", { headers: { "accept-encoding": "gzip" } }));
    expect(res.headers).toEqual({ "content-type": "text/plain; charset=utf-8", vary: "origin, accept-encoding", "content-encoding": "gzip" });
    expect((await app.handle(testRequest("GET", "/star", { headers: { "accept-encoding": "gzip" } }))).headers).toMatchObject({ vary: "*" });
  });
  it("a content type padded with blanks costs linear time (was: quadratic, 0.6 s for 40,000 spaces)", async () => {
    const padded = " ".repeat(200_000) + "x";
    const app = router().use(compress()).get("/p", () => text("z".repeat(5000), { headers: { "content-type": padded } }));
    const started = performance.now();
    const res = await app.handle(testRequest("GET", "/p", { headers: { "accept-encoding": "gzip" } }));
    expect(res.headers?.["content-encoding"]).toBeUndefined();
    // Quadratic would be minutes at this length; linear is about a millisecond. The bound is loose on purpose.
    expect(performance.now() - started).toBeLessThan(2000);
  });
  it("refuses options it cannot honour when it is created, naming the fix (was: encodings [\"deflate\"] sent gzip bytes labelled deflate, gzipLevel 10 made every large response a 500)", () => {
    // What JavaScript callers and config files pass: the types say otherwise, nothing checked it.
    const bad: unknown[] = [
      { encodings: ["deflate"] },
      { encodings: ["gzip", "zstd"] },
      { encodings: "gzip" },
      { gzipLevel: 10 },
      { gzipLevel: 0 },
      { gzipLevel: 4.5 },
      { brotliQuality: 12 },
      { brotliQuality: -1 },
      { threshold: -1 },
      { threshold: Number.NaN },
      { threshold: "12" },
      { threshold: true },
      { threshold: [5000] },
    ];
    for (const options of bad) expect(() => compress(options as never), JSON.stringify(options)).toThrow(/^compress\(\): (encodings|gzipLevel|brotliQuality|threshold) /);
    for (const options of [{}, { encodings: ["gzip" as const] }, { encodings: [] }, { gzipLevel: 1 }, { gzipLevel: 9 }, { brotliQuality: 0 }, { brotliQuality: 11 }, { threshold: 0 }]) expect(() => compress(options)).not.toThrow();
  });
  it("header values the adapters accept from JavaScript (undefined, null, a number) pass through, never a 500 (was: TypeError in headerOf)", async () => {
    const loose = { "cache-control": undefined, "content-encoding": null, vary: null, "x-count": 3 } as unknown as Record<string, string>;
    const app = router()
      .use(compress())
      .get("/loose", () => json(big, { headers: loose }));
    const res = await app.handle(testRequest("GET", "/loose", { headers: { "accept-encoding": "gzip" } }));
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({ "content-encoding": "gzip", vary: "Accept-Encoding", "x-count": 3 });
    expect(gunzipSync(bytes(res)).toString("utf8")).toBe(bigJson);
  });
  it("negotiate() parses q-values", () => {
    expect(negotiate("gzip;q=1.0, br;q=0.8", ["br", "gzip"])).toBe("gzip");
    expect(negotiate("GZIP; Q=0.5", ["br", "gzip"])).toBe("gzip");
    expect(negotiate("br;q=0", ["br", "gzip"])).toBeUndefined();
    expect(negotiate("", ["br", "gzip"])).toBeUndefined();
    expect(negotiate("__proto__, constructor", ["br", "gzip"])).toBeUndefined();
  });
  it.each([
    ["gzip;q=2, br", "br"],
    ["gzip;q=1.5, br;q=0.9", "br"],
    ["br;q=0x1, gzip;q=0.5", "gzip"],
    ["br;q=1e0, gzip;q=0.5", "gzip"],
    ["br;q=0.5000, gzip;q=0.4", "gzip"],
    ["br;q=-1, gzip;q=0.1", "gzip"],
  ])("negotiate(%j) is %s: a q-value outside RFC 9110's 0–1 with three decimals refuses its coding, never outranks a valid one", (header, expected) => {
    expect(negotiate(header, ["br", "gzip"])).toBe(expected);
  });
  it("negotiate() reads x-gzip as gzip (RFC 9110 §8.4.1.3; was: not compressed)", () => {
    expect(negotiate("x-gzip", ["br", "gzip"])).toBe("gzip");
    expect(negotiate("X-Gzip;q=0.9, br;q=0.5", ["br", "gzip"])).toBe("gzip");
    // An explicit gzip entry wins over its alias, wherever it stands.
    expect(negotiate("x-gzip, gzip;q=0", ["br", "gzip"])).toBeUndefined();
    expect(negotiate("gzip;q=0, x-gzip", ["br", "gzip"])).toBeUndefined();
  });
  it("negotiate() reads a q-value with blanks around '=' (was: q = 0 read as q=1, a refused coding used)", () => {
    expect(negotiate("br ; q = 0, gzip", ["br", "gzip"])).toBe("gzip");
  });
});

describe("compress(): cold start", () => {
  it("node:zlib is imported on first use, never at module load", async () => {
    const { build } = await import("esbuild");
    const out = await build({ entryPoints: [new URL("./compress.ts", import.meta.url).pathname], bundle: true, write: false, format: "esm", platform: "node" });
    const code = out.outputFiles[0]!.text;
    expect(code).toContain('import("node:zlib")');
    expect(code).not.toMatch(/from\s*"node:zlib"/);
    const { execFileSync } = await import("node:child_process");
    const probe = `const m = await import("data:text/javascript;base64,${Buffer.from(code).toString("base64")}"); m.compress(); console.log(process.moduleLoadList.filter((x) => x.includes("zlib")).length)`;
    expect(execFileSync(process.execPath, ["--input-type=module", "-e", probe], { encoding: "utf8" }).trim()).toBe("0");
  });
});

// Pinned by hand mutation testing: each case below let a mutant of compress.ts pass every other test.
describe("compress(): edges pinned by mutation testing", () => {
  const answer = (type: string, body = "y".repeat(5000)) => router().use(compress()).get("/t", () => text(body, { headers: { "content-type": type } })).handle(testRequest("GET", "/t", { headers: { "accept-encoding": "gzip" } }));
  it.each([
    " text/html",
    "TEXT/CSV",
    "application/JSON; charset=utf-8",
    "application/json-seq",
    "application/xml",
    "application/x-www-form-urlencoded",
    "application/graphql",
    "application/x-ndjson",
    "application/wasm",
    "application/sql",
    "application/javascript",
    "application/ecmascript",
    "application/x-javascript",
    "application/yaml",
    "application/x-yaml",
    "application/toml",
    "application/vnd.api+json",
    "application/atom+xml",
  ])("compresses %j", async (type) => {
    expect((await answer(type)).headers?.["content-encoding"]).toBe("gzip");
  });
  it.each(["application/jsonx", "application/sqlite", "application/vnd.example+jsonx", "image/png", "font/woff2", "application/octet-stream"])("leaves %j alone (a listed name must end where the type or suffix does)", async (type) => {
    expect((await answer(type)).headers?.["content-encoding"]).toBeUndefined();
  });
  it("the default threshold is 1024 bytes, inclusive: 1023 go as they are, 1024 are compressed", async () => {
    expect((await answer("text/plain", "y".repeat(1023))).headers?.["content-encoding"]).toBeUndefined();
    expect((await answer("text/plain", "y".repeat(1024))).headers?.["content-encoding"]).toBe("gzip");
  });
  it.each([
    [199, "gzip"],
    [204, "gzip"],
    [206, "gzip"],
    [304, "identity"],
  ])("status %i with a body is left alone (accept-encoding %s): no body, or a range of the identity bytes", async (status, ae) => {
    const headers = { "content-type": "text/plain; charset=utf-8" };
    const res = await router().use(compress()).get("/s", () => ({ ...text("y".repeat(5000), status), headers: { ...headers } })).handle(testRequest("GET", "/s", { headers: { "accept-encoding": ae } }));
    expect([res.status, res.headers, res.body]).toEqual([status, headers, "y".repeat(5000)]);
  });
  it("a 200 without a body passes untouched", async () => {
    const res = await router().use(compress()).get("/e", () => empty(200)).handle(testRequest("GET", "/e", { headers: { "accept-encoding": "gzip" } }));
    expect([res.status, res.body, res.headers?.["content-encoding"]]).toEqual([200, undefined, undefined]);
  });
  it("a string exactly the threshold long in UTF-8 bytes (three per character) is compressed", async () => {
    const res = await router().use(compress({ threshold: 3000 })).get("/e", () => text("€".repeat(1000))).handle(testRequest("GET", "/e", { headers: { "accept-encoding": "gzip" } }));
    expect(res.headers?.["content-encoding"]).toBe("gzip");
  });
  it("brotli quality 5 and gzip level 6 by default, the options' otherwise: the bytes are zlib's at that setting", async () => {
    const input = Buffer.from(bigJson);
    const bytesOf = async (options: CompressOptions, ae: string) => new Uint8Array((await router().use(compress(options)).get("/b", () => text(bigJson)).handle(testRequest("GET", "/b", { headers: { "accept-encoding": ae } }))).body as Uint8Array);
    const br = (quality: number) => new Uint8Array(brotliCompressSync(input, { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: input.length } }));
    expect(br(5)).not.toEqual(br(11));
    expect(await bytesOf({}, "br")).toEqual(br(5));
    expect(await bytesOf({ brotliQuality: 11 }, "br")).toEqual(br(11));
    expect(await bytesOf({}, "gzip")).toEqual(new Uint8Array(gzipSync(input, { level: 6 })));
    expect(await bytesOf({ gzipLevel: 1 }, "gzip")).toEqual(new Uint8Array(gzipSync(input, { level: 1 })));
  });
  it("a byte body is weighed as it travels, base64 both ways: one that shrinks by a fifth is sent compressed", async () => {
    // Random base64 text: gzip takes it to about 3/4 of its size, more than the identity bytes but less than their base64.
    const bytes = new TextEncoder().encode(randomBytes(4500).toString("base64"));
    const res = await router().use(compress()).get("/b", () => binary(bytes, "application/json")).handle(testRequest("GET", "/b", { headers: { "accept-encoding": "gzip" } }));
    expect(res.headers?.["content-encoding"]).toBe("gzip");
    expect(gunzipSync(res.body as Uint8Array)).toEqual(Buffer.from(bytes));
  });
  it.each([
    ["br; Q=0, gzip", "gzip"],
    ["br;q=0.5 , gzip;q=0.4", "br"],
    ["br;q=0.6, gzip", "gzip"],
    ["br;q, gzip;q=0.5", "gzip"],
    ["br;q=1.0000, gzip;q=0.5", "gzip"],
  ])("negotiate(%j) is %s: Q in any case, blanks around a value, q=1 when absent, a q without a value or with four decimals refused", (header, expected) => {
    expect(negotiate(header, ["br", "gzip"])).toBe(expected);
  });
  it("headers a later middleware set in their own case are handled too: ETag made weak, Content-Length dropped; an ETag list is left alone", async () => {
    const app = router()
      .use(compress())
      .use(async (_req, next) => {
        const res = await next();
        return { ...res, headers: { ...res.headers, ETag: '"v1"', "Content-Length": "5000" } };
      })
      .get("/d", () => text("y".repeat(5000)));
    const res = await app.handle(testRequest("GET", "/d", { headers: { "accept-encoding": "gzip" } }));
    expect(res.headers).toMatchObject({ "content-encoding": "gzip", ETag: 'W/"v1"' });
    expect(res.headers).not.toHaveProperty("Content-Length");
    const list = await router().use(compress()).get("/list", () => text("y".repeat(5000), { headers: { etag: ['"a"'] } })).handle(testRequest("GET", "/list", { headers: { "accept-encoding": "gzip" } }));
    expect(list.headers).toMatchObject({ "content-encoding": "gzip", etag: ['"a"'] });
  });
});
