#!/usr/bin/env node
// Builds the library as users install it: dist/esm (ESM, for `import`) and dist/cjs (CommonJS, for `require`),
// each with its own declarations. `npm run build:lib`; `npm pack` runs it first (prepack).
//
//   node scripts/build-lib.mjs [--help]
//
// - Both builds are plain tsc output, one file per source file, so bundlers still drop what an app never
//   imports (`sideEffects: false`).
// - dist/cjs/package.json says `"type": "commonjs"`: Node then loads its .js files as CommonJS, and
//   TypeScript reads its .d.ts files as CommonJS declarations (what `require` resolves), without renaming
//   anything to .cjs/.d.cts. dist/esm/package.json says `"type": "module"` for the same reason.
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  console.log("npm run build:lib   builds dist/esm and dist/cjs (with .d.ts) from src/index.ts; takes no options");
  process.exit(0);
}
if (args.length > 0) {
  console.error(`build:lib: unknown argument "${args[0]}" (it takes none; --help)`);
  process.exit(2);
}

let tsc;
try {
  tsc = createRequire(join(root, "package.json")).resolve("typescript/bin/tsc");
} catch {
  console.error("build:lib: TypeScript is not installed; run `npm ci` first");
  process.exit(1);
}

rmSync(join(root, "dist"), { recursive: true, force: true });
for (const [project, dir, type] of [
  ["tsconfig.build.json", "esm", "module"],
  ["tsconfig.build.cjs.json", "cjs", "commonjs"],
]) {
  try {
    execFileSync(process.execPath, [tsc, "-p", project], { cwd: root, stdio: "inherit" });
  } catch {
    // tsc has printed its diagnostics above.
    console.error(`build:lib: tsc -p ${project} failed`);
    process.exit(1);
  }
  // A bundler reads the nearest package.json: without sideEffects here the root's never applies to the
  // installed files, and an app pinned to one adapter would carry every adapter (21.8 KB instead of 15.9).
  writeFileSync(join(root, "dist", dir, "package.json"), JSON.stringify({ type, sideEffects: false }) + "\n");
}
