// npm run invoke: runs the handler once, like `sam local invoke`: prints the Lambda result on stdout and
// START/END/REPORT lines with the init and invoke durations on stderr. Options: see HELP.
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { ALB_OIDC_PUBLIC_KEY, DEV_ALB_ARN } from "./alb-oidc.ts";
import { loadTemplate } from "./cfn.ts";
import { CliError, fail, parseCli } from "./cli.ts";
import { describedEvent, isLambdaEvent, type RequestDescription } from "./described-event.ts";
import { createTables, LOCAL_AWS_ENV, localResources, standInsNeeded, startDynamoStandIn, startS3StandIn, type StandIn } from "./emulators.ts";
import { bundleHandler } from "./handler-bundle.ts";
import { invokeStreaming, isStreamingHandler } from "./lambda-runtime.ts";
import { lambdaEdge, vpcLattice } from "../index.ts";
import { eventSource, optInAdapter, type DevSource } from "./http-event.ts";

// The SDK warns about Node 20 on every client; the pinned versions support it.
process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] ??= "true";

const HELP = `
npm run invoke -- <file.json> [options]    runs the handler once on an event, like sam local invoke

  <file.json>     a Lambda event (e.g. events/http-api-v2-jwt-claims.json), passed as is, or a request
                  description, turned into the event --source sends:
                    { "method": "POST", "path": "/exams?x=1", "query": { "k": "v" },
                      "headers": { "authorization": "Bearer dev.teacher.t-1" }, "cookies": { "k": "v" },
                      "body": { "title": "Capitals" }, "auth": { "sub": "t-1", "cognito:groups": "[teacher]" } }
                  Only "path" is required. A dev token in "authorization" becomes claims exactly as with
                  npm start; "auth" gives the claims directly (and wins over a token). The app
                  reads the role from "cognito:groups" only. A string "body" is sent as is; any other
                  JSON value is serialized, with content-type application/json unless you set one.
  --source S      for a request description: http (default), http-v1, rest, url, alb, alb-single, lattice,
                  lattice-v1, edge, edge-origin (see npm start -- --help;
                  url never carries claims, as a deployed AWS_IAM Function URL)
  --entry FILE    the handler module (default src/app/index.ts; it must export "handler")
  -h, --help      this text

The result alone goes to stdout (pipe it to jq); START/END/REPORT and the function's own log lines to stderr.
A function error, or a response stream cut before its end (printed as far as it got, with "cut": true), exits 1;
so does a crash outside the invocation (a rejection the handler's module leaves unhandled), in one line.
However the run ends (Ctrl-C too), the stand-ins it started are closed and their files removed.
DynamoDB and S3 are each an in-memory stand-in unless pointed elsewhere (e.g. at a running npm start's):
AWS_ENDPOINT_URL_DYNAMODB for DynamoDB, AWS_ENDPOINT_URL_S3 for S3, AWS_ENDPOINT_URL for both.
`;

