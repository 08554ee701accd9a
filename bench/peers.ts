// bench group "peers": the 4-route reference app on every framework, per scenario: correct or not, ns/op,
// × raw. (Memory is measured by run.ts with rss-runner.mjs, in a plain process per peer.)
import { answers, peers, scenarios, type Peer } from "./scenarios.ts";
import { fileURLToPath, pathToFileURL } from "node:url";
import { bundle } from "./cold.ts";
import { table, timeCases, type Case } from "./measure.ts";

const context = { awsRequestId: "bench", functionName: "bench", getRemainingTimeInMillis: () => 30000 };
// Each app is timed as deployed: bundled and minified by esbuild (the same build the cold group uses),
// not through a TypeScript loader that wraps functions.
const load = async (peer: Peer) => {
  const file = await bundle(`peer-${peer}`, fileURLToPath(new URL(`./apps/${peer}.ts`, import.meta.url)));
  return (await import(pathToFileURL(file).href)).handler as (e: unknown, c: unknown) => Promise<unknown>;
};

const handlers = new Map<Peer, (e: unknown, c: unknown) => Promise<unknown>>();
for (const peer of peers) handlers.set(peer, await load(peer));

// Correctness first: a peer that answers a scenario wrongly is reported, not timed.
// The pinned build carries only the HTTP API adapter: other sources are out of its scope, not wrong.
const inScope = (peer: Peer, s: (typeof scenarios)[number]) => peer !== "lambdalith-pinned" || (s.event as { version?: string }).version === "2.0" && !String((s.event as any).requestContext?.domainName).includes(".lambda-url.");

const correct = new Map<string, boolean>();
for (const s of scenarios) {
  for (const peer of peers) {
    if (!inScope(peer, s)) continue;
    let ok = false;
    try {
      ok = answers(s, await handlers.get(peer)!(structuredClone(s.event), context));
    } catch {
      ok = false;
    }
    correct.set(`${peer}|${s.name}`, ok);
  }
}

const results: Record<string, Record<string, number | null>> = {};
const rows: Array<Array<string | number>> = [];
for (const s of scenarios) {
  // Each call gets its own shallow copy of the event, as Lambda gives each invocation its own (middy's body
  // parser replaces event.body).
  const event = s.event;
  const cases: Case[] = peers
    .filter((peer) => correct.get(`${peer}|${s.name}`))
    .map((peer) => ({ name: peer, run: () => handlers.get(peer)!({ ...event }, context), check: (r) => answers(s, r) }));
  // The harness itself (the copy, an async call, and checking a correct answer) is timed alone and
  // subtracted, so ratios compare the frameworks, not the harness.
  const reference = await handlers.get("raw")!({ ...event }, context);
  cases.push({ name: "copy", run: async () => (void { ...event }, reference), check: (r) => answers(s, r) });
  const measured = await timeCases(cases, { rounds: 21, batch: 2000, warmup: 3000 });
  const copy = measured.get("copy")!;
  const times = new Map([...measured].filter(([k]) => k !== "copy").map(([k, v]) => [k, Math.max(1, v - copy)]));
  const raw = times.get("raw");
  results[s.name] = {};
  for (const peer of peers) {
    const ns = times.get(peer);
    results[s.name]![peer] = ns ?? null;
    if (!inScope(peer, s)) {
      rows.push([s.name, peer, "n/a (pinned to httpApiV2)", "–", "–"]);
      continue;
    }
    rows.push([s.name, peer, ns === undefined ? "**wrong**" : "yes", ns === undefined ? "–" : ns.toFixed(0), ns === undefined || raw === undefined ? "–" : (ns / raw).toFixed(2) + "×"]);
  }
}
console.log(`## peers: the reference app per scenario (Node ${process.version}, median ns/op)\n`);
console.log(table(["scenario", "framework", "correct", "ns/op", "× raw"], rows));
if (process.argv.includes("--json")) console.log("JSON " + JSON.stringify({ invoke: results, correct: Object.fromEntries(correct) }));
