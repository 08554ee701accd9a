// Characters a canonical path keeps literally (RFC 3986 pchar plus "/"); everything else is %XX. The `u`
// flag makes a surrogate pair one match, so an emoji becomes its four UTF-8 bytes.
const OUTSIDE_DECODED = /[^\w\-.~!$&'()*+,;=:@/]/gu;
const OUTSIDE_ENCODED = /[^\w\-.~!$&'()*+,;=:@/%]|%(?![\dA-Fa-f]{2})/gu;
// Most paths need no work: one test, no replace (bench: invoke).
const CANONICAL = /^[\w\-.~!$&'()*+,;=:@/]*$/;

/**
 * The canonical, percent-encoded form of a path. One that arrives encoded (REST, ALB, Function URLs) keeps
 * valid `%XX` byte for byte; one that arrives decoded (HTTP API) has its `%` encoded as data.
 * @example canonicalPath("/a b/%C3%A9", false) // "/a%20b/%C3%A9"
 * @example canonicalPath("/a b/é/100%", true) // "/a%20b/%C3%A9/100%25"
 */
export function canonicalPath(path: unknown, decoded: boolean): string {
  if (typeof path !== "string") throw new TypeError(`the event's path is ${typeof path}, not a string`);
  const given = path || "/";
  return CANONICAL.test(given) ? given : given.replace(decoded ? OUTSIDE_DECODED : OUTSIDE_ENCODED, (ch) => encodeURIComponent(ch.isWellFormed() ? ch : "\ufffd"));
}
