// bench group "invoke": ns per invocation through handle() for every events/*.json, with an echo app
// that reads what a typical handler reads (method, path, one query value, one header).
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { handle, json } from "../src/index.ts";
import { table, timeCases, type Case } from "./measure.ts";

const dir = fileURLToPath(new URL("../events/", import.meta.url));
const handler = handle((req) => json({ method: req.method, path: req.path, q: req.query["q"] ?? null, ua: req.headers["user-agent"] ?? null }));
const context = { awsRequestId: "bench" };

const cases: Case[] = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((file) => {
    const event = JSON.parse(readFileSync(dir + file, "utf8"));
    return {
      name: file.replace(/\.json$/, ""),
      run: () => handler(event, context),
      check: (r) => (r as { statusCode: number }).statusCode === 200,
    };
  });

const results = await timeCases(cases);
const rows = [...results].map(([name, ns]) => [name, ns.toFixed(0)]);
console.log(`## invoke: handle() per captured event (Node ${process.version}, median ns/op)\n`);
console.log(table(["event", "ns/op"], rows));
if (process.argv.includes("--json")) console.log(JSON.stringify(Object.fromEntries(results)));
