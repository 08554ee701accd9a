// bench group "soak": 1,000,000 invocations in one process through handle(app), round-robin over every
// captured event in events/*.json (every source), with a router app that reads the method, path, query,
// headers, cookies and body. Every answer is checked against the event's hand-written normalization in
// events/expected/ (a wrong answer fails the run). Heap used after a full GC is sampled every 50k
// invocations: the slope of a least-squares line through the samples says whether anything is retained per
// invocation; active handles and requests (process.getActiveResourcesInfo) must not grow. Needs --expose-gc
// (run.ts passes it). SOAK_INVOCATIONS shortens a smoke run (the samples stay 20 apart).
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defaultAdapters, handle, json, lambdaEdge, router, vpcLattice, type HttpRequest } from "../src/index.ts";
import { table } from "./measure.ts";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("soak needs --expose-gc (npm run bench -- soak passes it)");

/** The soak's figures on one Node. */
export interface SoakFigures {
  invocations: number;
  samples: Array<{ invocations: number; heapUsed: number }>;
  /** Least-squares slope of heap used after GC, bytes per 100k invocations. */
  slopePer100k: number;
  heapFirst: number;
  heapLast: number;
  resourcesStart: Record<string, number>;
  resourcesEnd: Record<string, number>;
  seconds: number;
}

// Retention of even 1 byte per invocation would show as ~100 KB per 100k; GC noise on a flat heap stays far
// below that (see bench/README.md for measured slopes).
const MAX_SLOPE_PER_100K = Number(process.env["SOAK_MAX_SLOPE"] ?? 100_000);

const dir = fileURLToPath(new URL("../events/", import.meta.url));
const names = readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -".json".length)).sort();

// What the app answers: every view the events' expected normalizations pin, keys sorted so one string
// comparison checks it all.
function answer(req: HttpRequest) {
  return {
    method: req.method,
    path: req.path,
    rawQuery: req.rawQuery,
    queryAll: sorted(req.queryAll),
    headers: sorted(req.headers),
    cookies: sorted(req.cookies),
    bodyBase64: bodyBase64(req),
    requestId: req.requestId,
    sourceIp: req.sourceIp,
  };
}

// A body the source could not deliver whole (a Lambda@Edge body CloudFront truncated) is an error the app
// sees on reading it; its expected normalization pins no body, so none is compared.
function bodyBase64(req: HttpRequest): string | undefined {
  try {
    return Buffer.from(req.bytes()).toString("base64");
  } catch {
    return undefined;
  }
}

function sorted<V>(map: Record<string, V> | undefined): Record<string, V> | undefined {
  if (map === undefined) return undefined;
  const out: Record<string, V> = {};
  for (const key of Object.keys(map).sort()) Object.defineProperty(out, key, { value: map[key], enumerable: true });
  return out;
}

const echo = (req: HttpRequest) => json(answer(req));
const app = router().get("/health", echo).all("/exams/:examId", echo).all("/files/*", echo).all("/*", echo);
const context = { awsRequestId: "lambda-request-id" };

interface Case {
  name: string;
  event: unknown;
  handler: (event: unknown, context: unknown) => Promise<any>;
  expected: string;
  /** The views the event's expected normalization pins (the others are not compared). */
  keys: string[];
}

const VIEWS = ["method", "path", "rawQuery", "queryAll", "headers", "cookies", "bodyBase64", "requestId", "sourceIp"];

// Every source's result: Lambda@Edge answers `status` (a string) and `bodyEncoding`, the others
// `statusCode` and `isBase64Encoded`.
function answered(result: any, keys: string[]): [number, string] {
  const base64 = result?.isBase64Encoded === true || result?.bodyEncoding === "base64";
  const body = JSON.parse(base64 ? Buffer.from(result.body, "base64").toString("utf8") : result?.body ?? "null");
  return [Number(result?.statusCode ?? result?.status), JSON.stringify(Object.fromEntries(keys.map((k) => [k, body?.[k]])))];
}

function loadCases(): Case[] {
  const handlers = new Map<string, ReturnType<typeof handle>>();
  return names.map((name) => {
    const event = JSON.parse(readFileSync(`${dir}${name}.json`, "utf8"));
    const want = JSON.parse(readFileSync(`${dir}expected/${name}.json`, "utf8"));
    // One handler per options object (a base-path event needs its own); all share the app.
    const key = JSON.stringify(want.options ?? {});
    if (!handlers.has(key)) handlers.set(key, handle(app, { ...want.options, adapters: [...defaultAdapters, vpcLattice, lambdaEdge] }));
    const keys = VIEWS.filter((k) => want[k] !== undefined);
    const pinned: Record<string, unknown> = { ...want, queryAll: sorted(want.queryAll), headers: sorted(want.headers), cookies: sorted(want.cookies) };
    const expected = JSON.stringify(Object.fromEntries(keys.map((k) => [k, pinned[k]])));
    return { name, event, handler: handlers.get(key)!, expected, keys };
  });
}

