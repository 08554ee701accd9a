// x-amzn-oidc-data verification: tokens signed like the ALB signs them (src/dev/alb-oidc.ts), then broken
// one way at a time. Every rejection is "no identity", never an exception, and is logged without the token.
import { generateKeyPairSync, sign as ecSign } from "node:crypto";
import { createEvent, handle, router, type EventSource, type HttpRequest } from "lambdalith";
import { describe, expect, it, vi } from "vitest";
import { ALB_OIDC_PUBLIC_KEY, DEV_ALB_ARN, DEV_ALB_KID, signAlbOidcData } from "../dev/alb-oidc.ts";
import { albIdentity, albKeyUrl, verifyAlbOidcData, type AlbIdentityOptions } from "./alb-identity.ts";
import { createApp } from "./app.ts";
import { authenticate, user } from "./auth.ts";

const claims = { sub: "t-1", email: "t-1@exambuddy.test", name: "Ada", "cognito:groups": "[teacher other]" };
const env = { ALB_ARN: DEV_ALB_ARN, ALB_OIDC_PUBLIC_KEY, AWS_REGION: "eu-west-1" };
const sign = (c: Record<string, unknown> = claims, o: Partial<Parameters<typeof signAlbOidcData>[1]> = {}) => signAlbOidcData(c, { albArn: DEV_ALB_ARN, kid: DEV_ALB_KID, ...o });

/** The request the adapter for `source` builds from an event carrying `token`. */
async function request(token: string | string[] | undefined, source: EventSource = "alb-multi", extra: Record<string, string> = {}): Promise<HttpRequest> {
  let seen: HttpRequest | undefined;
  const h = handle((req: HttpRequest) => ((seen = req), { ok: true }));
  const headers: Record<string, string | string[]> = { ...extra, ...(token === undefined ? {} : { "x-amzn-oidc-data": token }) };
  await h(createEvent(source, { path: "/me", headers }), { awsRequestId: "r-1" });
  return seen!;
}

function reader(options: AlbIdentityOptions = {}) {
  const logs: Record<string, unknown>[] = [];
  return { read: albIdentity({ env, log: (e) => logs.push(e), ...options }), logs };
}

