// npm start: ExamBuddy on http://127.0.0.1:3000 with DynamoDB and S3 stand-ins, no Docker, no AWS account.
//   npm start -- [--port 3000] [--source http|rest|url|alb|alb-single|lattice|lattice-v1|edge|edge-origin] [--memory] [--seed] [--stage dev]
import { parseArgs } from "node:util";
import { eventSource } from "./http-event.ts";
import { startLocalApi } from "./local-api.ts";
import { seed } from "./seed.ts";

// The SDK warns about Node 20 on every client; the pinned versions support it.
process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] ??= "true";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "3000" },
    source: { type: "string", default: "http" },
    memory: { type: "boolean", default: false },
    seed: { type: "boolean", default: false },
    stage: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (values.help) {
  console.log("npm start -- [--port 3000] [--source http|rest|url|alb|alb-single|lattice|lattice-v1|edge|edge-origin] [--memory] [--seed] [--stage NAME]");
  process.exit(0);
}
eventSource(values.source!); // fails early, naming the choices
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number; got "${values.port}"`);

const api = await startLocalApi({
  source: values.source as never,
  port,
  dataDir: values.memory ? undefined : ".local",
  watchDir: "src",
  ...(values.stage ? { stage: values.stage } : {}),
});

console.log(`
ExamBuddy is running (events shaped like ${eventSource(values.source!)}; data ${values.memory ? "in memory" : "in .local/"}).

  API        ${api.url}
  DynamoDB   ${api.aws.dynamoEndpoint}  (table ${api.env["TABLE_NAME"]})
  S3         ${api.aws.s3Endpoint}  (bucket ${api.env["BUCKET_NAME"]})

Routes:
${api.routes.map((r) => `  ${r.method.padEnd(7)} ${r.path}${r.summary ? `  — ${r.summary}` : ""}`).join("\n")}

Sign in with a dev token (stands in for the JWT authorizer):
  -H 'Authorization: Bearer dev.teacher.t-1'    or    -H 'Authorization: Bearer dev.student.s-1'

Try:  curl ${api.url}/health
Code changes under src/ reload the handler; the emulators keep running. Ctrl-C stops everything.
`);

if (values.seed) {
  const summary = await seed(api.url);
  console.log(`Seeded: ${summary}`);
}

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping (data flushed to disk)…`);
  await api.close();
  process.exit(0);
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
