#!/usr/bin/env node
// Builds the ExamBuddy Lambda bundles: src/app/index.ts → <out>/index.mjs (+ chunks/, source maps), and the
// response-streaming function's src/app/stream.ts → <out>/stream.mjs (--function ExamBuddyStreamFunction).
// The one build path: `npm run build:app` locally (→ dist-app/), and `sam build` through the Makefile
// targets build-<function> (→ $(ARTIFACTS_DIR)). Handlers in template.yaml: index.handler, stream.handler.
//
//   node scripts/build.mjs [--function ExamBuddyFunction|ExamBuddyStreamFunction] [--out DIR] [--sdk bundle|external] [--no-minify] [--metafile]
//
// - ESM with code splitting: the AWS SDK is reached only through `import()` (src/app/store/sdk.ts,
//   src/app/s3-sdk.ts), so it lands in chunks the cold start of /health never reads.
// - `--sdk external` leaves `@aws-sdk/*` to the Lambda runtime's copy instead (to measure both; the
//   default bundles the pinned versions from package-lock.json).
//   Measured (Node 20, `import()` in one process, 3 runs): bundled, index.mjs 32.8 KiB loads in 4.6–5.2 ms
//   and the DynamoDB chunks (store operations + SDK, on first use) in 22–23 ms; total output 581.1 KiB.
//   External, the same chunks resolving the SDK from node_modules take 61–64 ms (75.1 KiB of our own code).
//   Hence the default: bundle.
// - target RUNTIME_TARGET, the Node of template.yaml's Runtime (nodejs24.x), so esbuild never lowers syntax the
//   runtime has (test/template.test.ts checks they agree). Measured: the output is byte-identical to node20's
//   today; the OpenAPI generator, which runs in this process, targets the Node running the build instead.
// - GET /openapi.json serves the document generated here, as data in its own chunk: the bundle carries
//   neither openapi() nor the valibot → JSON Schema converter (src/app/openapi-document.ts builds it the
//   same way at run time everywhere else: dev server, tests).
import { build } from "esbuild";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * The functions of template.yaml this script builds (each has a Makefile target build-<name>): its source
 * entry, the file its Handler names, and where `npm run build:app` puts it.
 */
export const FUNCTIONS = {
  ExamBuddyFunction: { entry: "src/app/index.ts", file: "index.mjs", out: "dist-app" },
  // Response streaming (REST STREAM integration): the same app through streamHandler.
  ExamBuddyStreamFunction: { entry: "src/app/stream.ts", file: "stream.mjs", out: "dist-app-stream" },
};
export const ENTRY = FUNCTIONS.ExamBuddyFunction.entry;
/** esbuild's target for the deployed bundles: the Node of template.yaml's `Runtime: nodejs24.x`. */
export const RUNTIME_TARGET = "node24";
export const HANDLER_FILE = FUNCTIONS.ExamBuddyFunction.file;

/**
 * Builds one function's bundle (ExamBuddyFunction unless `function` names another); returns the output
 * files with their sizes.
 * @param {{ out?: string, function?: keyof typeof FUNCTIONS, sdk?: "bundle" | "external", minify?: boolean, metafile?: boolean, quiet?: boolean }} options
 */