describe("albIdentity", () => {
  it("returns the claims of a valid token (padded base64url, as the ALB sends it)", async () => {
    const token = sign();
    expect(token.split(".")[2]).toMatch(/=$/);
    const { read, logs } = reader();
    expect(await read(await request(token))).toMatchObject(claims);
    expect(await read(await request(token, "alb"))).toMatchObject(claims);
    expect(logs).toEqual([]);
  });

  it("verifies the signature over the segments as sent, padded or not", async () => {
    // Stripping the ALB's padding changes the signed text: no longer valid.
    const stripped = sign().split(".").map((s) => s.replace(/=+$/, "")).join(".");
    expect(await reader().read(await request(stripped))).toBeUndefined();
    // A token signed unpadded (RFC 7515 style) verifies too.
    const keys = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const seg = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const input = `${seg({ alg: "ES256", kid: "k-1", signer: DEV_ALB_ARN, exp: Math.floor(Date.now() / 1000) + 60 })}.${seg({ sub: "u-1" })}`;
    const token = `${input}.${ecSign("sha256", Buffer.from(input), { key: keys.privateKey, dsaEncoding: "ieee-p1363" }).toString("base64url")}`;
    const pem = keys.publicKey.export({ type: "spki", format: "pem" }) as string;
    expect(await verifyAlbOidcData(token, { albArn: DEV_ALB_ARN, publicKeyPem: pem })).toEqual({ ok: true, claims: { sub: "u-1" } });
    expect(await verifyAlbOidcData(token, { albArn: DEV_ALB_ARN, publicKeyPem: ALB_OIDC_PUBLIC_KEY })).toMatchObject({ ok: false, reason: "bad signature" });
  });

  it.each([
    ["tampered payload", () => {
      const [h, , s] = sign().split(".");
      const forged = Buffer.from(JSON.stringify({ ...claims, sub: "t-admin", exp: Math.floor(Date.now() / 1000) + 60 })).toString("base64url");
      return `${h}.${forged}.${s}`;
    }, "bad signature"],
    ["another key", () => sign(claims, { privateKey: generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey }), "bad signature"],
    ["wrong signer", () => sign(claims, { albArn: "arn:aws:elasticloadbalancing:us-east-1:999999999999:loadbalancer/app/other/1" }), "signer is not this load balancer"],
    ["expired", () => sign(claims, { exp: Math.floor(Date.now() / 1000) - 120 }), "expired"],
    ["no exp", () => sign(claims, { header: { exp: undefined } }), "no exp"],
    ["kid with a path", () => sign(claims, { kid: "../../evil" }), "unsafe or missing kid"],
    ["kid with a host", () => sign(claims, { kid: "x.example.com/k" }), "unsafe or missing kid"],
    ["no kid", () => sign(claims, { header: { kid: 7 } }), "unsafe or missing kid"],
    ["alg none", () => sign(claims, { header: { alg: "none" } }), "alg is not ES256"],
    ["alg HS256", () => sign(claims, { header: { alg: "HS256" } }), "alg is not ES256"],
    ["no sub", () => sign({ email: "x@y" }), "no sub"],
    ["garbage", () => "not a token", "malformed token"],
    ["four segments", () => sign() + ".x", "malformed token"],
    ["non-JSON header", () => "bm9wZQ.e30.AAAA", "malformed token"],
    ["huge", () => "a".repeat(20_000) + ".b.c", "malformed token"],
    ["short signature", () => sign().split(".").slice(0, 2).join(".") + ".AAAA", "bad signature"],
  ])("rejects a token with %s", async (_name, make, reason) => {
    const token = make();
    const { read, logs } = reader();
    expect(await read(await request(token))).toBeUndefined();
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ level: "warn", message: "ALB sign-in rejected", reason, requestId: "r-1" });
    expect(JSON.stringify(logs)).not.toContain(token.slice(0, 40));
  });

  it("tolerates a small clock skew on exp", async () => {
    const exp = Math.floor(Date.now() / 1000) - 10;
    expect(await reader().read(await request(sign(claims, { exp })))).toMatchObject({ sub: "t-1" });
  });

  it("rejects two x-amzn-oidc-data headers", async () => {
    const { read, logs } = reader();
    expect(await read(await request([sign(), sign()]))).toBeUndefined();
    expect(logs[0]).toMatchObject({ reason: "several x-amzn-oidc-data headers" });
  });

  it("gives no identity without ALB_ARN, and says so once", async () => {
    const { read, logs } = reader({ env: { ALB_OIDC_PUBLIC_KEY } });
    expect(await read(await request(sign()))).toBeUndefined();
    expect(await read(await request(sign()))).toBeUndefined();
    expect(logs).toHaveLength(1);
    expect(String(logs[0]!["message"])).toContain("ALB_ARN");
  });

  it("gives no identity with a key that is not P-256, or no region to fetch from", async () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }) as string;
    const bad = reader({ env: { ALB_ARN: DEV_ALB_ARN, ALB_OIDC_PUBLIC_KEY: rsa } });
    expect(await bad.read(await request(sign()))).toBeUndefined();
    expect(bad.logs[0]).toMatchObject({ reason: "ALB_OIDC_PUBLIC_KEY is not a P-256 public key PEM" });
    const fetch = vi.fn();
    const noRegion = reader({ env: { ALB_ARN: DEV_ALB_ARN }, fetch });
    expect(await noRegion.read(await request(sign()))).toBeUndefined();
    expect(noRegion.logs[0]).toMatchObject({ reason: "AWS_REGION is not set to a region" });
    expect(fetch).not.toHaveBeenCalled();
  });

  it("ignores x-amzn-oidc-* headers on every other source, even validly signed", async () => {
    const { read, logs } = reader();
    for (const source of ["http-api-v2", "apigw-v1", "function-url"] as const) {
      expect(await read(await request(sign(), source, { "x-amzn-oidc-identity": "t-1" }))).toBeUndefined();
    }
    expect(logs).toEqual([]);
  });

  it("without a token, is simply unauthenticated (nothing logged)", async () => {
    const { read, logs } = reader();
    expect(await read(await request(undefined))).toBeUndefined();
    expect(logs).toEqual([]);
  });
});

