import { describe, expect, it } from "vitest";
import { json } from "../lib/response.ts";
import { cors } from "./cors.ts";
import { router } from "./router.ts";
import { testRequest } from "./test-request.ts";

const A = "https://exambuddy.app";
const preflight = (origin: string, extra: Record<string, string> = {}) =>
  testRequest("OPTIONS", "/exams/e-1", { headers: { origin, "access-control-request-method": "PUT", ...extra } });
const make = (options: Parameters<typeof cors>[0]) =>
  router()
    .use(cors(options))
    .get("/exams/:id", () => json({ ok: true }, { headers: { vary: "Accept-Language" } }))
    .put("/exams/:id", () => ({ ok: true }));

describe("cors()", () => {
  it("answers a preflight with 204 although no OPTIONS route exists (ALB and Function URLs forward it)", async () => {
    const res = await make({ origin: [A], maxAge: 600, allowHeaders: ["content-type", "authorization"] }).handle(preflight(A));
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    expect(res.headers).toEqual({
      "access-control-allow-origin": A,
      "access-control-allow-methods": "GET, HEAD, PUT, PATCH, POST, DELETE",
      "access-control-allow-headers": "content-type, authorization",
      "access-control-max-age": "600",
      vary: "Origin",
    });
  });
  it("a preflight to a path no route has is still answered (cors runs for 404s)", async () => {
    const res = await make({}).handle(testRequest("OPTIONS", "/nowhere", { headers: { origin: A, "access-control-request-method": "GET" } }));
    expect(res).toMatchObject({ status: 204, headers: { "access-control-allow-origin": "*" } });
  });
  it("without allowHeaders, reflects the requested headers and varies on them", async () => {
    const res = await make({ origin: A, methods: ["GET", "PUT"] }).handle(preflight(A, { "access-control-request-headers": "x-tenant" }));
    expect(res.headers).toMatchObject({ "access-control-allow-methods": "GET, PUT", "access-control-allow-headers": "x-tenant", vary: "Origin, Access-Control-Request-Headers" });
  });
  it("'*' without credentials sends '*' and no Vary", async () => {
    const res = await make({}).handle(testRequest("GET", "/exams/1", { headers: { origin: A } }));
    expect(res.headers).toMatchObject({ "access-control-allow-origin": "*", vary: "Accept-Language" });
    expect(res.headers?.["access-control-allow-credentials"]).toBeUndefined();
  });
  it("'*' with credentials reflects the origin, never '*', and appends Vary: Origin to the route's Vary", async () => {
    const res = await make({ origin: "*", credentials: true, exposeHeaders: ["x-request-id", "etag"] }).handle(testRequest("GET", "/exams/1", { headers: { origin: A } }));
    expect(res.headers).toMatchObject({
      "access-control-allow-origin": A,
      "access-control-allow-credentials": "true",
      "access-control-expose-headers": "x-request-id, etag",
      vary: "Accept-Language, Origin",
    });
  });
  it("a disallowed origin gets no CORS headers (but Vary: Origin, for caches)", async () => {
    const app = make({ origin: [A] });
    const simple = await app.handle(testRequest("GET", "/exams/1", { headers: { origin: "https://evil.test" } }));
    expect(simple.status).toBe(200);
    expect(Object.keys(simple.headers!).filter((h) => h.startsWith("access-control"))).toEqual([]);
    expect(simple.headers?.["vary"]).toBe("Accept-Language, Origin");
    const pre = await app.handle(preflight("https://evil.test"));
    expect(Object.keys(pre.headers ?? {}).filter((h) => h.startsWith("access-control"))).toEqual([]);
    expect(pre.status).toBe(405);
  });
  it("an origin function decides per request", async () => {
    const app = make({ origin: (origin, req) => (origin.endsWith(".exambuddy.app") && req.path.startsWith("/exams") ? origin : false) });
    const ok = await app.handle(testRequest("PUT", "/exams/1", { headers: { origin: "https://t1.exambuddy.app" } }));
    expect(ok.headers).toMatchObject({ "access-control-allow-origin": "https://t1.exambuddy.app", vary: "Origin" });
    const no = await app.handle(testRequest("PUT", "/exams/1", { headers: { origin: "https://exambuddy.app.evil" } }));
    expect(no.headers?.["access-control-allow-origin"]).toBeUndefined();
  });
  it("adds headers to error responses too, so browsers can read the problem", async () => {
    const res = await make({ origin: A }).handle(testRequest("DELETE", "/exams/1", { headers: { origin: A } }));
    expect(res).toMatchObject({ status: 405, headers: { allow: "GET, HEAD, PUT", "access-control-allow-origin": A } });
  });
  it("a request without Origin is not CORS: no CORS headers", async () => {
    const res = await make({}).handle(testRequest("OPTIONS", "/exams/1", { headers: { "access-control-request-method": "GET" } }));
    expect(res.status).toBe(405);
    expect(res.headers?.["access-control-allow-origin"]).toBeUndefined();
  });
  it("'*' with credentials never reflects Origin: null (sandboxed frames, data: and file: pages of any site send it); a list may name it", async () => {
    const app = make({ origin: "*", credentials: true });
    const res = await app.handle(testRequest("GET", "/exams/1", { headers: { origin: "null" } }));
    expect(res.headers?.["access-control-allow-origin"]).toBeUndefined();
    expect(res.headers?.["access-control-allow-credentials"]).toBeUndefined();
    expect((await make({ origin: ["null"], credentials: true }).handle(testRequest("GET", "/exams/1", { headers: { origin: "null" } }))).headers?.["access-control-allow-origin"]).toBe("null");
  });
  it('methods or allowHeaders ["*"] allow what the preflight asks, Authorization too (was: a literal * that credentialed requests read as a name)', async () => {
    const res = await make({ credentials: true, methods: ["*"], allowHeaders: ["*"] }).handle(preflight(A, { "access-control-request-headers": "authorization, x-trace" }));
    expect(res.headers).toMatchObject({
      "access-control-allow-origin": A,
      "access-control-allow-methods": "PUT",
      "access-control-allow-headers": "authorization, x-trace",
      vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
    });
  });
  it('exposeHeaders ["*"] with credentials names the response\'s headers and x-request-id; without, it stays "*" (was: a literal * that credentialed requests read as a name, so no header was readable)', async () => {
    const app = (credentials: boolean) =>
      router()
        .use(cors({ origin: [A], credentials, exposeHeaders: ["*", "x-trace"] }))
        .get("/e", () => json({}, { status: 201, headers: { location: "/e/1", etag: '"v1"' } }));
    const credentialed = await app(true).handle(testRequest("GET", "/e", { headers: { origin: A } }));
    const exposed = String(credentialed.headers?.["access-control-expose-headers"]).split(", ");
    expect(exposed).not.toContain("*");
    expect(exposed).toEqual(expect.arrayContaining(["location", "etag", "x-request-id", "x-trace"]));
    const anonymous = await app(false).handle(testRequest("GET", "/e", { headers: { origin: A } }));
    expect(anonymous.headers?.["access-control-expose-headers"]).toBe("*, x-trace");
  });
  it("refuses origins no browser sends and a maxAge that is not whole seconds, naming the fix (was: silently never matched)", () => {
    expect(() => cors({ origin: "https://a.test/" })).toThrow('cors({ origin }): "https://a.test/" is not an origin as browsers send it: scheme://host[:port], lower-case, no path ("*" alone allows any)');
    expect(() => cors({ origin: ["https://A.test"] })).toThrow('"https://A.test" is not an origin');
    expect(() => cors({ origin: ["https://a.test/app"] })).toThrow('"https://a.test/app" is not an origin');
    expect(() => cors({ origin: ["*", A] })).toThrow('"*" is not an origin as browsers send it: scheme://host[:port], lower-case, no path ("*" alone allows any)');
    expect(() => cors({ maxAge: 1.5 })).toThrow("cors({ maxAge }): 1.5 is not whole seconds ≥ 0");
    expect(() => cors({ maxAge: -1 })).toThrow("maxAge");
    expect(() => cors({ origin: ["http://localhost:3000", "null", A], maxAge: 0 })).not.toThrow();
  });
  it("an origin function's answer other than a string allows nothing (was: access-control-allow-origin: true)", async () => {
    const app = make({ origin: (() => true) as never });
    expect((await app.handle(testRequest("GET", "/exams/1", { headers: { origin: A } }))).headers?.["access-control-allow-origin"]).toBeUndefined();
  });
  it("Vary names each header once when cors and the route both name Origin", async () => {
    const app = router()
      .use(cors({ origin: [A] }))
      .get("/v", () => json({}, { headers: { Vary: "Origin, Accept-Language" } }));
    expect((await app.handle(testRequest("GET", "/v", { headers: { origin: A } }))).headers).toMatchObject({ vary: "Origin, Accept-Language" });
  });
});

// Found by hand mutation testing.
describe("cors: what is a preflight", () => {
  it("an OPTIONS request without Access-Control-Request-Method is no preflight: the route answers, the origin allowed, no allow-methods", async () => {
    const app = router().use(cors()).options("/x", () => json({ mine: true }));
    const res = await app.handle(testRequest("OPTIONS", "/x", { headers: { origin: A } }));
    expect(res.status).toBe(200);
    expect(res.body).toBe('{"mine":true}');
    expect(res.headers?.["access-control-allow-origin"]).toBe("*");
    expect(res.headers).not.toHaveProperty("access-control-allow-methods");
  });
});