export async function buildApp(options = {}) {
  const fn = FUNCTIONS[options.function ?? "ExamBuddyFunction"];
  if (fn === undefined) throw new Error(`unknown function ${options.function}; one of ${Object.keys(FUNCTIONS).join(", ")}`);
  const handlerFile = fn.file;
  const out = resolve(root, options.out ?? fn.out);
  if (out === root || root.startsWith(out + "/")) throw new Error(`refusing to build into ${out}: it contains the repository`);
  await mkdir(out, { recursive: true });
  // Remove only what a previous build wrote (SAM hands us an empty directory; locally dist-app/ is ours).
  for (const name of await readdir(out)) {
    if (name === "chunks" || name === handlerFile || name === `${handlerFile}.map` || name === "package.json" || name === "meta.json") {
      await rm(join(out, name), { recursive: true, force: true });
    }
  }

  const version = await appVersion();
  const openApiJson = JSON.stringify(await generateOpenApi(version));
  const result = await build({
    absWorkingDir: root,
    entryPoints: { [handlerFile.replace(/\.mjs$/, "")]: fn.entry },
    outdir: out,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: RUNTIME_TARGET,
    outExtension: { ".js": ".mjs" },
    chunkNames: "chunks/[name]-[hash]",
    // Prefer ESM entry points (tree-shakable); CommonJS left in the bundle gets `require` from the banner.
    mainFields: ["module", "main"],
    conditions: ["module"],
    // The package's entries: `lambdalith` → src/index.ts, `lambdalith/stream` → src/stream/index.ts.
    alias: { lambdalith: join(root, "src") },
    external: options.sdk === "external" ? ["@aws-sdk/*", "@smithy/*"] : [],
    banner: {
      js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
    },
    minify: options.minify ?? true,
    sourcemap: true,
    legalComments: "none",
    define: { "process.env.EXAMBUDDY_VERSION": JSON.stringify(version) },
    plugins: [prebuiltOpenApi(openApiJson)],
    metafile: true,
    logLevel: options.quiet ? "silent" : "warning",
  });

  // .mjs already makes every file ESM; this also covers tools that look for package.json.
  await writeFile(join(out, "package.json"), JSON.stringify({ type: "module" }) + "\n");
  if (options.metafile) await writeFile(join(out, "meta.json"), JSON.stringify(result.metafile));

  const files = Object.entries(result.metafile.outputs)
    .filter(([file]) => !file.endsWith(".map"))
    .map(([file, info]) => ({
      file: relative(out, resolve(root, file)),
      bytes: info.bytes,
      /** Chunks this file loads at once (static) and on demand (dynamic `import()`). */
      staticImports: info.imports.filter((i) => i.kind === "import-statement" && !i.external).map((i) => relative(out, resolve(root, i.path))),
      dynamicImports: info.imports.filter((i) => i.kind === "dynamic-import" && !i.external).map((i) => relative(out, resolve(root, i.path))),
      /** Source files bundled into it. */
      inputs: Object.keys(info.inputs),
    }));
  return { out, files };
}

/**
 * ExamBuddy's OpenAPI document for this version, built by the same code GET /openapi.json runs locally
 * (bundled to a temporary module inside node_modules, so its packages resolve; imported once, removed).
 * @example (await generateOpenApi("0.1.0+560391c")).info.version // "0.1.0+560391c"
 * @param {string} version
 */
