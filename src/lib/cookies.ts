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
  maxAge?: number | undefined;
  expires?: Date | undefined;
  domain?: string | undefined;
  path?: string | undefined;
  secure?: boolean | undefined;
  httpOnly?: boolean | undefined;
  sameSite?: "Strict" | "Lax" | "None" | undefined;
  partitioned?: boolean | undefined;
}

/**
 * An RFC 9110 token (§5.6.2): what a cookie name and an HTTP method are made of.
 * @example TOKEN.test("GET") // true
 */
export const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const ATTRIBUTE = /^[\x21-\x3a\x3c-\x7e]+$/; // visible ASCII without ";"
const SAME_SITE = ["Strict", "Lax", "None"];
// Browsers ignore a cookie whose name and value pass 4096 bytes, and an attribute value past 1024
// (RFC 6265bis §5.7): a silently lost cookie, so these throw.
const MAX_PAIR = 4096;
const MAX_ATTRIBUTE = 1024;
// Cookie-date years (RFC 6265 §5.1.1): earlier than 1601 fails; toUTCString writes other years in more or
// fewer than four digits, which browsers cannot read, so the cookie silently becomes a session cookie.
const FIRST_YEAR = 1601;
const LAST_YEAR = 9999;

/**
 * Serializes one `Set-Cookie` value; the value is percent-encoded. Bad names, values or attributes throw,
 * naming the field; so do options a browser would reject the cookie for. What the options imply is
 * added: `maxAge` is floored to whole seconds (0 or less deletes the cookie); `sameSite: "None"`,
 * `partitioned` and a `__Secure-` or `__Host-` name (any case, RFC 6265bis §4.1.3) add `Secure`, and
 * `secure: false` with any of them throws; a `__Host-` name gets `Path=/` and throws with a `domain` or
 * another `path`.
 * @example setCookie("sid", "a b", { httpOnly: true, path: "/" }) // "sid=a%20b; Path=/; HttpOnly"
 * @example setCookie("__Host-sid", "s-1", { httpOnly: true }) // "__Host-sid=s-1; Path=/; HttpOnly; Secure"
 */
export function setCookie(name: string, value: string, options: CookieOptions = {}): string {
  if (!TOKEN.test(name)) throw new TypeError(`setCookie: invalid cookie name ${JSON.stringify(name)}`);
  if (typeof value !== "string") throw new TypeError(`setCookie: the value of ${name} is ${typeof value}, not a string`);
  // toWellFormed: a lone surrogate (a client can send one in JSON) would make encodeURIComponent throw.
  let out = name + "=" + encodeURIComponent(value.toWellFormed());
  if (out.length > MAX_PAIR + 1) throw new TypeError(`setCookie: ${name} is ${out.length - 1} bytes encoded, over the ${MAX_PAIR} browsers keep`);
  const host = /^__host-/i.test(name);
  const path = host ? (options.path ?? "/") : options.path;
  if (host && (options.domain !== undefined || path !== "/")) throw new TypeError(`setCookie: a __Host- cookie has path "/" and no domain (${name})`);
  const secure = options.sameSite === "None" || options.partitioned || host || /^__secure-/i.test(name);
  if (secure && options.secure === false) throw new TypeError(`setCookie: ${name} needs secure (sameSite None, partitioned or its prefix), not secure: false`);
  const { maxAge } = options;
  if (maxAge !== undefined) {
    const seconds = Math.floor(maxAge);
    // Digits only (RFC 6265 §4.1.1): 1e21 would print as "1e+21", which browsers ignore. A number only:
    // null would floor to 0 and delete the cookie.
    if (typeof maxAge !== "number" || !Number.isSafeInteger(seconds)) throw new TypeError(`setCookie: maxAge must be a whole number of seconds, not ${maxAge}`);
    out += "; Max-Age=" + seconds;
  }
  if (options.domain !== undefined) out += "; Domain=" + checked("domain", options.domain);
  if (path !== undefined) out += "; Path=" + checked("path", path);
  if (options.expires !== undefined) {
    const year = options.expires instanceof Date ? options.expires.getUTCFullYear() : NaN;
    // Negated comparisons: the NaN of an invalid Date (or of no Date) fails them too.
    if (!(year >= FIRST_YEAR && year <= LAST_YEAR)) throw new TypeError(`setCookie: expires must be a valid Date in the years ${FIRST_YEAR}–${LAST_YEAR}`);
    out += "; Expires=" + options.expires.toUTCString();
  }
  if (options.httpOnly) out += "; HttpOnly";
  if (options.secure || secure) out += "; Secure";
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
  if (!ATTRIBUTE.test(value) || value.length > MAX_ATTRIBUTE) throw new TypeError(`setCookie: invalid ${field} ${JSON.stringify(value.length > 100 ? value.slice(0, 100) + "…" : value)}`);
  return value;
}
