// bench group "router": the public workload of delvedor/router-benchmark (12 routes, 7 requests; the one
// Hono, rou3 and memoirist publish), our raw matcher against peer routers. Every iteration checks the
// matched route. Warm: ns/op per request and for all 7 together, median of interleaved rounds. Cold: a
// fresh node process per run imports a bundle, builds the 12 routes and matches one request.
//   node --import tsx bench/router.ts [--json] [--rounds 15] [--cold-runs 21]
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import FindMyWay from "find-my-way";
import { RegExpRouter } from "hono/router/reg-exp-router";
import { TrieRouter } from "hono/router/trie-router";
import { Memoirist } from "memoirist";
import * as rou3 from "rou3";
import { compileRouter } from "rou3/compiler";
import { BENCH_REQUESTS, BENCH_ROUTES, CASES, caseApp } from "../src/router/cases.ts";
import { RouteTable } from "../src/router/match.ts";
import { testRequest } from "../src/router/test-request.ts";
import { median, perRoundRatios, table } from "./measure.ts";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const ROUNDS = arg("--rounds", 15);
const COLD_RUNS = arg("--cold-runs", 21);
const here = fileURLToPath(new URL(".", import.meta.url));
const root = fileURLToPath(new URL("..", import.meta.url));

/** A router under test: build the 12 routes (each route's value is its pattern), then find → pattern. */
interface Peer {
  name: string;
  /** How this router spells a route (rou3 and hono take our syntax as is). */
  build(): (method: string, path: string) => unknown;
  /** Source of a module exporting `coldRun(method, path)` → the matched pattern, for the cold runs. */
  cold: string;
}

const routesJson = JSON.stringify(BENCH_ROUTES);
const peers: Peer[] = [
  {
    name: "lambdalith",
    build() {
      const table = new RouteTable<string>();
      for (const r of BENCH_ROUTES) table.add(r.method, r.path, r.path);
      return (method, path) => table.find(method, path)?.value;
    },
    cold: `import { RouteTable } from ${JSON.stringify(root + "src/router/match.ts")};
export function coldRun(method, path) { const t = new RouteTable(); for (const r of ${routesJson}) t.add(r.method, r.path, r.path); return t.find(method, path)?.value; }`,
  },
  {
    name: "hono RegExpRouter",
    build() {
      const r = new RegExpRouter<string>();
      for (const x of BENCH_ROUTES) r.add(x.method, x.path, x.path);
      return (method, path) => r.match(method, path)[0][0]?.[0];
    },
    cold: `import { RegExpRouter } from "hono/router/reg-exp-router";
export function coldRun(method, path) { const r = new RegExpRouter(); for (const x of ${routesJson}) r.add(x.method, x.path, x.path); return r.match(method, path)[0][0]?.[0]; }`,
  },
  {
    name: "hono TrieRouter",
    build() {
      const r = new TrieRouter<string>();
      for (const x of BENCH_ROUTES) r.add(x.method, x.path, x.path);
      return (method, path) => r.match(method, path)[0][0]?.[0];
    },
    cold: `import { TrieRouter } from "hono/router/trie-router";
export function coldRun(method, path) { const r = new TrieRouter(); for (const x of ${routesJson}) r.add(x.method, x.path, x.path); return r.match(method, path)[0][0]?.[0]; }`,
  },
  {
    name: "rou3",
    build() {
      const r = rou3.createRouter<string>();
      for (const x of BENCH_ROUTES) rou3.addRoute(r, x.method, x.path, x.path);
      return (method, path) => rou3.findRoute(r, method, path)?.data;
    },
    cold: `import { addRoute, createRouter, findRoute } from "rou3";
export function coldRun(method, path) { const r = createRouter(); for (const x of ${routesJson}) addRoute(r, x.method, x.path, x.path); return findRoute(r, method, path)?.data; }`,
  },
  {
    name: "rou3 (compiled)",
    build() {
      const r = rou3.createRouter<string>();
      for (const x of BENCH_ROUTES) rou3.addRoute(r, x.method, x.path, x.path);
      const find = compileRouter(r);
      return (method, path) => find(method, path)?.data;
    },
    cold: `import { addRoute, createRouter } from "rou3"; import { compileRouter } from "rou3/compiler";
export function coldRun(method, path) { const r = createRouter(); for (const x of ${routesJson}) addRoute(r, x.method, x.path, x.path); return compileRouter(r)(method, path)?.data; }`,
  },
  {
    name: "find-my-way",
    build() {
      const r = FindMyWay();
      for (const x of BENCH_ROUTES) r.on(x.method as "GET", x.path, () => {}, x.path);
      return (method, path) => r.find(method as "GET", path)?.store;
    },
    cold: `import FindMyWay from "find-my-way";
export function coldRun(method, path) { const r = FindMyWay(); for (const x of ${routesJson}) r.on(x.method, x.path, () => {}, x.path); return r.find(method, path)?.store; }`,
  },
  {
    name: "memoirist",
    build() {
      const r = new Memoirist<string>();
      for (const x of BENCH_ROUTES) r.add(x.method, x.path, x.path);
      return (method, path) => r.find(method, path)?.store;
    },
    cold: `import { Memoirist } from "memoirist";
export function coldRun(method, path) { const r = new Memoirist(); for (const x of ${routesJson}) r.add(x.method, x.path, x.path); return r.find(method, path)?.store; }`,
  },
];

