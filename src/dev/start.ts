// npm start: ExamBuddy on http://127.0.0.1:3000 with DynamoDB and S3 stand-ins, no Docker, no AWS account.
// Options: see HELP. Errors are one line (port in use, another npm start on the same data, bad option).
import { createServer } from "node:net";
import { CliError, fail, parseCli } from "./cli.ts";
import { claimlessNotice } from "./dev-auth.ts";
import { acquireLock, readLock, removeLock, type DevLock, type LockHolder } from "./dev-lock.ts";
import { eventSource } from "./http-event.ts";
import { startLocalApi, type LocalApi } from "./local-api.ts";
import { seed } from "./seed.ts";

// The SDK warns about Node 20 on every client; the pinned versions support it.
process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] ??= "true";

const HELP = `
npm start -- [options]      ExamBuddy on http://127.0.0.1:3000 with local DynamoDB and S3 (dynalite, s3rver)

  --port N        port on 127.0.0.1 (default 3000; 0 picks a free one)
  --source S      the event shape the handler receives:
                    http        HTTP API payload 2.0 (default); dev tokens become JWT authorizer claims
                    http-v1     HTTP API payload 1.0: REST's fields, the path decoded as HTTP API sends it;
                                dev tokens become JWT authorizer claims (authorizer.claims)
                    rest        REST API payload 1.0; dev tokens become Cognito authorizer claims
                    url         Function URL with AuthType AWS_IAM, as deployed: no claims ever reach the
                                app (a dev token is not converted), so every route but /health and
                                /openapi.json answers 401
                    alb         ALB, multi-value headers; dev tokens become signed x-amzn-oidc-* headers
                    alb-single  ALB, single-value headers
                    lattice     VPC Lattice event v2 (lattice-v1: v1); the entry's app is served through
                                handle(app) with vpcLattice added
                    edge        Lambda@Edge viewer-request trigger (edge-origin: origin-request), with
                                "include body"; results written back as CloudFront would
  --memory        throwaway data in memory (nothing in .local/); can run beside another npm start
  --data DIR      keep data in DIR instead of .local (one npm start per directory)
  --seed          load the demo teacher, exam and student (as npm run seed does)
  --stage NAME    the stage the events name, as a deployed stage's would (HTTP API: a path prefix, stripped
                  by the adapter); local URLs leave it out: /health, not /NAME/health. As API Gateway:
                  letters, digits, - and _, or $default (HTTP APIs only: not with rest or --stream)
  --stream        serve src/app/stream.ts (the app through streamHandler), as ExamBuddyStreamFunction runs
                  behind the REST API's STREAM integration: REST events unless --source url; curl -N shows
                  the results export's rows as they are written
  -h, --help      this text

Sign in with -H 'Authorization: Bearer dev.<role>.<userId>' (e.g. dev.teacher.t-1, dev.student.s-1).
`;

/** Why 127.0.0.1:port cannot be listened on (EADDRINUSE, EACCES…), or undefined when it is free. */
function portError(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? "EUNKNOWN"));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(undefined)));
  });
}

// The user's own options with another port (and --memory when asked): a suggestion that drops --source or
// --data would start a different server, or hit the data directory's lock.
function startCommand(port: number, memory = false): string {
  const args = process.argv.slice(2);
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--port") i++;
    else if (!arg.startsWith("--port=") && !(memory && (arg === "--memory" || arg === "--data" || arg.startsWith("--data=")))) kept.push(arg);
    if (memory && arg === "--data") i++;
  }
  return ["npm start --", ...(memory ? ["--memory"] : []), ...kept, "--port", String(port)].join(" ");
}

function portMessage(port: number, code: string, holder: LockHolder | undefined): string {
  const another = startCommand(port < 65535 ? port + 1 : 3000);
  if (code === "EACCES") return `port ${port} needs privileges on this machine; use one above 1023: ${another}`;
  if (code !== "EADDRINUSE") return `cannot listen on 127.0.0.1:${port} (${code}); try another port: ${another}`;
  // Only a lock on this data names its holder; an in-memory npm start keeps none.
  const who = holder?.port === port ? `by npm start (pid ${holder.pid}, data in ${holder.dataDir}/)` : "(by another program, or an npm start on other data or in memory)";
  return `port ${port} is already in use ${who}; use that server, stop it, or pick another port: ${another}`;
}

function lockMessage(holder: LockHolder, port: number): string {
  const where = holder.url ? `at ${holder.url} (pid ${holder.pid})` : `(pid ${holder.pid}, still starting)`;
  const otherPort = (holder.port ?? (port || 3000)) + 1;
  return `npm start is already running ${where} with data in ${holder.dataDir}/; use it, stop it, or start a throwaway one beside it: ${startCommand(otherPort, true)}`;
}

