// Identity behind an Application Load Balancer. A listener rule with an `authenticate-oidc` or
// `authenticate-cognito` action signs the user's claims into `x-amzn-oidc-data`: a JWT (ES256) whose header
// names the key (`kid`), the load balancer that signed it (`signer`, its ARN) and an expiry (`exp`), encoded
// base64url *with* padding. The public key is a PEM at https://public-keys.auth.elb.<region>.amazonaws.com/<kid>.
// Only requests from the `alb` adapter are looked at: on any other source these headers are client text.
import type { KeyObject } from "node:crypto";
import { nodeCrypto } from "./node-crypto.ts";
import { HttpError, logJson, type HttpRequest } from "lambdalith";

export type Claims = Record<string, unknown>;

/** Claims from a verified `x-amzn-oidc-data`, or `undefined` (not an ALB request, no token, or rejected). */
export type AlbIdentity = (req: HttpRequest) => Promise<Claims | undefined>;

/** What fetching a key needs of `fetch` (the global one by default, looked up only when a key is fetched). */
export type KeyFetch = (url: string, init: { signal: AbortSignal }) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;

export interface AlbIdentityOptions {
  /** Where ALB_ARN, ALB_OIDC_PUBLIC_KEY and AWS_REGION are read, on every request (default `process.env`). */
  env?: Record<string, string | undefined>;
  fetch?: KeyFetch;
  /** Milliseconds since the epoch (default `Date.now`). */
  now?: () => number;
  log?: (entry: Record<string, unknown>) => void;
}

export interface AlbVerifyConfig {
  /** The load balancer's ARN: the token's `signer` must equal it. */
  albArn: string;
  /** A PEM public key used for every `kid` (local dev, tests); without it the key is fetched by `kid`. */
  publicKeyPem?: string | undefined;
  /** Region of the key endpoint (AWS_REGION). */
  region?: string | undefined;
  fetch?: KeyFetch | undefined;
  now?: (() => number) | undefined;
  /** Per-kid key cache (one per {@link albIdentity}); without it every call fetches. */
  cache?: KeyCache | undefined;
}

export type AlbVerifyResult = { ok: true; claims: Claims } | { ok: false; reason: string; kid?: string; unavailable?: true };

// What a key lookup that could not reach an answer gives (a network error, a timeout, a 5xx): the token may
// be good, so it is neither cached nor read as a missing key.
const UNAVAILABLE = Symbol();

export const ALB_OIDC_DATA = "x-amzn-oidc-data";
/** Allowed clock skew when checking `exp`, in seconds. */
export const CLOCK_SKEW_SECONDS = 60;

const MAX_TOKEN_CHARS = 16 * 1024;
const MAX_PEM_CHARS = 4096;
const FETCH_TIMEOUT_MS = 3000;
const FAILED_KEY_RETRY_MS = 60_000;
const MAX_CACHED_KEYS = 64;
// base64url, optionally padded: the ALB pads, RFC 7515 does not; both are accepted.
const SEGMENT = /^[A-Za-z0-9_-]+={0,2}$/;
// The kid goes into a URL path: letters, digits, `-` and `_` only (ALB kids are UUIDs).
const SAFE_KID = /^[A-Za-z0-9_-]{1,128}$/;
const SAFE_REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function decodeJson(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A NumericDate (seconds) as a number: JSON numbers, or digit strings as some IdPs send. */
function numericDate(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && /^\d{1,12}(\.\d+)?$/.test(v)) return Number(v);
  return undefined;
}

function p256(key: KeyObject): KeyObject {
  if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1") throw new Error("not a P-256 public key");
  return key;
}

interface CachedKey {
  key: Promise<KeyObject | undefined | typeof UNAVAILABLE>;
  /** When a failed lookup may be retried (successes never expire). */
  retryAt: number;
  /** The key once loaded. */
  loaded?: KeyObject;
  /** A token signed by our load balancer verified with this key: evicted last (a forger cannot make one). */
  trusted?: true;
}

/** Keys by URL; each entry a promise, so concurrent requests share one fetch. */
export class KeyCache {
  readonly #entries = new Map<string, CachedKey>();
  #pemText: string | undefined;
  #pemKey: KeyObject | undefined;

