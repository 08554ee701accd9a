import { dict } from "./dict.ts";
import { safeDecode } from "./decode.ts";

/**
 * Parses an encoded query string (`a=1&a=2&flag`) into every decoded value per key, in order. `+` is a
 * space (form encoding); a malformed escape is kept as received; `?flag` gives `""`.
 * When `first` is given, it receives the first value of each key in the same pass.
 * @example parseQuery("a=1&a=2&b=x+y")  // { a: ["1", "2"], b: ["x y"] }
 */
export function parseQuery(raw: string, first?: Record<string, string>): Record<string, string[]> {
  const out: Record<string, string[]> = dict();
  if (raw === "") return out;
  let start = 0;
  const end = raw.length;
  while (start <= end) {
    let amp = raw.indexOf("&", start);
    if (amp === -1) amp = end;
    if (amp > start) {
      const eq = raw.indexOf("=", start);
      const hasValue = eq !== -1 && eq < amp;
      const key = decodeComponent(raw.slice(start, hasValue ? eq : amp));
      const value = hasValue ? decodeComponent(raw.slice(eq + 1, amp)) : "";
      const list = out[key];
      if (list === undefined) {
        out[key] = [value];
        if (first !== undefined) first[key] = value;
      } else list.push(value);
    }
    start = amp + 1;
  }
  return out;
}

/**
 * Decodes one form-encoded query component: `+` is a space, malformed escapes are kept.
 * @example decodeComponent("a+b%21") // "a b!"
 */
export function decodeComponent(s: string): string {
  return safeDecode(s.indexOf("+") === -1 ? s : s.replace(/\+/g, " "));
}

/**
 * Encodes decoded query values back into a query string (RFC 3986 component encoding).
 * @example buildQuery({ q: ["a b"], tag: ["x", "y"] }) // "q=a%20b&tag=x&tag=y"
 */
export function buildQuery(all: Record<string, string[]>): string {
  let out = "";
  for (const key in all) {
    const k = encodeComponent(key);
    for (const value of all[key]!) out += (out === "" ? "" : "&") + k + "=" + encodeComponent(value);
  }
  return out;
}

function encodeComponent(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return encodeURIComponent(s.toWellFormed());
  }
}

/**
 * The first value of every key.
 * @example firstValues({ a: ["1", "2"] }) // { a: "1" }
 */
export function firstValues(all: Record<string, string[]>): Record<string, string> {
  const out: Record<string, string> = dict();
  for (const key in all) out[key] = all[key]![0]!;
  return out;
}
