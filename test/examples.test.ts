// examples/hello as its users build it: bundled by esbuild (as `sam build` does from its template's Metadata)
// against this repository's build of lambdalith (dist/, which `npm test` builds first), then invoked with the
// events every source sends. Its template is checked for what SAM needs, and its code type-checks strictly.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { createEvent, type EventSource } from "lambdalith";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CFN_TAGS } from "../src/dev/cfn.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const example = join(root, "examples/hello");
const dist = join(root, "dist/esm/index.js");
const out = mkdtempSync(join(tmpdir(), "lambdalith-example-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

interface Fn {
  Metadata: { BuildMethod: string; BuildProperties: { EntryPoints: string[]; Format: string; OutExtension: string[]; Target: string; Minify: boolean } };
  Properties: { CodeUri: string; Handler: string; Runtime: string; Architectures: string[]; Events: Record<string, { Type: string }> };
}
const template = parse(readFileSync(join(example, "template.yaml"), "utf8"), { customTags: CFN_TAGS }) as { Transform: string; Resources: Record<string, Fn> };
const fn = template.Resources["HelloFunction"]!;
const props = fn.Metadata.BuildProperties;

let handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string; headers?: Record<string, string> }>;
let bundle = "";

beforeAll(async () => {
  expect(existsSync(dist), "run `npm run build:lib` first (npm test does)").toBe(true);
  // The template's own esbuild settings, so the test builds what sam build would.
  const outExtension = Object.fromEntries(props.OutExtension.map((pair) => pair.split("=") as [string, string]));
  const result = await build({
    absWorkingDir: example,
    entryPoints: props.EntryPoints,
    outdir: out,
    bundle: true,
    platform: "node",
    format: props.Format as "esm",
    target: props.Target,
    minify: props.Minify,
    outExtension,
    write: true,
    metafile: true,
    logLevel: "silent",
    // As if installed: `lambdalith` is this repository's build.
    plugins: [{ name: "lambdalith-dist", setup: (b) => b.onResolve({ filter: /^lambdalith$/ }, () => ({ path: dist })) }],
  });
  const file = Object.keys(result.metafile.outputs).find((f) => f.endsWith(".mjs"))!;
  bundle = readFileSync(join(example, file), "utf8");
  const entry = join(out, basename(file));
  handler = (await import(pathToFileURL(entry).href))["handler"];
}, 60_000);

describe("examples/hello", () => {
  it("its template deploys one nodejs24.x arm64 function that sam build bundles with esbuild", () => {
    expect(template.Transform).toBe("AWS::Serverless-2016-10-31");
    expect(fn.Properties).toMatchObject({ Runtime: "nodejs24.x", Architectures: ["arm64"], CodeUri: "." });
    expect(fn.Metadata.BuildMethod).toBe("esbuild");
    expect(props).toMatchObject({ Format: "esm", OutExtension: [".js=.mjs"] });
    for (const entry of props.EntryPoints) expect(existsSync(join(example, entry)), entry).toBe(true);
    // Handler "<file>.<export>": esbuild names the output after the entry point.
    const [file, exported] = fn.Properties.Handler.split(".");
    expect(basename(props.EntryPoints[0]!, ".ts")).toBe(file);
    expect(exported).toBe("handler");
    expect(Object.values(fn.Properties.Events).map((e) => e.Type)).toEqual(["HttpApi"]);
    expect(JSON.parse(readFileSync(join(example, "package.json"), "utf8")).dependencies).toEqual({ lambdalith: expect.any(String) });
    expect(readFileSync(join(example, "README.md"), "utf8")).toMatch(/sam build/);
  });

  it("the README's SAM snippet is this template's function, trimmed", () => {
    const snippet = /```yaml\n([\s\S]*?)```/.exec(readFileSync(join(root, "README.md"), "utf8"))?.[1];
    const readmeFn = (parse(snippet!, { customTags: CFN_TAGS }) as { Resources: Record<string, Fn> }).Resources["HelloFunction"]!;
    expect(readmeFn.Metadata).toEqual({ BuildMethod: "esbuild", BuildProperties: { EntryPoints: props.EntryPoints, Format: props.Format, OutExtension: props.OutExtension, Target: props.Target, Minify: props.Minify } });
    const { Events, ...rest } = fn.Properties;
    expect(readmeFn.Properties).toMatchObject({ CodeUri: rest.CodeUri, Handler: rest.Handler, Runtime: rest.Runtime, Architectures: rest.Architectures, Events });
  });

  it("bundles into one small ES module that imports nothing at run time", () => {
    const imports = [...bundle.matchAll(/\bimport\s*(?:[\w{}\s,*$]+from\s*)?\(?\s*["']([^"']+)["']/g)].map((m) => m[1]);
    expect(imports.filter((s) => !s!.startsWith("node:"))).toEqual([]);
    expect(bundle).toMatch(/export\s*\{[^}]*\bas handler\b|export\s*\{\s*handler\s*\}/);
    expect(Buffer.byteLength(bundle)).toBeLessThan(40 * 1024);
  });

  const sources: Array<[EventSource, string]> = [["http-api-v2", "http-api-v2"], ["apigw-v1", "apigw-v1"], ["http-api-v1", "apigw-v1"], ["function-url", "function-url"], ["alb", "alb"], ["alb-multi", "alb"]];

  it.each(sources)("answers %s events: routes, params, JSON bodies, 404", async (source, name) => {
    const ctx = { awsRequestId: `example-${source}` };
    const home = await handler(createEvent(source, { path: "/" }), ctx);
    expect(home.statusCode).toBe(200);
    expect(JSON.parse(home.body)).toEqual({ hello: "world" });

    const hello = await handler(createEvent(source, { path: "/hello/w%C3%B6rld" }), ctx);
    expect(hello.statusCode).toBe(200);
    expect(JSON.parse(hello.body)).toEqual({ hello: "wörld", from: name });

    const echo = await handler(createEvent(source, { method: "POST", path: "/echo", headers: { "content-type": "application/json" }, body: '{"a":[1,2]}' }), ctx);
    expect(echo.statusCode).toBe(201);
    expect(JSON.parse(echo.body)).toEqual({ a: [1, 2] });

    const refused = await handler(createEvent(source, { method: "POST", path: "/echo", headers: { "content-type": "application/json" }, body: "42" }), ctx);
    expect(refused.statusCode).toBe(422);

    const missing = await handler(createEvent(source, { path: "/nope" }), ctx);
    expect(missing.statusCode).toBe(404);
  });

  it("type-checks strictly against the package's published types", () => {
    // The example's own tsconfig, with `lambdalith` resolved as if installed (this repository's dist/).
    const config = join(out, "tsconfig.json");
    writeFileSync(
      config,
      JSON.stringify({
        extends: join(example, "tsconfig.json"),
        compilerOptions: { paths: { lambdalith: [join(root, "dist/esm/index.d.ts")] }, skipLibCheck: false },
        files: props.EntryPoints.map((e) => join(example, e)),
      }),
    );
    execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", config], { cwd: out, encoding: "utf8" });
  }, 60_000);
});