describe("the ALB's public key, fetched by kid", () => {
  const fetchEnv = { ALB_ARN: DEV_ALB_ARN, AWS_REGION: "eu-west-1" };
  const ok = () => vi.fn(async (_url: string) => ({ ok: true, status: 200, text: async () => ALB_OIDC_PUBLIC_KEY }));

  it("is fetched from public-keys.auth.elb.<region>.amazonaws.com/<kid> on first use, then cached per kid", async () => {
    const fetch = ok();
    const { read } = reader({ env: fetchEnv, fetch });
    expect(fetch).not.toHaveBeenCalled();
    const [a, b] = await Promise.all([read(await request(sign())), read(await request(sign()))]);
    expect(a).toMatchObject({ sub: "t-1" });
    expect(b).toMatchObject({ sub: "t-1" });
    expect(await read(await request(sign()))).toMatchObject({ sub: "t-1" });
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch.mock.calls[0]![0]).toBe(`https://public-keys.auth.elb.eu-west-1.amazonaws.com/${DEV_ALB_KID}`);
    expect(albKeyUrl("us-east-1", "k")).toBe("https://public-keys.auth.elb.us-east-1.amazonaws.com/k");
    // Another kid is another key.
    await read(await request(sign(claims, { kid: "other-kid" })));
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it("uses the global fetch, looked up only when a key is needed", async () => {
    const fetch = ok();
    vi.stubGlobal("fetch", fetch);
    try {
      const { read } = reader({ env: fetchEnv });
      expect(await read(await request(sign()))).toMatchObject({ sub: "t-1" });
      expect(fetch).toHaveBeenCalledTimes(1);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("does not fetch for tokens rejected before the signature check", async () => {
    const fetch = ok();
    const { read } = reader({ env: fetchEnv, fetch });
    await read(await request(sign(claims, { albArn: "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/x/1" })));
    await read(await request(sign(claims, { exp: 1 })));
    await read(await request(sign(claims, { kid: "a/b" })));
    await read(await request("garbage"));
    expect(fetch).not.toHaveBeenCalled();
  });

  it("keeps our load balancer's key while unverified tokens name many other kids (was: 64 of them evicted it, so the next ALB user fetched it again)", async () => {
    // Kids the endpoint does not know, and kids of other load balancers' real keys (here: any P-256 key).
    const other = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey.export({ type: "spki", format: "pem" }) as string;
    for (const answer of [{ ok: false, status: 404, text: async () => "Not Found" }, { ok: true, status: 200, text: async () => other }]) {
      const fetch = vi.fn(async (url: string) => (url.endsWith(`/${DEV_ALB_KID}`) ? { ok: true, status: 200, text: async () => ALB_OIDC_PUBLIC_KEY } : answer));
      const { read } = reader({ env: fetchEnv, fetch });
      expect(await read(await request(sign()))).toMatchObject({ sub: "t-1" });
      // Anyone who reaches the function through the ALB without its authenticate action can send these.
      for (let i = 0; i < 100; i++) expect(await read(await request(sign(claims, { kid: `other-${i}` })))).toBeUndefined();
      expect(await read(await request(sign()))).toMatchObject({ sub: "t-1" });
      expect(fetch.mock.calls.filter(([url]) => url.endsWith(`/${DEV_ALB_KID}`))).toHaveLength(1);
    }
  });

  it("a key the endpoint does not have (404, not a PEM) means no identity, and is asked for again only later", async () => {
    for (const answer of [
      async () => ({ ok: false, status: 404, text: async () => "Not Found" }),
      async () => ({ ok: true, status: 200, text: async () => "<html>" }),
    ]) {
      let now = Date.now();
      const fetch = vi.fn(answer);
      const { read, logs } = reader({ env: fetchEnv, fetch, now: () => now });
      expect(await read(await request(sign()))).toBeUndefined();
      expect(await read(await request(sign()))).toBeUndefined();
      expect(fetch).toHaveBeenCalledTimes(1);
      expect(logs[0]).toMatchObject({ reason: "public key not found", kid: DEV_ALB_KID });
      now += 61_000;
      await read(await request(sign(claims, { exp: Math.floor(now / 1000) + 60 })));
      expect(fetch).toHaveBeenCalledTimes(2);
    }
  });

  it("an endpoint that could not answer (network error, 5xx) is a 503 to retry, and the next request asks again (was: a 401 to every ALB user for a minute)", async () => {
    for (const failure of [async () => Promise.reject(new Error("ECONNRESET")), async () => ({ ok: false, status: 503, text: async () => "Slow Down" })]) {
      const pem = ALB_OIDC_PUBLIC_KEY;
      const fetch = vi.fn(failure);
      const { read, logs } = reader({ env: fetchEnv, fetch });
      await expect(read(await request(sign()))).rejects.toMatchObject({ status: 503, headers: { "retry-after": "1" } });
      expect(logs[0]).toMatchObject({ reason: "key endpoint unavailable", kid: DEV_ALB_KID });
      // Healthy again: the very next request gets its key.
      fetch.mockImplementation(async () => ({ ok: true, status: 200, text: async () => pem }));
      expect(await read(await request(sign()))).toMatchObject({ sub: claims.sub });
      expect(fetch).toHaveBeenCalledTimes(2);
    }
  });
});

describe("authenticate() behind an ALB", () => {
  const app = (read = reader().read) =>
    handle(
      router()
        .use(authenticate(["/health"], { alb: read }))
        .get("/me", (req) => user(req))
        .get("/health", () => ({ ok: true })),
    );

  it("turns verified ALB claims into the identity, role from cognito:groups (\"[a b]\") or groups, never custom:role", async () => {
    const h = app();
    const res = await h(createEvent("alb-multi", { path: "/me", headers: { "x-amzn-oidc-data": sign() } }), { awsRequestId: "r" });
    expect(JSON.parse(res.body)).toEqual({ sub: "t-1", email: "t-1@exambuddy.test", name: "Ada", role: "teacher" });
    const groups = await h(createEvent("alb", { path: "/me", headers: { "x-amzn-oidc-data": sign({ sub: "s-9", groups: ["student"] }) } }), { awsRequestId: "r" });
    expect(JSON.parse(groups.body)).toMatchObject({ sub: "s-9", role: "student" });
    // custom:role is user-writable in Cognito: it decides nothing.
    const custom = await h(createEvent("alb", { path: "/me", headers: { "x-amzn-oidc-data": sign({ sub: "s-9", "custom:role": "teacher" }) } }), { awsRequestId: "r" });
    expect(JSON.parse(custom.body).role).toBeUndefined();
  });

  it("401 for a rejected token, /health stays open", async () => {
    const h = app();
    const forged = sign(claims, { privateKey: generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey });
    const res = await h(createEvent("alb-multi", { path: "/me", headers: { "x-amzn-oidc-data": forged } }), { awsRequestId: "r" });
    expect(res.statusCode).toBe(401);
    expect(JSON.parse(res.body).detail).toContain("load balancer");
    expect((await h(createEvent("alb-multi", { path: "/health" }), { awsRequestId: "r" })).statusCode).toBe(200);
  });

  it("API Gateway sources keep using the authorizer's claims only", async () => {
    const read = vi.fn(reader().read);
    const h = app(read);
    expect((await h(createEvent("http-api-v2", { path: "/me", headers: { "x-amzn-oidc-data": sign() } }), { awsRequestId: "r" })).statusCode).toBe(401);
    expect(JSON.parse((await h(createEvent("http-api-v2", { path: "/me", auth: { sub: "a", "custom:role": "teacher" } }), { awsRequestId: "r" })).body)).toMatchObject({ sub: "a" });
    expect(read).not.toHaveBeenCalled();
  });

  it("createApp reads ALB_ARN / ALB_OIDC_PUBLIC_KEY from the environment on each request", async () => {
    const logs: Record<string, unknown>[] = [];
    const h = handle(createApp({ services: () => { throw new Error("no services needed"); }, log: (e) => logs.push(e) }));
    const event = () => createEvent("alb-multi", { path: "/no-such-route", headers: { "x-amzn-oidc-data": sign() } });
    vi.stubEnv("ALB_ARN", "");
    vi.stubEnv("ALB_OIDC_PUBLIC_KEY", ALB_OIDC_PUBLIC_KEY);
    try {
      expect((await h(event(), { awsRequestId: "r" })).statusCode).toBe(401);
      vi.stubEnv("ALB_ARN", DEV_ALB_ARN);
      // Authenticated: the router's 404 for an unknown route, not a 401.
      expect((await h(event(), { awsRequestId: "r" })).statusCode).toBe(404);
    } finally {
      vi.unstubAllEnvs();
    }
    expect(logs.filter((l) => l["level"] === "warn").map((l) => l["message"])).toEqual([expect.stringContaining("ALB_ARN")]);
  });
});
