import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// `npm test` builds dist/ first (build:lib); these tests use the package exactly as a user installs it.
const root = fileURLToPath(new URL("..", import.meta.url));
const tsc = join(root, "node_modules/typescript/bin/tsc");
const BUILDS = [
  { name: "esm", dir: "dist/esm", input: "module" },
  { name: "cjs", dir: "dist/cjs", input: "commonjs" },
] as const;

function runNode(code: string, inputType: "module" | "commonjs" = "module", cwd = root): string {
  return execFileSync(process.execPath, [`--input-type=${inputType}`, "-e", code], { cwd, encoding: "utf8" });
}

// The same script for both module systems: `load` is `await import(…)` or `require(…)`.
const load = (inputType: "module" | "commonjs") => (inputType === "module" ? 'await import("lambdalith")' : 'require("lambdalith")');
const wrap = (inputType: "module" | "commonjs", body: string) => (inputType === "module" ? body : `(async () => {\n${body}\n})().catch((e) => { console.error(e); process.exit(1); });`);

describe.each(BUILDS)("the built package ($name)", ({ dir, input }) => {
  it(`${input === "module" ? "import" : "require"}("lambdalith") resolves to ${dir} and answers an HTTP API event`, () => {
    const out = runNode(
      wrap(input, `
        const { handle, createEvent, json } = ${load(input)};
        const handler = handle((req) => json({ path: req.path, q: req.query.q }));
        const result = await handler(createEvent("http-api-v2", { path: "/exams/e-1?q=x" }), { awsRequestId: "a" });
        console.log(JSON.stringify({ file: ${input === "module" ? 'import.meta.resolve("lambdalith")' : 'require.resolve("lambdalith")'}, body: result.body }));
      `),
      input,
    );
    const { file, body } = JSON.parse(out) as { file: string; body: string };
    expect(file.replace(/\\/g, "/")).toMatch(new RegExp(`${dir}/index\\.js$`));
    expect(JSON.parse(body)).toEqual({ path: "/exams/e-1", q: "x" });
  });

  it("an HttpError from the other build (ESM and CommonJS side by side) is still an HttpError: its problem, not a 500 (was: 500)", () => {
    const other = input === "module" ? 'require("lambdalith")' : 'await import("lambdalith")';
    const out = runNode(
      wrap(input, `
        ${input === "module" ? 'const { createRequire } = await import("node:module"); const require = createRequire(import.meta.url);' : ""}
        const { handle, createEvent, router, HttpError } = ${load(input)};
        const theirs = (${other}).HttpError;
        const app = router().get("/e", () => { throw new theirs(404, "No exam e-1"); });
        const result = await handle(app)(createEvent("http-api-v2", { path: "/e" }), { awsRequestId: "a" });
        console.log(JSON.stringify({ status: result.statusCode, body: JSON.parse(result.body), instance: new theirs(400) instanceof HttpError, distinct: theirs !== HttpError }));
      `),
      input,
    );
    expect(JSON.parse(out)).toMatchObject({ status: 404, body: { title: "Not Found", detail: "No exam e-1" }, instance: true, distinct: true });
  });

  it("loading the package and serving a request never loads undici (Request/Response/fetch) or node:http", () => {
    const out = runNode(
      wrap(input, `
        const { handle, createEvent } = ${load(input)};
        await handle((req) => ({ ok: req.headers.host, c: req.cookies, b: req.text() }))(createEvent("alb", { path: "/", headers: { host: "h" } }), { awsRequestId: "a" });
        console.log(JSON.stringify(process.moduleLoadList.filter((m) => /undici|\\bhttp\\b|_http_/.test(m))));
      `),
      input,
    );
    expect(JSON.parse(out)).toEqual([]);
  });

  it("`lambdalith/stream` is its own entry: loading it and creating a handler touch no awslambda global and load no node:http", () => {
    const out = runNode(
      wrap(input, `
        const { streamHandler, stream, sse, canStream } = ${input === "module" ? 'await import("lambdalith/stream")' : 'require("lambdalith/stream")'};
        const handler = streamHandler(() => stream(["a"]));
        console.log(JSON.stringify({
          file: ${input === "module" ? 'import.meta.resolve("lambdalith/stream")' : 'require.resolve("lambdalith/stream")'},
          types: [typeof streamHandler, typeof stream, typeof sse, typeof canStream, typeof handler],
          awslambda: "awslambda" in globalThis,
          http: process.moduleLoadList.filter((m) => /undici|\\bhttp\\b|_http_/.test(m)),
          invoked: await handler({}, { write() {} }).then(() => "resolved", (e) => e.message),
        }));
      `),
      input,
    );
    const result = JSON.parse(out);
    expect(result.file.replace(/\\/g, "/")).toMatch(new RegExp(`${dir}/stream/index\\.js$`));
    expect(result).toMatchObject({ types: ["function", "function", "function", "function", "function"], awslambda: false, http: [] });
    expect(result.invoked).toMatch(/Lambda Node\.js runtime/);
  });

  it("ships .d.ts files and imports nothing but its own files", () => {
    const base = join(root, dir) + "/";
    const files = readdirSync(base, { recursive: true, encoding: "utf8" });
    expect(files).toContain("index.d.ts");
    expect(JSON.parse(readFileSync(base + "package.json", "utf8"))).toEqual({ type: input, sideEffects: false });
    for (const file of files.filter((f) => f.endsWith(".js"))) {
      const source = readFileSync(base + file, "utf8");
      // Comments left out: their prose may say `from "/a/*"` (an openapi.ts comment did, and failed this).
      const code = source.replace(/^\s*(?:\/\/|\*|\/\*).*$/gm, "");
      const specifiers = [...code.matchAll(/(?:\bfrom|\bimport|\brequire)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1]!);
      // Node's own modules only where loaded on use: compress() its zlib, invokeStream (tests) its Writable.
      for (const spec of specifiers) expect(spec, `${file} imports ${spec}`).toMatch(/^\.\.?\/|^node:(?:zlib|stream)$/);
      if (input === "module") expect(source, file).not.toMatch(/\brequire\(|exports\./);
      else expect(source, file).not.toMatch(/^\s*(import|export)\s/m);
    }
  });

  it("public types stand alone: no @types/aws-lambda needed by users", () => {
    const base = join(root, dir) + "/";
    const files = readdirSync(base, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".d.ts"));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) expect(readFileSync(base + file, "utf8"), file).not.toMatch(/aws-lambda/);
  });
});