function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

function heapAfterGc(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

/** Least-squares slope of y over x. */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

async function soak(): Promise<SoakFigures> {
  const invocations = Number(process.env["SOAK_INVOCATIONS"] ?? 1_000_000);
  const every = Math.max(1, Math.floor(invocations / 20));
  const cases = loadCases();
  const t0 = process.hrtime.bigint();
  const resourcesStart = resources();
  const samples: SoakFigures["samples"] = [{ invocations: 0, heapUsed: heapAfterGc() }];
  for (let i = 0; i < invocations; ) {
    const c = cases[i % cases.length]!;
    // A copy per invocation, as the runtime parses a fresh event each time (nothing may hang on to it).
    const result = await c.handler(structuredClone(c.event), context);
    const [status, got] = answered(result, c.keys);
    if (status !== 200 || got !== c.expected) {
      throw new Error(`soak: wrong answer for ${c.name} at invocation ${i}:\n  got      ${status} ${got}\n  expected 200 ${c.expected}`);
    }
    if (++i % every === 0) samples.push({ invocations: i, heapUsed: heapAfterGc() });
  }
  const resourcesEnd = resources();
  // The first sample is before any invocation compiled anything: the line starts after the first interval.
  const fitted = samples.slice(1);
  return {
    invocations,
    samples,
    slopePer100k: slope(fitted.map((s) => [s.invocations, s.heapUsed])) * 100_000,
    heapFirst: fitted[0]!.heapUsed,
    heapLast: fitted.at(-1)!.heapUsed,
    resourcesStart,
    resourcesEnd,
    seconds: Number(process.hrtime.bigint() - t0) / 1e9,
  };
}

function report(f: SoakFigures): string {
  const kb = (bytes: number) => (bytes / 1024).toFixed(1) + " KiB";
  return [
    `## soak: ${f.invocations.toLocaleString("en")} invocations over ${names.length} captured events, one process (Node ${process.version}, ${f.seconds.toFixed(1)} s)\n`,
    table(
      ["heap used after GC: slope per 100k invocations", "first (after the first interval)", "last", "before any invocation", "active resources at start", "at end"],
      [[`${f.slopePer100k.toFixed(0)} B`, kb(f.heapFirst), kb(f.heapLast), kb(f.samples[0]!.heapUsed), JSON.stringify(f.resourcesStart), JSON.stringify(f.resourcesEnd)]],
    ),
    "",
    "samples (invocations: heap used after GC): " + f.samples.map((s) => `${s.invocations / 1000}k: ${kb(s.heapUsed)}`).join(", "),
    "",
  ].join("\n");
}

/** Fails the run on growth: a slope over the limit, or more active resources of any kind at the end. */
function verdict(f: SoakFigures): void {
  const grown = Object.entries(f.resourcesEnd).filter(([kind, n]) => n > (f.resourcesStart[kind] ?? 0));
  if (grown.length > 0) throw new Error(`soak: active resources grew: start ${JSON.stringify(f.resourcesStart)}, end ${JSON.stringify(f.resourcesEnd)}`);
  if (f.slopePer100k > MAX_SLOPE_PER_100K) throw new Error(`soak: heap after GC grows ${f.slopePer100k.toFixed(0)} B per 100k invocations (limit ${MAX_SLOPE_PER_100K})`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { onNode20And24 } = await import("./node-versions.ts");
  await onNode20And24(
    import.meta.url,
    "soak",
    async () => {
      const figures = await soak();
      console.log(report(figures));
      verdict(figures);
      return figures;
    },
    (byNode) =>
      "## soak on each Node\n\n" +
      table(
        ["Node", "slope, B per 100k invocations", "heap first", "heap last", "resources start → end", "seconds"],
        Object.entries(byNode).map(([v, f]) => [v, f.slopePer100k.toFixed(0), (f.heapFirst / 1024).toFixed(1) + " KiB", (f.heapLast / 1024).toFixed(1) + " KiB", `${JSON.stringify(f.resourcesStart)} → ${JSON.stringify(f.resourcesEnd)}`, f.seconds.toFixed(1)]),
      ) +
      "\n",
    ["--expose-gc"],
  );
}
