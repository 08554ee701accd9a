// Hot reload without restarting the emulators: ESM modules cannot be evicted from Node's cache, so every
// change rebuilds the handler into a new file and imports that one.
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { context, type BuildContext } from "esbuild";
import { ensureAwsLambdaGlobal } from "./lambda-runtime.ts";
import type { HandlerSource } from "./server.ts";
import { watchTree, type TreeWatcher } from "./watch-tree.ts";

export interface HandlerBundle {
  getHandler: HandlerSource;
  /** The loaded module (for its `app`, if it exports one). */
  module(): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * Builds `entry` with esbuild into `outDir` and loads it; with `watchDir`, rebuilds and reloads on change.
 * `lambdalith` resolves to this checkout's source, as the app's own imports do in tests. With `optIn` (an
 * opt-in adapter's export name) and an entry exporting `app`, the handler served is `handle(app)` with that
 * adapter added, as a deployment behind that source would export it.
 * @example const bundle = await bundleHandler({ entry: "src/app/index.ts", outDir: ".local/build", watchDir: "src" })
 */
export async function bundleHandler(options: { entry: string; outDir: string; watchDir?: string; log?: (line: string) => void; root?: string; optIn?: "vpcLattice" | "lambdaEdge" | undefined }): Promise<HandlerBundle> {
  const root = resolve(options.root ?? ".");
  const entry = resolve(root, options.entry);
  // One bundle, so the wrapper and the app share one copy of lambdalith (response markers are symbols).
  const wrapper = options.optIn && {
    contents: [
      `import * as entry from ${JSON.stringify(entry)};`,
      `import { defaultAdapters, handle, ${options.optIn} } from "lambdalith";`,
      `export * from ${JSON.stringify(entry)};`,
      `export const handler = entry.app ? handle(entry.app, { adapters: [...defaultAdapters, ${options.optIn}] }) : entry.handler;`,
    ].join("\n"),
    resolveDir: root,
    sourcefile: "opt-in-handler.ts",
    loader: "ts" as const,
  };
  const outDir = resolve(root, options.outDir);
  const log = options.log ?? ((l: string) => console.log(l));
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  // A bundle that never loads is never closed by its caller: it leaves no build directory behind.
  const removeOutDir = () => rm(outDir, { recursive: true, force: true });
  const ctx: BuildContext = await context({
    ...(wrapper ? { stdin: wrapper } : { entryPoints: [entry] }),
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    sourcemap: "inline",
    write: false,
    packages: "external",
    logLevel: "silent",
    plugins: [
      {
        name: "lambdalith-source",
        setup(build) {
          build.onResolve({ filter: /^lambdalith(\/stream)?$/ }, (args) => ({ path: join(root, args.path === "lambdalith" ? "src/index.ts" : "src/stream/index.ts") }));
        },
      },
    ],
  }).catch(async (err: unknown) => {
    await removeOutDir();
    throw err;
  });

  let generation = 0;
  let current: Promise<{ module: Record<string, unknown>; cold: boolean }> | undefined;

  async function load(): Promise<{ module: Record<string, unknown>; cold: boolean }> {
    const started = performance.now();
    const result = await ctx.rebuild();
    const file = join(outDir, `handler-${++generation}.mjs`);
    await writeFile(file, result.outputFiles![0]!.contents);
    // As the Lambda runtime does before loading a handler: streamHandler() reads it when it is created.
    ensureAwsLambdaGlobal();
    const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    if (typeof module["handler"] !== "function") throw new Error(`${options.entry} does not export a handler function`);
    if (generation > 1) log(`reloaded ${options.entry} in ${(performance.now() - started).toFixed(0)} ms`);
    return { module, cold: true };
  }

  current = load();
  try {
    await current;
  } catch (err) {
    await ctx.dispose();
    await removeOutDir();
    throw err;
  }

  // One rebuild at a time, in order: changes during a build start one more build after it, so the last
  // save always wins and an older build never replaces a newer one.
  let building: Promise<void> | undefined;
  let again = false;
  let closed = false;
  function rebuild(): void {
    if (closed) return;
    if (building) {
      again = true;
      return;
    }
    building = rebuildUntilCurrent().finally(() => (building = undefined));
  }
  async function rebuildUntilCurrent(): Promise<void> {
    do {
      again = false;
      const next = load();
      // Keep serving the previous build when the new one fails to compile.
      await next.then(
        () => (current = next),
        (err: Error) => log(`rebuild failed, still serving the previous build:\n${err.message}`),
      );
    } while (again && !closed);
  }

  let watcher: TreeWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  if (options.watchDir !== undefined) {
    // Editors save in bursts (temp file, rename, chmod): one rebuild per burst.
    watcher = watchTree(
      resolve(root, options.watchDir),
      (name) => {
        if (!/\.(ts|js|mjs|cjs|json)$/.test(name) || name.endsWith(".test.ts")) return;
        clearTimeout(timer);
        timer = setTimeout(rebuild, 80);
      },
      { ignore: [outDir] },
    );
  }

  return {
    async getHandler() {
      const loaded = await current!;
      const cold = loaded.cold;
      loaded.cold = false;
      return { handler: loaded.module["handler"] as (e: unknown, c: unknown) => Promise<unknown>, cold };
    },
    async module() {
      return (await current!).module;
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      watcher?.close();
      await building;
      await ctx.dispose();
      await removeOutDir();
    },
  };
}

