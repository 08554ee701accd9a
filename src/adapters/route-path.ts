import { canonicalPath } from "../lib/canonical-path.ts";
import type { AdapterOptions } from "./types.ts";

/**
 * The path the router matches: canonical, without the stage segment of an HTTP API path (`stripStage`,
 * default true; only a whole leading segment equal to the stage goes, as a custom domain sends none) and
 * without the `basePath` option's prefix (whole segments only: `/v1` never strips from `/v10`).
 * @example routePath("/dev/a b", true, "dev", {}) // "/a%20b"
 */
export function routePath(path: unknown, decoded: boolean, stage: string | undefined, { basePath, stripStage }: AdapterOptions): string {
  let out = canonicalPath(path, decoded);
  for (const prefix of [stripStage !== false && stage !== "$default" && stage && "/" + stage, basePath && "/" + basePath.replace(/^\/+|\/+$/g, "")]) {
    if (prefix && prefix !== "/") out = out === prefix ? "/" : out.startsWith(prefix + "/") ? out.slice(prefix.length) : out;
  }
  return out;
}