// Gate 1: our router's policies (cases.ts) through the full app; a fast wrong router is not fast.
const app = caseApp();
for (const c of CASES) {
  const res = await app.handle(testRequest(c.method, c.path));
  if (res.status !== c.status) throw new Error(`router case "${c.name}": status ${res.status}, expected ${c.status}`);
}
// Gate 2: every peer answers every benchmark request with the right route; ours with the right params too.
const finders = new Map(peers.map((p) => [p.name, p.build()]));
for (const q of BENCH_REQUESTS) {
  for (const [name, find] of finders) if (find(q.method, q.path) !== q.route) throw new Error(`${name}: ${q.method} ${q.path} did not match ${q.route}`);
  const ours = tableWithRoutes().find(q.method, q.path);
  if (JSON.stringify(ours?.params) !== JSON.stringify(q.params)) throw new Error(`lambdalith: wrong params for ${q.path}`);
}
function tableWithRoutes() {
  const table = new RouteTable<string>();
  for (const r of BENCH_ROUTES) table.add(r.method, r.path, r.path);
  return table;
}

// Each (peer, scenario) gets its own copy of the loop (new Function), so no call site inside it is shared
// between routers: every router is timed with monomorphic feedback, none pays for another's shapes.
const LOOP = `for (let k = 0; k < n; k++) for (let i = 0; i < reqs.length; i++) {
  const q = reqs[i];
  if (find(q.method, q.path) !== q.route) throw new Error("wrong route for " + q.method + " " + q.path);
}`;
type Loop = (find: (m: string, p: string) => unknown, reqs: typeof BENCH_REQUESTS, n: number) => void;

const scenarios = [...BENCH_REQUESTS.map((q) => ({ name: q.name, reqs: [q], n: 100_000 })), { name: "all together", reqs: BENCH_REQUESTS, n: 20_000 }];
const cells = peers.flatMap((p) => scenarios.map((s) => ({ peer: p.name, scenario: s.name, reqs: s.reqs, n: s.n, find: finders.get(p.name)!, loop: new Function("find", "reqs", "n", LOOP) as Loop, samples: [] as number[] })));
for (const c of cells) c.loop(c.find, c.reqs, c.n); // warm-up: optimize every loop before timing any
for (let r = 0; r < ROUNDS; r++) {
  for (const c of cells) {
    const t0 = process.hrtime.bigint();
    c.loop(c.find, c.reqs, c.n);
    c.samples.push(Number(process.hrtime.bigint() - t0) / c.n);
  }
}
const warm: Record<string, Record<string, number>> = {};
for (const c of cells) (warm[c.peer] ??= {})[c.scenario] = median(c.samples);

// Cold: bundle each peer's coldRun module (minified ESM, as deployed) and time import + build + first
// match in fresh processes, interleaved, net of importing an empty module. CommonJS peers (find-my-way) get
// the createRequire banner an ESM Lambda bundle needs.
const out = here + ".build/";
mkdirSync(out, { recursive: true });
const bundles = new Map<string, string>();
for (const p of [...peers, { name: "baseline", cold: "export function coldRun() {}" }]) {
  const slug = p.name.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
  writeFileSync(`${out}router-cold-${slug}.ts`, p.cold);
  await build({ entryPoints: [`${out}router-cold-${slug}.ts`], outfile: `${out}router-cold-${slug}.mjs`, bundle: true, minify: true, format: "esm", platform: "node", target: "node20", logLevel: "silent", banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } });
  bundles.set(p.name, `${out}router-cold-${slug}.mjs`);
}
const coldQuery = BENCH_REQUESTS.find((q) => q.name === "dynamic route")!;
const runner = here + "router-cold-runner.mjs";
const coldSamples = new Map<string, number[]>([...bundles.keys()].map((k) => [k, []]));
for (let r = 0; r < COLD_RUNS; r++) {
  for (const [name, file] of bundles) {
    const expected = name === "baseline" ? "" : coldQuery.route;
    const line = execFileSync(process.execPath, [runner, file, coldQuery.method, coldQuery.path, expected], { encoding: "utf8" }).trim();
    const sample = JSON.parse(line) as { ms: number; ok: boolean };
    if (!sample.ok) throw new Error(`${name}: wrong route on a cold run`);
    coldSamples.get(name)!.push(sample.ms);
  }
}
const baseline = median(coldSamples.get("baseline")!);
const cold: Record<string, number> = {};
for (const p of peers) cold[p.name] = median(coldSamples.get(p.name)!) - baseline;

const fmt = (ns: number) => (ns < 100 ? ns.toFixed(1) : ns.toFixed(0));
// "all together" ÷ the fastest other router's, per round (the cells of a round ran moments apart), then the
// median: a ratio of two medians from different rounds moves with the machine's busy stretches.
const allTogether = (name: string) => cells.find((c) => c.peer === name && c.scenario === "all together")!.samples;
const others = peers.filter((p) => p.name !== "lambdalith").map((p) => allTogether(p.name));
const fastestPerRound = allTogether("lambdalith").map((_, r) => Math.min(...others.map((o) => o[r]!)));
const vsFastest = Object.fromEntries(peers.map((p) => [p.name, median(perRoundRatios(allTogether(p.name), fastestPerRound))]));
const rows = peers.map((p) => [
  p.name === "lambdalith" ? "**lambdalith**" : p.name,
  ...scenarios.map((s) => fmt(warm[p.name]![s.name]!)),
  vsFastest[p.name]!.toFixed(2) + "×",
  cold[p.name]!.toFixed(2),
]);
console.log(`## router: delvedor/router-benchmark workload (Node ${process.version}; warm: median ns/op of ${ROUNDS} interleaved rounds; cold: median ms of ${COLD_RUNS} fresh processes, import + 12 routes + 1 match, net of an empty module)\n`);
console.log(table(["router", ...scenarios.map((s) => s.name), "all ÷ fastest peer (per round)", "cold ms"], rows));
if (process.argv.includes("--json")) console.log("JSON " + JSON.stringify({ router: { warm, vsFastest, cold, baselineMs: baseline } }));