  /** The configured PEM, parsed once per distinct value. */
  fromPem(pem: string): KeyObject {
    if (pem !== this.#pemText) {
      this.#pemKey = p256(nodeCrypto().createPublicKey({ key: pem, format: "pem" }));
      this.#pemText = pem;
    }
    return this.#pemKey!;
  }

  /**
   * The key at a URL: a found key is kept, a missing one (404, not a P-256 PEM) remembered for a minute, a
   * lookup that failed (network, timeout, 5xx) forgotten at once, so the next request asks again.
   */
  get(url: string, now: number, load: () => Promise<KeyObject | undefined>): Promise<KeyObject | undefined | typeof UNAVAILABLE> {
    const hit = this.#entries.get(url);
    if (hit !== undefined && now < hit.retryAt) return hit.key;
    if (hit !== undefined) this.#entries.delete(url);
    const entry: CachedKey = { key: Promise.resolve(undefined), retryAt: Infinity };
    entry.key = load().then(
      (key) => {
        if (key === undefined) entry.retryAt = now + FAILED_KEY_RETRY_MS;
        else entry.loaded = key;
        return key;
      },
      () => {
        if (this.#entries.get(url) === entry) this.#entries.delete(url);
        return UNAVAILABLE;
      },
    );
    this.#entries.set(url, entry);
    // Kids come from unverified headers: bound what they can make us hold, dropping any other kid before the
    // keys our load balancer's tokens verified with (else a burst of made-up kids, or of other ALBs' real ones,
    // would push ours out and every signed-in user's next request would fetch it again).
    while (this.#entries.size > MAX_CACHED_KEYS) this.#entries.delete(this.#evictable(entry));
    return entry.key;
  }

  /** Marks the entry holding `key` as one a token from our load balancer verified with. */
  trust(key: KeyObject): void {
    for (const cached of this.#entries.values()) if (cached.loaded === key) cached.trusted = true;
  }

  /** The oldest entry other than `keep` that is not trusted, else the oldest entry. */
  #evictable(keep: CachedKey): string {
    for (const [url, cached] of this.#entries) if (cached !== keep && !cached.trusted) return url;
    return this.#entries.keys().next().value!;
  }
}

/** The ALB's public key endpoint for a kid. */
export function albKeyUrl(region: string, kid: string): string {
  return `https://public-keys.auth.elb.${region}.amazonaws.com/${kid}`;
}

async function fetchKey(url: string, fetchFn: KeyFetch | undefined): Promise<KeyObject | undefined> {
  // The global fetch is looked up now, not at module load.
  const f = fetchFn ?? (globalThis.fetch as unknown as KeyFetch);
  const res = await f(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  // No such key: an answer. A 5xx or a throttle is not (thrown: the lookup is retried on the next request).
  if (res.status === 404 || res.status === 403) return undefined;
  if (!res.ok) throw new Error(`key endpoint answered ${res.status}`);
  const pem = await res.text();
  if (pem.length > MAX_PEM_CHARS || !pem.includes("-----BEGIN PUBLIC KEY-----")) return undefined;
  try {
    return p256(nodeCrypto().createPublicKey({ key: pem, format: "pem" }));
  } catch {
    return undefined;
  }
}

async function keyFor(kid: string, config: AlbVerifyConfig, now: number): Promise<KeyObject | string | typeof UNAVAILABLE> {
  const cache = config.cache ?? new KeyCache();
  if (config.publicKeyPem) {
    try {
      return cache.fromPem(config.publicKeyPem);
    } catch {
      return "ALB_OIDC_PUBLIC_KEY is not a P-256 public key PEM";
    }
  }
  const region = config.region ?? "";
  if (!SAFE_REGION.test(region)) return "AWS_REGION is not set to a region";
  const key = await cache.get(albKeyUrl(region, kid), now, () => fetchKey(albKeyUrl(region, kid), config.fetch));
  return key ?? "public key not found";
}

/**
 * Verifies an `x-amzn-oidc-data` value: shape, `alg` ES256, a safe `kid`, `signer` = the ALB's ARN, `exp`
 * (header, and payload if present) not past, then the ES256 signature over the segments as sent. Never throws.
 * @example await verifyAlbOidcData(req.headers["x-amzn-oidc-data"], { albArn, region: "eu-west-1" })
 */
export async function verifyAlbOidcData(token: string, config: AlbVerifyConfig): Promise<AlbVerifyResult> {
  try {
    if (!config.albArn) return { ok: false, reason: "no ALB ARN configured" };
    if (typeof token !== "string" || token.length > MAX_TOKEN_CHARS) return { ok: false, reason: "malformed token" };
    const parts = token.split(".");
    if (parts.length !== 3 || !parts.every((p) => SEGMENT.test(p))) return { ok: false, reason: "malformed token" };
    const [h, p, s] = parts as [string, string, string];
    const header = decodeJson(h);
    const payload = decodeJson(p);
    if (header === undefined || payload === undefined) return { ok: false, reason: "malformed token" };
    if (header["alg"] !== "ES256") return { ok: false, reason: "alg is not ES256" };
    const kid = header["kid"];
    if (typeof kid !== "string" || !SAFE_KID.test(kid)) return { ok: false, reason: "unsafe or missing kid" };
    if (header["signer"] !== config.albArn) return { ok: false, reason: "signer is not this load balancer", kid };
    const now = (config.now ?? Date.now)();
    const exp = numericDate(header["exp"]);
    if (exp === undefined) return { ok: false, reason: "no exp", kid };
    const payloadExp = payload["exp"] === undefined ? exp : numericDate(payload["exp"]);
    if (payloadExp === undefined) return { ok: false, reason: "bad payload exp", kid };
    if (Math.min(exp, payloadExp) + CLOCK_SKEW_SECONDS <= now / 1000) return { ok: false, reason: "expired", kid };
    const signature = Buffer.from(s, "base64url");
    if (signature.length !== 64) return { ok: false, reason: "bad signature", kid };
    const key = await keyFor(kid, config, now);
    if (key === UNAVAILABLE) return { ok: false, reason: "key endpoint unavailable", kid, unavailable: true };
    if (typeof key === "string") return { ok: false, reason: key, kid };
    if (!nodeCrypto().verify("sha256", Buffer.from(`${h}.${p}`), { key, dsaEncoding: "ieee-p1363" }, signature)) return { ok: false, reason: "bad signature", kid };
    config.cache?.trust(key);
    if (typeof payload["sub"] !== "string" || payload["sub"] === "") return { ok: false, reason: "no sub", kid };
    return { ok: true, claims: payload };
  } catch {
    return { ok: false, reason: "verification error" };
  }
}

/**
 * The ALB identity reader for `authenticate()`: ALB_ARN (required), ALB_OIDC_PUBLIC_KEY (optional PEM) and
 * AWS_REGION are read per request; keys fetched by kid are cached for the life of this reader.
 * A rejected token gives no identity and one log line (reason and kid, never the token).
 * @example const claims = await albIdentity()(req)
 */
export function albIdentity(options: AlbIdentityOptions = {}): AlbIdentity {
  const log = options.log ?? logJson;
  const cache = new KeyCache();
  let warnedNoArn = false;
  return async (req) => {
    if (req.source !== "alb") return undefined;
    const values = req.headersAll[ALB_OIDC_DATA];
    if (values === undefined || values.length === 0) return undefined;
    const env = options.env ?? process.env;
    const albArn = env["ALB_ARN"];
    if (!albArn) {
      if (!warnedNoArn) {
        warnedNoArn = true;
        log({ level: "warn", message: "ALB sign-in ignored: set ALB_ARN to the load balancer's ARN to accept x-amzn-oidc-data", requestId: req.requestId });
      }
      return undefined;
    }
    const result: AlbVerifyResult =
      values.length === 1
        ? await verifyAlbOidcData(values[0]!, { albArn, publicKeyPem: env["ALB_OIDC_PUBLIC_KEY"], region: env["AWS_REGION"], fetch: options.fetch, now: options.now, cache })
        : { ok: false, reason: "several x-amzn-oidc-data headers" };
    if (result.ok) return result.claims;
    log({ level: "warn", message: "ALB sign-in rejected", reason: result.reason, ...(result.kid !== undefined ? { kid: result.kid } : {}), requestId: req.requestId });
    // The sign-in could not be checked, not found wrong: a 503 to retry, never a 401 asking to sign in again.
    if (result.unavailable) throw new HttpError(503, "The load balancer's sign-in could not be checked right now; retry shortly", { headers: { "retry-after": "1" } });
    return undefined;
  };
}
