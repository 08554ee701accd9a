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
  for (const pair of raw.split("&")) {
    const eq = pair.indexOf("=");
    if (pair !== "") put(decodeComponent(eq < 0 ? pair : pair.slice(0, eq)), eq < 0 ? "" : decodeComponent(pair.slice(eq + 1)));
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
