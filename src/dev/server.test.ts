import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { verifyAlbOidcData } from "../app/alb-identity.ts";
import { binary, defaultAdapters, handle, json, lambdaEdge, text, vpcLattice, type HttpRequest } from "../index.ts";
import { ALB_OIDC_PUBLIC_KEY, DEV_ALB_ARN } from "./alb-oidc.ts";
import { startDevServer, type DevServer } from "./server.ts";
import type { DevSource } from "./http-event.ts";

// An echo app: what the handler saw, so the test checks the event the dev server built.
const echo = handle((req: HttpRequest) => {
  if (req.path === "/bytes") return binary(req.bytes(), req.headers["content-type"] ?? "application/octet-stream");
  if (req.path === "/json") return json({ parsed: req.json() });
  return json(
    {
      source: req.source, method: req.method, path: req.path, query: { ...req.queryAll }, cookies: { ...req.cookies }, auth: req.auth ?? null, ip: req.sourceIp,
      oidc: Object.fromEntries(Object.entries(req.headersAll).filter(([name]) => name.startsWith("x-amzn-oidc-"))),
      iam: (req.event as { requestContext?: { authorizer?: { iam?: { userArn?: string } } } }).requestContext?.authorizer?.iam?.userArn ?? null,
    },
    { cookies: ["a=1; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT", "b=2; Path=/"] },
  );
}, { adapters: [...defaultAdapters, vpcLattice, lambdaEdge] });

const sources: Array<[DevSource, string]> = [
  ["http", "http-api-v2"], ["http-v1", "apigw-v1"], ["rest", "apigw-v1"], ["url", "function-url"], ["alb", "alb"], ["alb-single", "alb"],
  ["lattice", "vpc-lattice"], ["lattice-v1", "vpc-lattice"], ["edge", "lambda-edge"], ["edge-origin", "lambda-edge"],
];
// Sources with no authorizer in front: the dev token reaches the app as a plain header only.
// Lattice forwards no token claims either: its identity is the caller's network or IAM principal (was: the
// dev token's claims stood in for it, so a client worked locally and got 401 deployed).
const NO_AUTHORIZER = new Set<DevSource>(["lattice", "lattice-v1", "edge", "edge-origin"]);
const lines: string[] = [];
const servers = new Map<DevSource, DevServer>();

beforeAll(async () => {
  let first = true;
  for (const [source] of sources) {
    servers.set(source, await startDevServer({ source, port: 0, log: (l) => lines.push(l), getHandler: async () => ({ handler: echo, cold: first ? !(first = false) : false }) }));
  }
});
afterAll(async () => {
  for (const s of servers.values()) await s.close();
});

