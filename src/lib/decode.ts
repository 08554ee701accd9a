/**
 * `decodeURIComponent` that keeps a malformed escape as received: every run of valid escapes is decoded,
 * a lone `%` or bytes that are not UTF-8 stay as they came (as the URL Standard's form decoding does).
 * @example safeDecode("a%20b") // "a b"
 * @example safeDecode("50%25%20off%20100%") // "50% off 100%"
 */
export function safeDecode(s: string): string {
  if (!s.includes("%")) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s.replace(/(?:%[\dA-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}