describe("package.json", () => {
  it("is ESM, side-effect free, with no runtime dependencies, and serves import and require with their own types", () => {
    const pkg = JSON.parse(readFileSync(root + "package.json", "utf8"));
    expect(pkg.type).toBe("module");
    expect(pkg.sideEffects).toBe(false);
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.license).toBe("MIT");
    expect(pkg.exports["."]).toEqual({
      import: { types: "./dist/esm/index.d.ts", default: "./dist/esm/index.js" },
      require: { types: "./dist/cjs/index.d.ts", default: "./dist/cjs/index.js" },
    });
    expect(pkg.exports["./stream"]).toEqual({
      import: { types: "./dist/esm/stream/index.d.ts", default: "./dist/esm/stream/index.js" },
      require: { types: "./dist/cjs/stream/index.d.ts", default: "./dist/cjs/stream/index.js" },
    });
    // Resolvers that predate `exports` (moduleResolution node10, old bundlers) get CommonJS and its types.
    expect(pkg.main).toBe("./dist/cjs/index.js");
    expect(pkg.types).toBe("./dist/cjs/index.d.ts");
    // ...and find lambdalith/stream's types through typesVersions (they read no exports).
    expect(pkg.typesVersions).toEqual({ "*": { stream: ["./dist/cjs/stream/index.d.ts"] } });
    expect(pkg.scripts.prepack).toMatch(/build:lib/);
    expect(readFileSync(root + "LICENSE", "utf8")).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} lambdalith contributors\n/);
  });
});

