// Characters a canonical path keeps literally (RFC 3986 pchar plus "/"); everything else is %XX. The `u`
// flag makes a surrogate pair one match, so an emoji becomes its four UTF-8 bytes.
const OUTSIDE_DECODED = /[^\w\-.~!$&'()*+,;=:@/]/gu;
const OUTSIDE_ENCODED = /[^\w\-.~!$&'()*+,;=:@/%]|%(?![\dA-Fa-f]{2})/gu;
// Most paths need no work: one test, no replace (bench: invoke).
const CANONICAL = /^[\w\-.~!$&'()*+,;=:@/]*$/;
// An escape with a lower-case hex digit: the same byte as its upper-case spelling (RFC 3986 §6.2.2.1).
const LOWER_HEX = /%(?:[a-f][\dA-Fa-f]|[\dA-F][a-f])/;

/**
 * The canonical, percent-encoded form of a path. One that arrives encoded (REST, ALB, Function URLs) keeps
 * each valid `%XX` byte (its hex upper-cased); one that arrives decoded (HTTP API) has its `%` encoded as data.
 * @example canonicalPath("/a b/%C3%A9", false) // "/a%20b/%C3%A9"
 * @example canonicalPath("/a b/é/100%", true) // "/a%20b/%C3%A9/100%25"
 */
export function canonicalPath(path: unknown, decoded: boolean): string {
  if (typeof path !== "string") throw new TypeError(`the event's path is ${typeof path}, not a string`);
  const given = path || "/";
  if (CANONICAL.test(given)) return given;
  const encoded = given.replace(decoded ? OUTSIDE_DECODED : OUTSIDE_ENCODED, (ch) => encodeURIComponent(ch.isWellFormed() ? ch : "\ufffd"));
  // Upper-case hex, as HTTP API's re-encoded paths have it: "/caf%c3%a9" is the route "/caf%C3%A9" on every source.
  return LOWER_HEX.test(encoded) ? encoded.replace(/%[\dA-Fa-f]{2}/g, (escape) => escape.toUpperCase()) : encoded;
}
