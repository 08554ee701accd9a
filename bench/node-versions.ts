// The groups where the runtime matters (cold, invoke) measure on this Node (the machine's, 20) and again on
// Node 24, the deployed runtime (nodejs24.x in template.yaml): the same binary .ci/run tests with.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { table } from "./measure.ts";

const folder = fileURLToPath(new URL("../.ci/node24/", import.meta.url));

/** The Node 24 binary of `.ci/node24`, installed from its lockfile on first use. */
export function node24(): string {
  const bin = folder + "node_modules/.bin/node";
  if (!existsSync(bin)) {
    console.error("bench: installing Node 24 into .ci/node24 (first run)…");
    execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: folder, stdio: ["ignore", "inherit", "inherit"] });
  }
  return bin;
}

/** A group's figures, keyed by Node version (`process.version`). */
export type ByNode<T> = Record<string, T>;

/**
 * Runs a group's measurement here, then the same script again under Node 24 (one after the other: two at
 * once would time each other), and prints one `JSON` line `{ [key]: { [version]: figures } }`. `measure`
 * prints its own tables and returns its figures; `compare` prints a table of both versions side by side.
 * The Node 24 run is this script re-spawned with `nodeArgs` and `--this-node-only` (also usable by hand, on
 * any node).
 * @example await onNode20And24(import.meta.url, "invoke", measureInvoke, compareInvoke)
 */
export async function onNode20And24<T>(scriptUrl: string, key: string, measure: () => Promise<T>, compare: (figures: ByNode<T>) => string, nodeArgs: string[] = []): Promise<void> {
  const figures: ByNode<T> = { [process.version]: await measure() };
  if (process.argv.includes("--this-node-only")) {
    console.log("JSON " + JSON.stringify({ [key]: figures }));
    return;
  }
  if (!process.version.startsWith("v24.")) {
    const r = spawnSync(node24(), [...nodeArgs, "--import", "tsx", fileURLToPath(scriptUrl), "--this-node-only"], { encoding: "utf8", maxBuffer: 64 << 20, stdio: ["ignore", "pipe", "inherit"] });
    if (r.status !== 0) throw new Error(`${fileURLToPath(scriptUrl)} on Node 24 failed (exit ${r.status}):\n${r.stdout}`);
    const lines = r.stdout.split("\n");
    process.stdout.write(lines.filter((l) => !l.startsWith("JSON ")).join("\n") + "\n");
    Object.assign(figures, JSON.parse(lines.find((l) => l.startsWith("JSON "))!.slice(5))[key]);
  }
  console.log(compare(figures));
  if (process.argv.includes("--json")) console.log("JSON " + JSON.stringify({ [key]: figures }));
}

/**
 * A Markdown table with one row per name and one column per Node version.
 * @example sideBySide("## invoke on Node 20 and 24", "event", "ns/op", { v20: { a: 1 }, v24: { a: 2 } }, (v) => v.toFixed(0))
 */
export function sideBySide(title: string, first: string, unit: string, byNode: ByNode<Record<string, number>>, format: (value: number) => string): string {
  const versions = Object.keys(byNode);
  const names = [...new Set(versions.flatMap((v) => Object.keys(byNode[v]!)))];
  const rows = names.map((name) => [name, ...versions.map((v) => (byNode[v]![name] === undefined ? "–" : format(byNode[v]![name]!)))]);
  return `${title}\n\n${table([first, ...versions.map((v) => `Node ${v}, ${unit}`)], rows)}\n`;
}
