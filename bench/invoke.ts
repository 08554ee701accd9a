// bench group "invoke": ns per invocation through handle() for every events/*.json, with an echo app that
// reads what a typical handler reads (method, path, one query value, one header). Each source runs in its
// own process, as a deployed function only ever sees one source (mixing them would make every inline cache
// megamorphic and measure the benchmark, not the library).
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { handle, json } from "../src/index.ts";
import { table, timeCases, type Case } from "./measure.ts";

const dir = fileURLToPath(new URL("../events/", import.meta.url));
const prefixes = ["apigw-v1-", "http-api-v2-", "function-url-", "alb-multi-", "alb-"];
const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
const prefixOf = (f: string) => prefixes.find((p) => f.startsWith(p))!;

const only = process.argv.indexOf("--prefix");
if (only !== -1) {
  const prefix = process.argv[only + 1]!;
  const handler = handle((req) => json({ method: req.method, path: req.path, q: req.query["q"] ?? null, ua: req.headers["user-agent"] ?? null }));
  const context = { awsRequestId: "bench" };
  const cases: Case[] = files
    .filter((f) => prefixOf(f) === prefix)
    .map((file) => {
      const event = JSON.parse(readFileSync(dir + file, "utf8"));
      return { name: file.replace(/\.json$/, ""), run: () => handler(event, context), check: (r) => (r as { statusCode: number }).statusCode === 200 };
    });
  // INVOKE_ROUNDS / INVOKE_BATCH shorten a smoke run (defaults: measure.ts's 15 rounds of 2,000 calls).
  const rounds = Number(process.env["INVOKE_ROUNDS"] ?? 15);
  const batch = Number(process.env["INVOKE_BATCH"] ?? 2000);
  // The harness's own cost (the call, the await, the check), timed alike and subtracted, as peers does.
  const answered = { statusCode: 200 };
  cases.push({ name: "(harness)", run: async () => answered, check: () => true });
  const results = await timeCases(cases, { rounds, batch, warmup: process.env["INVOKE_BATCH"] === undefined ? 3000 : batch });
  const harness = results.get("(harness)")!;
  results.delete("(harness)");
  console.log("JSON " + JSON.stringify(Object.fromEntries([...results].map(([name, ns]) => [name, ns - harness]))));
} else {
  const { onNode20And24, sideBySide } = await import("./node-versions.ts");
  await onNode20And24(import.meta.url, "events", measureEverySource, (byNode) => sideBySide("## invoke on each Node: median ns/op", "event", "ns/op", byNode, (ns) => ns.toFixed(0)));
}

/** Every source on this Node, one process each: prints the table, returns ns/op per event. */
async function measureEverySource(): Promise<Record<string, number>> {
  const results: Record<string, number> = {};
  for (const prefix of prefixes) {
    const r = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--prefix", prefix], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(r.stderr);
    Object.assign(results, JSON.parse(r.stdout.split("\n").find((l) => l.startsWith("JSON "))!.slice(5)));
  }
  console.log(`## invoke: handle() per captured event, one process per source (Node ${process.version}, median ns/op)\n`);
  console.log(table(["event", "ns/op"], Object.entries(results).map(([name, ns]) => [name, ns.toFixed(0)])));
  return results;
}
