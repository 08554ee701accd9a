import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveDocs } from "./docs.ts";
import { startDevServer, type DevServer } from "./server.ts";

const invoked: string[] = [];
let dev: DevServer;

beforeAll(async () => {
  const handler = async (event: unknown) => {
    invoked.push((event as { rawPath: string }).rawPath);
    return { statusCode: 200, headers: { "content-type": "application/json" }, body: "{}" };
  };
  dev = await startDevServer({ source: "http", port: 0, log: () => undefined, serve: serveDocs, getHandler: async () => ({ handler, cold: false }) });
});
afterAll(() => dev.close());

describe("/docs on the dev server", () => {
  it("is a page that loads Swagger UI from /docs/ and the app's /openapi.json, with no online validator", async () => {
    const res = await fetch(`${dev.url}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const page = await res.text();
    const sources = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(sources).toEqual(["/docs/favicon-32x32.png", "/docs/swagger-ui.css", "/docs/swagger-ui-bundle.js", "/docs/init.js"]);
    expect(page).toContain('id="dev-token"');
    const init = await (await fetch(`${dev.url}/docs/init.js`)).text();
    expect(init).toContain('url: "/openapi.json"');
    expect(init).toContain("validatorUrl: null");
    expect(init).not.toMatch(/https?:\/\//);
  });

  it("serves Swagger UI's files byte for byte from node_modules (swagger-ui-dist)", async () => {
    const dir = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
    for (const [name, type] of [["swagger-ui-bundle.js", "text/javascript; charset=utf-8"], ["swagger-ui.css", "text/css; charset=utf-8"], ["favicon-32x32.png", "image/png"]] as const) {
      const res = await fetch(`${dev.url}/docs/${name}`);
      expect(res.headers.get("content-type"), name).toBe(type);
      expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(join(dir, name))), name).toBe(true);
    }
  });

  it("a path named like an Object.prototype member is a missing asset, a 404 (was: a 500 reading swagger-ui-dist/constructor)", async () => {
    for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty"]) expect((await fetch(`${dev.url}/docs/${name}`)).status, name).toBe(404);
  });

  it("serves nothing else from node_modules, and never invokes the handler for /docs", async () => {
    expect((await fetch(`${dev.url}/docs/package.json`)).status).toBe(404);
    expect((await fetch(`${dev.url}/docs/..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${dev.url}/docs`, { method: "POST", body: "x" })).status).toBe(405);
    expect(invoked).toEqual([]);
    expect((await fetch(`${dev.url}/documents`)).status).toBe(200);
    expect(invoked).toEqual(["/documents"]);
  });
});
