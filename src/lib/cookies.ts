import { dict } from "./dict.ts";
import { safeDecode } from "./decode.ts";

/**
 * Parses a `Cookie` header; the first of duplicate names wins; quoted values are unquoted, escapes decoded
 * (a malformed escape is kept as received).
 * @example parseCookies("a=1; b=%20x") // { a: "1", b: " x" }
 */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = dict();
  for (const pair of header?.split(";") ?? []) {
    const eq = pair.indexOf("=");
    const name = pair.slice(0, eq).trim();
    if (eq > 0 && name && !(name in out)) out[name] = safeDecode(pair.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1"));
  }
  return out;
}

/**
 * Attributes of a `Set-Cookie` header.
 * @example setCookie("sid", "s-1", { httpOnly: true, secure: true, sameSite: "Lax", path: "/", maxAge: 3600 })
 */
export interface CookieOptions {
  maxAge?: number;
  expires?: Date;
  domain?: string;
  path?: string;
  secure?: boolean;
  httpOnly?: boolean;
  sameSite?: "Strict" | "Lax" | "None";
  partitioned?: boolean;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const ATTRIBUTE = /^[\x21-\x3a\x3c-\x7e]+$/; // visible ASCII without ";"
const SAME_SITE = ["Strict", "Lax", "None"];

/**
 * Serializes one `Set-Cookie` value; the value is percent-encoded. Bad names or attributes throw,
 * naming the field.
 * @example setCookie("sid", "a b", { httpOnly: true, path: "/" }) // "sid=a%20b; Path=/; HttpOnly"
 */
export function setCookie(name: string, value: string, options: CookieOptions = {}): string {
  if (!TOKEN.test(name)) throw new TypeError(`setCookie: invalid cookie name ${JSON.stringify(name)}`);
  // toWellFormed: a lone surrogate (a client can send one in JSON) would make encodeURIComponent throw.
  let out = name + "=" + encodeURIComponent(value.toWellFormed());
  if (options.maxAge !== undefined) {
    const seconds = Math.floor(options.maxAge);
    // Digits only (RFC 6265 §4.1.1): 1e21 would print as "1e+21", which browsers ignore.
    if (!Number.isSafeInteger(seconds)) throw new TypeError(`setCookie: maxAge must be a whole number of seconds, not ${options.maxAge}`);
    out += "; Max-Age=" + seconds;
  }
  if (options.domain !== undefined) out += "; Domain=" + checked("domain", options.domain);
  if (options.path !== undefined) out += "; Path=" + checked("path", options.path);
  if (options.expires !== undefined) {
    if (!(options.expires instanceof Date) || Number.isNaN(options.expires.getTime())) throw new TypeError("setCookie: expires must be a valid Date");
    out += "; Expires=" + options.expires.toUTCString();
  }
  if (options.httpOnly) out += "; HttpOnly";
  if (options.secure || options.sameSite === "None" || options.partitioned) out += "; Secure";
  if (options.sameSite !== undefined) {
    // The type says so, but JavaScript callers and config files are not checked: "Lax; Domain=…" would
    // inject an attribute.
    if (!SAME_SITE.includes(options.sameSite)) throw new TypeError(`setCookie: invalid sameSite ${JSON.stringify(options.sameSite)} (Strict, Lax or None)`);
    out += "; SameSite=" + options.sameSite;
  }
  if (options.partitioned) out += "; Partitioned";
  return out;
}

function checked(field: string, value: string): string {
  if (!ATTRIBUTE.test(value)) throw new TypeError(`setCookie: invalid ${field} ${JSON.stringify(value)}`);
  return value;
}
