// bench group "cold": fresh node processes importing each bundle and answering one HTTP API GET, interleaved
// with an empty-module baseline; reports import + first call timed inside the process (median, p90, × raw
// per round), and total time since process start minus the baseline's median (node's boot jitter, larger
// than what is measured, is in that one: shown, not compared).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build, type BuildOptions } from "esbuild";
import { DEPLOYED_BUILD } from "./build-options.ts";
import { createEvent } from "../src/index.ts";
import { median, percentile, perRoundRatios, spread, table, type Spread } from "./measure.ts";

const here = fileURLToPath(new URL(".", import.meta.url));
const out = here + ".build/";
mkdirSync(out, { recursive: true });

export interface ColdTarget {
  name: string;
  entry: string;
  /** The event to answer and the status it must get. */
  event?: Record<string, unknown>;
  status?: number;
  env?: Record<string, string>;
  /** `entry` is already a built bundle (with its chunks beside it): import it as is. */
  prebuilt?: boolean;
}

const defaultEvent = createEvent("http-api-v2", { path: "/exams/e-42?q=intro", headers: { "user-agent": "bench/1.0", host: "api.example.com" }, requestId: "r" });

/**
 * Bundles an entry the way we deploy (ESM, minified). A bundle with CommonJS inside (esbuild's require shim)
 * gets the `createRequire` banner it needs; one without gets none: importing `node:module` costs ~0.4 ms of
 * a cold start here, which would be charged to every bundle alike and shrink every ratio to raw.
 */
export async function bundle(name: string, entry: string): Promise<string> {
  const file = `${out}${name}.mjs`;
  // The size group's build: the bytes timed here are the bytes it counts.
  const options: BuildOptions = { ...DEPLOYED_BUILD, entryPoints: [entry] };
  const plain = await build({ ...options, write: false });
  const needsRequire = plain.outputFiles![0]!.text.includes("Dynamic require of");
  const result = needsRequire ? await build({ ...options, write: false, banner: { js: REQUIRE_BANNER } }) : plain;
  writeFileSync(file, result.outputFiles![0]!.contents);
  return file;
}

const REQUIRE_BANNER = "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

