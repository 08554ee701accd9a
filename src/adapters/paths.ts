import type { AdapterOptions } from "./types.ts";

/**
 * Removes `/${stage}` from an HTTP API path when the stage is named and the path really starts with that
 * segment (a custom domain sends the path without it).
 * @example stripStagePrefix("/dev/exams", "dev") // "/exams"
 */
export function stripStagePrefix(path: string, stage: string | undefined): string {
  if (stage === undefined || stage === "" || stage === "$default") return path;
  return stripPrefix(path, "/" + stage);
}

/**
 * Removes a prefix only as whole segments: `/v1` strips from `/v1/x` and `/v1`, never from `/v10`.
 * @example stripPrefix("/v1/exams", "/v1") // "/exams"
 */
export function stripPrefix(path: string, prefix: string): string {
  if (!path.startsWith(prefix)) return path;
  if (path.length === prefix.length) return "/";
  return path.charCodeAt(prefix.length) === 47 ? path.slice(prefix.length) : path;
}

/**
 * Applies the `basePath` option to a canonical path.
 * @example applyBasePath("/v1/x", { basePath: "/v1/" }) // "/x"
 */
export function applyBasePath(path: string, options: AdapterOptions): string {
  let base = options.basePath;
  if (base === undefined || base === "" || base === "/") return path;
  if (base.charCodeAt(0) !== 47) base = "/" + base;
  if (base.endsWith("/")) base = base.slice(0, -1);
  return stripPrefix(path, base);
}
