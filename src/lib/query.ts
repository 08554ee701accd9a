import { safeDecode } from "./decode.ts";
import { malformed } from "./event-fields.ts";

/** Receives one decoded query value, or one header value as delivered (the request checks its type). */
export type Put = (name: string, value: unknown) => void;

/**
 * Parses an encoded query string (`a=1&a=2&flag`), handing each decoded pair to `put`. `+` is a space
 * (form encoding); a malformed escape is kept as received; `?flag` gives `""`.
 * @example parseQuery("a=1&b=x+y", (key, value) => console.log(key, value)) // a 1, b x y
 */
export function parseQuery(raw: string, put: Put): void {
  if (typeof raw !== "string") throw malformed("query string", "a string", raw);
  // Index arithmetic, not split("&"): splitting costs more than the rest of a one-pair query (bench: invoke).
  // Each search starts where the last one ended, so a long query costs one pass (`a&b&…&z=1` too).
  let eq = -1;
  for (let start = 0, end = 0; start < raw.length; start = end + 1) {
    end = raw.indexOf("&", start);
    if (end < 0) end = raw.length;
    if (eq < start) {
      eq = raw.indexOf("=", start);
      if (eq < 0) eq = raw.length;
    }
    if (end > start) put(decodeComponent(raw.slice(start, eq < end ? eq : end)), eq < end ? decodeComponent(raw.slice(eq + 1, end)) : "");
  }
}

/**
 * Decodes one form-encoded query component: `+` is a space, malformed escapes are kept.
 * @example decodeComponent("a+b%21") // "a b!"
 */
export function decodeComponent(s: string): string {
  return safeDecode(s.includes("+") ? s.replace(/\+/g, " ") : s);
}

/**
 * Encodes decoded query values back into a query string (RFC 3986 component encoding; a lone surrogate,
 * which a client can send, becomes U+FFFD instead of throwing).
 * @example buildQuery({ q: ["a b"], tag: ["x", "y"] }) // "q=a%20b&tag=x&tag=y"
 */
export function buildQuery(all: Record<string, string[]>): string {
  const parts: string[] = [];
  for (const key in all) for (const value of all[key]!) parts.push(encodeURIComponent(key.toWellFormed()) + "=" + encodeURIComponent(value.toWellFormed()));
  return parts.join("&");
}
