// One cold start: node is already up; time importing a bundle and answering one event. An empty bundle path
// is the baseline. Prints one JSON line.
import { readFileSync } from "node:fs";

const [bundle, eventFile, expected] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, "utf8"));
const context = { awsRequestId: "cold", functionName: "bench", getRemainingTimeInMillis: () => 30000 };

// The Lambda runtime has written to its log stream before our code runs; make the first log line of a
// handler cost here what it costs there (Node loads its stream machinery on the first write).
process.stdout.write("# cold run\n");
// The runtime's client has also loaded node:http and made its Agent before it imports the handler
// (aws-lambda-nodejs-runtime-interface-client: RAPIDClient): a bundle that imports node:http (middy, for its
// status texts) pays nothing more for it there, so it pays nothing here either.
const http = await import("node:http");
new http.Agent({ keepAlive: true });

const t0 = performance.now();
const mod = bundle ? await import(bundle) : undefined;
const t1 = performance.now();
let ok = true;
if (mod) {
  const result = await mod.handler(event, context);
  ok = result?.statusCode === Number(expected);
}
const t2 = performance.now();
process.stdout.write(JSON.stringify({ import: t1 - t0, call: t2 - t1, total: t2, ok }) + "\n");
