// bench group "size": esbuild bundle bytes (minified, ESM, node, tree-shaken) and gzip bytes.
import { build } from "esbuild";
import { DEPLOYED_BUILD } from "./build-options.ts";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { FEATURES, featureSource } from "./marginal.ts";
import { table } from "./measure.ts";

const here = fileURLToPath(new URL(".", import.meta.url));

/** Bundles one entry (a file, or inline source resolved from bench/) and returns its sizes. */
export async function bundleSize(entry: { file?: string; contents?: string }): Promise<{ min: number; gzip: number }> {
  const result = await build({
    ...(entry.file ? { entryPoints: [entry.file] } : { stdin: { contents: entry.contents!, resolveDir: here, loader: "ts", sourcefile: "entry.ts" } }),
    ...DEPLOYED_BUILD,
    write: false,
  });
  const code = result.outputFiles[0]!.contents;
  return { min: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength };
}

/** What the size group measures: the reference app per framework, and the library's parts alone. */
export const targets: Array<{ name: string; file?: string; contents?: string; budget?: number }> = [
  { name: "raw", file: here + "apps/raw.ts" },
  { name: "lambdalith (all adapters)", file: here + "apps/lambdalith.ts", budget: 9 * 1024 },
  { name: "lambdalith (pinned: httpApiV2)", file: here + "apps/lambdalith-pinned.ts", budget: 7 * 1024 },
  { name: "lambdalith router alone", contents: 'import { router } from "../src/index.ts"; export const app = router().get("/a/:b", () => 1);' },
  { name: "middy", file: here + "apps/middy.ts" },
  { name: "lambda-api", file: here + "apps/lambda-api.ts" },
  { name: "hono", file: here + "apps/hono.ts" },
];

if (import.meta.url === `file://${process.argv[1]}`) {
  const results: Record<string, { min: number; gzip: number }> = {};
  for (const t of targets) results[t.name] = await bundleSize(t);
  // ExamBuddy as `sam build` builds it: what a cold start reads, and the chunks loaded on first AWS use.
  const { buildExamBuddy } = await import("./exambuddy.ts");
  const eb = await buildExamBuddy();
  results["ExamBuddy read at cold start (index.mjs + static chunks)"] = eb.initial;
  results[`ExamBuddy lazy chunks (store + AWS SDK, ${eb.chunks.files} files)`] = { min: eb.chunks.min, gzip: eb.chunks.gzip };
  console.log(`## size: esbuild bundle (minified ESM, node target)\n`);
  console.log(table(["bundle", "min bytes", "min KiB", "gzip bytes", "budget"], Object.entries(results).map(([name, r]) => {
    const budget = targets.find((t) => t.name === name)?.budget;
    return [name, r.min, (r.min / 1024).toFixed(2), r.gzip, budget === undefined ? "" : `${r.min <= budget ? "met" : "MISSED"} (≤ ${budget / 1024} KiB)`];
  })));
  // What each optional feature adds to the pinned reference app.
  const marginal: Record<string, { min: number; gzip: number; addedMin: number; addedGzip: number }> = {};
  let base: { min: number; gzip: number } | undefined;
  for (const feature of FEATURES) {
    const size = await bundleSize({ contents: featureSource(feature) });
    base ??= size;
    marginal[feature.name] = { ...size, addedMin: size.min - base.min, addedGzip: size.gzip - base.gzip };
  }
  console.log(`\n## size: what each feature adds to the pinned reference app\n`);
  console.log(table(["feature", "min bytes", "gzip bytes", "+ min", "+ gzip"], Object.entries(marginal).map(([name, m]) => [name, m.min, m.gzip, m.addedMin, m.addedGzip])));
  if (process.argv.includes("--json")) console.log("JSON " + JSON.stringify({ size: results, marginal }));
}
