import { dict } from "../lib/dict.ts";
import type { HttpResponse } from "../lib/response.ts";
import { headerOf, withHeaders } from "./response-headers.ts";
import type { Middleware } from "./types.ts";

/**
 * Options of {@link compress}.
 * @example { threshold: 2048, encodings: ["gzip"], gzipLevel: 4 }
 */
export interface CompressOptions {
  /** Smallest body (bytes) worth compressing; default 1024. */
  threshold?: number | undefined;
  /** Encodings we offer, best first; default `["br", "gzip"]`. */
  encodings?: Array<"br" | "gzip"> | undefined;
  /** Brotli quality 0–11; default 5 (11 costs tens of ms per 100 KB on Lambda). */
  brotliQuality?: number | undefined;
  /** gzip level 1–9; default 6. */
  gzipLevel?: number | undefined;
}

// Text-like types; images, archives and fonts are already compressed.
// `[^;\s]`, not `[^;]`: overlapping the leading `\s*`, it made a blank-padded type cost quadratic time.
const COMPRESSIBLE = /^\s*(?:text\/|application\/(?:json|javascript|ecmascript|x-javascript|xml|x-www-form-urlencoded|graphql|x-ndjson|wasm|yaml|x-yaml|toml|sql)\b|image\/svg\+xml|[^;\s]*\+(?:json|xml)\b)/i;

// Loaded on first use only: apps that never compress never pay for node:zlib at cold start.
let zlib: Promise<typeof import("node:zlib")> | undefined;

/**
 * Compression middleware: brotli or gzip by the client's `Accept-Encoding` q-values (`br;q=0, gzip` → gzip,
 * `*` covers the rest), br preferred on a tie. Skips bodies under the threshold, responses already
 * encoded or marked `Cache-Control: no-transform`, and types that don't compress. The body becomes bytes
 * (sent base64-encoded) unless that would not make the response smaller; `Vary: Accept-Encoding` is added to
 * every response it could have compressed, and a 304 gets the Vary and weak ETag its 200 would carry. HEAD
 * gets the same headers as GET. Options outside their ranges throw here, naming the option.
 * @example app.use(compress({ threshold: 2048 }))
 */
