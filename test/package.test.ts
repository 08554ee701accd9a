import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// `npm test` builds dist/ first (build:lib); these tests use the package exactly as a user installs it.
const root = fileURLToPath(new URL("..", import.meta.url));

function runNode(code: string): string {
  return execFileSync(process.execPath, ["--input-type=module", "-e", code], { cwd: root, encoding: "utf8" });
}

describe("the published package", () => {
  it('`import { handle } from "lambdalith"` works and answers an HTTP API event', () => {
    const out = runNode(`
      import { handle, createEvent, json } from "lambdalith";
      const handler = handle((req) => json({ path: req.path, q: req.query.q }));
      const result = await handler(createEvent("http-api-v2", { path: "/exams/e-1?q=x" }), { awsRequestId: "a" });
      console.log(result.body);
    `);
    expect(JSON.parse(out)).toEqual({ path: "/exams/e-1", q: "x" });
  });

  it("loading the package and serving a request never loads undici (Request/Response/fetch) or node:http", () => {
    const out = runNode(`
      const { handle, createEvent } = await import("lambdalith");
      await handle((req) => ({ ok: req.headers.host, c: req.cookies, b: req.text() }))(createEvent("alb", { path: "/", headers: { host: "h" } }), { awsRequestId: "a" });
      console.log(JSON.stringify(process.moduleLoadList.filter((m) => /undici|\\bhttp\\b|_http_/.test(m))));
    `);
    expect(JSON.parse(out)).toEqual([]);
  });

  it('`lambdalith/stream` is its own entry: importing it and creating a handler touch no awslambda global and load no node:http', () => {
    const out = runNode(`
      const { streamHandler, stream, sse, canStream } = await import("lambdalith/stream");
      const handler = streamHandler(() => stream(["a"]));
      console.log(JSON.stringify({
        types: [typeof streamHandler, typeof stream, typeof sse, typeof canStream, typeof handler],
        awslambda: "awslambda" in globalThis,
        http: process.moduleLoadList.filter((m) => /undici|\\bhttp\\b|_http_/.test(m)),
        invoked: await handler({}, { write() {} }).then(() => "resolved", (e) => e.message),
      }));
    `);
    const result = JSON.parse(out);
    expect(result).toMatchObject({ types: ["function", "function", "function", "function", "function"], awslambda: false, http: [] });
    expect(result.invoked).toMatch(/Lambda Node\.js runtime/);
    const pkg = JSON.parse(readFileSync(root + "package.json", "utf8"));
    expect(pkg.exports["./stream"]).toEqual({ types: "./dist/stream/index.d.ts", import: "./dist/stream/index.js" });
  });

  it("ships .d.ts files and imports nothing but its own files", () => {
    const dist = fileURLToPath(new URL("../dist/", import.meta.url));
    const files = readdirSync(dist, { recursive: true, encoding: "utf8" });
    expect(files).toContain("index.d.ts");
    for (const file of files.filter((f) => f.endsWith(".js"))) {
      const source = readFileSync(dist + file, "utf8");
      const specifiers = [...source.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1]!);
      for (const spec of specifiers) expect(spec, `${file} imports ${spec}`).toMatch(/^\.\.?\/|^node:zlib$/);
    }
  });

  it("public types stand alone: no @types/aws-lambda needed by users", () => {
    const dist = fileURLToPath(new URL("../dist/", import.meta.url));
    const files = readdirSync(dist, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".d.ts"));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) expect(readFileSync(dist + file, "utf8"), file).not.toMatch(/aws-lambda/);
  });

  it("package.json is ESM, side-effect free, with no runtime dependencies", () => {
    const pkg = JSON.parse(readFileSync(root + "package.json", "utf8"));
    expect(pkg.type).toBe("module");
    expect(pkg.sideEffects).toBe(false);
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.exports["."].import).toBe("./dist/index.js");
  });
});
