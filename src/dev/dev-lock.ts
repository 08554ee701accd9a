// One `npm start` per data directory. Two servers on the same `.local/` would open the same LevelDB store
// (dynalite): the second one used to die with a "Database is closed" stack. The first one holds
// `<dataDir>/npm-start.lock` (its pid, then its URL); a lock whose process is gone is stale and taken over.
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CliError } from "./cli.ts";

/** What a lock says about the server holding it. */
export interface LockHolder {
  pid: number;
  dataDir: string;
  startedAt: string;
  /** Set once the server listens. */
  url?: string;
  port?: number;
}

export interface DevLock {
  holder: LockHolder;
  /** Records the URL once the server listens, for the next `npm start` to name. */
  update(fields: { url: string; port: number }): void;
  release(): void;
}

export const LOCK_FILE = "npm-start.lock";

/** Whether a process with this pid exists (EPERM: it does, under another user). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The live server holding the lock of `dataDir`, if any (a lock left by a process that is gone does not count).
 * @example readLock(".local") // { pid: 4242, url: "http://127.0.0.1:3000", ... } or undefined
 */
export function readLock(dataDir: string): LockHolder | undefined {
  let holder: LockHolder;
  try {
    holder = JSON.parse(readFileSync(join(dataDir, LOCK_FILE), "utf8")) as LockHolder;
  } catch {
    return undefined;
  }
  return Number.isInteger(holder.pid) && holder.pid !== process.pid && isRunning(holder.pid) ? holder : undefined;
}

/**
 * Removes the lock of `dataDir` if it still names `pid`: for a holder found stale by other means (its pid was
 * reused after a crash or reboot, but nothing listens on its port any more).
 * @example removeLock(".local", 4242)
 */
export function removeLock(dataDir: string, pid: number): void {
  const file = join(dataDir, LOCK_FILE);
  try {
    if ((JSON.parse(readFileSync(file, "utf8")) as LockHolder).pid === pid) unlinkSync(file);
  } catch {
    // already gone, or replaced by a half-written lock that acquireLock handles
  }
}

/**
 * Takes the lock of `dataDir`, or returns the live server that holds it.
 * @example const lock = acquireLock(".local"); if ("release" in lock) … else console.log(lock.pid)
 */
export function acquireLock(dataDir: string): DevLock | LockHolder {
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(code === "EEXIST" || code === "ENOTDIR" ? `--data ${dataDir} is a file, not a directory: name a directory for the data` : `cannot use --data ${dataDir} (${code ?? (err as Error).message})`, 2);
  }
  const file = join(dataDir, LOCK_FILE);
  const holder: LockHolder = { pid: process.pid, dataDir, startedAt: new Date().toISOString() };
  // Two attempts: the second after removing a stale lock (its process is gone, or the file is unreadable).
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(holder) + "\n", { flag: "wx" });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const current = readLock(dataDir);
      if (current !== undefined) return current;
      unlinkSync(file);
      continue;
    }
    const release = () => {
      process.off("exit", release);
      // Only our own lock: a server that took over a lock we once held keeps it.
      removeLock(dataDir, process.pid);
    };
    // Whatever ends the process (an error, process.exit), the lock goes with it.
    process.on("exit", release);
    return {
      holder,
      update(fields) {
        Object.assign(holder, fields);
        writeFileSync(file, JSON.stringify(holder) + "\n");
      },
      release,
    };
  }
  throw new Error(`could not take ${file}: another npm start keeps replacing it`);
}
