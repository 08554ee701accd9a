// Every lockfile installs from names and versions only (no download addresses recorded), and the Node 24 that
// .ci/run tests on is the deployed runtime's major, pinned exactly.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const lockfiles = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "*package-lock.json"], { cwd: root, encoding: "utf8" })
  .split("\n")
  .filter((f) => f.endsWith("package-lock.json") && !f.includes("node_modules/"));

describe("lockfiles", () => {
  it("include the root's, bench's, .ci/node24's and test/oldest-typescript's", () => {
    expect(lockfiles).toEqual(expect.arrayContaining(["package-lock.json", "bench/package-lock.json", ".ci/node24/package-lock.json", "test/oldest-typescript/package-lock.json"]));
  });

  it.each(lockfiles)("%s records no resolved URLs, and its folder's .npmrc keeps it that way", (file) => {
    expect(readFileSync(join(root, file), "utf8")).not.toMatch(/"resolved"\s*:/);
    expect(readFileSync(join(root, dirname(file), ".npmrc"), "utf8")).toMatch(/^omit-lockfile-registry-resolved=true$/m);
  });

  it(".ci/node24 pins node exactly, at template.yaml's runtime major, and allows its install script", () => {
    const pkg = JSON.parse(readFileSync(join(root, ".ci/node24/package.json"), "utf8"));
    const lock = JSON.parse(readFileSync(join(root, ".ci/node24/package-lock.json"), "utf8"));
    const version: string = pkg.devDependencies.node;
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(lock.packages["node_modules/node"].version).toBe(version);
    const runtime = readFileSync(join(root, "template.yaml"), "utf8").match(/Runtime: nodejs(\d+)\.x/)?.[1];
    expect(version.split(".")[0]).toBe(runtime);
    // Its preinstall fetches the platform's binary package; npm is moving to blocking unreviewed scripts.
    expect(pkg.allowScripts).toEqual({ node: true });
  });
});
