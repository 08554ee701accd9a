// bench group "peers": the 4-route reference app on every framework, per scenario: correct or not, ns/op,
// × raw, and our lead over the fastest other framework. (Memory is measured by run.ts with rss-runner.mjs.)
//
// Method (bench/README.md says why): every framework on every event source runs in a process of its own
// (peer-worker.ts), as a deployed function does. The processes take turns, one batch each, raw timed
// before and after every other one (raw, A, raw, B, raw, …; the order rotated every round), and each
// batch's time is ns per call net of the harness measured in the same process right after it. A framework's
// × raw in a round is its time ÷ the mean of the two raw batches around it, taken moments apart, so a slow
// stretch of this shared machine lands on both; the figure is the median of those per-round ratios, with
// p25–p75. Raw and ours run in several processes per pass (JIT outcomes differ between processes). More
// raw processes are timed as if they were a framework: their × raw (ideally 1.00×) is the method's error.
// The whole measurement runs PEERS_PASSES times with fresh processes; the first half of the passes and the
// second half are two independent measurements, and each ratio is shown from both: halves more than 14%
// apart (two whole runs ~10%) mean the machine was too busy for that figure to be trusted.
import { fork, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { peers, scenarios, type Peer, type Scenario } from "./scenarios.ts";
import { bundle } from "./cold.ts";
import { median, relativeDifference, spread, table, type Spread } from "./measure.ts";
import type { Ready, Timing, WorkerScenario } from "./peer-worker.ts";

const here = fileURLToPath(new URL(".", import.meta.url));
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
// Several passes of fresh processes: the same code runs up to ±12% apart from one process to the next (measured
// with the A/A control below), so figures from one process per framework would move that much run to run.
const PASSES = env("PEERS_PASSES", 6);
const ROUNDS = env("PEERS_ROUNDS", 12);
const BATCH_MS = env("PEERS_BATCH_MS", 2);
// Calls per scenario before any timing: lambdalith's handler reaches its steady speed only after ~15,000–
// 20,000 calls on Node 20 and 24 (TurboFan tiers it up late; on Node 24 it sits in Maglev at ~1.8× its final
// time until then). The old 3,000 timed much of it before tier-up, so ratios moved with when it happened.
const WARMUP = env("PEERS_WARMUP", 30000);
const SETTLE = env("PEERS_SETTLE", 0.25);
// Processes per pass of raw, of ours and of the A/A control: the same code runs up to ±12% apart from one
// process to the next (JIT outcomes differ), and these are the figures the ×-raw budget is judged on (the
// control gets as many as ours, so its error is the error of our figures). The other frameworks are 3–30×
// slower; one process each keeps the run short and their ratios still repeat within ~10%.
const COPIES = env("PEERS_COPIES", 4);
const copiesOf = (peer: Timed) => (peer === "raw" || peer === CONTROL || peer.startsWith("lambdalith") ? COPIES : 1);
const ONLY = process.env["PEERS_SOURCES"]?.split(",");
/**
 * Halves whose figures differ by more than this are flagged. Each half has half the data, so two halves
 * differ by √2 more than two whole runs do: past 14% here, two whole runs would likely differ by over 10%.
 */
const AGREEMENT = 0.1 * Math.SQRT2;
/** The A/A control: the raw app in processes of its own, timed as a framework (its × raw should be 1.00×). */
const CONTROL = "raw (A/A control)";
type Timed = Peer | typeof CONTROL;

// Each app is timed as deployed: bundled and minified by esbuild (the same build the cold group uses).
const bundles = new Map<Timed, string>();
for (const peer of peers) bundles.set(peer, await bundle(`peer-${peer}`, `${here}apps/${peer}.ts`));
bundles.set(CONTROL, bundles.get("raw")!);
const workerFile = await bundle("peer-worker", `${here}peer-worker.ts`);

// The pinned build carries only the HTTP API adapter: other sources are out of its scope, not wrong.
const inScope = (peer: Timed, s: Scenario) => peer !== "lambdalith-pinned" || s.source === "http-api-v2";
const sources = [...new Set(scenarios.map((s) => s.source))].filter((s) => !ONLY || ONLY.includes(s));
const key = (peer: Timed, scenario: string) => `${peer}|${scenario}`;

/** Per peer × scenario: ns per call net of the harness by round (one entry per process), and (not raw) × raw per batch. */
interface Pass {
  ns: Map<string, number[][]>;
  xRaw: Map<string, number[]>;
}
const correct = new Map<string, boolean>();
const passes: Pass[] = [];
const harness: number[] = [];
const record = (pass: Pass, k: string, round: number, ns: number) => {
  const rounds = pass.ns.get(k) ?? [];
  (rounds[round] ??= []).push(ns);
  pass.ns.set(k, rounds);
};

for (let pass = 0; pass < PASSES; pass++) {
  const result: Pass = { ns: new Map(), xRaw: new Map() };
  for (const source of sources) {
    const group = scenarios.filter((s) => s.source === source);
    const file = `${here}.build/peers-${source}.json`;
    writeFileSync(file, JSON.stringify(group.map(({ name, event, status, body }) => ({ name, event, status, body }) satisfies WorkerScenario)));
    const names = ([...peers, CONTROL] as Timed[]).filter((p) => group.some((s) => inScope(p, s)));
    // All warm up at once (nothing is timed then); then each sizes its batches alone.
    const workers = names.flatMap((peer) =>
      Array.from({ length: copiesOf(peer) }, () => ({
        peer,
        ready: undefined as unknown as Ready,
        child: fork(workerFile, [bundles.get(peer)!, file, String(BATCH_MS), String(WARMUP), String(SETTLE)], { execArgv: [], stdio: ["ignore", "inherit", "inherit", "ipc"] }),
      })),
    );
    try {
      await Promise.all(workers.map((w) => nextMessage(w.child, w.peer)));
      for (const w of workers) {
        w.child.send({ calibrate: true });
        w.ready = await nextMessage<Ready>(w.child, w.peer);
      }
      for (const [i, s] of group.entries()) for (const w of workers) correct.set(key(w.peer, s.name), (correct.get(key(w.peer, s.name)) ?? true) && w.ready.correct[i]!);
      const raws = workers.filter((w) => w.peer === "raw");
      const others = workers.filter((w) => w.peer !== "raw");
      const time = async (w: (typeof workers)[number], scenario: number) => {
        w.child.send({ scenario });
        const t = await nextMessage<Timing>(w.child, w.peer);
        harness.push(t.harness);
        return t.handler - t.harness;
      };
      // Raw's processes take turns as the reference, so no single one's speed sets every ratio of a pass.
      let nextRaw = 0;
      const timeRaw = (scenario: number) => time(raws[nextRaw++ % raws.length]!, scenario);
      for (let round = 0; round < ROUNDS; round++) {
        const shift = round % others.length;
        const order = [...others.slice(shift), ...others.slice(0, shift)];
        for (const [i, s] of group.entries()) {
          if (!raws.every((w) => w.ready.correct[i])) throw new Error(`peers: the raw handler answers "${s.name}" wrongly`);
          let before = await timeRaw(i);
          record(result, key("raw", s.name), round, before);
          for (const w of order) {
            if (!w.ready.correct[i]) continue;
            const ns = await time(w, i);
            const after = await timeRaw(i);
            record(result, key("raw", s.name), round, after);
            record(result, key(w.peer, s.name), round, ns);
            result.xRaw.set(key(w.peer, s.name), [...(result.xRaw.get(key(w.peer, s.name)) ?? []), ns / ((before + after) / 2)]);
            before = after;
          }
        }
      }
    } finally {
      for (const w of workers) if (w.child.connected) w.child.disconnect();
    }
  }
  passes.push(result);
}

/** The next IPC message from a worker; a worker that exits first (a wrong answer while timing) fails the group. */
function nextMessage<T>(child: ChildProcess, peer: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: T) => {
      child.off("exit", onExit);
      resolve(m);
    };
    const onExit = (code: number | null) => {
      child.off("message", onMessage);
      reject(new Error(`peers: the ${peer} worker exited (${code}) before answering`));
    };
    child.once("message", onMessage);
    child.once("exit", onExit);
  });
}

