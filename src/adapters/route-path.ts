import { canonicalPath } from "../lib/canonical-path.ts";
import type { AdapterOptions } from "./types.ts";

/**
 * The path the router matches: canonical, without the stage segment of an HTTP API path (`stripStage`,
 * default true; only a whole leading segment equal to the stage goes) and without the `basePath` option's
 * prefix (whole segments only: `/v1` never strips from `/v10`; written as the path is, percent-encoded or
 * not: "/café" strips "/caf%C3%A9").
 * @example routePath("/dev/a b", true, "dev", {}) // "/a%20b"
 */
export function routePath(path: unknown, decoded: boolean, stage: string | undefined, { basePath, stripStage }: AdapterOptions): string {
  const out = canonicalPath(path, decoded);
  // Each prefix only when there is one: no list built per invocation (bench: peers).
  const staged = stripStage !== false && stage !== "$default" && stage ? strip(out, "/" + stage) : out;
  return basePath ? strip(staged, canonicalPath("/" + basePath.replace(/^\/+|\/+$/g, ""), false)) : staged;
}

// The path without a leading prefix of whole segments ("/" strips nothing).
const strip = (path: string, prefix: string): string => (prefix === "/" ? path : path === prefix ? "/" : path.startsWith(prefix + "/") ? path.slice(prefix.length) : path);

/**
 * The stage an HTTP API path starts with, or undefined: only requests to the API's own execute-api host
 * carry it; a custom domain maps the stage and sends none ("/dev/notes" there is a route's own path).
 * @example pathStage("dev", "api.example.com") // undefined
 */
export function pathStage(stage: string | undefined, domainName: unknown): string | undefined {
  // A stage that is not a string (a malformed event) is none: "/" + stage would call its toString.
  return typeof stage === "string" && (stage === "$default" || typeof domainName !== "string" || domainName.includes(".execute-api.")) ? stage : undefined;
}
