import type { HttpResponse } from "../lib/response.ts";

/**
 * A copy of a response with headers added and `Vary` values appended (never replaced); the response
 * given is not changed, so a shared constant response stays intact.
 * @example withHeaders(res, { "content-encoding": "br" }, "Accept-Encoding")
 */
export function withHeaders(res: HttpResponse, add: Record<string, string>, vary?: string): HttpResponse {
  const headers: Record<string, string | string[]> = { ...res.headers };
  if (vary !== undefined) {
    let key = "vary";
    for (const name in headers) if (name.toLowerCase() === "vary") key = name;
    const prev = headers[key];
    headers[key] = prev === undefined ? vary : typeof prev === "string" ? prev + ", " + vary : [...prev, vary];
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