const pooled = (map: "ns" | "xRaw", k: string, from = passes) => from.flatMap((p) => (map === "ns" ? (p.ns.get(k) ?? []).flat() : (p.xRaw.get(k) ?? [])));
const halves = [passes.slice(0, Math.ceil(PASSES / 2)), passes.slice(Math.ceil(PASSES / 2))].filter((h) => h.length);
const fmtNs = (s: Spread) => `${s.median.toFixed(0)} (${s.p25.toFixed(0)}–${s.p75.toFixed(0)})`;
const fmtX = (s: Spread) => `${s.median.toFixed(2)}× (${s.p25.toFixed(2)}–${s.p75.toFixed(2)})`;
const rivals: Peer[] = peers.filter((p) => p !== "raw" && !p.startsWith("lambdalith"));
const h = spread(harness);

const results: Record<string, Record<string, number | null>> = {};
const ns: Record<string, Record<string, Spread>> = {};
const xRaw: Record<string, Record<string, Spread & { halves: number[] }>> = {};
const lead: Record<string, Spread & { halves: number[] }> = {};
const rows: Array<Array<string | number>> = [];
const repeatRows: Array<Array<string | number>> = [];
for (const s of scenarios.filter((s) => sources.includes(s.source))) {
  results[s.name] = {};
  ns[s.name] = {};
  xRaw[s.name] = {};
  // Raw answers 404 and /health with a constant: its time net of the harness is then below the harness's
  // own, inside the harness's noise, and a ratio to it means nothing.
  const rawNet = median(pooled("ns", key("raw", s.name)));
  const rawTooSmall = rawNet < h.median;
  for (const peer of [...peers, CONTROL] as Timed[]) {
    const k = key(peer, s.name);
    if (!inScope(peer, s) || !correct.get(k)) {
      if (peer === CONTROL) continue;
      results[s.name]![peer] = null;
      rows.push([s.name, peer, inScope(peer, s) ? "**wrong**" : "n/a (pinned to httpApiV2)", "–", "–"]);
      continue;
    }
    const t = spread(pooled("ns", k));
    const x = peer === "raw" ? undefined : { ...spread(pooled("xRaw", k)), halves: halves.map((half) => median(pooled("xRaw", k, half))) };
    if (x) xRaw[s.name]![peer] = x;
    if (x && !rawTooSmall) repeatRows.push([s.name, peer, ...x.halves.map((v) => v.toFixed(2) + "×"), agreement(x.halves)]);
    if (peer === CONTROL) continue;
    results[s.name]![peer] = t.median;
    ns[s.name]![peer] = t;
    rows.push([s.name, peer, "yes", fmtNs(t), !x ? "1.00×" : rawTooSmall ? `(${x.median.toFixed(0)}×: raw's net time is below the harness's)` : fmtX(x)]);
  }
  // Our lead: per round, the fastest other framework's time ÷ ours, both net ns from that round.
  const timedRivals = rivals.filter((p) => correct.get(key(p, s.name)));
  if (correct.get(key("lambdalith", s.name)) && timedRivals.length) {
    const perRound = (from: Pass[]) =>
      from.flatMap((p) => p.ns.get(key("lambdalith", s.name))!.flatMap((ours, r) => ours.map((v) => Math.min(...timedRivals.map((q) => median(p.ns.get(key(q, s.name))![r]!))) / v)));
    lead[s.name] = { ...spread(perRound(passes)), halves: halves.map((half) => median(perRound(half))) };
    repeatRows.push([s.name, "lead: fastest other ÷ lambdalith", ...lead[s.name]!.halves.map((v) => v.toFixed(2) + "×"), agreement(lead[s.name]!.halves)]);
  }
}

