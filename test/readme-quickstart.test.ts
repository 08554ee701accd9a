// The README's quickstart block, run verbatim with bash against a fresh local stack: if the README drifts
// from the API, this fails. It needs curl (as the README says); the machine has it.
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalApi, type LocalApi } from "../src/dev/local-api.ts";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const section = readme.slice(readme.indexOf("## ExamBuddy quickstart"));
const script = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
const hasCurl = spawnSync("curl", ["--version"]).status === 0;

describe("README quickstart", () => {
  let api: LocalApi;
  const dir = mkdtempSync(join(tmpdir(), "readme-quickstart-"));
  beforeAll(async () => {
    api = await startLocalApi({ port: 0, log: () => {} });
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("has a quickstart script that points at the default port", () => {
    expect(script).toBeDefined();
    expect(script).toContain("API=http://127.0.0.1:3000");
    expect(hasCurl, "the README quickstart needs curl").toBe(true);
  });

  it("runs from an empty stack to a graded attempt and an identical download", async () => {
    // Asynchronously: the server answering curl lives in this very process.
    const { stdout: out } = await promisify(execFile)("bash", ["-euo", "pipefail", "-c", script!.replace("API=http://127.0.0.1:3000", `API=${api.url}`)], { cwd: dir, encoding: "utf8", timeout: 60_000 });
    expect(out).toContain('"status":"ok"');
    expect(out).toMatch(/"status":"ready"/);
    expect(out).toMatch(/"status":"published"/);
    expect(out).toMatch(/"status":"submitted"/);
    expect(out).toContain("score: 6 / 6");
    expect(out).toContain("download identical");
  }, 60_000);
});