export async function generateOpenApi(version) {
  const dir = await mkdtemp(join(root, "node_modules", ".openapi-"));
  try {
    const file = join(dir, "generate.mjs");
    await build({
      absWorkingDir: root,
      stdin: {
        contents: `import { createApp } from "./src/app/app.ts";
import { examBuddyOpenApi } from "./src/app/openapi-document.ts";
const services = () => { throw new Error("documenting the API uses no service"); };
export const document = examBuddyOpenApi(createApp({ services, version: ${JSON.stringify(version)} }), ${JSON.stringify(version)});`,
        resolveDir: root,
        loader: "ts",
        sourcefile: "generate-openapi.ts",
      },
      outfile: file,
      bundle: true,
      format: "esm",
      platform: "node",
      // Imported right here, by the Node running the build (which may be older than the Lambda runtime).
      target: `node${process.versions.node.split(".")[0]}`,
      packages: "external",
      alias: { lambdalith: join(root, "src") },
      logLevel: "silent",
    });
    return (await import(pathToFileURL(file).href)).document;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Swaps the module GET /openapi.json loads for the prebuilt document (JSON.parse of one string: faster
 * for V8 than an object literal of this size).
 * @param {string} json
 * @returns {import("esbuild").Plugin}
 */
function prebuiltOpenApi(json) {
  return {
    name: "prebuilt-openapi",
    setup(b) {
      b.onResolve({ filter: /\/openapi-document\.ts$/ }, (args) => (args.importer.endsWith(join("src", "app", "routes", "openapi.ts")) ? { path: "openapi-document", namespace: "prebuilt-openapi" } : undefined));
      b.onLoad({ filter: /.*/, namespace: "prebuilt-openapi" }, () => ({ contents: `export const openApiDocument = () => JSON.parse(${JSON.stringify(json)});`, loader: "js" }));
    },
  };
}

/**
 * package.json version plus the git commit when there is one: `0.1.0+560391c`. `EXAMBUDDY_COMMIT` gives the
 * commit where there is no repository (sam build copies the sources without .git).
 */
async function appVersion() {
  const { version } = JSON.parse(await readFile(join(root, "package.json"), "utf8"));
  if (process.env.EXAMBUDDY_COMMIT) return `${version}+${process.env.EXAMBUDDY_COMMIT}`;
  try {
    const { execFileSync } = await import("node:child_process");
    const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
    return sha ? `${version}+${sha}` : version;
  } catch {
    return version;
  }
}

const HELP = `
npm run build:app -- [options]   builds ExamBuddy for Lambda: src/app/index.ts → <out>/index.mjs (+ chunks/)

  --function NAME ExamBuddyFunction (default) or ExamBuddyStreamFunction (src/app/stream.ts → stream.mjs)
  --out DIR       output directory (default dist-app, dist-app-stream; sam build passes $(ARTIFACTS_DIR))
  --sdk MODE      bundle (default): the pinned @aws-sdk/* go into lazily loaded chunks
                  external: leave @aws-sdk/* to the Lambda runtime's copy
  --no-minify     readable output
  --metafile      also write meta.json (esbuild's metafile, for bundle analysis)
  -h, --help      this text
`;

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  // One line per error, never a stack: the message says what to change.
  const fail = (message, code = 1) => {
    console.error(`build:app: ${String(message).replace(/\s*\n\s*/g, " ").trim()}`);
    process.exit(code);
  };
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        out: { type: "string" },
        function: { type: "string", default: "ExamBuddyFunction" },
        sdk: { type: "string", default: "bundle" },
        "no-minify": { type: "boolean", default: false },
        metafile: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (err) {
    fail(`${err.message.split("\n")[0].replace(/\. To specify a positional argument.*$/, "")} (npm run build:app -- --help lists what it accepts)`, 2);
  }
  if (values.help) {
    console.log(HELP.trim());
    process.exit(0);
  }
  if (values.sdk !== "bundle" && values.sdk !== "external") fail(`--sdk must be bundle or external; got "${values.sdk}"`, 2);
  if (!Object.hasOwn(FUNCTIONS, values.function)) fail(`--function must be one of ${Object.keys(FUNCTIONS).join(", ")}; got "${values.function}"`, 2);
  const started = performance.now();
  let built;
  try {
    built = await buildApp({ out: values.out, function: values.function, sdk: values.sdk, minify: !values["no-minify"], metafile: values.metafile, quiet: true });
  } catch (err) {
    // esbuild's failure lists every error; the first one, with its location, is the line to read.
    const first = err?.errors?.[0];
    fail(first ? `${first.location ? `${first.location.file}:${first.location.line}:${first.location.column}: ` : ""}${first.text}` : (err?.message ?? err));
  }
  const { out, files } = built;
  const handlerFile = FUNCTIONS[values.function].file;
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(`built ${relative(process.cwd(), out) || "."} in ${Math.round(performance.now() - started)} ms`);
  for (const f of files.sort((a, b) => (a.file === handlerFile ? -1 : b.file === handlerFile ? 1 : b.bytes - a.bytes))) {
    console.log(`  ${f.file.padEnd(40)} ${kib(f.bytes).padStart(10)}`);
  }
  console.log(`  ${"total".padEnd(40)} ${kib(files.reduce((s, f) => s + f.bytes, 0)).padStart(10)}`);
}
