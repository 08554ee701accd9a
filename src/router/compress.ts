import { dict } from "../lib/dict.ts";
import type { HttpResponse } from "../lib/response.ts";
import { headerOf, withHeaders } from "./response-headers.ts";
import type { Middleware } from "./types.ts";

/** Options of {@link compress}. */
export interface CompressOptions {
  /** Smallest body (bytes) worth compressing; default 1024. */
  threshold?: number;
  /** Encodings we offer, best first; default `["br", "gzip"]`. */
  encodings?: Array<"br" | "gzip">;
  /** Brotli quality 0–11; default 5 (11 costs tens of ms per 100 KB on Lambda). */
  brotliQuality?: number;
  /** gzip level 1–9; default 6. */
  gzipLevel?: number;
}

// Text-like types; images, archives and fonts are already compressed.
const COMPRESSIBLE = /^\s*(?:text\/|application\/(?:json|javascript|ecmascript|x-javascript|xml|x-www-form-urlencoded|graphql|x-ndjson|wasm|yaml|x-yaml|toml|sql)\b|image\/svg\+xml|[^;]*\+(?:json|xml)\b)/i;

// Loaded on first use only: apps that never compress never pay for node:zlib at cold start.
let zlib: Promise<typeof import("node:zlib")> | undefined;

/**
 * Compression middleware: brotli or gzip by the client's `Accept-Encoding` q-values (`br;q=0, gzip` → gzip,
 * `*` covers the rest), br preferred on a tie. Skips bodies under the threshold, responses already
 * encoded or marked `Cache-Control: no-transform`, and types that don't compress. The body becomes bytes
 * (sent base64-encoded); `Vary: Accept-Encoding` is added to every response it could have compressed. HEAD
 * gets the same headers as GET, without compressing anything.
 * @example app.use(compress({ threshold: 2048 }))
 */
export function compress(options: CompressOptions = {}): Middleware {
  const min = options.threshold ?? 1024;
  const offers = options.encodings ?? ["br", "gzip"];

  return async (req, next) => {
    const res = await next();
    const body = res.body;
    const status = res.status;
    if (body === undefined || status < 200 || status === 204 || status === 206 || status === 304) return res;
    // A UTF-16 unit is at most 3 UTF-8 bytes: shorter strings can't reach the threshold.
    if (body.length * (typeof body === "string" ? 3 : 1) < min) return res;
    if (headerOf(res, "content-encoding") !== undefined || headerOf(res, "cache-control")?.toLowerCase().includes("no-transform")) return res;
    if (!COMPRESSIBLE.test(headerOf(res, "content-type") ?? "")) return res;
    // Negotiate before touching the body: most API clients send no Accept-Encoding at all.
    const encoding = negotiate(req.headers["accept-encoding"], offers);
    if (encoding === undefined) return withHeaders(res, {}, "Accept-Encoding");
    const bytes = typeof body === "string" ? Buffer.from(body) : body;
    if (bytes.length < min) return res;
    // HEAD gets the headers GET would get; the router drops the body, so nothing is compressed.
    if (req.method === "HEAD") return encoded(res, encoding);
    const z = await (zlib ??= import("node:zlib"));
    const out =
      encoding === "br"
        ? z.brotliCompressSync(bytes, { params: { [z.constants.BROTLI_PARAM_QUALITY]: options.brotliQuality ?? 5, [z.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } })
        : z.gzipSync(bytes, { level: options.gzipLevel ?? 6 });
    return encoded({ ...res, body: new Uint8Array(out.buffer, out.byteOffset, out.length) }, encoding);
  };
}

// The encoded response's headers: its encoding, no stale Content-Length, and a strong ETag made weak: one
// validator for the identity and the encoded bytes is weak by definition (RFC 9110 §8.8.1), and a cache
// must not splice byte ranges of the two.
function encoded(res: HttpResponse, encoding: string): HttpResponse {
  const out = withHeaders(res, { "content-encoding": encoding }, "Accept-Encoding");
  const headers = out.headers!;
  for (const name in headers) {
    const lower = name.toLowerCase();
    const value = headers[name];
    if (lower === "content-length") delete headers[name];
    else if (lower === "etag" && typeof value === "string" && value.startsWith('"')) headers[name] = "W/" + value;
  }
  return out;
}

/**
 * The encoding to use for an `Accept-Encoding` header: the offer with the highest q-value (the first offer
 * on a tie), none when every offer has q=0 or is absent.
 * @example negotiate("br;q=0, gzip", ["br", "gzip"]) // "gzip"
 */
export function negotiate(header: string | undefined, offers: readonly string[]): string | undefined {
  if (!header) return undefined;
  const q: Record<string, number> = dict();
  for (const part of header.split(",")) {
    const [name, ...params] = part.split(";");
    let value = 1;
    for (const p of params) {
      const t = p.trim().toLowerCase();
      if (t.startsWith("q=")) value = Number(t.slice(2)) || 0;
    }
    q[name!.trim().toLowerCase()] = value;
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
