// `npm run invoke` on a request description: the same conversion `npm start` applies to a curl request
// (dev tokens become claims, bodies travel as the source sends them), so a file and a curl call agree.
import { toEvent, type DevSource } from "./http-event.ts";

/** A request as `npm run invoke` reads it from a JSON file. */
export interface RequestDescription {
  /** GET by default. */
  method?: string;
  /** Percent-encoded path, optionally with `?query`. */
  path: string;
  /** Appended to the path's query: an encoded string, or values per key. */
  query?: string | Record<string, string | string[]>;
  headers?: Record<string, string | string[]>;
  cookies?: Record<string, string> | string[];
  /** A string is sent as is; any other JSON value is serialized (content-type application/json unless given). */
  body?: unknown;
  /** Verified claims, placed where the source's authorizer puts them (as a dev token's would be). */
  auth?: Record<string, string>;
}

const FIELDS = new Set(["method", "path", "query", "headers", "cookies", "body", "auth"]);

/**
 * Whether a parsed file is already a Lambda event (rather than a request description).
 * @example isLambdaEvent({ version: "2.0", requestContext: {} }) // true
 */
export function isLambdaEvent(input: Record<string, unknown>): boolean {
  return typeof input["requestContext"] === "object" || typeof input["httpMethod"] === "string" || typeof input["raw_path"] === "string" || Array.isArray(input["Records"]);
}

/**
 * The event `source` would send for a request description; throws one-line messages naming the field.
 * @example describedEvent("rest", { method: "POST", path: "/exams", headers: { authorization: "Bearer dev.teacher.t-1" }, body: { title: "T" } })
 */
export function describedEvent(source: DevSource, description: RequestDescription): Record<string, unknown> {
  const unknown = Object.keys(description).filter((k) => !FIELDS.has(k));
  if (unknown.length > 0) throw new Error(`unknown field "${unknown[0]}" in the request description (fields: ${[...FIELDS].join(", ")})`);
  if (typeof description.path !== "string" || !description.path.startsWith("/")) throw new Error(`a request description needs a "path" starting with /`);
  if (description.auth !== undefined && (typeof description.auth !== "object" || description.auth === null || Array.isArray(description.auth))) throw new Error(`"auth" must be an object of claims, e.g. { "sub": "t-1", "cognito:groups": "[teacher]" }`);

  const rawHeaders: string[] = [];
  for (const [name, value] of Object.entries(description.headers ?? {})) for (const one of Array.isArray(value) ? value : [value]) rawHeaders.push(name, String(one));
  const has = (name: string) => rawHeaders.some((h, i) => i % 2 === 0 && h.toLowerCase() === name);
  if (description.cookies !== undefined) {
    const pairs = Array.isArray(description.cookies) ? description.cookies : Object.entries(description.cookies).map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
    if (pairs.length > 0) rawHeaders.push("cookie", pairs.join("; "));
  }

  let body = new Uint8Array();
  if (description.body !== undefined) {
    const json = typeof description.body !== "string";
    body = Buffer.from(json ? JSON.stringify(description.body) : (description.body as string), "utf8");
    if (json && !has("content-type")) rawHeaders.push("content-type", "application/json");
  }

  let url = description.path;
  if (description.query !== undefined) {
    const extra = typeof description.query === "string" ? description.query.replace(/^\?/, "") : Object.entries(description.query).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((one) => `${encodeURIComponent(k)}=${encodeURIComponent(one)}`)).join("&");
    if (extra !== "") url += (url.includes("?") ? "&" : "?") + extra;
  }
  return toEvent(source, { method: (description.method ?? "GET").toUpperCase(), url, rawHeaders, body, remoteAddress: "127.0.0.1" }, description.auth === undefined ? {} : { auth: description.auth });
}
