// npm run invoke -- <event.json> [--source http|rest|url|alb|alb-single|lattice|lattice-v1|edge|edge-origin] [--entry src/app/index.ts]
// Runs the handler once, like `sam local invoke`: prints the Lambda result on stdout and START/END/REPORT
// lines with the init and invoke durations on stderr. A file that is not an event but a request description
// ({ "method", "path", "headers", "body", "auth" }) is turned into the event --source would send.
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { createEvent, lambdaEdge, vpcLattice, type EventInit } from "../index.ts";
import { loadTemplate } from "./cfn.ts";
import { createTables, localResources, startEmulators, type Emulators } from "./emulators.ts";
import { bundleHandler } from "./handler-bundle.ts";
import { eventSource, optInAdapter } from "./http-event.ts";

// The SDK warns about Node 20 on every client; the pinned versions support it.
process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] ??= "true";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { source: { type: "string" }, entry: { type: "string", default: "src/app/index.ts" } },
});
const file = positionals[0];
if (file === undefined) {
  console.error("usage: npm run invoke -- <event.json | request.json> [--source http|rest|url|alb|alb-single|lattice|lattice-v1|edge|edge-origin]");
  process.exit(2);
}

const input = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
const isEvent = typeof input["requestContext"] === "object" || typeof input["httpMethod"] === "string" || vpcLattice.match(input) || lambdaEdge.match(input);
let event: Record<string, unknown>;
if (isEvent && values.source === undefined) event = input;
else if (isEvent) throw new Error("--source converts a request description; this file is already an event");
else {
  if (typeof input["path"] !== "string") throw new Error(`${file}: a request description needs a "path"`);
  event = createEvent(eventSource(values.source ?? "http"), input as unknown as EventInit);
}

// Point the SDK at in-memory stand-ins unless an endpoint is already set (e.g. those of a running `npm start`).
let aws: Emulators | undefined;
if (process.env["AWS_ENDPOINT_URL_DYNAMODB"] === undefined) {
  const resources = localResources(loadTemplate());
  aws = await startEmulators({ buckets: resources.buckets.map((b) => ({ name: b.name, cors: b.cors })) });
  await createTables(resources.tables, aws.dynamoEndpoint);
  Object.assign(process.env, aws.env, { TABLE_NAME: resources.tables[0]?.name, BUCKET_NAME: resources.buckets[0]?.name, STAGE: process.env["STAGE"] ?? "local" });
}

const requestId = randomUUID();
const initStart = performance.now();
// A Lattice or Edge event needs its opt-in adapter: the entry's app is served with it added.
const optIn = values.source !== undefined ? optInAdapter(values.source) : vpcLattice.match(event) ? "vpcLattice" : lambdaEdge.match(event) ? "lambdaEdge" : undefined;
const bundle = await bundleHandler({ entry: values.entry!, outDir: `.local/build/invoke-${process.pid}`, log: () => {}, optIn });
const { handler } = await bundle.getHandler();
const initMs = performance.now() - initStart;

console.error(`START RequestId: ${requestId} Version: $LATEST`);
const started = performance.now();
let result: unknown;
let failed: unknown;
try {
  result = await handler(event, { awsRequestId: requestId, functionName: "ExamBuddyFunction", functionVersion: "$LATEST", getRemainingTimeInMillis: () => 30_000 });
} catch (err) {
  failed = err;
}
const durationMs = performance.now() - started;
console.error(`END RequestId: ${requestId}`);
console.error(`REPORT RequestId: ${requestId} Init Duration: ${initMs.toFixed(2)} ms (build + import) Duration: ${durationMs.toFixed(2)} ms Max Memory Used: ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB`);
if (failed !== undefined) console.log(JSON.stringify({ errorType: (failed as Error).name, errorMessage: (failed as Error).message }, null, 2));
else console.log(JSON.stringify(result, null, 2));

await bundle.close();
await aws?.close();
process.exit(failed === undefined ? 0 : 1);