async function main(): Promise<void> {
  const { values } = parseCli("npm start", HELP, {
    port: { type: "string", default: "3000" },
    source: { type: "string" },
    memory: { type: "boolean", default: false },
    data: { type: "string" },
    seed: { type: "boolean", default: false },
    stage: { type: "string" },
    stream: { type: "boolean", default: false },
  });
  // Only REST APIs and Function URLs invoke a streaming function.
  if (values.stream && values.source !== undefined && values.source !== "rest" && values.source !== "url") {
    throw new CliError(`--stream serves a streaming function, which only REST APIs and Function URLs invoke: use --source rest (the default with --stream) or url, not ${values.source}`, 2);
  }
  if (values.memory && values.data !== undefined) throw new CliError("--memory keeps nothing on disk and --data names where to keep it: give one of them", 2);
  const source = values.source ?? (values.stream ? "rest" : "http");
  const dataDir = (values.data ?? ".local").replace(/\/+$/, "") || ".";
  try {
    eventSource(source);
  } catch (err) {
    throw new CliError((err as Error).message, 2);
  }
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port!) || port > 65535) throw new CliError(`--port must be a port number (0–65535); got "${values.port}"`, 2);
  // API Gateway's rule for stage names (HTTP APIs add $default): any other name puts a path prefix no
  // deployed event carries, and every route then answers 404 or 401.
  if (values.stage !== undefined && !/^(?:[A-Za-z0-9_-]{1,128}|\$default)$/.test(values.stage)) {
    throw new CliError(`--stage must be letters, digits, - and _ (at most 128), or $default; got "${values.stage}"`, 2);
  }
  // A REST API's stage "can only contain alphanumeric characters, hyphens, and underscores" (API Gateway's Stage
  // reference); $default, "served from the base of your API's URL", is an HTTP API's (Stages for HTTP APIs).
  if (values.stage === "$default" && source === "rest") {
    throw new CliError(`--stage $default is an HTTP API stage; a REST API's stage is letters, digits, - and _ (at most 128), e.g. --stage prod; got "$default"`, 2);
  }

  // Persistent data belongs to one server at a time; an in-memory run shares nothing and needs no lock.
  let lock: DevLock | undefined;
  if (!values.memory) {
    let taken = acquireLock(dataDir);
    // A live pid whose server no longer listens: the pid was reused (after a crash or a reboot), the lock is stale.
    if (!("release" in taken) && taken.port !== undefined && (await portError(taken.port)) === undefined) {
      removeLock(dataDir, taken.pid);
      taken = acquireLock(dataDir);
    }
    if (!("release" in taken)) throw new CliError(lockMessage(taken, port));
    lock = taken;
  }
  let api: LocalApi;
  try {
    const busy = port === 0 ? undefined : await portError(port);
    if (busy !== undefined) throw new CliError(portMessage(port, busy, readLock(dataDir)));
    api = await startLocalApi({
      source: source as never,
      port,
      dataDir: values.memory ? undefined : dataDir,
      watchDir: "src",
      ...(values.stream ? { entry: "src/app/stream.ts" } : {}),
      ...(values.stage ? { stage: values.stage } : {}),
    }).catch((err: NodeJS.ErrnoException) => {
      // The port was free a moment ago: someone took it in between.
      throw err.code === "EADDRINUSE" || err.code === "EACCES" ? new CliError(portMessage(port, err.code, readLock(dataDir))) : err;
    });
  } catch (err) {
    lock?.release();
    throw err;
  }
  // Ctrl-C from here on closes everything, even while the banner is still being written.
  let stopping = false;
  async function stop(signal: string) {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping (${values.memory ? "in-memory data discarded" : `data flushed to ${dataDir}/`})…`);
    await api.close();
    lock?.release();
    process.exit(0);
  }
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  // npm runs us through `sh -c`, which does not pass SIGTERM on: `kill <npm pid>` ends npm and the shell and
  // would leave this server, its stand-ins and the lock behind. When the process that started us is gone, so are we.
  const parent = process.ppid;
  setInterval(() => {
    if (!alive(parent)) void stop("parent process exited");
  }, 1000).unref();
  lock?.update({ url: api.url, port: api.server.port });

  const claimless = claimlessNotice(source);
  console.log(`
ExamBuddy is running (events shaped like ${eventSource(source)}; data ${values.memory ? "in memory" : `in ${dataDir}/`}).

  API        ${api.url}
  Docs       ${api.url}/docs  (interactive, offline; "Try it out" calls this API with the dev token field)
  DynamoDB   ${api.aws.dynamoEndpoint}  (table ${api.env["TABLE_NAME"]})
  S3         ${api.aws.s3Endpoint}  (bucket ${api.env["BUCKET_NAME"]})

Routes:
${api.routes.map((r) => `  ${r.method.padEnd(7)} ${r.path}${r.summary ? `  — ${r.summary}` : ""}`).join("\n")}
${
  claimless
    ? `
${claimless}, so dev tokens are not converted and every route but /health and /openapi.json answers 401,
as deployed.
Use --source http, http-v1, rest or alb to sign in.
`
    : `
Sign in with a dev token (stands in for the ${source.startsWith("alb") ? "ALB's authenticate action" : "JWT authorizer"}):
  -H 'Authorization: Bearer dev.teacher.t-1'    or    -H 'Authorization: Bearer dev.student.s-1'
`
}
Try:  curl ${api.url}/health${values.stream ? `\nStreamed (rows as they are written):  curl -N -H 'Authorization: Bearer dev.teacher.t-1' ${api.url}/exams/<examId>/results.csv` : ""}
Code changes under src/ reload the handler; the emulators keep running. Ctrl-C stops everything.
`);

  if (values.seed) {
    if (claimless) console.log(`Seeding needs signed-in calls, which --source ${source} never carries: skipped (use --source http).`);
    else {
      // The server stays up: a failed seed is worth a line, not a stopped stack.
      await seed(api.url).then(
        (summary) => console.log(`Seeded: ${summary}`),
        (err: Error) => console.error(`npm start: seeding failed: ${err.message.replace(/\s*\n\s*/g, " ")}`),
      );
    }
  }
}

main().catch((err) => fail("npm start", err));

// Whether a process exists (signal 0 checks without sending anything; EPERM: it exists, someone else's).
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
