import { existsSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { bundle } from "./cold.ts";
import { peers } from "./scenarios.ts";
import { bundleSize } from "./size.ts";

// The peers live in bench/node_modules (installed by the first `npm run bench`), not in the root's: CI has
// only ours to bundle.
const peersInstalled = existsSync(new URL("./node_modules/hono/package.json", import.meta.url));
const ours = new Set(["raw", "lambdalith", "lambdalith-pinned"]);

describe("one build for every group", () => {
  it.each(peers.map((p) => [p]))("%s: the cold and peers groups time the very bundle the size group counts (was: lambda-api's timed bundle kept 582 B of license comments the size table left out)", async (peer) => {
    if (!ours.has(peer) && !peersInstalled) return;
    const file = new URL(`./apps/${peer}.ts`, import.meta.url).pathname;
    const timed = readFileSync(await bundle(`test-build-${peer}`, file));
    const counted = await bundleSize({ file });
    expect({ min: timed.byteLength, gzip: gzipSync(timed, { level: 9 }).byteLength }).toEqual(counted);
  });
});
