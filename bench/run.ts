// npm run bench [-- group...] (--help: options.ts): installs bench/'s own dependencies on first use (peers never become the
// library's dependencies), runs each group in its own process, prints the Markdown tables, and writes
// results/latest.json and the SVG charts the README embeds.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { CliError, fail, parseCli } from "../src/dev/cli.ts";
import { barChart } from "./chart.ts";
import { benchEnvProblem, benchHelp, selectedGroups } from "./options.ts";

const here = fileURLToPath(new URL(".", import.meta.url));
// Everything is checked before the first install or measurement: a mistake costs a second, not minutes.
const { positionals: asked } = parseCli("npm run bench", benchHelp(), {}, true);
const selection = selectedGroups(asked);
if ("problem" in selection) fail("npm run bench", new CliError(selection.problem, 2));
const envProblem = benchEnvProblem(process.env);
if (envProblem !== undefined) fail("npm run bench", new CliError(envProblem, 2));
const selected = selection.groups;

if (!existsSync(here + "node_modules/hono")) {
  console.error("bench: installing bench/ dependencies (first run)…");
  execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: here, stdio: "inherit" });
}

// Running some groups updates only theirs in latest.json; the others keep their last figures.
const previous: Record<string, unknown> = asked.length && existsSync(here + "results/latest.json") ? JSON.parse(readFileSync(here + "results/latest.json", "utf8")) : {};
const results: Record<string, unknown> = {
  ...previous,
  date: new Date().toISOString(),
  node: process.version,
  machine: `${cpus().length} × ${cpus()[0]?.model ?? "unknown cpu"}`,
};

function runGroup(file: string, args: string[] = [], nodeArgs: string[] = [], node = process.execPath): Record<string, unknown> {
  const r = spawnSync(node, [...nodeArgs, "--import", "tsx", here + file, "--json", ...args], { encoding: "utf8", cwd: here + "..", maxBuffer: 64 << 20, env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" } });
  if (r.status !== 0) throw new Error(`bench ${file} failed:\n${r.stderr}\n${r.stdout}`);
  const lines = r.stdout.split("\n");
  process.stdout.write(lines.filter((l) => !l.startsWith("JSON ")).join("\n") + "\n");
  const json = lines.find((l) => l.startsWith("JSON "));
  return json ? JSON.parse(json.slice(5)) : {};
}

for (const group of selected) {
  console.error(`bench: ${group}…`);
  if (group === "peers") {
    const data = runGroup("peers.ts");
    // Memory in a plain Node process per peer (the bundle and the events as JSON; no loader, no esbuild):
    // what a deployed function holds, not what the benchmark's own process does.
    const rss: Record<string, number> = {};
    const { bundle } = await import("./cold.ts");
    const { scenarios } = await import("./scenarios.ts");
    const eventsFile = here + ".build/rss-events.json";
    writeFileSync(eventsFile, JSON.stringify(scenarios.map((s) => s.event)));
    for (const peer of ["raw", "lambdalith", "middy", "lambda-api", "hono"]) {
      const file = await bundle(`rss-${peer}`, `${here}apps/${peer}.ts`);
      const r = spawnSync(process.execPath, ["--expose-gc", here + "rss-runner.mjs", file, eventsFile], { encoding: "utf8" });
      if (r.status !== 0) throw new Error(r.stderr);
      rss[peer] = JSON.parse(r.stdout.trim().split("\n").at(-1)!).rss;
    }
    // Again under Node 24, the deployed runtime: DESIGN's ×-raw budget holds on both.
    const { node24 } = await import("./node-versions.ts");
    const on24 = runGroup("peers.ts", [], [], node24());
    // node24 keeps its ns/op medians where the README's tables read them; node24Figures has the spreads.
    results["peers"] = { ...data, node24: on24["invoke"], node24Figures: on24 };
    results["rss"] = rss;
  } else {
    // soak samples the heap after a forced GC.
    results[group] = runGroup(`${group}.ts`, [], group === "soak" ? ["--expose-gc"] : []);
  }
}

mkdirSync(here + "results", { recursive: true });
writeFileSync(here + "results/latest.json", JSON.stringify(results, null, 2) + "\n");

const invoke = (results["peers"] as { invoke?: Record<string, Record<string, number | null>> } | undefined)?.invoke?.["HTTP API GET param+query"];
if (invoke) {
  const bars = Object.entries(invoke).filter(([, v]) => v !== null).map(([label, v]) => ({ label, value: (v as number) / 1000, highlight: label.startsWith("lambdalith") }));
  writeFileSync(here + "results/invoke.svg", barChart(`µs per HTTP API GET (reference app, ${results["node"]}) — lower is better`, bars, "µs", 2));
}
// cold's figures are keyed by Node version: the chart shows this Node's (the README's figures are from it).
const cold = (results["cold"] as { cold?: Record<string, { summary?: Record<string, { partsMedian: number }> }> } | undefined)?.cold?.[process.version]?.summary;
if (cold) {
  const bars = Object.entries(cold).map(([label, s]) => ({ label, value: s.partsMedian, highlight: label.startsWith("lambdalith") }));
  writeFileSync(here + "results/cold.svg", barChart(`Cold start: import + first HTTP API GET, median ms (${results["node"]}) — lower is better`, bars, "ms", 1));
}
console.error("bench: wrote bench/results/latest.json and bench/results/*.svg");