describe.each(sources)("dev server --source %s", (source, name) => {
  const url = () => servers.get(source)!.url;

  it("builds the event that source sends and writes the result back", async () => {
    const res = await fetch(`${url()}/files/a%20b/%C3%A9?tag=x&tag=y+z`, { headers: { cookie: "sid=s1; theme=dark", authorization: "Bearer dev.teacher.t-1" } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { auth: unknown; oidc: Record<string, string[]>; iam: string | null };
    // An ALB target group in single-value mode (and, as we build it, a Lattice v1 event) keeps only the
    // last value of a repeated query key.
    const tags = source === "alb-single" || source === "lattice-v1" ? ["y z"] : ["x", "y z"];
    expect(body).toMatchObject({ source: name, method: "GET", path: "/files/a%20b/%C3%A9", query: { tag: tags }, cookies: { sid: "s1", theme: "dark" }, ip: "127.0.0.1" });
    if (source.startsWith("alb")) {
      // No authorizer: the ALB's authenticate action signs the claims into x-amzn-oidc-data instead.
      expect(body.auth).toBeNull();
      expect(Object.keys(body.oidc).sort()).toEqual(["x-amzn-oidc-accesstoken", "x-amzn-oidc-data", "x-amzn-oidc-identity"]);
      expect(body.oidc["x-amzn-oidc-identity"]).toEqual(["t-1"]);
      expect(body.oidc["x-amzn-oidc-accesstoken"]).toEqual(["dev.teacher.t-1"]);
      const verified = await verifyAlbOidcData(body.oidc["x-amzn-oidc-data"]![0]!, { albArn: DEV_ALB_ARN, publicKeyPem: ALB_OIDC_PUBLIC_KEY });
      expect(verified).toMatchObject({ ok: true, claims: { sub: "t-1", "custom:role": "teacher", "cognito:groups": "[teacher]" } });
    } else if (source === "url") {
      // As deployed (AuthType AWS_IAM): the caller is an IAM identity, never a user with claims.
      expect(body.auth).toBeNull();
      expect(body.iam).toMatch(/^arn:aws:sts::\d{12}:assumed-role\//);
      expect(body.oidc).toEqual({});
    } else if (source === "lattice") {
      // Lattice v2 with auth type NONE: no caller identity (only where the request came from), never the token's claims.
      expect(body.auth).toBeNull();
      expect(body.oidc).toEqual({});
    } else if (NO_AUTHORIZER.has(source)) {
      expect(body.auth).toBeNull();
      expect(body.oidc).toEqual({});
    } else if (source === "http-v1") {
      // HTTP API payload 1.0: the JWT authorizer's claims in authorizer.claims, arrays as "[a b]".
      expect(body.auth).toMatchObject({ sub: "t-1", "cognito:groups": "[teacher]" });
    }
    expect(res.headers.getSetCookie()).toEqual(["a=1; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT", "b=2; Path=/"]);
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });

  it("always drops x-amzn-oidc-* headers the client sends", async () => {
    const forged = { "x-amzn-oidc-data": "forged", "X-Amzn-Oidc-Identity": "t-admin", "x-amzn-oidc-accesstoken": "forged" };
    const anonymous = (await (await fetch(`${url()}/x`, { headers: forged })).json()) as { oidc: Record<string, string[]> };
    const signedIn = (await (await fetch(`${url()}/x`, { headers: { ...forged, authorization: "Bearer dev.student.s-1" } })).json()) as { oidc: Record<string, string[]> };
    if (source.startsWith("alb")) {
      expect(anonymous.oidc).toEqual({});
      expect(signedIn.oidc["x-amzn-oidc-identity"]).toEqual(["s-1"]);
      expect(signedIn.oidc["x-amzn-oidc-data"]).toHaveLength(1);
      expect(signedIn.oidc["x-amzn-oidc-data"]![0]).not.toBe("forged");
    } else {
      // API Gateway passes them through as client text; the app never reads them there.
      expect(anonymous.oidc["x-amzn-oidc-data"]).toEqual(["forged"]);
    }
  });

  it("binary bodies travel base64 both ways and arrive byte for byte", async () => {
    const bytes = new Uint8Array(4096).map((_, i) => (i * 7) & 255);
    const res = await fetch(`${url()}/bytes`, { method: "POST", body: bytes, headers: { "content-type": "application/pdf" } });
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
  });

  it("bad JSON gets the app's problem+json", async () => {
    const res = await fetch(`${url()}/json`, { method: "POST", body: "{nope", headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });

  it("HEAD gets headers and no body", async () => {
    const res = await fetch(`${url()}/x`, { method: "HEAD" });
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBe(0);
  });
});

describe("dev server --source edge (what CloudFront does around the function)", () => {
  const url = () => servers.get("edge")!.url;

  it("a body over the include-body limit arrives truncated: the app's read is a 413", async () => {
    const res = await fetch(`${url()}/json`, { method: "POST", body: JSON.stringify({ pad: "x".repeat(41 * 1024) }), headers: { "content-type": "application/json" } });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ status: 413, detail: expect.stringMatching(/truncated/) });
    // An origin-request trigger gets up to 1 MB: the same body parses there.
    const origin = await fetch(`${servers.get("edge-origin")!.url}/json`, { method: "POST", body: JSON.stringify({ pad: "x" }), headers: { "content-type": "application/json" } });
    expect(origin.status).toBe(200);
  });

  it("a result CloudFront would refuse is its 502; the adapter's own results never are", async () => {
    const raw = await startDevServer({ source: "edge", port: 0, log: () => {}, getHandler: async () => ({ handler: async () => ({ status: "200", headers: { "x-cache": [{ key: "X-Cache", value: "Hit" }] }, body: "" }), cold: false }) });
    expect((await fetch(`${raw.url}/x`)).status).toBe(502);
    await raw.close();
    const big = handle(() => text("x".repeat(50 * 1024)), { adapters: [lambdaEdge] });
    const dev = await startDevServer({ source: "edge", port: 0, log: () => {}, getHandler: async () => ({ handler: big, cold: false }) });
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const res = await fetch(`${dev.url}/x`);
    vi.restoreAllMocks();
    expect(res.status).toBe(500);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    await dev.close();
  });
});

describe("dev server hardening", () => {
  it("binds to loopback only", () => {
    for (const s of servers.values()) expect((s.server.address() as { address: string }).address).toBe("127.0.0.1");
    return expect(startDevServer({ source: "http", host: "0.0.0.0", port: 0, getHandler: async () => ({ handler: echo, cold: false }) })).rejects.toThrow(/loopback/);
  });

  it("a huge header is answered with a problem, and the server keeps serving", async () => {
    const url = servers.get("http")!.url;
    const res = await fetch(`${url}/x`, { headers: { "x-huge": "a".repeat(80 * 1024) } }).catch((e) => e as Error);
    if (!(res instanceof Error)) {
      expect(res.status).toBe(431);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
    }
    expect((await fetch(`${url}/x`)).status).toBe(200);
  });

  it("a handler that throws is a 502, as API Gateway answers a function error", async () => {
    const dev = await startDevServer({ source: "http", port: 0, log: () => {}, getHandler: async () => ({ handler: async () => Promise.reject(new Error("boom")), cold: false }) });
    const res = await fetch(`${dev.url}/x`);
    expect(res.status).toBe(502);
    await dev.close();
  });

  it("a handler still running at the function's timeout is a 502, logged as Lambda words it (was: the request hung forever)", async () => {
    const logged: string[] = [];
    const dev = await startDevServer({ source: "http", port: 0, timeoutSeconds: 0.2, log: (l) => logged.push(l), getHandler: async () => ({ handler: () => new Promise(() => {}), cold: false }) });
    try {
      const res = await fetch(`${dev.url}/x`);
      expect(res.status).toBe(502);
      expect(logged.some((l) => l.includes("Task timed out after 0.20 seconds"))).toBe(true);
    } finally {
      await dev.close();
    }
  });

  it("limits are the event's and the source's: a binary body whose base64 event passes 6 MB is a 413, an ALB body over 1 MB too; a result over the limit is a 502 (was: delivered)", async () => {
    const big = (size: number) => ({ method: "POST", headers: { "content-type": "application/octet-stream" }, body: new Uint8Array(size) });
    const http = servers.get("http")!.url;
    // 5 MiB of bytes: 6.7 MB of base64 in the event.
    expect((await fetch(`${http}/bytes`, big(5 * 1024 * 1024))).status).toBe(413);
    expect((await fetch(`${http}/bytes`, big(1024 * 1024))).status).toBe(200);
    const alb = servers.get("alb")!.url;
    expect((await fetch(`${alb}/x`, big(1024 * 1024 + 1))).status).toBe(413);
    const huge = await startDevServer({ source: "alb", port: 0, log: () => {}, getHandler: async () => ({ handler: async () => ({ statusCode: 200, multiValueHeaders: {}, body: "x".repeat(1024 * 1024) }), cold: false }) });
    try {
      expect((await fetch(`${huge.url}/x`)).status).toBe(502);
    } finally {
      await huge.close();
    }
  });

  it("each source reads only its own result fields: payload 2.0 no multiValueHeaders, REST and ALB no cookies (was: every field of every shape written)", async () => {
    const result = { statusCode: 200, headers: { "x-single": "s" }, multiValueHeaders: { "set-cookie": ["a=1", "b=2"], "x-multi": ["m"] }, cookies: ["c=3"], body: "" };
    // REST does not ignore a cookies key: it answers the whole result with a 502 (write-result.test.ts).
    const expected: Record<string, { cookies: string[]; single: boolean; multi: boolean }> = {
      http: { cookies: ["c=3"], single: true, multi: false },
      // HTTP API payload 1.0: REST's result format (headers and multiValueHeaders), no cookies[].
      "http-v1": { cookies: ["a=1", "b=2"], single: true, multi: true },
      url: { cookies: ["c=3"], single: true, multi: false },
      rest: { cookies: [], single: false, multi: false },
      alb: { cookies: ["a=1", "b=2"], single: false, multi: true },
      "alb-single": { cookies: [], single: true, multi: false },
    };
    for (const [source, want] of Object.entries(expected)) {
      const dev = await startDevServer({ source: source as DevSource, port: 0, log: () => {}, getHandler: async () => ({ handler: async () => result, cold: false }) });
      try {
        const res = await fetch(`${dev.url}/x`);
        expect(res.headers.getSetCookie(), source).toEqual(want.cookies);
        expect(res.headers.has("x-single"), source).toBe(want.single);
        expect(res.headers.has("x-multi"), source).toBe(want.multi);
      } finally {
        await dev.close();
      }
    }
  });

  it("an absolute-form request target (GET http://host/path) is routed by its path (was: the scheme and host became part of the path)", async () => {
    const { request } = await import("node:http");
    const { url } = servers.get("http")!;
    const { port } = new URL(url);
    const body = await new Promise<string>((resolve, reject) => {
      request({ host: "127.0.0.1", port, method: "GET", path: `http://127.0.0.1:${port}/files/a?tag=x` }, (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString())).on("end", () => resolve(text));
      }).on("error", reject).end();
    });
    expect(JSON.parse(body)).toMatchObject({ path: "/files/a", query: { tag: ["x"] } });
  });

  it("logs one line per request with method, path, status, duration, cold/warm", () => {
    expect(lines.some((l) => /^GET \/files\/a%20b\/%C3%A9\?tag=x&tag=y\+z → 200 OK \d+\.\d ms (cold|warm)$/.test(l))).toBe(true);
    expect(lines.some((l) => l.endsWith(" cold"))).toBe(true);
  });

  it("a token it cannot convert is named in the log line, where sources convert tokens (was: a bare 401, no word why)", async () => {
    for (const [source, server] of servers) {
      const path = `/mistyped-${source}`;
      await (await fetch(`${server.url}${path}`, { headers: { authorization: "Bearer dev.Teacher.t-1" } })).arrayBuffer();
      const line = lines.find((l) => l.startsWith(`GET ${path} → `))!;
      if (NO_AUTHORIZER.has(source) || source === "url") expect(line, source).not.toMatch(/dev token/);
      else expect(line, source).toMatch(/\(Authorization is not a dev token: expected Bearer dev.<role>.<userId>/);
    }
  });
});

describe("dev server log lines say what happened", () => {
  it("a client that leaves mid-body is logged as such, not as a dev server error or an unparsable request (was: 'dev server error: Error: aborted' with a stack, a 500, and 'rejected an unparsable request')", async () => {
    const { connect } = await import("node:net");
    const logged: string[] = [];
    const dev = await startDevServer({ source: "http", port: 0, log: (l) => logged.push(l), getHandler: async () => ({ handler: echo, cold: false }) });
    try {
      const socket = connect(dev.port, "127.0.0.1");
      await new Promise((resolve) => socket.once("connect", resolve));
      socket.write("POST /x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nabc");
      await new Promise((resolve) => setTimeout(resolve, 50));
      socket.destroy();
      await vi.waitFor(() => expect(logged.some((l) => /client closed the connection/.test(l))).toBe(true));
      expect(logged.filter((l) => /dev server error|unparsable|→ 500/.test(l))).toEqual([]);
      // And the server still answers.
      expect((await fetch(`${dev.url}/x`)).status).toBe(200);
    } finally {
      await dev.close();
    }
  });

  it("a timeout is one line in Lambda's words, without a stack of the dev server's timer", async () => {
    const logged: string[] = [];
    const dev = await startDevServer({ source: "rest", port: 0, timeoutSeconds: 0.1, log: (l) => logged.push(l), getHandler: async () => ({ handler: () => new Promise(() => {}), cold: false }) });
    try {
      expect((await fetch(`${dev.url}/x`)).status).toBe(502);
      expect(logged.filter((l) => l.includes("Task timed out after 0.10 seconds"))).toEqual(["Task timed out after 0.10 seconds"]);
    } finally {
      await dev.close();
    }
  });
});
