import { mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { watchTree } from "./watch-tree.ts";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tree(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "lambdalith-watch-"));
  dirs.push(dir);
  await mkdir(join(dir, "routes"), { recursive: true });
  await writeFile(join(dir, "routes/exams.ts"), "export const v = 0;\n");
  return dir;
}

/** Resolves once `predicate` holds for the files reported so far (generous: slow CI disks). */
function until(seen: string[], predicate: (seen: string[]) => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (predicate(seen)) (clearInterval(poll), resolve());
      else if (Date.now() - started > 10_000) (clearInterval(poll), reject(new Error(`not reported: ${what}; seen ${JSON.stringify(seen)}`)));
    }, 10);
  });
}

describe("watchTree", () => {
  // Node 20's recursive fs.watch on Linux reports the first safe-write of a file and none after it.
  it("reports every editor safe-write (temp file renamed over the original) of the same file, 25 times", async () => {
    const dir = await tree();
    const seen: string[] = [];
    const watcher = watchTree(dir, (file) => seen.push(file));
    try {
      for (let save = 1; save <= 25; save++) {
        seen.length = 0;
        await writeFile(join(dir, "routes/exams.ts.swp"), `export const v = ${save};\n`);
        await rename(join(dir, "routes/exams.ts.swp"), join(dir, "routes/exams.ts"));
        await until(seen, (s) => s.includes(join("routes", "exams.ts")), `save ${save}`);
      }
    } finally {
      watcher.close();
    }
  });

  it("watches directories created after start, stops watching removed ones, and skips node_modules and ignored paths", async () => {
    const dir = await tree();
    await mkdir(join(dir, "node_modules/x"), { recursive: true });
    await mkdir(join(dir, "build"));
    const seen: string[] = [];
    const watcher = watchTree(dir, (file) => seen.push(file), { ignore: [join(dir, "build")] });
    try {
      expect(watcher.directories().sort()).toEqual([".", "routes"]);
      await mkdir(join(dir, "store/deep"), { recursive: true });
      await until(seen, () => watcher.directories().includes(join("store", "deep")), "new nested directory watched");
      await writeFile(join(dir, "store/deep/table.ts"), "export {};\n");
      await until(seen, (s) => s.includes(join("store", "deep", "table.ts")), "file in a new directory");

      await writeFile(join(dir, "build/handler-2.mjs"), "");
      await writeFile(join(dir, "node_modules/x/index.js"), "");
      await rm(join(dir, "store"), { recursive: true });
      await until(seen, () => !watcher.directories().some((d) => d.startsWith("store")), "removed directory unwatched");
      expect(seen.filter((f) => f.startsWith("build") || f.startsWith("node_modules"))).toEqual([]);

      // Still alive after all that.
      seen.length = 0;
      await writeFile(join(dir, "routes/exams.ts"), "export const v = 9;\n");
      await until(seen, (s) => s.includes(join("routes", "exams.ts")), "a change after a directory was removed");
    } finally {
      watcher.close();
    }
  });
});
