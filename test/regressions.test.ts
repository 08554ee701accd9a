// Regressions from the first review of the library (each named after what it pins).
import { describe, expect, it } from "vitest";
import { compress, cors, createEvent, handle, HttpError, json, redirect, router, setCookie, validate } from "../src/index.ts";

const ctx = { awsRequestId: "aws-1" };
const Obj = { "~standard": { version: 1 as const, vendor: "x", validate: (v: unknown) => (v && typeof v === "object" ? { value: v } : { issues: [{ message: "bad" }] }) } };
const call = (app: Parameters<typeof handle>[0], source: Parameters<typeof createEvent>[0], init: Parameters<typeof createEvent>[1]) => handle(app)(createEvent(source, init), ctx) as Promise<any>;

describe("review regressions", () => {
  it("an onError that returns undefined passes the error on (a malformed body stays a 400)", async () => {
    const app = router({ validate })
      .onError((e) => ((e as { code?: string }).code === "Conflict" ? json({}, 409) : undefined))
      .post("/exams", { body: Obj }, (_r, { body }) => json(body, 201));
    const r = await call(app, "http-api-v2", { method: "POST", path: "/exams", headers: { "content-type": "application/json" }, body: "{oops" });
    expect(r.statusCode).toBe(400);
  });

  it("plain data from onError keeps the error's status", async () => {
    const app = router().onError((e) => ({ error: (e as Error).message })).get("/x", () => {
      throw new HttpError(409, "taken");
    });
    expect(await call(app, "http-api-v2", { path: "/x" })).toMatchObject({ statusCode: 409, body: '{"error":"taken"}' });
  });

  it("a header value with CR/LF is never sent (header injection): 500, nothing injected", async () => {
    const app = router().get("/login", (req) => redirect(req.query["next"]!));
    const r = await call(app, "http-api-v2", { path: "/login?next=/a%0d%0aSet-Cookie:%20sid=evil" });
    expect(r.statusCode).toBe(500);
    expect(JSON.stringify(r)).not.toMatch(/sid=evil/);
  });

  it("setCookie survives a lone surrogate from client JSON", async () => {
    const app = router().post("/n", (req) => json({}, { cookies: [setCookie("name", (req.json() as { name: string }).name)] }));
    const r = await call(app, "http-api-v2", { method: "POST", path: "/n", headers: { "content-type": "application/json" }, body: '{"name":"\\ud800"}' });
    expect(r.statusCode).toBe(200);
    expect(r.cookies).toEqual(["name=%EF%BF%BD"]);
  });

  it("a returned ArrayBuffer or typed array is sent as bytes", async () => {
    const r = await call(router().get("/f", () => new Uint8Array([37, 80, 68, 70]).buffer), "http-api-v2", { path: "/f" });
    expect([r.body, r.isBase64Encoded]).toEqual(["JVBERg==", true]);
    const v = await call(router().get("/f", () => new Uint16Array([0x5025])), "http-api-v2", { path: "/f" });
    expect(v).toMatchObject({ isBase64Encoded: true, headers: { "content-type": "application/octet-stream" } });
  });

  it("case variants do not stand beside the value they override", async () => {
    const a = await call(router().get("/x", () => { throw new HttpError(406, "no", { headers: { "Content-Type": "text/plain" } }); }), "http-api-v2", { path: "/x" });
    const b = await call(router().get("/x", () => redirect("/a", 302, { headers: { Location: "/b" } })), "http-api-v2", { path: "/x" });
    expect([a.headers["content-type"], b.headers.location]).toEqual(["application/problem+json", "/a"]);
  });

  it("a header named like an Object.prototype member is just a header", async () => {
    const r = await call(router().get("/x", () => json({}, { headers: { constructor: "a" } })), "http-api-v2", { path: "/x" });
    expect(r.headers.constructor).toBe("a");
  });

  it("a numeric header value is sent as a string, not a 500", async () => {
    const r = await call(router().get("/x", () => json({ busy: true }, { status: 503, headers: { "retry-after": 30 as unknown as string } })), "http-api-v2", { path: "/x" });
    expect(r).toMatchObject({ statusCode: 503, headers: { "retry-after": "30" } });
  });

  it("compress leaves the body alone when the client accepts no encoding", async () => {
    const big = JSON.stringify({ big: "x".repeat(50_000) });
    const app = router().use(compress()).get("/b", () => json(JSON.parse(big)));
    const r = await call(app, "http-api-v2", { path: "/b" });
    expect(r).toMatchObject({ isBase64Encoded: false, body: big, headers: { vary: "Accept-Encoding" } });
  });

  it("routes and prefixes without a leading slash are refused at registration", () => {
    expect(() => router().get("exams", () => 1)).toThrow('route GET exams: cannot serve "exams" (paths start with /;');
    expect(() => router().route("api", router())).toThrow(/starts with "\/"/);
  });

  it("cors() on the top-level app answers a preflight under a mounted prefix", async () => {
    const api = router().post("/items", () => json({}));
    const app = router().use(cors({ origin: "https://a.test" })).route("/api", api);
    const r = await call(app, "alb", { method: "OPTIONS", path: "/api/items", headers: { origin: "https://a.test", "access-control-request-method": "POST" } });
    expect(r.statusCode).toBe(204);
    expect(r.headers["access-control-allow-origin"]).toBe("https://a.test");
  });
});
