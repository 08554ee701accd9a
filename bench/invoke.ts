// bench group "invoke": ns per invocation for every events/*.json, with an echo app that reads what a
// typical handler reads (method, path, one query value, one header): through handle(app), or for the opt-in
// sources (VPC Lattice, Lambda@Edge) createHandler with their adapter. Each source runs in its own process
// (invoke-sources.ts), as a deployed function only ever sees one source.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createHandler, handle, json, lambdaEdge, vpcLattice, type HttpRequest } from "../src/index.ts";
import { INVOKE_SOURCES, invokeSourceOf, statusOf } from "./invoke-sources.ts";
import { table, timeCases, type Case } from "./measure.ts";

const dir = fileURLToPath(new URL("../events/", import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();

const only = process.argv.indexOf("--prefix");
if (only !== -1) {
  const source = INVOKE_SOURCES.find((s) => s.prefix === process.argv[only + 1])!;
  const echo = (req: HttpRequest) => json({ method: req.method, path: req.path, q: req.query["q"] ?? null, ua: req.headers["user-agent"] ?? null });
  const handler = source.optIn ? createHandler(echo, { adapters: [{ vpcLattice, lambdaEdge }[source.optIn]] }) : handle(echo);
  const context = { awsRequestId: "bench" };
  const cases: Case[] = files
    .filter((f) => invokeSourceOf(f) === source)
    .map((file) => {
      const event = JSON.parse(readFileSync(dir + file, "utf8"));
      return { name: file.replace(/\.json$/, ""), run: () => handler(event, context), check: (r) => statusOf(r) === 200 };
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
  for (const { prefix } of INVOKE_SOURCES) {
    const r = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--prefix", prefix], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(r.stderr);
    Object.assign(results, JSON.parse(r.stdout.split("\n").find((l) => l.startsWith("JSON "))!.slice(5)));
  }
  console.log(`## invoke: every captured event (handle(), or createHandler with the opt-in Lattice or Edge adapter), one process per source (Node ${process.version}, median ns/op)\n`);
  console.log(table(["event", "ns/op"], Object.entries(results).map(([name, ns]) => [name, ns.toFixed(0)])));
  return results;
}