/** Runs `runs` interleaved cold starts of every target plus the baseline; returns per-target summaries. */
export async function coldStarts(targets: ColdTarget[], runs = 40) {
  const files = new Map<string, { bundle: string; eventFile: string; status: number; env?: Record<string, string> }>();
  for (const t of targets) {
    const eventFile = `${out}${t.name.replace(/[^\w.-]+/g, "_")}.event.json`;
    writeFileSync(eventFile, JSON.stringify(t.event ?? defaultEvent));
    files.set(t.name, { bundle: t.prebuilt ? t.entry : await bundle(t.name, t.entry), eventFile, status: t.status ?? 200, env: t.env });
  }
  const baselineEvent = `${out}baseline.event.json`;
  writeFileSync(baselineEvent, JSON.stringify(defaultEvent));
  const samples = new Map<string, Array<{ import: number; call: number; total: number }>>([["baseline", []], ...targets.map((t) => [t.name, []] as [string, never[]])]);
  const runner = here + "cold-runner.mjs";
  const names = [...samples.keys()];
  for (let r = 0; r < runs; r++) {
    // Each round starts one bundle later in the list, so no bundle always follows the same one (one run
    // once read raw slower right after hono's start, in a fixed order).
    for (let i = 0; i < names.length; i++) {
      const name = names[(r + i) % names.length]!;
      const f = files.get(name);
      const args = f ? [runner, f.bundle, f.eventFile, String(f.status)] : [runner, "", baselineEvent, "0"];
      // Asynchronously: the DynamoDB stand-in the ExamBuddy targets call lives in this process.
      const { stdout: line } = await promisify(execFile)(process.execPath, args, { encoding: "utf8", timeout: 60_000, env: { ...process.env, ...f?.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" } });
      const sample = JSON.parse(line.trim().split("\n").pop()!);
      if (!sample.ok) throw new Error(`${name}: wrong answer on a cold start`);
      samples.get(name)!.push(sample);
    }
  }
  const base = median(samples.get("baseline")!.map((s) => s.total));
  const summary: Record<string, { netMedian: number; netP90: number; importMedian: number; callMedian: number; partsMedian: number; partsP90: number; parts: number[] }> = {};
  for (const [name, list] of samples) {
    if (name === "baseline") continue;
    const net = list.map((s) => s.total - base);
    // import + first call measured inside the process: free of node's boot jitter, which dominates `total`
    // on a shared machine.
    const parts = list.map((s) => s.import + s.call);
    summary[name] = {
      netMedian: median(net),
      netP90: percentile(net, 90),
      importMedian: median(list.map((s) => s.import)),
      callMedian: median(list.map((s) => s.call)),
      partsMedian: median(parts),
      partsP90: percentile(parts, 90),
      // Every run, in round order: a target's run i and raw's run i were moments apart (× raw per round).
      parts,
    };
  }
  return { baselineMs: base, summary };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { onNode20And24, sideBySide } = await import("./node-versions.ts");
  await onNode20And24(import.meta.url, "cold", measureColdStarts, (byNode) =>
    sideBySide(
      "## cold on each Node: import + first call, median ms",
      "bundle",
      "ms",
      Object.fromEntries(Object.entries(byNode).map(([version, { summary }]) => [version, Object.fromEntries(Object.entries(summary).map(([name, s]) => [name, s.partsMedian]))])),
      (ms) => ms.toFixed(2),
    ) + ratios(byNode),
  );
}

/** Every cold target on this Node: prints its table, returns its figures. */
async function measureColdStarts() {
  const runs = Number(process.env["COLD_RUNS"] ?? 40);
  const peers = ["raw", "lambdalith", "lambdalith-pinned", "middy", "lambda-api", "hono"];
  const targets: ColdTarget[] = peers.map((p) => ({ name: p, entry: `${here}apps/${p}.ts` }));

  // ExamBuddy, built as deployed, against an in-process dynalite for its first DynamoDB-backed call.
  const { buildExamBuddy, healthEvent, meEvent } = await import("./exambuddy.ts");
  const { startEmulators, createTables, localResources } = await import("../src/dev/emulators.ts");
  const { loadTemplate } = await import("../src/dev/cfn.ts");
  const eb = await buildExamBuddy();
  const resources = localResources(loadTemplate());
  const aws = await startEmulators({ buckets: resources.buckets.map((b) => ({ name: b.name })) });
  await createTables(resources.tables, aws.dynamoEndpoint);
  const env = { ...aws.env, TABLE_NAME: resources.tables[0]!.name, BUCKET_NAME: resources.buckets[0]!.name, STAGE: "bench" };
  targets.push({ name: "ExamBuddy /health", entry: eb.entry, event: healthEvent, prebuilt: true, env });
  targets.push({ name: "ExamBuddy GET /me (DynamoDB)", entry: eb.entry, event: meEvent, prebuilt: true, env });

  const { baselineMs, summary } = await coldStarts(targets, runs);
  await aws.close();
  console.log(`## cold: import + first HTTP API GET in a fresh process (${runs} rounds, Node ${process.version})\n`);
  console.log(`baseline (empty module): ${baselineMs.toFixed(1)} ms since process start\n`);
  console.log(
    table(
      ["bundle", "import + first call, median ms", "p90 ms", "× raw (median of per-round ratios, p25–p75)", "import ms", "first call ms", "total − baseline, median ms", "p90 ms"],
      Object.entries(summary).map(([n, s]) => {
        const x = coldRatio(summary, n);
        return [n, s.partsMedian.toFixed(2), s.partsP90.toFixed(2), `${x.median.toFixed(2)}× (${x.p25.toFixed(2)}–${x.p75.toFixed(2)})`, s.importMedian.toFixed(2), s.callMedian.toFixed(2), s.netMedian.toFixed(2), s.netP90.toFixed(2)];
      }),
    ),
  );
  return { runs, baselineMs, summary };
}

/**
 * A bundle's cold start × raw's, per round (each round starts every bundle once, one after the other, so a
 * busy stretch of the machine lands on both) and the median of those ratios with p25–p75, rather than the
 * ratio of two medians taken from different rounds.
 */
export function coldRatio(summary: Record<string, { parts: number[] }>, name: string): Spread {
  return spread(perRoundRatios(summary[name]!.parts, summary["raw"]!.parts));
}

/** lambdalith's cold start × raw on each Node: the ratio DESIGN.md budgets (≤ 1.3×). */
function ratios(byNode: Record<string, { summary: Record<string, { partsMedian: number; parts: number[] }> }>): string {
  const fmt = (s: Spread) => `${s.median.toFixed(2)}× raw (p25–p75 ${s.p25.toFixed(2)}–${s.p75.toFixed(2)})`;
  const lines = Object.entries(byNode).map(([version, { summary }]) => `- Node ${version}: lambdalith ${fmt(coldRatio(summary, "lambdalith"))}, pinned ${fmt(coldRatio(summary, "lambdalith-pinned"))}`);
  return "\n" + lines.join("\n") + "\n";
}