export function compress(options: CompressOptions = {}): Middleware {
  const min = options.threshold ?? 1024;
  const offers = options.encodings ?? ["br", "gzip"];
  // Refused here, naming the fix: an offer we cannot encode went out as gzip bytes under its name (a body no
  // client decodes), and a level zlib refuses made every compressible response a 500, found only in traffic.
  check(Array.isArray(offers) && offers.every((offer) => offer === "br" || offer === "gzip"), 'encodings lists only "br" and "gzip"', offers);
  check(typeof min === "number" && min >= 0, "threshold is bytes >= 0", min);
  check(wholeIn(options.gzipLevel ?? 6, 1, 9), "gzipLevel is a whole number 1 to 9", options.gzipLevel);
  check(wholeIn(options.brotliQuality ?? 5, 0, 11), "brotliQuality is a whole number 0 to 11", options.brotliQuality);

  return async (req, next) => {
    const res = await next();
    const body = res.body;
    const status = res.status;
    const untouchable = headerOf(res, "content-encoding") !== undefined || !!headerOf(res, "cache-control")?.toLowerCase().includes("no-transform");
    // A 304 carries the ETag and Vary its 200 would have (RFC 9110 §15.4.5): weak, as that 200 may be encoded.
    if (status === 304 && !untouchable && negotiate(req.headers["accept-encoding"], offers) !== undefined) return weakened(withHeaders(res, {}, "Accept-Encoding"));
    if (body === undefined || status < 200 || status === 204 || status === 206 || status === 304 || untouchable) return res;
    // A UTF-16 unit is at most 3 UTF-8 bytes: shorter strings can't reach the threshold.
    if (body.length * (typeof body === "string" ? 3 : 1) < min) return res;
    if (!COMPRESSIBLE.test(headerOf(res, "content-type") ?? "")) return res;
    // Negotiate before touching the body: most API clients send no Accept-Encoding at all.
    const encoding = negotiate(req.headers["accept-encoding"], offers);
    if (encoding === undefined) return withHeaders(res, {}, "Accept-Encoding");
    const bytes = typeof body === "string" ? Buffer.from(body) : body;
    if (bytes.length < min) return res;
    // HEAD is compressed like GET (the router drops the body afterwards): only then does it get GET's headers,
    // as whether the body is sent encoded depends on how well it compresses.
    const z = await (zlib ??= import("node:zlib"));
    const out =
      encoding === "br"
        ? z.brotliCompressSync(bytes, { params: { [z.constants.BROTLI_PARAM_QUALITY]: options.brotliQuality ?? 5, [z.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } })
        : z.gzipSync(bytes, { level: options.gzipLevel ?? 6 });
    // Encoded bytes travel base64 (4 characters per 3 bytes); text as it is. A body that does not shrink
    // goes out as it came: random-looking text would grow, and a body near Lambda's 6 MB limit pass it.
    if (base64Length(out.length) >= (typeof body === "string" ? bytes.length : base64Length(bytes.length))) return withHeaders(res, {}, "Accept-Encoding");
    return encoded({ ...res, body: new Uint8Array(out.buffer, out.byteOffset, out.length) }, encoding);
  };
}

const base64Length = (bytes: number): number => Math.ceil(bytes / 3) * 4;
const wholeIn = (value: unknown, low: number, high: number): boolean => Number.isInteger(value) && (value as number) >= low && (value as number) <= high;
const check = (ok: boolean, rule: string, given: unknown): void => {
  if (!ok) throw new TypeError(`compress(): ${rule}, not ${given}`);
};

// The encoded response's headers: its encoding, no stale Content-Length or digest of the identity bytes
// (Content-Digest is over the encoded content, RFC 9530), and a strong ETag made weak.
function encoded(res: HttpResponse, encoding: string): HttpResponse {
  const out = weakened(withHeaders(res, { "content-encoding": encoding }, "Accept-Encoding"));
  const headers = out.headers!;
  for (const name in headers) {
    const lower = name.toLowerCase();
    if (lower === "content-length" || lower === "content-digest" || lower === "content-md5") delete headers[name];
  }
  return out;
}

// One validator for the identity and the encoded bytes is weak by definition (RFC 9110 §8.8.1): a cache
// must not splice byte ranges of the two. Changes the headers of the copy withHeaders made.
function weakened(res: HttpResponse): HttpResponse {
  const headers = res.headers!;
  for (const name in headers) {
    const value = headers[name];
    if (name.toLowerCase() === "etag" && typeof value === "string" && value.startsWith('"')) headers[name] = "W/" + value;
  }
  return res;
}

// A qvalue (RFC 9110 §12.4.2): 0 to 1, three decimals at most. Any other (q=2, q=0x1) refuses its coding
// rather than outranking the valid ones.
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/**
 * The encoding to use for an `Accept-Encoding` header: the offer with the highest q-value (the first offer
 * on a tie), none when every offer has q=0 or is absent. `x-gzip` is gzip (RFC 9110 §8.4.1.3) unless gzip is
 * listed too; a malformed q-value counts as q=0.
 * @example negotiate("br;q=0, gzip", ["br", "gzip"]) // "gzip"
 */
export function negotiate(header: string | undefined, offers: readonly string[]): string | undefined {
  if (!header) return undefined;
  const q: Record<string, number> = dict();
  for (const part of header.split(",")) {
    const [name, ...params] = part.split(";");
    let value = 1;
    for (const param of params) {
      const [key, given = ""] = param.split("=");
      if (key!.trim().toLowerCase() === "q") value = QVALUE.test(given.trim()) ? Number(given) : 0;
    }
    const coding = name!.trim().toLowerCase();
    if (coding === "x-gzip") q["gzip"] ??= value;
    else q[coding] = value;
  }
  let best: string | undefined;
  let bestQ = 0;
  for (const offer of offers) {
    const v = q[offer] ?? q["*"] ?? 0;
    if (v > bestQ) {
      best = offer;
      bestQ = v;
    }
  }
  return best;
}