/** The halves' figures, and whether they agree within AGREEMENT of each other. */
function agreement(values: number[]): string {
  if (values.length < 2) return "–";
  const d = relativeDifference(Math.max(...values), Math.min(...values));
  return `${(d * 100).toFixed(1)}%${d > AGREEMENT ? " **over 14%**" : ""}`;
}

console.log(`## peers: the reference app per scenario (Node ${process.version})\n`);
console.log(
  `Each framework on each source in its own process; ${PASSES} passes of fresh processes × ${ROUNDS} rounds, raw timed around every other batch (batches of ≥ ${BATCH_MS} ms and ≥ 2 young-generation GCs); ns/op net of the harness (${h.median.toFixed(0)} ns, p25–p75 ${h.p25.toFixed(0)}–${h.p75.toFixed(0)}): median (p25–p75); × raw: median (p25–p75) of the per-round ratios.\n`,
);
console.log(table(["scenario", "framework", "correct", "ns/op", "× raw"], rows));
console.log(`\n### lambdalith's lead: the fastest other framework's time ÷ ours, per round (median, p25–p75)\n`);
console.log(table(["scenario", "fastest other ÷ lambdalith"], Object.entries(lead).map(([name, l]) => [name, fmtX(l)])));
if (halves.length > 1) {
  console.log(`\n### repeatability: each figure from the first ${halves[0]!.length} passes and from the last ${halves[1]!.length} (fresh processes each); "${CONTROL}" is the method's own error (1.00× ideally)\n`);
  console.log(table(["scenario", "figure", "first half", "second half", "difference"], repeatRows));
}
if (process.argv.includes("--json")) console.log("JSON " + JSON.stringify({ invoke: results, correct: Object.fromEntries(correct), method: { passes: PASSES, rounds: ROUNDS, batchMs: BATCH_MS, settle: SETTLE, harnessNs: h }, ns, xRaw, lead }));
