import { canonicalPath } from "../lib/path.ts";
import type { AdapterOptions } from "./types.ts";

/**
 * Removes a prefix only as whole segments: `/v1` strips from `/v1/x` and `/v1`, never from `/v10`.
 * @example stripPrefix("/v1/exams", "/v1") // "/exams"
 */
export function stripPrefix(path: string, prefix: string): string {
  return path === prefix ? "/" : path.startsWith(prefix + "/") ? path.slice(prefix.length) : path;
}

/**
 * The path the router matches: canonical (see `canonicalPath`), without the stage segment of an HTTP API
 * path (`stripStage`, default true; a custom domain sends no stage segment, so only a whole leading
 * segment equal to the stage is removed) and without the `basePath` option's prefix.
 * @example routePath("/dev/a b", true, "dev", {}) // "/a%20b"
 */
export function routePath(path: unknown, decoded: boolean, stage: string | undefined, options: AdapterOptions): string {
  let out = canonicalPath(path === "" || path === undefined || path === null ? "/" : path, decoded);
  if (stage && stage !== "$default" && options.stripStage !== false) out = stripPrefix(out, "/" + stage);
  const base = options.basePath?.replace(/^\/*/, "/").replace(/\/+$/, "");
  return base ? stripPrefix(out, base) : out;
}
