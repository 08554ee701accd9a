// The local stand-in for an ALB listener's `authenticate-oidc` action: a P-256 key pair made once per process
// signs `x-amzn-oidc-data` exactly as the ALB formats it (ES256; header with kid, signer, exp, iss, client;
// base64url segments keeping their `=` padding). The local API hands the public key to the handler as
// ALB_OIDC_PUBLIC_KEY and the ARN below as ALB_ARN, so the app verifies dev tokens with its production code.
import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";

/** The load balancer the dev server pretends to be. */
export const DEV_ALB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/exambuddy-dev/0123456789abcdef";
/** The key id the dev server signs with (a UUID, as the ALB's are). */
export const DEV_ALB_KID = "3f6b2a1c-0d4e-4f5a-9b8c-7d6e5f4a3b2c";

const pair = generateKeyPairSync("ec", { namedCurve: "prime256v1" });

/** The dev public key, as a PEM (what https://public-keys.auth.elb.<region>.amazonaws.com/<kid> serves). */
export const ALB_OIDC_PUBLIC_KEY: string = pair.publicKey.export({ type: "spki", format: "pem" }) as string;

export interface SignAlbOidcOptions {
  albArn: string;
  kid: string;
  /** Header `iss` (the IdP); defaults to the claims' `iss`. */
  issuer?: string;
  /** Header `client` (the ALB's OIDC client id). */
  clientId?: string;
  /** Header `exp`, seconds since the epoch (default: two minutes from now). */
  exp?: number;
  /** Extra or overriding header fields (tests). */
  header?: Record<string, unknown>;
  /** Another signing key (tests: a forger's). */
  privateKey?: KeyObject;
}

// The ALB's encoding: base64url, but with the trailing `=` kept.
const padded = (bytes: Buffer) => bytes.toString("base64").replace(/\+/g, "-").replace(/\//g, "_");

/**
 * An `x-amzn-oidc-data` value for these claims, signed with the process's dev key.
 * @example signAlbOidcData(devClaims("Bearer dev.teacher.t-1")!, { albArn: DEV_ALB_ARN, kid: DEV_ALB_KID })
 */
export function signAlbOidcData(claims: Record<string, unknown>, options: SignAlbOidcOptions): string {
  const exp = options.exp ?? Math.floor(Date.now() / 1000) + 120;
  const header = {
    typ: "JWT",
    kid: options.kid,
    alg: "ES256",
    iss: options.issuer ?? (typeof claims["iss"] === "string" ? claims["iss"] : "https://dev.exambuddy.local"),
    client: options.clientId ?? "exambuddy-dev",
    signer: options.albArn,
    exp,
    ...options.header,
  };
  const input = `${padded(Buffer.from(JSON.stringify(header)))}.${padded(Buffer.from(JSON.stringify({ ...claims, exp })))}`;
  const signature = sign("sha256", Buffer.from(input), { key: options.privateKey ?? pair.privateKey, dsaEncoding: "ieee-p1363" });
  return `${input}.${padded(signature)}`;
}
