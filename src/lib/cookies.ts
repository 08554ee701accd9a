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

/** Attributes of a `Set-Cookie` header. */
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
    if (!Number.isFinite(options.maxAge)) throw new TypeError("setCookie: maxAge must be a finite number");
    out += "; Max-Age=" + Math.floor(options.maxAge);
  }
  if (options.domain !== undefined) out += "; Domain=" + checked("domain", options.domain);
  if (options.path !== undefined) out += "; Path=" + checked("path", options.path);
  if (options.expires !== undefined) {
    if (Number.isNaN(options.expires.getTime())) throw new TypeError("setCookie: expires is an invalid Date");
    out += "; Expires=" + options.expires.toUTCString();
  }
  if (options.httpOnly) out += "; HttpOnly";
  if (options.secure || options.sameSite === "None" || options.partitioned) out += "; Secure";
  if (options.sameSite !== undefined) out += "; SameSite=" + options.sameSite;
  if (options.partitioned) out += "; Partitioned";
  return out;
}

function checked(field: string, value: string): string {
  if (!ATTRIBUTE.test(value)) throw new TypeError(`setCookie: invalid ${field} ${JSON.stringify(value)}`);
  return value;
}
