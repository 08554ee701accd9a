// createEvent's input, checked before an event is built from it: a test that passes a wrong value gets an error
// naming the field, instead of an event no source sends (a header `5`, a body `[object Object]`, a path
// `exams` the router never matches) or a TypeError from deep inside the builder.
import { TOKEN } from "../lib/cookies.ts";
import type { EventInit, EventSource } from "./events.ts";

/** Every source createEvent imitates (and readResult reads). */
export const EVENT_SOURCES: readonly EventSource[] = ["apigw-v1", "http-api-v1", "http-api-v2", "function-url", "alb", "alb-multi", "vpc-lattice", "vpc-lattice-v2", "lambda-edge", "lambda-edge-origin"];
// A header name ends at the colon and cannot hold whitespace or a control character; other characters
// outside the token set (`a"a`) do reach a function as sent (Hono's #4883), so they are allowed.
const HEADER_NAME = /^[^\s:\x00-\x1f\x7f]+$/;
// A line break would end the header field (and start another one): no HTTP client sends it inside a value.
const FIELD_BREAK = /[\r\n\0]/;

/**
 * A value as an error message shows it: strings quoted, objects by kind.
 * @example shownValue({ a: 1 }) // "an object"
 */
export function shownValue(value: unknown): string {
  if (value instanceof ArrayBuffer) return "an ArrayBuffer";
  if (value !== null && typeof value === "object") return Array.isArray(value) ? "an array" : "an object";
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

function fail(field: string, problem: string): never {
  throw new TypeError(`createEvent: ${field}: ${problem}`);
}

const isMap = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

// A string, or a list of strings, per key: the shape of `headers` and of a `query` map.
function checkValues(field: string, map: Record<string, unknown>, isHeader: boolean): void {
  for (const name of Object.keys(map)) {
    if (isHeader && !HEADER_NAME.test(name)) fail(field, `${JSON.stringify(name)} is not a header name`);
    const value = map[name];
    const key = `${field}[${JSON.stringify(name)}]`;
    if (typeof value !== "string" && !Array.isArray(value)) fail(key, `${shownValue(value)} is not a string or a list of strings`);
    for (const one of typeof value === "string" ? [value] : value) {
      if (typeof one !== "string") fail(key, `${shownValue(one)} is not a string`);
      if (isHeader && FIELD_BREAK.test(one)) fail(key, `${JSON.stringify(one)} holds a CR, LF or NUL, which ends a header field`);
    }
  }
}

/**
 * Throws a TypeError naming the first field of `init` (or the `source`) that no AWS source could carry.
 * @example checkEventInit("alb", { path: "exams" }) // throws: path: "exams" must start with "/"
 */
export function checkEventInit(source: EventSource, init: EventInit): void {
  if (!EVENT_SOURCES.includes(source)) fail("source", `${shownValue(source)} is not one of ${EVENT_SOURCES.map((s) => JSON.stringify(s)).join(", ")}`);
  if (!isMap(init)) fail("init", `expected { path, … }, got ${shownValue(init)}`);
  if (typeof init.path !== "string" || !init.path.startsWith("/")) fail("path", `${shownValue(init.path)} must start with "/" (a percent-encoded path, optionally with ?query)`);
  if (init.method !== undefined && (typeof init.method !== "string" || !TOKEN.test(init.method))) fail("method", `${shownValue(init.method)} is not an HTTP method`);
  if (init.headers !== undefined) {
    if (!isMap(init.headers)) fail("headers", `${shownValue(init.headers)} is not a map of header names to values`);
    checkValues("headers", init.headers, true);
  }
  if (init.query !== undefined && typeof init.query !== "string") {
    if (!isMap(init.query)) fail("query", `${shownValue(init.query)} is neither a query string nor a map of decoded values`);
    checkValues("query", init.query, false);
  }
  if (Array.isArray(init.cookies)) init.cookies.forEach((pair, i) => typeof pair === "string" || fail(`cookies[${i}]`, `${shownValue(pair)} is not a string`));
  else if (isMap(init.cookies)) for (const name of Object.keys(init.cookies)) typeof init.cookies[name] === "string" || fail(`cookies[${JSON.stringify(name)}]`, `${shownValue(init.cookies[name])} is not a string`);
  else if (init.cookies !== undefined) fail("cookies", `${shownValue(init.cookies)} is neither a map of names to values nor a list of name=value pairs`);
  if (init.body !== undefined && typeof init.body !== "string" && !(init.body instanceof Uint8Array)) {
    fail("body", `${shownValue(init.body)} is neither a string nor a Uint8Array (JSON.stringify it, or give invoke a \`json\` value)`);
  }
  if (init.auth !== undefined && !isMap(init.auth)) fail("auth", `${shownValue(init.auth)} is not a map of claims`);
  for (const field of ["stage", "requestId", "sourceIp"] as const) if (init[field] !== undefined && typeof init[field] !== "string") fail(field, `${shownValue(init[field])} is not a string`);
  if (init.time !== undefined && !Number.isFinite(init.time)) fail("time", `${shownValue(init.time)} is not a time in milliseconds`);
}
