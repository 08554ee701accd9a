// The commands the README gives a newcomer, run as processes: `npm start` (with --memory --seed, stopped
// with Ctrl-C; a second one on the same data; a busy port), `npm run seed` against it, `npm run invoke` on a
// captured event and on request descriptions, and every command's --help and one-line errors.
// (npm itself only adds `node --import tsx <script>`; the scripts are called directly here.)
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const run = promisify(execFile);
const env = { ...process.env, AWS_ENDPOINT_URL_DYNAMODB: undefined, AWS_ENDPOINT_URL_S3: undefined } as NodeJS.ProcessEnv;
delete env["AWS_ENDPOINT_URL_DYNAMODB"];
delete env["AWS_ENDPOINT_URL_S3"];
const readme = readFileSync(join(root, "README.md"), "utf8");
const scratch = mkdtempSync(join(tmpdir(), "lambdalith-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const script = (name: "start" | "seed" | "invoke") => ["--import", "tsx", `src/dev/${name}.ts`];

/** Runs a command to its end, whatever its exit code. */
async function finish(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(process.execPath, args, { cwd: root, env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

/** One line on stderr, no stack: what every command prints when it refuses. */
function expectOneLineError(result: { code: number; stderr: string }, pattern: RegExp): void {
  expect(result.code).not.toBe(0);
  const lines = result.stderr.trim().split("\n");
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at |Error:|node:internal/);
}

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
  stderr: () => string;
  stop(): Promise<number | null>;
}

function waitFor(child: ChildProcess, seen: () => string, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; output so far:\n${seen()}`)), timeoutMs);
    const check = () => {
      const match = seen().match(pattern);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off("data", check);
        child.off("exit", exited);
        resolve(match);
      }
    };
    const exited = (code: number | null) => (clearTimeout(timer), reject(new Error(`exited with ${code} before ${pattern}; output:\n${seen()}`)));
    child.stdout!.on("data", check);
    child.once("exit", exited);
    check();
  });
}

async function start(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [...script("start"), ...args], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  try {
    const [, url] = await waitFor(child, () => stdout + stderr, /API\s+(http:\/\/127\.0\.0\.1:\d+)\n/, 60_000);
    return {
      child,
      url: url!,
      output: () => stdout,
      stderr: () => stderr,
      async stop() {
        child.kill("SIGINT");
        return exited;
      },
    };
  } catch (err) {
    child.kill("SIGKILL");
    throw err;
  }
}

describe("npm start", () => {
  it("starts on loopback with in-memory stand-ins, seeds, serves, and stops cleanly on Ctrl-C", async () => {
    const server = await start(["--memory", "--port", "0", "--seed"]);
    try {
      await waitFor(server.child, server.output, /Seeded: published exam|seeding failed.*/, 60_000);
      expect(server.output()).not.toMatch(/seeding failed/);
      const health = await fetch(`${server.url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: "ok", stage: "local" });

      // `npm run seed` against the running server finds the demo exam already there: by --url and by --port.
      const seeded = await run(process.execPath, [...script("seed"), "--url", server.url], { cwd: root, env });
      expect(seeded.stdout).toMatch(/already present/);
      const byPort = await run(process.execPath, [...script("seed"), "--port", new URL(server.url).port], { cwd: root, env });
      expect(byPort.stdout).toMatch(/already present/);
      const exams = await fetch(`${server.url}/exams`, { headers: { authorization: "Bearer dev.student.demo-student" } });
      expect(((await exams.json()) as { items: Array<{ title: string }> }).items.map((e) => e.title)).toContain("Demo: world capitals");
    } finally {
      expect(await server.stop()).toBe(0);
    }
    // Nothing was on disk: shutdown must not claim to flush it.
    expect(server.output()).toMatch(/SIGINT: stopping \(in-memory data discarded\)/);
    expect(server.output()).not.toMatch(/flushed/);
    expect(server.stderr()).not.toMatch(/Error|Warning/);
  }, 120_000);

  it("stops when the shell npm ran it through goes away (kill <npm pid> ends npm and the shell only; was: the server, its stand-ins and the lock stayed)", async () => {
    // npm runs a script as `sh -c "<line>"`; "; :" keeps this shell from exec-ing node, as npm's does.
    const line = [process.execPath, ...script("start"), "--memory", "--port", "0"].map((arg) => `'${arg}'`).join(" ") + "; :";
    const shell = spawn("sh", ["-c", line], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    shell.stdout!.on("data", (c: Buffer) => (output += c.toString()));
    // The pipe closes when the last writer, the server itself, has exited.
    const closed = new Promise<void>((resolve) => shell.stdout!.once("close", () => resolve()));
    const [, url] = await waitFor(shell, () => output, /API\s+(http:\/\/127\.0\.0\.1:\d+)\n/, 60_000);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    shell.kill("SIGKILL");
    await closed;
    expect(output).toMatch(/parent process exited: stopping \(in-memory data discarded\)/);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  }, 120_000);

  // Regression (issue 10): a second npm start on the same .local/ died with dynalite's "Database is closed" stack.
  it("a second npm start on the same data names the running one in one line; a stale lock is taken over", async () => {
    const data = join(scratch, "data");
    // A lock left by a server that was killed: its process is gone.
    const deadPid = spawnSync(process.execPath, ["-e", ""]).pid;
    mkdirSync(data, { recursive: true });
    writeFileSync(join(data, "npm-start.lock"), JSON.stringify({ pid: deadPid, dataDir: data, startedAt: "t", url: "http://127.0.0.1:1", port: 1 }));

    const first = await start(["--data", data, "--port", "0"]);
    try {
      const port = Number(new URL(first.url).port);
      expect(JSON.parse(readFileSync(join(data, "npm-start.lock"), "utf8"))).toMatchObject({ pid: first.child.pid, url: first.url, port });

      const second = await finish([...script("start"), "--data", data, "--port", "0"]);
      expectOneLineError(second, new RegExp(`^npm start: npm start is already running at ${first.url.replace(/\./g, "\\.")} \\(pid ${first.child.pid}\\) .*npm start -- --memory --port ${port + 1}$`));

      // A throwaway run may share nothing but the port: the suggestion keeps the options given (was: dropped
      // --memory and --source, so it hit the data lock next).
      const samePort = await finish([...script("start"), "--memory", "--source", "rest", "--port", String(port)]);
      expectOneLineError(samePort, new RegExp(`^npm start: port ${port} is already in use \\(by another program, or an npm start on other data or in memory\\); .*: npm start -- --memory --source rest --port ${port + 1}$`));
      // --memory with --data is a contradiction, not a silent choice.
      expectOneLineError(await finish([...script("start"), "--data", data, "--memory", "--port", "0"]), /--memory keeps nothing on disk and --data names where to keep it: give one of them/);
      expect((await fetch(`${first.url}/health`)).status).toBe(200);
    } finally {
      expect(await first.stop()).toBe(0);
    }
    expect(first.output()).toMatch(/SIGINT: stopping \(data flushed to .*\)/);
    expect(existsSync(join(data, "npm-start.lock"))).toBe(false);
  }, 120_000);

  it("a lock naming a live process that no longer serves its port (a pid reused after a crash) is taken over", async () => {
    const data = join(scratch, "reused");
    mkdirSync(data, { recursive: true });
    const free = createServer();
    await new Promise<void>((resolve) => free.listen(0, "127.0.0.1", resolve));
    const port = (free.address() as AddressInfo).port;
    await new Promise((resolve) => free.close(resolve));
    // This test's own process stands in for the unrelated program that got the pid.
    writeFileSync(join(data, "npm-start.lock"), JSON.stringify({ pid: process.pid, dataDir: data, startedAt: "t", url: `http://127.0.0.1:${port}`, port }));
    const server = await start(["--data", data, "--port", "0"]);
    try {
      expect(JSON.parse(readFileSync(join(data, "npm-start.lock"), "utf8")).pid).toBe(server.child.pid);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 120_000);

  it("a port taken by another program is one line suggesting another port, not an EADDRINUSE stack", async () => {
    const other = createServer();
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    const port = (other.address() as AddressInfo).port;
    try {
      const result = await finish([...script("start"), "--memory", "--port", String(port)]);
      expectOneLineError(result, new RegExp(`^npm start: port ${port} is already in use \\(by another program.*\\); .*npm start -- --memory --port ${port + 1}$`));
      expect(result.stderr).not.toMatch(/EADDRINUSE/);
    } finally {
      other.close();
    }
  }, 60_000);

  it("a --data that is a file is one line naming it (was: EEXIST: file already exists, mkdir)", async () => {
    const file = join(scratch, "not-a-dir");
    writeFileSync(file, "x");
    expectOneLineError(await finish([...script("start"), "--data", file, "--port", "0"]), new RegExp(`--data ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is a file, not a directory`));
  }, 60_000);

  it("refuses an unknown --source, an unknown option and a bad port in one line each", async () => {
    expectOneLineError(await finish([...script("start"), "--memory", "--source", "sqs"]), /--source must be one of http, http-v1, rest, url, alb, alb-single/);
    // --stream took --source alb and served REST events without a word.
    expectOneLineError(await finish([...script("start"), "--memory", "--stream", "--source", "alb"]), /--stream serves a streaming function, which only REST APIs and Function URLs invoke: use --source rest .* not alb$/);
    expectOneLineError(await finish([...script("start"), "--memry"]), /^npm start: Unknown option '--memry' \(npm start -- --help lists what it accepts\)$/);
    expectOneLineError(await finish([...script("start"), "--memory", "--port", "http"]), /--port must be a port number/);
  }, 60_000);

  it("refuses a --stage API Gateway would not accept, in one line (was: served, and every route answered 404 or 401; an empty one silently ignored)", async () => {
    for (const stage of ["v1/x", "my stage", ""]) {
      expectOneLineError(await finish([...script("start"), "--memory", "--port", "0", "--stage", stage]), new RegExp(`^npm start: --stage must be letters, digits, - and _ \\(at most 128\\), or \\$default; got "${stage}"$`));
    }
  }, 60_000);

  // REST stage names "can only contain alphanumeric characters, hyphens, and underscores" (API Gateway's Stage
  // reference); $default is an HTTP API stage, "served from the base of your API's URL" (Stages for HTTP APIs).
  it("refuses --stage $default for REST events, which no REST API can have, and keeps it for the other sources (was: accepted, so a REST event named a stage no deployment sends)", async () => {
    // A --data that is a file is refused after the stage is checked: nothing here starts a server.
    const file = join(scratch, "stage-data-file");
    writeFileSync(file, "x");
    for (const args of [["--source", "rest"], ["--stream"]]) {
      expectOneLineError(await finish([...script("start"), "--data", file, "--port", "0", ...args, "--stage", "$default"]), /^npm start: --stage \$default is an HTTP API stage; a REST API's stage is letters, digits, - and _ \(at most 128\), e\.g\. --stage prod; got "\$default"$/);
    }
    for (const source of ["http", "url", "alb"]) {
      expectOneLineError(await finish([...script("start"), "--data", file, "--port", "0", "--source", source, "--stage", "$default"]), /is a file, not a directory/);
    }
  }, 60_000);
});

describe("npm run seed", () => {
  it("with nothing listening, says so in one line and how to point it elsewhere", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expectOneLineError(await finish([...script("seed"), "--port", String(port)]), new RegExp(`no server answers at http://127\\.0\\.0\\.1:${port} .*--port/--url`));
    expectOneLineError(await finish([...script("seed"), "--port", "x"]), /--port must be a port number/);
    expectOneLineError(await finish([...script("seed"), "--port", "3000", "--url", "http://127.0.0.1:3000"]), /--port or --url, not both/);
    expectOneLineError(await finish([...script("seed"), "--host", "x"]), /Unknown option '--host'/);
  }, 60_000);

  it("pointed at a server that is not ExamBuddy, says so in one line (was: Cannot read properties of undefined)", async () => {
    const foreign = createHttpServer((_req, res) => res.end("<html>hello</html>"));
    await new Promise<void>((resolve) => foreign.listen(0, "127.0.0.1", resolve));
    try {
      const port = (foreign.address() as AddressInfo).port;
      expectOneLineError(await finish([...script("seed"), "--port", String(port)]), /answered GET \/me with 200 and no JSON: is it ExamBuddy\?/);
    } finally {
      foreign.close();
    }
  }, 60_000);
});

describe("npm run invoke", () => {
  it("runs the handler once on a captured event and prints the Lambda result alone on stdout, logs and timings on stderr (was: the app's log line first, so | jq failed)", async () => {
    const { stdout, stderr } = await run(process.execPath, [...script("invoke"), "events/http-api-v2-default-stage.json"], { cwd: root, env });
    const result = JSON.parse(stdout);
    expect(stderr).toMatch(/^\{"level":"info".*"status":401/m);
    expect(result).toMatchObject({ statusCode: 401, headers: { "content-type": "application/problem+json" } });
    expect(stderr).toMatch(/REPORT RequestId: \S+ Init Duration: [\d.]+ ms .* Duration: [\d.]+ ms/);
  }, 60_000);

  // Regression (issue 10): the README's example answered 401.
  it("the README's own examples answer as the README says (not 401)", async () => {
    const section = readme.slice(readme.indexOf("## Running locally"));
    const commands = [...section.matchAll(/`npm run invoke -- ([^`]+)`/g)].map((m) => m[1]!.split(/\s+/));
    expect(commands.length).toBeGreaterThanOrEqual(2);
    for (const args of commands) {
      const { stdout } = await run(process.execPath, [...script("invoke"), ...args], { cwd: root, env });
      const result = JSON.parse(stdout.slice(stdout.indexOf("{\n")));
      expect(result.statusCode, args.join(" ")).toBeGreaterThanOrEqual(200);
      expect(result.statusCode, args.join(" ")).toBeLessThan(300);
    }
  }, 120_000);

  it("the README's request description answers 201 (was: 403, its auth had no cognito:groups)", async () => {
    const section = readme.slice(readme.indexOf("## Running locally"));
    const block = section.match(/```json\n([\s\S]*?)```/)![1]!;
    const file = join(scratch, "readme-description.json");
    writeFileSync(file, block);
    const { stdout } = await run(process.execPath, [...script("invoke"), file], { cwd: root, env });
    const result = JSON.parse(stdout);
    expect(result.statusCode, result.body).toBe(201);
    expect(JSON.parse(result.body)).toMatchObject({ teacherId: "t-1", title: "Capitals" });
  }, 60_000);

  it.each(["rest", "alb", "url"])("turns a request description into a %s event", async (source) => {
    const file = join(scratch, `health-${source}.json`);
    writeFileSync(file, JSON.stringify({ method: "GET", path: "/health" }));
    const { stdout } = await run(process.execPath, [...script("invoke"), file, "--source", source], { cwd: root, env });
    const result = JSON.parse(stdout.slice(stdout.indexOf("{\n")));
    expect(result.statusCode).toBe(200);
    // Each source's own result shape: ALB answers with a statusDescription.
    if (source === "alb") expect(result.statusDescription).toBe("200 OK");
    else expect(result).not.toHaveProperty("statusDescription");
  }, 60_000);

  it("pointed at stand-ins already running (AWS_ENDPOINT_URL_* set, as for a running npm start), uses the template's table and bucket (was: 500, TABLE_NAME is not set)", async () => {
    const { startEmulators, createTables, localResources } = await import("../src/dev/emulators.ts");
    const { loadTemplate } = await import("../src/dev/cfn.ts");
    const resources = localResources(loadTemplate());
    const aws = await startEmulators({ buckets: resources.buckets.map((b) => ({ name: b.name, cors: b.cors })) });
    try {
      await createTables(resources.tables, aws.dynamoEndpoint);
      const pointed = { ...env, AWS_ENDPOINT_URL_DYNAMODB: aws.env["AWS_ENDPOINT_URL_DYNAMODB"], AWS_ENDPOINT_URL_S3: aws.env["AWS_ENDPOINT_URL_S3"], TABLE_NAME: undefined, BUCKET_NAME: undefined };
      const { stdout } = await run(process.execPath, [...script("invoke"), "events/requests/create-exam.json"], { cwd: root, env: pointed });
      expect(JSON.parse(stdout.slice(stdout.indexOf("{\n"))).statusCode).toBe(201);
    } finally {
      await aws.close();
    }
  }, 60_000);

  // Each stand-in is started unless its own service is pointed elsewhere: AWS_ENDPOINT_URL_DYNAMODB alone used to
  // skip both, so S3 calls went to the SDK's default endpoint (real AWS); AWS_ENDPOINT_URL_S3 alone, or
  // AWS_ENDPOINT_URL for both, was overwritten by stand-ins nobody asked for.
  describe("starts the stand-in of each service not pointed elsewhere, and only those", () => {
    // Where the function's SDK calls go, and what a loopback endpoint holds; it never calls anything else.
    const probe = join(scratch, "endpoint-probe.ts");
    writeFileSync(
      probe,
      `import { ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
       import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
       const local = (url: string | undefined) => url?.startsWith("http://127.0.0.1:") ?? false;
       export const handler = async () => {
         const s3 = process.env["AWS_ENDPOINT_URL_S3"];
         const dynamodb = process.env["AWS_ENDPOINT_URL_DYNAMODB"];
         const buckets = local(s3) ? (await new S3Client({ endpoint: s3, forcePathStyle: true }).send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name) : null;
         const tables = local(dynamodb) ? (await new DynamoDBClient({ endpoint: dynamodb }).send(new ListTablesCommand({}))).TableNames : null;
         return { statusCode: 200, body: JSON.stringify({ s3: s3 ?? null, dynamodb: dynamodb ?? null, buckets, tables }) };
       };`,
    );
    const request = join(scratch, "probe-request.json");
    writeFileSync(request, JSON.stringify({ method: "GET", path: "/" }));
    // Nothing listens on TEST-NET-1 addresses (RFC 5737): the probe only reports them, never calls them.
    const elsewhere = "http://192.0.2.1:4566";

    it.each([
      ["AWS_ENDPOINT_URL_DYNAMODB alone: S3 gets its stand-in with the template's bucket (was: real AWS)", { AWS_ENDPOINT_URL_DYNAMODB: elsewhere }, { dynamodb: elsewhere, s3: "stand-in" }],
      ["AWS_ENDPOINT_URL_S3 alone: DynamoDB gets its stand-in with the template's table, S3 stays pointed (was: both replaced)", { AWS_ENDPOINT_URL_S3: elsewhere }, { dynamodb: "stand-in", s3: elsewhere }],
      ["AWS_ENDPOINT_URL, for every service: no stand-in at all (was: both started and used instead)", { AWS_ENDPOINT_URL: elsewhere }, { dynamodb: null, s3: null }],
    ] as const)("%s", async (_name, pointed, expected) => {
      const { localResources } = await import("../src/dev/emulators.ts");
      const { loadTemplate } = await import("../src/dev/cfn.ts");
      const resources = localResources(loadTemplate());
      const { stdout } = await run(process.execPath, [...script("invoke"), request, "--entry", probe], { cwd: root, env: { ...env, AWS_ENDPOINT_URL: undefined, ...pointed } });
      const seen = JSON.parse(JSON.parse(stdout).body) as { s3: string | null; dynamodb: string | null; buckets: string[] | null; tables: string[] | null };
      const standIn = /^http:\/\/127\.0\.0\.1:\d+$/;
      if (expected.s3 === "stand-in") {
        expect(seen.s3).toMatch(standIn);
        expect(seen.buckets).toEqual(resources.buckets.map((b) => b.name));
      } else expect(seen.s3).toBe(expected.s3);
      if (expected.dynamodb === "stand-in") {
        expect(seen.dynamodb).toMatch(standIn);
        expect(seen.tables).toEqual(resources.tables.map((t) => t.name));
      } else expect(seen.dynamodb).toBe(expected.dynamodb);
    }, 60_000);
  });

  it("runs a streaming entry (streamHandler) through the runtime's emulated stream and prints what it wrote (was: a function error, no response stream)", async () => {
    const { stdout } = await run(process.execPath, [...script("invoke"), "events/requests/create-exam.json", "--entry", "src/app/stream.ts", "--source", "rest"], { cwd: root, env });
    const result = JSON.parse(stdout.slice(stdout.indexOf("{\n")));
    expect(result).toMatchObject({ statusCode: 201, streamed: true });
    expect(JSON.parse(result.body)).toMatchObject({ title: expect.any(String) });
  }, 60_000);

  // A cut stream is not a response: a client sees a connection that ended early, never a complete body. The
  // library's streamHandler destroys the stream when the producer fails after the first byte; a hand-written
  // streaming handler may destroy it with an error or reject while it streams.
  describe("a streamed response cut before its end exits non-zero and says so on stderr (was: the partial body, exit 0)", () => {
    const health = join(scratch, "stream-health.json");
    writeFileSync(health, JSON.stringify({ method: "GET", path: "/rows" }));
    const entry = (name: string, code: string) => {
      const file = join(scratch, `${name}.ts`);
      writeFileSync(file, code);
      return file;
    };
    it.each([
      [
        "streamHandler, the producer failing after its first chunk",
        `import { router } from "lambdalith";
         import { stream, streamHandler } from "lambdalith/stream";
         async function* rows() { yield "a,1\\n"; throw new Error("page 2 failed"); }
         export const handler = streamHandler(router().get("/rows", () => stream(rows())));`,
        // The handler rejects (as the runtime needs, to send its error trailers); the cause is in the log.
        /stream was cut.*failed after its first byte; the cause is logged with requestId/,
      ],
      [
        "a handler destroying the stream with an error",
        `export const handler = awslambda.streamifyResponse(async (event, out) => {
           out = awslambda.HttpResponseStream.from(out, { statusCode: 200 });
           out.write("a,1\\n");
           await new Promise((resolve) => setTimeout(resolve, 10));
           out.destroy(new Error("socket hang up"));
         });`,
        /stream was cut.*socket hang up/,
      ],
      [
        "a handler rejecting while it streams",
        `export const handler = awslambda.streamifyResponse(async (event, out) => {
           out = awslambda.HttpResponseStream.from(out, { statusCode: 200 });
           out.write("a,1\\n");
           await new Promise((resolve) => setTimeout(resolve, 10));
           throw new Error("db down");
         });`,
        /stream was cut.*db down/,
      ],
    ])("%s", async (name, code, said) => {
      const result = await finish([...script("invoke"), health, "--source", "url", "--entry", entry(name.replace(/\W+/g, "-"), code)]);
      expect(result.code, result.stderr).not.toBe(0);
      expect(result.stderr).toMatch(said);
      // What the client received is still printed, marked as cut.
      expect(JSON.parse(result.stdout.slice(result.stdout.indexOf("{\n")))).toMatchObject({ statusCode: 200, body: "a,1\n", streamed: true, cut: true });
    }, 60_000);
  });

  it("a request description's dev token becomes claims and its JSON object body is sent, through REST", async () => {
    const file = join(scratch, "create.json");
    writeFileSync(file, JSON.stringify({ method: "POST", path: "/exams", headers: { authorization: "Bearer dev.teacher.t-9" }, body: { title: "From invoke", durationMinutes: 5 } }));
    const { stdout } = await run(process.execPath, [...script("invoke"), file, "--source", "rest"], { cwd: root, env });
    const result = JSON.parse(stdout.slice(stdout.indexOf("{\n")));
    expect(result.statusCode).toBe(201);
    expect(JSON.parse(result.body)).toMatchObject({ teacherId: "t-9", title: "From invoke", durationMinutes: 5 });
  }, 60_000);

  // The S3 stand-in keeps its objects in a directory under the OS temp dir (exambuddy-local-*), and the handler is
  // built into .local/build/invoke-<pid>: whichever way the run ends, both are gone. Each run gets its own TMPDIR.
  describe("closes what it started on every way out: no stand-in directory or build left behind", () => {
    const entry = (name: string, code: string) => {
      const file = join(scratch, `${name}.ts`);
      writeFileSync(file, code);
      return file;
    };
    const request = join(scratch, "cleanup-request.json");
    writeFileSync(request, JSON.stringify({ method: "GET", path: "/" }));
    const notJson = join(scratch, "cleanup-broken.json");
    writeFileSync(notJson, "{ nope");

    /** Runs npm run invoke with its own temp dir; with `interruptOn`, sends SIGINT once stderr matches it. */
    async function invokeAlone(args: string[], interruptOn?: RegExp): Promise<{ code: number | null; stderr: string; leftInTemp: string[]; leftBuild: boolean }> {
      const temp = mkdtempSync(join(scratch, "tmp-"));
      const child = spawn(process.execPath, [...script("invoke"), ...args], { cwd: root, env: { ...env, TMPDIR: temp }, stdio: ["ignore", "pipe", "pipe"] });
      let stderr = "";
      child.stdout!.resume();
      child.stderr!.on("data", (c: Buffer) => {
        stderr += c.toString();
        if (interruptOn?.test(stderr)) (child.kill("SIGINT"), (interruptOn = undefined));
      });
      const code = await new Promise<number | null>((resolve) => child.once("close", (c) => resolve(c)));
      return { code, stderr, leftInTemp: readdirSync(temp).filter((name) => name.startsWith("exambuddy-local-")), leftBuild: existsSync(join(root, `.local/build/invoke-${child.pid}`)) };
    }

    it.each([
      ["the handler module throwing while it loads", () => ["--entry", entry("load-throws", `throw new Error("boom at load");\nexport const handler = async () => ({ statusCode: 200 });\n`)], 1, /^npm run invoke: cannot load .*load-throws\.ts: boom at load$/],
      ["the handler module rejecting after it loaded (an unhandled rejection; was: a stack, and the directory left)", () => ["--entry", entry("load-rejects", `void Promise.reject(new Error("connect failed at load"));\nexport const handler = async () => { await new Promise((r) => setTimeout(r, 500)); return { statusCode: 200 }; };\n`)], 1, /^npm run invoke: the function crashed \(unhandled rejection\): connect failed at load$/],
      ["an --entry that does not exist (found after the stand-ins started)", () => ["--entry", join(scratch, "no-such-entry.ts")], 1, /^npm run invoke: cannot load .*no-such-entry\.ts/],
    ] as const)("%s", async (_name, extra, code, said) => {
      const result = await invokeAlone([request, ...extra()]);
      expect(result.code, result.stderr).toBe(code);
      expect(result.stderr.trim().split("\n").at(-1)).toMatch(said);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.leftInTemp).toEqual([]);
      expect(result.leftBuild).toBe(false);
    }, 60_000);

    it("a bad event file, refused before anything starts", async () => {
      const result = await invokeAlone([notJson]);
      expect(result.code).toBe(2);
      expect(result.leftInTemp).toEqual([]);
    }, 60_000);

    it("Ctrl-C while the handler runs (was: the stand-in's directory and the build left behind)", async () => {
      const hangs = entry("hangs", `export const handler = () => new Promise(() => {});\n`);
      const result = await invokeAlone([request, "--entry", hangs], /START RequestId/);
      expect(result.code, result.stderr).toBe(130);
      expect(result.leftInTemp).toEqual([]);
      expect(result.leftBuild).toBe(false);
    }, 60_000);
  });

  it("refuses what it cannot run in one line each", async () => {
    const notJson = join(scratch, "broken.json");
    writeFileSync(notJson, "{ nope");
    const noPath = join(scratch, "nopath.json");
    writeFileSync(noPath, JSON.stringify({ method: "GET" }));
    expectOneLineError(await finish(script("invoke")), /^npm run invoke: name an event or request file/);
    expectOneLineError(await finish([...script("invoke"), join(scratch, "missing.json")]), /cannot read .*missing\.json \(ENOENT\)/);
    expectOneLineError(await finish([...script("invoke"), notJson]), /broken\.json is not JSON/);
    expectOneLineError(await finish([...script("invoke"), noPath]), /needs a "path"/);
    expectOneLineError(await finish([...script("invoke"), "events/alb-health-check.json", "--source", "rest"]), /already a Lambda event/);
    expectOneLineError(await finish([...script("invoke"), "events/alb-health-check.json", "--source", "sqs"]), /--source must be one of/);
  }, 60_000);
});

describe("npm run bench", () => {
  // A benchmark takes minutes: these runs stop it the moment it starts one (run.ts says "bench: <group>…"
  // first), so a refusal that does not happen fails at once instead of timing anything.
  async function benchUntilWork(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string; startedWork: boolean }> {
    const child = spawn(process.execPath, ["--import", "tsx", "bench/run.ts", ...args], { cwd: root, env: { ...env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "";
    let stderr = "";
    let startedWork = false;
    child.stdout!.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on("data", (c: Buffer) => {
      stderr += c.toString();
      if (!startedWork && /^bench: (\w+…|installing)/m.test(stderr)) {
        startedWork = true;
        // The group runs in a child of run.ts: end the whole process group.
        process.kill(-child.pid!, "SIGKILL");
      }
    });
    const code = await new Promise<number | null>((resolve) => child.once("close", (c) => resolve(c)));
    return { code, stdout, stderr, startedWork };
  }

  it("--help lists every group with what it measures and every environment variable bench/ reads, and runs nothing (was: the full 7-minute benchmark)", async () => {
    for (const flag of ["--help", "-h"]) {
      const result = await benchUntilWork([flag]);
      expect(result.startedWork, result.stderr).toBe(false);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe("");
      for (const group of ["size", "cold", "invoke", "router", "peers", "validation", "soak"]) expect(result.stdout).toMatch(new RegExp(`^  ${group} +\\S.*`, "m"));
      // Read from the sources, so a variable added to a group and not to the help fails here.
      const read = new Set<string>();
      for (const file of readdirSync(join(root, "bench")).filter((f) => /\.(ts|mjs)$/.test(f) && !f.endsWith(".test.ts"))) {
        const source = readFileSync(join(root, "bench", file), "utf8");
        for (const m of source.matchAll(/process\.env\["([A-Z0-9_]+)"\]|\benv\("([A-Z0-9_]+)"/g)) read.add(m[1] ?? m[2]!);
      }
      expect(read.size).toBeGreaterThanOrEqual(10);
      for (const name of read) expect(result.stdout, name).toMatch(new RegExp(`^  ${name}\\b`, "m"));
    }
  }, 60_000);

  it("refuses an unknown option, an unknown group and a bad environment value in one line each, before any work (was: options ignored and the whole benchmark run; a group's name a stack)", async () => {
    for (const [args, extraEnv, said] of [
      [["--nonsense"], {}, /^npm run bench: Unknown option '--nonsense' \(npm run bench -- --help lists what it accepts\)$/],
      [["size", "--quick"], {}, /^npm run bench: Unknown option '--quick'/],
      [["size", "sizes"], {}, /^npm run bench: unknown group "sizes"; groups: size, cold, invoke, router, peers, validation, soak$/],
      [["cold"], { COLD_RUNS: "many" }, /^npm run bench: COLD_RUNS must be a whole number above 0; got "many"$/],
      [["peers"], { PEERS_SETTLE: "2" }, /^npm run bench: PEERS_SETTLE must be a number from 0 to 1; got "2"$/],
      [["peers"], { PEERS_SOURCES: "http-api-v2,rest" }, /^npm run bench: PEERS_SOURCES names "rest"; sources: apigw-v1, http-api-v2, alb, function-url$/],
    ] as const) {
      const result = await benchUntilWork([...args], extraEnv);
      expect(result.startedWork, `${args.join(" ")}: ${result.stderr}`).toBe(false);
      expect(result.code).toBe(2);
      expectOneLineError({ code: result.code!, stderr: result.stderr }, said);
    }
  }, 120_000);
});

describe("npm test, npm run test:properties, npm run typecheck", () => {
  const scripts = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts as Record<string, string>;
  // As npm runs a script: its line and the arguments after `--`, through sh. Stopped (and failed) if it is
  // still going after a few seconds: then it is building, type-checking or running the suite itself.
  async function npmScript(name: string, args: string[], extraEnv: Record<string, string> = {}, stopAfterMs = 15_000): Promise<{ code: number | null; stdout: string; stderr: string; working: boolean }> {
    const line = [scripts[name]!, ...args.map((a) => `'${a}'`)].join(" ");
    const child = spawn("sh", ["-c", line], { cwd: root, env: { ...env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
    let working = false;
    const timer = setTimeout(() => ((working = true), process.kill(-child.pid!, "SIGKILL")), stopAfterMs);
    const code = await new Promise<number | null>((resolve) => child.once("close", (c) => resolve(c)));
    clearTimeout(timer);
    return { code, stdout, stderr, working };
  }

  it.each([
    ["test", ["builds dist/", "type-checks", "-t", "--help"]],
    ["test:properties", ["PROPERTY_RUNS", "round-trip.property.test.ts", "--help"]],
    ["typecheck", ["tsc --noEmit -p .", "--help"]],
  ])("npm run %s -- --help is a short usage text and does no work (was: npm test built dist/ and type-checked first; vitest's or tsc's whole help)", async (name, mentions) => {
    const result = await npmScript(name, ["--help"]);
    expect(result.working).toBe(false);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    for (const m of mentions) expect(result.stdout).toContain(m);
    expect(result.stdout.trim().split("\n").length).toBeLessThanOrEqual(15);
  }, 60_000);

  it("npm run test:properties honours PROPERTY_RUNS, as its README line says (was: 20,000 runs, about a minute, whatever it was set to)", async () => {
    // 20 runs per property take a second or two; 20,000 take over a minute.
    const result = await npmScript("test:properties", ["--reporter=dot"], { PROPERTY_RUNS: "20" }, 40_000);
    expect(result.working, "still running after 40 s").toBe(false);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.replace(/\x1b\[[0-9;]*m/g, "")).toMatch(/Tests +\d+ passed/);
  }, 60_000);

  it("refuses an unknown vitest option in one line before building anything (was: a build and a type-check, then vitest's CACError stack)", async () => {
    for (const name of ["test", "test:properties"]) {
      const command = name === "test" ? "npm test" : `npm run ${name}`;
      const result = await npmScript(name, ["src/lib", "--nonsense"]);
      expect(result.working).toBe(false);
      expectOneLineError({ code: result.code!, stderr: result.stderr }, new RegExp(`^${command}: Unknown option '--nonsense' \\(${command} -- --help lists what it accepts\\)$`));
    }
    // Options vitest knows pass, however spelled: only the unknown one is named.
    const typo = await npmScript("test:properties", ["--reporter=dot", "--no-color", "--test-name-pattern", "x", "-u", "--typo-check"]);
    expectOneLineError({ code: typo.code!, stderr: typo.stderr }, /Unknown option '--typo-check'/);
    const badRuns = await npmScript("test:properties", [], { PROPERTY_RUNS: "lots" });
    expect(badRuns.working).toBe(false);
    expectOneLineError({ code: badRuns.code!, stderr: badRuns.stderr }, /^npm run test:properties: PROPERTY_RUNS must be a whole number above 0; got "lots"$/);
    const badSeed = await npmScript("test:properties", [], { PROPERTY_SEED: "0x1f" });
    expectOneLineError({ code: badSeed.code!, stderr: badSeed.stderr }, /^npm run test:properties: PROPERTY_SEED must be the whole number fast-check reported; got "0x1f"$/);
    const typecheck = await npmScript("typecheck", ["--nonsense"]);
    expect(typecheck.code).not.toBe(0);
    expect(typecheck.stdout + typecheck.stderr).toMatch(/Unknown compiler option '--nonsense'/);
  }, 60_000);

  // vitest's parser (mri) takes the word after an option as its value only when it does not start with "-": vitest
  // itself refuses `-t "-foo"` with "Unknown option `-f`", so accepting it here would only move that refusal behind
  // a build and a type-check. The refusal says how vitest does take such a value instead.
  it("a value that starts with - after an option that takes one (-t \"-foo\") is refused as vitest refuses it, saying to write -t=-foo (was: Unknown option '-f' and nothing more)", async () => {
    const { optionRefusal, vitestOptions } = await import("../scripts/test.mjs");
    const known = vitestOptions();
    expect(known.takesValue).toContain("-t");
    expect(known.takesValue).toContain("--testNamePattern");
    expect(optionRefusal(["src/lib", "-t", "-foo"], known)).toBe("Unknown option '-f' ('-foo' is read as options, not as the value of -t: write -t=-foo)");
    expect(optionRefusal(["--test-name-pattern", "-foo"], known)).toBe("Unknown option '-f' ('-foo' is read as options, not as the value of --test-name-pattern: write --test-name-pattern=-foo)");
    expect(optionRefusal(["--reporter", "--nonsense"], known)).toBe("Unknown option '--nonsense' ('--nonsense' is read as options, not as the value of --reporter: write --reporter=--nonsense)");
    // Written with =, the value is a value; after an option that takes none, an unknown option is only that.
    expect(optionRefusal(["-t=-foo", "--testNamePattern=-bar", "--reporter=dot"], known)).toBeUndefined();
    expect(optionRefusal(["--run", "-foo"], known)).toBe("Unknown option '-f'");
    expect(optionRefusal(["-t", "foo", "--nonsense"], known)).toBe("Unknown option '--nonsense'");

    const result = await npmScript("test", ["-t", "-foo"]);
    expect(result.working).toBe(false);
    expectOneLineError({ code: result.code!, stderr: result.stderr }, /^npm test: Unknown option '-f' \('-foo' is read as options, not as the value of -t: write -t=-foo\) \(npm test -- --help lists what it accepts\)$/);
  }, 60_000);

  it("the property test fails on a PROPERTY_RUNS or PROPERTY_SEED that is no count, however it is run (was: NaN runs, nothing checked, 10 tests passed: npm test passed with PROPERTY_RUNS=lots in its environment)", async () => {
    for (const [name, value] of [["PROPERTY_RUNS", "lots"], ["PROPERTY_RUNS", "0"], ["PROPERTY_SEED", "x1"]] as const) {
      const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
        execFile(process.execPath, [join(root, "node_modules/vitest/vitest.mjs"), "run", "src/adapters/round-trip.property.test.ts", "--reporter=dot"], { cwd: root, env: { ...env, PROPERTY_RUNS: "5", [name]: value } }, (err, stdout, stderr) =>
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, output: stdout + stderr }),
        );
      });
      expect(result.code, `${name}=${value}: ${result.output}`).not.toBe(0);
      expect(result.output).toContain(`${name} must be`);
    }
  }, 120_000);

  it("scripts/test.mjs run through a symlinked directory still does its work (was: it took itself for an import, did nothing and exited 0, so a CI checkout under a symlink passed without a test)", async () => {
    const link = join(scratch, "linked-root");
    symlinkSync(root, link, "dir");
    const viaLink = await finish([join(link, "scripts/test.mjs"), "suite", "--nonsense"]);
    expectOneLineError(viaLink, /^npm test: Unknown option '--nonsense' \(npm test -- --help lists what it accepts\)$/);
    const help = await finish([join(link, "scripts/test.mjs"), "typecheck", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("tsc --noEmit -p .");
  }, 60_000);
});

describe("--help", () => {
  it.each([
    ["npm start", [...script("start"), "--help"], ["--port", "--source", "--memory", "--data", "--seed", "--stage", "--help"]],
    ["npm run seed", [...script("seed"), "--help"], ["--port", "--url", "--help"]],
    ["npm run invoke", [...script("invoke"), "-h"], ["--source", "--entry", "--help", '"auth"', '"body"']],
    ["npm run build:app", ["scripts/build.mjs", "--help"], ["--out", "--sdk", "--no-minify", "--metafile", "--help"]],
    ["npm run build:lib", ["scripts/build-lib.mjs", "--help"], ["dist/esm", "dist/cjs"]],
  ] as const)("%s lists what it accepts", async (_name, args, mentions) => {
    const { stdout, stderr } = await run(process.execPath, [...args], { cwd: root, env });
    expect(stderr).toBe("");
    for (const m of mentions) expect(stdout).toContain(m);
  }, 60_000);

  it("npm run build:app refuses an unknown option in one line", async () => {
    expectOneLineError(await finish(["scripts/build.mjs", "--sdk", "cdn"]), /^build:app: --sdk must be bundle or external/);
    expectOneLineError(await finish(["scripts/build.mjs", "--minify"]), /^build:app: Unknown option '--minify'/);
  }, 60_000);
});
