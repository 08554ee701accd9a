// The commands the README gives a newcomer, run as processes: `npm start` (with --memory --seed, stopped
// with Ctrl-C), `npm run seed` against it, and `npm run invoke` on a captured event and on a request
// description. (npm itself only adds `node --import tsx <script>`; the scripts are called directly here.)
import { spawn, type ChildProcess } from "node:child_process";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
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

function waitFor(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; output so far:\n${seen}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = seen.match(pattern);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off("data", onData);
        resolve(match);
      }
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`exited with ${code} before ${pattern}; output:\n${seen}`)));
  });
}

describe("npm start", () => {
  it("starts on loopback with in-memory stand-ins, seeds, serves, and stops cleanly on Ctrl-C", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/dev/start.ts", "--memory", "--port", "0", "--seed"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
    try {
      const [, url] = await waitFor(child, /API\s+(http:\/\/127\.0\.0\.1:\d+)/, 60_000);
      await waitFor(child, /Seeded: published exam/, 60_000);
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: "ok", stage: "local" });

      // `npm run seed` against the running server finds the demo exam already there.
      const seeded = await run(process.execPath, ["--import", "tsx", "src/dev/seed.ts", "--url", url!], { cwd: root, env });
      expect(seeded.stdout).toMatch(/already present/);
      const exams = await fetch(`${url}/exams`, { headers: { authorization: "Bearer dev.student.demo-student" } });
      expect(((await exams.json()) as { items: Array<{ title: string }> }).items.map((e) => e.title)).toContain("Demo: world capitals");
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGINT");
      expect(await exited).toBe(0);
    }
    expect(stderr).not.toMatch(/Error|Warning/);
  }, 120_000);

  it("refuses an unknown --source, naming the choices", async () => {
    const result = await run(process.execPath, ["--import", "tsx", "src/dev/start.ts", "--memory", "--source", "sqs"], { cwd: root, env }).catch((e: { code: number; stderr: string }) => e);
    expect((result as { code: number }).code).not.toBe(0);
    expect((result as { stderr: string }).stderr).toMatch(/--source must be one of http, rest, url, alb, alb-single/);
  }, 60_000);
});

describe("npm run invoke", () => {
  const dir = mkdtempSync(join(tmpdir(), "invoke-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("runs the handler once on a captured event and prints the Lambda result with timings", async () => {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "src/dev/invoke.ts", "events/http-api-v2-default-stage.json"], { cwd: root, env });
    const result = JSON.parse(stdout.slice(stdout.indexOf("{\n")));
    expect(result).toMatchObject({ statusCode: 401, headers: { "content-type": "application/problem+json" } });
    expect(stderr).toMatch(/REPORT RequestId: \S+ Init Duration: [\d.]+ ms .* Duration: [\d.]+ ms/);
  }, 60_000);

  it.each(["rest", "alb", "url"])("turns a request description into a %s event", async (source) => {
    const file = join(dir, "health.json");
    writeFileSync(file, JSON.stringify({ method: "GET", path: "/health" }));
    const { stdout } = await run(process.execPath, ["--import", "tsx", "src/dev/invoke.ts", file, "--source", source], { cwd: root, env });
    const result = JSON.parse(stdout.slice(stdout.indexOf("{\n")));
    expect(result.statusCode).toBe(200);
    // Each source's own result shape: ALB answers with a statusDescription.
    if (source === "alb") expect(result.statusDescription).toBe("200 OK");
    else expect(result).not.toHaveProperty("statusDescription");
  }, 60_000);
});
