/**
 * `decodeURIComponent` that keeps the text as received when an escape is malformed.
 * @example safeDecode("a%20b") // "a b"
 * @example safeDecode("100%") // "100%"
 */
export function safeDecode(s: string): string {
  if (!s.includes("%")) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
