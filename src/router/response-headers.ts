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
    // JavaScript callers may leave a value out (undefined, null) or pass a number: the adapters skip or
    // stringify those, so they must not throw here.
    const prev = headers[key] ?? undefined;
    const listed = prev === undefined ? [] : String(prev).split(",").map((name) => name.trim().toLowerCase());
    const more = vary.split(", ").filter((name) => !listed.includes(name.toLowerCase()));
    if (more.length > 0 && !listed.includes("*")) headers[key] = prev === undefined ? more.join(", ") : Array.isArray(prev) ? [...prev, more.join(", ")] : prev + ", " + more.join(", ");
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
    const v = res.headers[key];
    // A value left out (undefined, null) is no header, as the adapters send it; a number is its text.
    if (key.toLowerCase() === lower && v != null) return Array.isArray(v) ? v.join(", ") : String(v);
  }
  return undefined;
}
