// Characters a canonical path keeps literally (RFC 3986 pchar plus "/"); everything else is %XX.
const NEEDS_WORK = /[^A-Za-z0-9\-._~!$&'()*+,;=:@/]/;
const HEX = /^[0-9A-Fa-f]{2}$/;

/**
 * Canonical form of a path that arrives percent-encoded (REST, ALB, Function URLs): valid `%XX` kept
 * byte for byte, a stray `%` and any other character outside the allowed set encoded.
 * @example canonicalEncodedPath("/a b/%C3%A9") // "/a%20b/%C3%A9"
 */
export function canonicalEncodedPath(path: string): string {
  if (!NEEDS_WORK.test(path)) return path;
  return encodePath(path, true);
}

/**
 * Canonical form of a path that arrives decoded (HTTP API `rawPath`, HTTP API payload 1.0 `path`):
 * everything outside the allowed set is encoded, `%` included.
 * @example canonicalDecodedPath("/a b/é") // "/a%20b/%C3%A9"
 */
export function canonicalDecodedPath(path: string): string {
  if (!NEEDS_WORK.test(path)) return path;
  return encodePath(path, false);
}

function encodePath(path: string, keepEscapes: boolean): string {
  let out = "";
  for (let i = 0; i < path.length; i++) {
    const ch = path[i]!;
    if (!NEEDS_WORK.test(ch)) out += ch;
    else if (ch === "%") {
      const hex = path.slice(i + 1, i + 3);
      if (keepEscapes && HEX.test(hex)) {
        out += "%" + hex;
        i += 2;
      } else out += "%25";
    }
    else {
      const code = path.codePointAt(i)!;
      const unit = code > 0xffff ? path.slice(i, i + 2) : ch;
      if (code > 0xffff) i++;
      out += encodeURIComponent(unit.isWellFormed() ? unit : "\ufffd");
    }
  }
  return out;
}