// A fresh clone (the repository's files, no dist/), `npm pack`, then the tarball installed into a new ESM
// project and a new CommonJS project, each importing it, invoking a handler and type-checking with tsc.
// Offline: the tarball is the only thing installed, and lambdalith has no dependencies.
describe("npm pack on a fresh clone", () => {
  const work = mkdtempSync(join(tmpdir(), "lambdalith-pack-"));
  let tarball = "";
  let packed: string[] = [];
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  // Offline: everything but the oldest TypeScript comes from this repo or npm's cache; that one may need the
  // registry once (`preferOffline`), as `npm ci` of the root did.
  function npm(args: string[], cwd: string, preferOffline = false): string {
    // Under `npm test`, npm_execpath names the npm that runs us; run that same one.
    const npmCli = process.env["npm_execpath"];
    const [command, argv] = npmCli && /\.c?js$/.test(npmCli) ? [process.execPath, [npmCli, ...args]] : ["npm", args];
    return execFileSync(command, argv, {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...(preferOffline ? { npm_config_prefer_offline: "true" } : { npm_config_offline: "true" }), npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" },
    });
  }

  function cloneFiles(to: string): void {
    // What `git clone` would check out: tracked files plus new ones not ignored (dist/ is ignored).
    const listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" }).split("\0").filter(Boolean);
    for (const file of listed) {
      const from = join(root, file);
      if (!existsSync(from) || !statSync(from).isFile()) continue;
      mkdirSync(dirname(join(to, file)), { recursive: true });
      cpSync(from, join(to, file));
    }
    // `npm ci` on the clone would install the same devDependencies; the build needs only TypeScript.
    symlinkSync(join(root, "node_modules"), join(to, "node_modules"), "dir");
  }

  beforeAll(() => {
    const clone = join(work, "clone");
    cloneFiles(clone);
    expect(existsSync(join(clone, "dist"))).toBe(false);
    const out = npm(["pack", "--json", "--pack-destination", work], clone);
    const report = JSON.parse(out.slice(out.indexOf("["))) as Array<{ filename: string; files: Array<{ path: string }> }>;
    tarball = join(work, report[0]!.filename);
    packed = report[0]!.files.map((f) => f.path).sort();
  }, 120_000);

  it("builds first (prepack) and ships dist/esm and dist/cjs with types, LICENSE, README and CHANGELOG", () => {
    expect(existsSync(tarball)).toBe(true);
    for (const file of ["LICENSE", "README.md", "CHANGELOG.md", "package.json", "dist/esm/index.js", "dist/esm/index.d.ts", "dist/cjs/index.js", "dist/cjs/index.d.ts", "dist/cjs/package.json"]) {
      expect(packed).toContain(file);
    }
    // Nothing else: no sources, tests, events, ExamBuddy or dev tooling.
    expect(packed.filter((f) => !f.startsWith("dist/") && !["LICENSE", "README.md", "CHANGELOG.md", "package.json"].includes(f))).toEqual([]);
    expect(packed.filter((f) => /\.test\.|^dist\/(esm|cjs)\/(app|dev)\//.test(f))).toEqual([]);
  });

  const program = (runTail: string) => `
import { createEvent, handle, invoke, json, router, type HttpRequest, type LambdaContext, type OnError } from "lambdalith";
import { stream, streamHandler } from "lambdalith/stream";

// No @types/node in this project: the package's types must not need it (nor @types/aws-lambda).
declare const console: { log(line: string): void };

// The shape of the community types' Context: an interface with more members than the library reads.
interface AwsStyleContext {
  awsRequestId: string;
  functionName: string;
  memoryLimitInMB: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
  done(error?: Error, result?: unknown): void;
}
const context = (awsRequestId: string): AwsStyleContext => ({ awsRequestId, functionName: "f", memoryLimitInMB: "128", callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => 1000, done: () => {} });
export const lambdaContext = (ctx: AwsStyleContext): LambdaContext => ctx;

const hello = (req: HttpRequest) => json({ source: req.source, hello: req.query.name ?? "world" });
// Exported, so that a declaration build has to name the types of onError and of a streamed response.
export const onError: OnError = (err) => (err instanceof RangeError ? json({ range: true }, 400) : undefined);
export const app = router()
  .get("/", hello)
  .get("/exams/:examId", (req) => ({ examId: req.params.examId }))
  .get("/rows", () => stream(["a", "b"]))
  .onError(onError);

export const handler = handle(app);
export const streaming = streamHandler(app);
// A handler written against the community types takes (event, context, callback).
export const threeArgs = async (event: unknown, ctx: AwsStyleContext, callback: (error: unknown) => void) => handler(event, ctx);

async function main(): Promise<void> {
  const results: unknown[] = [];
  results.push(await handler(createEvent("http-api-v2", { path: "/?name=pack" }), context("r-1")));
  results.push(await handler(createEvent("apigw-v1", { path: "/exams/e-1" }), context("r-2")));
  results.push((await invoke(threeArgs, { path: "/exams/e-3" })).json());
  console.log(JSON.stringify(results));
}
${runTail}
`;

  function project(name: string, type: "module" | "commonjs", tsconfigs: Record<string, Record<string, unknown>>, source: string): string {
    const dir = join(work, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `${name}-user`, version: "1.0.0", private: true, ...(type === "module" ? { type } : {}) }, null, 2));
    npm(["install", "--no-audit", "--no-fund", "--no-package-lock", tarball], dir);
    writeFileSync(join(dir, "index.ts"), source);
    for (const [file, options] of Object.entries(tsconfigs)) {
      writeFileSync(join(dir, file), JSON.stringify({ compilerOptions: { target: "es2022", lib: ["es2022"], strict: true, types: [], skipLibCheck: false, declaration: true, ...options }, files: ["index.ts"] }, null, 2));
    }
    return dir;
  }

  function checkResults(out: string, flavour: string): void {
    const [v2, rest, invoked] = JSON.parse(out) as Array<{ statusCode: number; body: string }>;
    expect(invoked, flavour).toEqual({ examId: "e-3" });
    expect(v2!.statusCode, flavour).toBe(200);
    expect(JSON.parse(v2!.body)).toEqual({ source: "http-api-v2", hello: "pack" });
    expect(rest!.statusCode, flavour).toBe(200);
    expect(JSON.parse(rest!.body)).toEqual({ examId: "e-1" });
  }

  it("installs into an ESM project: import works, tsc (module nodenext) type-checks, and the compiled handler answers", () => {
    const dir = project("esm", "module", { "tsconfig.json": { module: "nodenext", outDir: "out" } }, program("await main();"));
    expect(readFileSync(join(dir, "node_modules/lambdalith/LICENSE"), "utf8")).toMatch(/lambdalith contributors/);
    execFileSync(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: dir, encoding: "utf8" });
    checkResults(execFileSync(process.execPath, ["out/index.js"], { cwd: dir, encoding: "utf8" }), "esm");
    // An HttpError typed by the CommonJS declarations is an HttpError to the ESM ones (was: a missing [BRAND]).
    writeFileSync(
      join(dir, "dual.ts"),
      'import type { HttpError as FromImport } from "lambdalith" with { "resolution-mode": "import" };\n' +
        'import type { HttpError as FromRequire } from "lambdalith" with { "resolution-mode": "require" };\n' +
        "export const both = (a: FromImport, b: FromRequire): [FromRequire, FromImport] => [a, b];\n",
    );
    writeFileSync(join(dir, "tsconfig.dual.json"), JSON.stringify({ compilerOptions: { target: "es2022", lib: ["es2022"], strict: true, types: [], module: "nodenext", noEmit: true }, files: ["dual.ts"] }));
    execFileSync(process.execPath, [tsc, "-p", "tsconfig.dual.json"], { cwd: dir, encoding: "utf8" });
    // Plain JavaScript too.
    const plain = runNode('const { handle, json } = await import("lambdalith"); console.log(typeof handle, typeof json, import.meta.resolve("lambdalith"));', "module", dir);
    expect(plain).toMatch(/^function function file:.*node_modules\/lambdalith\/dist\/esm\/index\.js$/m);
  }, 120_000);

  it("installs into a CommonJS project: require works, tsc (module node16 and commonjs) type-checks, and the compiled handler answers", () => {
    const dir = project(
      "cjs",
      "commonjs",
      {
        // What a CommonJS user has: module node16 (package.json without "type": this file is CommonJS), or the
        // classic module commonjs with node10 resolution (reads "main"/"types").
        "tsconfig.json": { module: "node16", outDir: "out" },
        "tsconfig.classic.json": { module: "commonjs", moduleResolution: "node10", esModuleInterop: true, outDir: "out-classic" },
      },
      program("void main();"),
    );
    for (const [config, out] of [["tsconfig.json", "out"], ["tsconfig.classic.json", "out-classic"]] as const) {
      execFileSync(process.execPath, [tsc, "-p", config], { cwd: dir, encoding: "utf8" });
      const compiled = readFileSync(join(dir, out, "index.js"), "utf8");
      expect(compiled, config).toMatch(/require\("lambdalith"\)/);
      checkResults(execFileSync(process.execPath, [join(out, "index.js")], { cwd: dir, encoding: "utf8" }), config);
    }
    const plain = runNode('const { handle, json } = require("lambdalith"); console.log(typeof handle, typeof json, require.resolve("lambdalith"));', "commonjs", dir);
    expect(plain).toMatch(/^function function .*node_modules\/lambdalith\/dist\/cjs\/index\.js$/m);
  }, 120_000);

  // What a user with the strictest settings writes (@tsconfig/strictest turns on exactOptionalPropertyTypes):
  // the community aws-lambda types' handler signatures and Context, valibot schemas, and option fields fed
  // from configuration that may be undefined (the library treats an undefined field as absent).
  const strictProgram = `
import type { ALBHandler, APIGatewayProxyHandler, APIGatewayProxyHandlerV2, Context, LambdaFunctionURLHandler, StreamifyHandler } from "aws-lambda";
import * as v from "valibot";
import { compress, cors, createEvent, handle, HttpError, invoke, json, openapi, router, setCookie, validate, type LambdaContext } from "lambdalith";
import { sse, stream, streamHandler } from "lambdalith/stream";

declare const config: { domain?: string | undefined; seconds?: number | undefined; names?: string[] | undefined; headers?: Record<string, string> | undefined; status?: number | undefined };

const Exam = v.object({ title: v.pipe(v.string(), v.minLength(1)), minutes: v.number() });
export const app = router({ validate })
  .use(cors({ origin: "*", allowHeaders: config.names, maxAge: config.seconds }), compress({ threshold: config.seconds }))
  .get("/exams/:examId/files/*", (req, { params }) => json({ examId: req.params.examId, rest: params["*"] }, { status: config.status, headers: config.headers }))
  .post("/exams", { body: Exam }, (_req, { body }) => json({ title: body.title, minutes: body.minutes.toFixed() }, { cookies: [setCookie("sid", "s-1", { domain: config.domain, maxAge: config.seconds })] }))
  .get("/rows", () => stream(["a"], { headers: config.headers }))
  .get("/events", () => sse([{ data: 1, id: config.domain, retry: config.seconds }]))
  .get("/gone", () => { throw new HttpError(410, config.domain, { headers: config.headers, title: config.domain }); });

// @ts-expect-error: /exams/:examId has no param nope
router().get("/exams/:examId", (req) => req.params.nope);
// @ts-expect-error: the body is { title, minutes }
router({ validate }).post("/exams", { body: Exam }, (_req, { body }) => body.name);

export const handler: APIGatewayProxyHandlerV2 = handle(app);
export const rest: APIGatewayProxyHandler = handle(app, { basePath: config.domain, maxBodyBytes: config.seconds });
export const balancer: ALBHandler = handle(app, { onError: undefined, adapters: undefined, stripStage: undefined });
export const functionUrl: LambdaFunctionURLHandler = handle(app);
export const streaming: StreamifyHandler = streamHandler(app, { adapters: undefined });
export const lambdaContext = (ctx: Context): LambdaContext => ctx;
export const document = openapi(app, { info: { title: "Exams", version: "1", description: config.domain }, servers: [{ url: "/", description: config.domain }] });
export const event = createEvent("http-api-v2", { path: "/exams/e-1/files/a", headers: config.headers, body: config.domain });
export const answer = invoke(handler, { path: "/exams/e-1/files/a", headers: config.headers });
`;

  // The strict program in a project of its own, type-checked by `tscPath` under each resolution a user may pick.
  function typeCheckStrictConsumer(name: string, tscPath: string): void {
    const dir = project(name, "module", {}, strictProgram);
    // The community types and valibot, as the user's own devDependencies (after the install, which would prune them).
    mkdirSync(join(dir, "node_modules/@types"), { recursive: true });
    for (const dependency of ["@types/aws-lambda", "@types/node", "valibot"]) symlinkSync(join(root, "node_modules", dependency), join(dir, "node_modules", dependency), "dir");
    // The same program as a .cts file: imports compile to require() and resolve the CommonJS build's types.
    writeFileSync(join(dir, "index.cts"), strictProgram);
    const strictest = { target: "es2022", lib: ["es2022"], strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, types: ["node", "aws-lambda"], skipLibCheck: false, noEmit: true };
    for (const [resolution, options, file] of [
      ["nodenext", { module: "nodenext" }, "index.ts"],
      ["bundler", { module: "esnext", moduleResolution: "bundler" }, "index.ts"],
      ["commonjs", { module: "nodenext" }, "index.cts"],
    ] as const) {
      writeFileSync(join(dir, `tsconfig.${resolution}.json`), JSON.stringify({ compilerOptions: { ...strictest, ...options }, files: [file] }));
      const run = () => execFileSync(process.execPath, [tscPath, "-p", `tsconfig.${resolution}.json`], { cwd: dir, encoding: "utf8", stdio: "pipe" });
      expect(() => { try { run(); } catch (err) { throw new Error(`${resolution}: ${(err as { stdout?: string }).stdout}`); } }, resolution).not.toThrow();
    }
  }

  it("type-checks a strict consumer (exactOptionalPropertyTypes, aws-lambda's types, valibot) under nodenext, bundler and CommonJS resolution (was: aws-lambda's Context not a LambdaContext, undefined option fields refused)", () => {
    typeCheckStrictConsumer("strict", tsc);
  }, 120_000);

  it("type-checks the same strict consumer with TypeScript 5.1, the oldest the README names (5.0 cannot type a route handler's req: its params go unchecked)", () => {
    // Its own folder and lockfile: as a devDependency here its tsc bin would replace the current one's.
    const folder = join(root, "test/oldest-typescript");
    const oldest = join(folder, "node_modules/typescript/bin/tsc");
    if (!existsSync(oldest)) npm(["ci"], folder, true);
    expect(execFileSync(process.execPath, [oldest, "-v"], { encoding: "utf8" })).toMatch(/^Version 5\.1\./);
    typeCheckStrictConsumer("oldest-typescript", oldest);
  }, 120_000);
});
