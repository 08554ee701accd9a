// One peer's bundle answering one event source's scenarios, in a process of its own: forked by peers.ts
// under plain node (this file is bundled by esbuild; no TypeScript loader, no other peer, no library code
// unless the peer is ours). A deployed function sees one source, and a process timing several peers would
// share its heap (one peer's garbage collected in another's batch) and its JIT state between them.
//   argv: <peer bundle> <scenarios JSON> <batch ms> <warm-up calls per scenario> <settle fraction>
// Sends { warm } once warm; answers { calibrate } with Ready, then each { scenario } with one Timing.
import { readFileSync } from "node:fs";
import { PerformanceObserver, constants } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { answers, type Expected } from "./answers.ts";
import { harnessLoop, timedLoop, type Handler, type TimedLoop } from "./timed-loop.ts";

export interface WorkerScenario extends Expected {
  name: string;
  event: Record<string, unknown>;
}
/** The worker's first message: which scenarios it answers correctly (only those are timed), calls per batch. */
export interface Ready {
  correct: boolean[];
  batch: number[];
}
/** One batch: ns per call of the handler, and of the harness alone right after it. */
export interface Timing {
  handler: number;
  harness: number;
}

const [bundleFile, scenariosFile, batchMs, warmup, settle] = process.argv.slice(2) as [string, string, string, string, string];
const scenarios = JSON.parse(readFileSync(scenariosFile, "utf8")) as WorkerScenario[];
const handler = (await import(pathToFileURL(bundleFile).href)).handler as Handler;
const context = { awsRequestId: "bench", functionName: "bench", getRemainingTimeInMillis: () => 30000 };

// Correctness first: a scenario answered wrongly (or throwing) is reported, not timed.
const loops: Array<{ handler: TimedLoop; harness: TimedLoop } | undefined> = [];
for (const s of scenarios) {
  let answer: any;
  try {
    answer = await handler({ ...s.event }, context);
  } catch {
    answer = undefined;
  }
  loops.push(answers(s, answer) ? { handler: timedLoop(s.name, handler, s.event, context, answer), harness: harnessLoop(s.name, s.event, context, answer) } : undefined);
}
const timed = loops.flatMap((l) => (l ? [l] : []));

// Warm-up, the scenarios interleaved (a deployed function sees its routes mixed, and code optimized for one
// route alone would be deoptimized by the next). Young-generation collections are counted meanwhile: a batch
// must span a few of them, or the median batch would be one without a collection and leave out a cost the
// handler really has (middy's and hono's come every 10–20 ms, raw's and ours every millisecond or so).
let minorGcs = 0;
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (((entry as { detail?: unknown }).detail as { kind?: number } | undefined)?.kind === constants.NODE_PERFORMANCE_GC_MINOR) minorGcs++;
});
gcObserver.observe({ entryTypes: ["gc"] });
let warmCalls = 0;
for (let done = 0; done < Number(warmup); done += 100) {
  for (const l of timed) {
    await l.handler(100);
    await l.harness(100);
    warmCalls += 100;
  }
}
await new Promise((resolve) => setImmediate(resolve)); // GC entries are delivered asynchronously
gcObserver.disconnect();
process.send!({ warm: true });

/** Calls per batch: about `batchMs` of the handler and at least two young-generation collections' worth. */
async function batchSizes(): Promise<number[]> {
  const callsPerGc = minorGcs ? warmCalls / minorGcs : 0;
  const sizes: number[] = [];
  for (const l of loops) sizes.push(l ? Math.max(20, Math.round((Number(batchMs) * 1e6) / (await l.handler(500))), Math.ceil(2 * callsPerGc)) : 0);
  return sizes;
}

// The parent asks for batch sizes once every worker is warm (one at a time, so none is sized while another
// warms up), then for timings.
let batch: number[] = [];
process.on("message", async (message: { calibrate: true } | { scenario: number }) => {
  if ("calibrate" in message) {
    batch = await batchSizes();
    process.send!({ correct: loops.map(Boolean), batch } satisfies Ready);
    return;
  }
  const l = loops[message.scenario]!;
  const n = batch[message.scenario]!;
  // Untimed calls first: this process slept while the others ran and the caches hold their data, not its
  // own. Raw runs every other batch and the others every ~15th: without this, raw would be timed warmer.
  await l.handler(Math.ceil(n * Number(settle)));
  const handlerNs = await l.handler(n);
  await l.harness(Math.ceil(n * Number(settle)));
  const harnessNs = await l.harness(n);
  process.send!({ handler: handlerNs, harness: harnessNs } satisfies Timing);
});
process.on("disconnect", () => process.exit(0));
