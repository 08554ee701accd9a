// The README's TypeScript examples compile under --strict, as a user would paste them: every ```ts block
// right after a `<!-- typecheck -->` line is written to its own file and type-checked against the package's
// published types (dist/esm, which `npm test` builds first), resolved by name. Every example in "One example
// per event source" must be marked: `(req) => …` without a type used to fail there with TS7006. Each one is
// also bundled and loaded, and the handler it exports answers an event: an example that throws when loaded
// (a route its router refuses, a setCookie option it refuses) fails here too.
// Every other ```ts block is either the "Streaming" example (test/readme-streaming.test.ts runs it) or marked
// `<!-- fragment: why -->` (code that needs what this repository does not have, such as aws-cdk-lib): a block
// a user would copy is never left unchecked by accident.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { createEvent } from "lambdalith";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const readme = readFileSync(join(root, "README.md"), "utf8");
const MARKER = "<!-- typecheck -->";
const FRAGMENT = /^<!-- fragment: .+ -->$/;

interface Block {
  line: number;
  marked: boolean;
  fragment: boolean;
  code: string;
}

/** Every ```ts block, with its README line and whether the line before it is the marker. */
function tsBlocks(text: string): Block[] {
  const lines = text.split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== "```ts") continue;
    const end = lines.indexOf("```", i + 1);
    const before = lines[i - 1]?.trim() ?? "";
    blocks.push({ line: i + 1, marked: before === MARKER, fragment: FRAGMENT.test(before), code: lines.slice(i + 1, end).join("\n") });
    i = end;
  }
  return blocks;
}

const blocks = tsBlocks(readme);
const sectionLines = (heading: string) => {
  const start = readme.split("\n").indexOf(heading) + 1;
  const next = readme.split("\n").findIndex((l, i) => i >= start && l.startsWith("## "));
  return [start, next] as const;
};

describe("README TypeScript examples", () => {
  // Inside the repository, so `lambdalith` resolves by its own name (package.json `exports`) to dist/esm's
  // types, and valibot from node_modules.
  const dir = join(root, ".local", `readme-examples-${process.pid}`);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("marks the first-screen handler, every per-source example and the router example", () => {
    const [from, to] = sectionLines("## One example per event source");
    const perSource = blocks.filter((b) => b.line > from && b.line < to);
    expect(perSource.length).toBeGreaterThanOrEqual(4);
    expect(perSource.filter((b) => !b.marked).map((b) => `README.md:${b.line}`)).toEqual([]);
    expect(blocks[0]).toMatchObject({ marked: true });
    expect(blocks.find((b) => b.code.includes("router()"))?.marked).toBe(true);
  });

  it("checks every other block: the streaming example runs in its own test, fragments say why they are not compiled", () => {
    const [from, to] = sectionLines("## Streaming");
    const unchecked = blocks.filter((b) => !b.marked && !b.fragment && !(b.line > from && b.line < to && b.code.includes("streamHandler(app)")));
    expect(unchecked.map((b) => `README.md:${b.line}`)).toEqual([]);
  });

  it("compile under --strict against the published types", () => {
    const marked = blocks.filter((b) => b.marked);
    mkdirSync(dir, { recursive: true });
    const files = marked.map((b) => {
      const file = `readme-line-${b.line}.ts`;
      writeFileSync(join(dir, file), b.code + "\n");
      return file;
    });
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", lib: ["ES2022"], types: ["node"], strict: true, noEmit: true, skipLibCheck: true },
        files,
      }),
    );
    let output = "";
    try {
      execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json", "--pretty", "false"], { cwd: dir, encoding: "utf8" });
    } catch (err) {
      output = (err as { stdout: string }).stdout;
    }
    // readme-line-132.ts(3,14): error TS7006 … → README.md:135: error TS7006 …
    const errors = output
      .split("\n")
      .filter(Boolean)
      .map((l) => l.replace(/^readme-line-(\d+)\.ts\((\d+),\d+\)/, (_m, block: string, line: string) => `README.md:${Number(block) + Number(line)}`));
    expect(errors).toEqual([]);
  }, 60_000);

  it("load and answer an event (bundled against dist/, as a user's build would)", async () => {
    const marked = blocks.filter((b) => b.marked);
    mkdirSync(dir, { recursive: true });
    for (const block of marked) {
      const outfile = join(dir, `readme-line-${block.line}.mjs`);
      await build({
        stdin: { contents: block.code, loader: "ts", resolveDir: root, sourcefile: `README.md:${block.line}` },
        bundle: true,
        format: "esm",
        platform: "node",
        outfile,
        logLevel: "silent",
        plugins: [{ name: "lambdalith-dist", setup: (b) => b.onResolve({ filter: /^lambdalith$/ }, () => ({ path: join(root, "dist/esm/index.js") })) }],
      });
      const loaded = (await import(pathToFileURL(outfile).href).catch((err: Error) => ({ error: err.message }))) as { handler?: unknown; error?: string };
      expect(loaded.error, `README.md:${block.line} throws when loaded`).toBeUndefined();
      // A block of calls (the response helpers) has run by now; one that declares a handler must export it.
      if (!/^export const handler\b/m.test(block.code)) continue;
      expect(typeof loaded.handler, `README.md:${block.line} exports a handler`).toBe("function");
      const result = (await (loaded.handler as (e: unknown, c: unknown) => Promise<{ statusCode: number }>)(createEvent("http-api-v2", { path: "/health" }), { awsRequestId: "readme" })) as { statusCode: number };
      expect(result.statusCode, `README.md:${block.line}`).toBeGreaterThanOrEqual(200);
      expect(result.statusCode, `README.md:${block.line}`).toBeLessThan(500);
    }
  }, 60_000);
});
