// Watches a source tree for the dev server's hot reload. One non-recursive watcher per directory, not
// `fs.watch(dir, { recursive: true })`: on Linux, Node 20 implements recursive watching with one watcher per
// file, and an editor's safe-write (write a temp file, rename it over the original) replaces the inode that
// watcher held, so the second save of the same file is never reported. A directory's watcher survives any
// number of renames inside it; new directories get their own watcher as they appear.
import { watch, readdirSync, statSync, type FSWatcher } from "node:fs";
import { join, relative, resolve, sep } from "node:path";

export interface TreeWatcher {
  /** Directories watched now (for tests). */
  directories(): string[];
  close(): void;
}

export interface WatchTreeOptions {
  /** Absolute paths whose changes are not reported (a build output inside the tree). */
  ignore?: string[];
}

// Dependencies and version control never hold the handler's sources.
const SKIPPED_DIRS = new Set(["node_modules", ".git"]);

/**
 * Calls `onChange(relativePath)` for every file created, changed, renamed or removed under `root`.
 * @example const watcher = watchTree("src", (file) => console.log("changed", file)); watcher.close();
 */
export function watchTree(root: string, onChange: (file: string) => void, options: WatchTreeOptions = {}): TreeWatcher {
  const base = resolve(root);
  const ignored = (options.ignore ?? []).map((p) => resolve(p));
  const isIgnored = (path: string) => ignored.some((p) => path === p || path.startsWith(p + sep));
  const watchers = new Map<string, FSWatcher>();
  let closed = false;

  function unwatch(dir: string): void {
    for (const [path, watcher] of watchers) {
      if (path === dir || path.startsWith(dir + sep)) {
        watcher.close();
        watchers.delete(path);
      }
    }
  }

  function add(dir: string): void {
    if (closed || watchers.has(dir) || isIgnored(dir)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, (_event, name) => {
        const path = name === null ? dir : join(dir, name.toString());
        if (isIgnored(path)) return;
        if (isDirectory(path)) {
          // A directory created (or moved in) after start: watch it, and report what it already holds.
          if (!watchers.has(path) && !SKIPPED_DIRS.has(name?.toString() ?? "")) {
            add(path);
            for (const file of listFiles(path)) onChange(relative(base, file));
          }
        } else if (watchers.has(path)) {
          unwatch(path); // a watched directory was removed or renamed away
        }
        onChange(relative(base, path));
      });
    } catch {
      return; // removed between listing and watching
    }
    // A watcher whose directory disappears reports an error: drop it rather than crash the dev server.
    watcher.on("error", () => unwatch(dir));
    watchers.set(dir, watcher);
    for (const entry of safeReaddir(dir)) {
      if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) add(join(dir, entry.name));
    }
  }

  function listFiles(dir: string): string[] {
    const files: string[] = [];
    for (const entry of safeReaddir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !isIgnored(path)) files.push(...listFiles(path));
      } else files.push(path);
    }
    return files;
  }

  add(base);
  if (!watchers.has(base)) throw new Error(`cannot watch ${root}: not a readable directory`);
  return {
    directories: () => [...watchers.keys()].map((d) => relative(base, d) || "."),
    close() {
      closed = true;
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function safeReaddir(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}
