// The README's streaming example, run verbatim: bundled as a user would (lambdalith and lambdalith/stream
// resolved to this checkout), loaded after the runtime's globals are in place, served by the dev server as
// a Function URL; curl-like reads see the rows as they are produced.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { readFileSync } from "node:fs";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installAwsLambdaGlobal, isStreamingHandler } from "../src/dev/lambda-runtime.ts";
import { startDevServer, type DevServer } from "../src/dev/server.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const readme = readFileSync(join(root, "README.md"), "utf8");
const section = readme.slice(readme.indexOf("## Streaming"), readme.indexOf("## ExamBuddy quickstart"));
const example = /```ts\n([\s\S]*?)```/.exec(section)?.[1];

let dir: string;
let server: DevServer;
let uninstall: () => void;
let handler: unknown;

beforeAll(async () => {
  expect(example).toContain("export const handler = streamHandler(app)");
  dir = await mkdtemp(join(tmpdir(), "readme-streaming-"));
  const result = await build({
    stdin: { contents: example!, loader: "ts", resolveDir: dir, sourcefile: "handler.ts" },
    bundle: true,
    format: "esm",
    platform: "node",
    write: false,
    alias: { lambdalith: join(root, "src") },
    logLevel: "silent",
  });
  await writeFile(join(dir, "handler.mjs"), result.outputFiles[0]!.contents);
  uninstall = installAwsLambdaGlobal();
  ({ handler } = await import(pathToFileURL(join(dir, "handler.mjs")).href));
  server = await startDevServer({ source: "url", port: 0, log: () => {}, getHandler: async () => ({ handler: handler as never, cold: false }) });
});
afterAll(async () => {
  await server?.close();
  uninstall?.();
  await rm(dir, { recursive: true, force: true });
});

describe("README streaming example", () => {
  it("is a streaming handler", () => {
    expect(isStreamingHandler(handler)).toBe(true);
  });

  it("streams the CSV rows as they are produced (the first long before the last)", async () => {
    const started = performance.now();
    const res = await fetch(`${server.url}/squares.csv`);
    expect(res.headers.get("content-type")).toBe("text/csv");
    const reader = res.body!.getReader();
    const arrivals: Array<[string, number]> = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) arrivals.push([Buffer.from(r.value).toString(), performance.now() - started]);
    expect(arrivals.map(([text]) => text).join("")).toBe("n,square\r\n1,1\r\n2,4\r\n3,9\r\n4,16\r\n5,25\r\n");
    // Five 200 ms waits: the first row is there after about one, the last after about five.
    expect(arrivals[0]![1]).toBeLessThan(arrivals.at(-1)![1] - 500);
  });

  it("sends server-sent events and whole responses", async () => {
    const ticks = await fetch(`${server.url}/ticks`);
    expect(ticks.headers.get("content-type")).toBe("text/event-stream");
    expect(ticks.headers.get("cache-control")).toBe("no-cache");
    expect(await ticks.text()).toBe('event: tick\nid: 1\ndata: {"i":1}\n\nevent: tick\nid: 2\ndata: {"i":2}\n\nevent: tick\nid: 3\ndata: {"i":3}\n\n');
    expect(await (await fetch(`${server.url}/hello`)).json()).toEqual({ hello: "world" });
  });
});
