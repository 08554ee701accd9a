// RSS after 100k invocations of one bundle, in a plain Node process (no TypeScript loader, no esbuild, no
// library sources): what a deployed function's process holds. Prints one JSON line.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [bundle, eventsFile] = process.argv.slice(2);
const events = JSON.parse(readFileSync(eventsFile, "utf8"));
const { handler } = await import(pathToFileURL(bundle).href);
const context = { awsRequestId: "bench", functionName: "bench", getRemainingTimeInMillis: () => 30000 };
for (let i = 0; i < 100_000; i++) await handler({ ...events[i % events.length] }, context);
globalThis.gc?.();
process.stdout.write(JSON.stringify({ rss: process.memoryUsage().rss }) + "\n");
