import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { acquireLock, isRunning, LOCK_FILE, readLock } from "./dev-lock.ts";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "lambdalith-lock-"));
  dirs.push(dir);
  return dir;
};
// A pid that existed and is gone: a child that has exited.
const deadPid = () => spawnSync(process.execPath, ["-e", ""]).pid!;

describe("the npm start lock", () => {
  it("is taken, records the URL, and is released", () => {
    const dir = dataDir();
    const lock = acquireLock(dir);
    expect("release" in lock).toBe(true);
    if (!("release" in lock)) return;
    lock.update({ url: "http://127.0.0.1:3000", port: 3000 });
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8"))).toMatchObject({ pid: process.pid, url: "http://127.0.0.1:3000", port: 3000 });
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it("names the live server that holds it", () => {
    const dir = dataDir();
    // The test runner's parent stands in for another running npm start.
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.ppid, dataDir: ".local", startedAt: "t", url: "http://127.0.0.1:3000", port: 3000 }));
    expect(isRunning(process.ppid)).toBe(true);
    expect(acquireLock(dir)).toMatchObject({ pid: process.ppid, url: "http://127.0.0.1:3000" });
    expect(readLock(dir)).toMatchObject({ pid: process.ppid });
  });

  it("takes over a stale lock (its process is gone) or an unreadable one", () => {
    for (const content of [JSON.stringify({ pid: deadPid(), dataDir: ".local", startedAt: "t", port: 3000 }), "{half-written"]) {
      const dir = dataDir();
      writeFileSync(join(dir, LOCK_FILE), content);
      expect(readLock(dir)).toBeUndefined();
      const lock = acquireLock(dir);
      expect("release" in lock, content).toBe(true);
      if ("release" in lock) lock.release();
    }
  });

  it("releasing never removes a lock another server has taken over since", () => {
    const dir = dataDir();
    const lock = acquireLock(dir);
    if (!("release" in lock)) throw new Error("not acquired");
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.ppid, dataDir: dir, startedAt: "t" }));
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
  });
});