async function readJson(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new CliError(`cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, 2);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new CliError(`${file} is not JSON: ${(err as Error).message}`, 2);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new CliError(`${file} must hold a JSON object (an event or a request description)`, 2);
  return parsed as Record<string, unknown>;
}

// What this run started, closed whichever way it ends (its result, an error, Ctrl-C, a crash in the handler's
// module): the S3 stand-in keeps its objects in a directory under the OS temp dir, and the handler's build sits
// in .local/build/invoke-<pid>; neither may outlive the run.
const opened: Array<{ close(): Promise<unknown> }> = [];
let closing: Promise<void> | undefined;
function closeStarted(): Promise<void> {
  closing ??= (async () => {
    for (const thing of opened.reverse()) await thing.close().catch(() => {});
  })();
  return closing;
}

/** Closes what the run started, then prints one line for `err` and exits, as `fail` does. */
function failAfterClosing(err: unknown): Promise<never> {
  return closeStarted().then(() => fail("npm run invoke", err));
}

async function main(): Promise<void> {
  const { values, positionals } = parseCli("npm run invoke", HELP, { source: { type: "string" }, entry: { type: "string", default: "src/app/index.ts" } }, true);
  const file = positionals[0];
  if (file === undefined) throw new CliError("name an event or request file: npm run invoke -- events/requests/create-exam.json (--help for more)", 2);
  if (positionals.length > 1) throw new CliError(`one file at a time; got ${positionals.length} (${positionals.join(", ")})`, 2);
  if (values.source !== undefined) {
    try {
      eventSource(values.source);
    } catch (err) {
      throw new CliError((err as Error).message, 2);
    }
  }

  const input = await readJson(file);
  let event: Record<string, unknown>;
  if (isLambdaEvent(input)) {
    if (values.source !== undefined) throw new CliError(`${file} is already a Lambda event; --source converts request descriptions only`, 2);
    event = input;
  } else {
    try {
      event = describedEvent((values.source ?? "http") as DevSource, input as unknown as RequestDescription);
    } catch (err) {
      throw new CliError(`${file}: ${(err as Error).message}`, 2);
    }
  }

  // An in-memory stand-in for each service not already pointed elsewhere (e.g. at a running `npm start`'s):
  // pointing DynamoDB alone must not send S3 calls to the SDK's default endpoint, real AWS.
  const resources = localResources(loadTemplate());
  const needed = standInsNeeded(process.env);
  const standIns: StandIn[] = [];
  if (needed.dynamodb) {
    standIns.push(await startDynamoStandIn());
    opened.push(standIns.at(-1)!);
    await createTables(resources.tables, standIns.at(-1)!.endpoint);
  }
  if (needed.s3) {
    standIns.push(await startS3StandIn({ buckets: resources.buckets.map((b) => ({ name: b.name, cors: b.cors })) }));
    opened.push(standIns.at(-1)!);
  }
  for (const standIn of standIns) Object.assign(process.env, standIn.env);
  // Either way the names and (local) credentials the handler reads, as npm start gives them: pointed at a
  // running npm start's stand-ins, a request must not fail on "TABLE_NAME is not set".
  for (const [name, value] of Object.entries({ ...LOCAL_AWS_ENV, TABLE_NAME: resources.tables[0]?.name, BUCKET_NAME: resources.buckets[0]?.name, STAGE: "local" })) {
    if (value !== undefined) process.env[name] ??= value;
  }
  // As npm start: the app verifies the dev ALB's signed x-amzn-oidc-data with the dev key.
  process.env["ALB_ARN"] ??= DEV_ALB_ARN;
  process.env["ALB_OIDC_PUBLIC_KEY"] ??= ALB_OIDC_PUBLIC_KEY;

  // As sam local invoke: stdout is the result alone (pipe it to jq), and what the function logs while it
  // loads and runs (ExamBuddy's JSON request line) goes to stderr with START/END/REPORT.
  const stdout = process.stdout.write.bind(process.stdout);
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;

  const requestId = randomUUID();
  const initStart = performance.now();
  // A Lattice or Edge event needs its opt-in adapter: the entry's app is served with it added.
  const optIn = values.source !== undefined ? optInAdapter(values.source) : vpcLattice.match(event) ? "vpcLattice" : lambdaEdge.match(event) ? "lambdaEdge" : undefined;
  const bundle = await bundleHandler({ entry: values.entry!, outDir: `.local/build/invoke-${process.pid}`, log: () => {}, optIn }).catch((err: Error) => {
    throw new CliError(`cannot load ${values.entry}: ${err.message}`);
  });
  opened.push(bundle);
  const { handler } = await bundle.getHandler();
  const initMs = performance.now() - initStart;

  console.error(`START RequestId: ${requestId} Version: $LATEST`);
  const started = performance.now();
  let result: unknown;
  let failed: unknown;
  let cut: string | undefined;
  const context = { awsRequestId: requestId, functionName: "ExamBuddyFunction", functionVersion: "$LATEST", getRemainingTimeInMillis: () => 30_000 };
  try {
    if (isStreamingHandler(handler)) {
      // A streaming function (streamHandler, e.g. --entry src/app/stream.ts) gets the runtime's emulated
      // stream: printed as its prelude and the body it wrote.
      const streamed = await invokeStreaming(handler as never, event, { context });
      // A stream cut before its end reached the client as a connection that ended early, not a response.
      if (!streamed.finished) cut = streamCut(streamed.body.length, streamed.error);
      result = { ...streamed.prelude, body: streamed.body.toString("utf8"), streamed: true, ...(cut !== undefined && { cut: true }) };
    } else result = await handler(event, context);
  } catch (err) {
    failed = err;
  }
  const durationMs = performance.now() - started;
  console.error(`END RequestId: ${requestId}`);
  console.error(`REPORT RequestId: ${requestId} Init Duration: ${initMs.toFixed(2)} ms (build + import) Duration: ${durationMs.toFixed(2)} ms Max Memory Used: ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB`);
  // A function error prints as Lambda reports it (errorType, errorMessage), not as a stack.
  const printed = failed !== undefined ? { errorType: (failed as Error).name, errorMessage: (failed as Error).message } : result;
  await new Promise((resolve) => stdout(JSON.stringify(printed, null, 2) + "\n", resolve));
  if (cut !== undefined) console.error(`npm run invoke: ${cut}`);

  await closeStarted();
  process.exit(failed === undefined && cut === undefined ? 0 : 1);
}

// "the response stream was cut after 4 bytes of body: socket hang up"
function streamCut(bodyBytes: number, error: unknown): string {
  const why = error === undefined ? "destroyed before it ended" : error instanceof Error ? error.message : String(error);
  return `the response stream was cut after ${bodyBytes} bytes of body (${why}); stdout has what was received`;
}

// Ctrl-C (or a kill) while the handler runs ends the run as the shell would (128 + the signal's number), closed.
process.once("SIGINT", () => void closeStarted().then(() => process.exit(130)));
process.once("SIGTERM", () => void closeStarted().then(() => process.exit(143)));
// The handler's module or code failing outside the invocation (a rejection nobody awaits, a throw in a timer)
// would end Node with a stack and skip every close: one line instead, after closing.
process.on("unhandledRejection", (reason) => void failAfterClosing(new Error(`the function crashed (unhandled rejection): ${reason instanceof Error ? reason.message : String(reason)}`)));
process.on("uncaughtException", (err) => void failAfterClosing(new Error(`the function crashed (uncaught exception): ${err.message}`)));
main().catch(failAfterClosing);
