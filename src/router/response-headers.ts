import type { HttpResponse } from "../lib/response.ts";

/**
 * A copy of a response with headers added and `Vary` names appended (never replaced, each name once, and
 * nothing added to `Vary: *`); the response given is not changed, so a shared constant response stays intact.
 * @example withHeaders(res, { "content-encoding": "br" }, "Accept-Encoding")
 */
export function withHeaders(res: HttpResponse, add: Record<string, string>, vary?: string): HttpResponse {
  const headers: Record<string, string | string[]> = { ...res.headers };
  if (vary !== undefined) {
    let key = "vary";
    for (const name in headers) if (name.toLowerCase() === "vary") key = name;
    const prev = headers[key];
    const listed = prev === undefined ? [] : (typeof prev === "string" ? prev : prev.join(",")).split(",").map((name) => name.trim().toLowerCase());
    const more = vary.split(", ").filter((name) => !listed.includes(name.toLowerCase()));
    if (more.length > 0 && !listed.includes("*")) headers[key] = prev === undefined ? more.join(", ") : typeof prev === "string" ? prev + ", " + more.join(", ") : [...prev, more.join(", ")];
  }
  return { ...res, headers: Object.assign(headers, add) };
}

/**
 * A response header by case-insensitive name, several values joined with `, `.
 * @example headerOf(res, "Content-Type") // "application/json; charset=utf-8"
 */
export function headerOf(res: HttpResponse, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const key in res.headers) {
    if (key.toLowerCase() === lower) {
      const v = res.headers[key]!;
      return typeof v === "string" ? v : v.join(", ");
    }
  }
  return undefined;
}
