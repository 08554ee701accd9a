import { afterEach, describe, expect, it, vi } from "vitest";
import { HttpError } from "../lib/error.ts";
import { json, text } from "../lib/response.ts";
import { router } from "./router.ts";
import { testRequest } from "./test-request.ts";
import type { Middleware } from "./types.ts";

afterEach(() => vi.restoreAllMocks());

const trace = (log: string[], name: string): Middleware => async (_req, next) => {
  log.push(`${name}>`);
  const res = await next();
  log.push(`<${name}:${res.status}`);
  return res;
};
const parse = (body: unknown) => JSON.parse(body as string);

describe("middleware: the onion", () => {
  it("app middleware wraps route middleware wraps the handler, in registration order", async () => {
    const log: string[] = [];
    const app = router()
      .use(trace(log, "a"), trace(log, "b"))
      .get("/x", trace(log, "r1"), trace(log, "r2"), () => {
        log.push("handler");
        return "ok";
      });
    const res = await app.handle(testRequest("GET", "/x"));
    expect(res).toMatchObject({ status: 200, body: "ok" });
    expect(log).toEqual(["a>", "b>", "r1>", "r2>", "handler", "<r2:200", "<r1:200", "<b:200", "<a:200"]);
  });
  it("app middleware runs after matching (params, route set) and for 404/405 too", async () => {
    const seen: unknown[] = [];
    const app = router()
      .use((req, next) => {
        seen.push([req.route ?? null, { ...req.params }]);
        return next();
      })
      .get("/u/:id", () => "ok");
    expect((await app.handle(testRequest("GET", "/u/7"))).status).toBe(200);
    expect((await app.handle(testRequest("GET", "/nope"))).status).toBe(404);
    expect((await app.handle(testRequest("POST", "/u/7"))).status).toBe(405);
    expect(seen).toEqual([["/u/:id", { id: "7" }], [null, {}], [null, {}]]);
  });
  it("next() resolves to the normalized response; middleware may short-circuit or replace it", async () => {
    const app = router()
      .use(async (_req, next) => {
        const res = await next();
        return { ...res, headers: { ...res.headers, "x-wrapped": String(res.status) } };
      })
      .use((req, next) => (req.headers["authorization"] ? next() : json({ error: "no" }, 401)))
      .get("/data", () => ({ a: 1 }));
    const ok = await app.handle(testRequest("GET", "/data", { headers: { authorization: "x" } }));
    expect(ok).toMatchObject({ status: 200, headers: { "content-type": "application/json; charset=utf-8", "x-wrapped": "200" }, body: '{"a":1}' });
    expect(await app.handle(testRequest("GET", "/data"))).toMatchObject({ status: 401, headers: { "x-wrapped": "401" } });
  });
  it("an error inside the chain reaches outer middleware as a response", async () => {
    const statuses: number[] = [];
    const app = router()
      .use(async (_req, next) => {
        const res = await next();
        statuses.push(res.status);
        return res;
      })
      .get("/teapot", () => {
        throw new HttpError(409, "short and stout", { headers: { "x-why": "tea" } });
      });
    const res = await app.handle(testRequest("GET", "/teapot"));
    expect(statuses).toEqual([409]);
    expect(res.headers).toMatchObject({ "x-why": "tea", "content-type": "application/problem+json" });
    expect(parse(res.body)).toEqual({ type: "about:blank", title: "Conflict", status: 409, detail: "short and stout", requestId: "req-test" });
  });
});

describe("errors and fallbacks", () => {
  it("an unknown error is a 500 problem with the request id; the stack goes to one JSON log line", async () => {
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const app = router().get("/boom", () => {
      throw new Error("secret internals");
    });
    const res = await app.handle(testRequest("GET", "/boom"));
    expect(res.status).toBe(500);
    expect(res.body).not.toContain("secret");
    expect(res.body).not.toContain("at ");
    expect(parse(res.body)).toMatchObject({ status: 500, requestId: "req-test" });
    expect(write).toHaveBeenCalledTimes(1);
    const line = String(write.mock.calls[0]![0]);
    expect(line.endsWith("\n")).toBe(true);
    expect(JSON.parse(line)).toMatchObject({ level: "error", requestId: "req-test", errorMessage: "secret internals", stack: expect.stringContaining("secret internals") });
  });
  it("onError turns errors into responses; a failing onError falls back to the problem", async () => {
    const app = router()
      .onError((err, req) => text(`caught ${(err as Error).message} on ${req.route}`, 503))
      .get("/a", () => {
        throw new Error("x");
      });
    expect(await app.handle(testRequest("GET", "/a"))).toMatchObject({ status: 503, body: "caught x on /a" });
    const failing = router()
      .onError(() => {
        throw new HttpError(502, "upstream");
      })
      .get("/a", () => {
        throw new Error("x");
      });
    expect(await failing.handle(testRequest("GET", "/a"))).toMatchObject({ status: 502 });
  });
  it("notFound answers unknown paths, not 405s", async () => {
    const app = router()
      .notFound((req) => json({ missing: req.path }, 404))
      .get("/a", () => 1);
    expect(parse((await app.handle(testRequest("GET", "/zzz"))).body)).toEqual({ missing: "/zzz" });
    expect((await app.handle(testRequest("POST", "/a"))).status).toBe(405);
  });
  it("a throwing app middleware still yields a response, never a rejection", async () => {
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const app = router().use(() => {
      throw new TypeError("mw bug");
    });
    expect((await app.handle(testRequest("GET", "/any"))).status).toBe(500);
  });
});

describe("route groups: app.route(prefix, group)", () => {
  it("mounts routes under the prefix, with the group's middleware and onError scoped to them", async () => {
    const log: string[] = [];
    const exams = router()
      .use(trace(log, "exams"))
      .onError(() => text("exams error", 409))
      .get("/", () => "list")
      .get("/:examId", (req) => ({ id: req.params.examId, route: req.route }))
      .post("/:examId/fail", () => {
        throw new Error("x");
      });
    const app = router()
      .use(trace(log, "app"))
      .get("/health", () => "ok")
      .route("/exams", exams);
    expect(await app.handle(testRequest("GET", "/exams"))).toMatchObject({ body: "list" });
    expect(parse((await app.handle(testRequest("GET", "/exams/e-1"))).body)).toEqual({ id: "e-1", route: "/exams/:examId" });
    expect(await app.handle(testRequest("POST", "/exams/e-1/fail"))).toMatchObject({ status: 409, body: "exams error" });
    log.length = 0;
    await app.handle(testRequest("GET", "/health"));
    expect(log).toEqual(["app>", "<app:200"]);
    log.length = 0;
    await app.handle(testRequest("GET", "/exams/e-2"));
    expect(log).toEqual(["app>", "exams>", "<exams:200", "<app:200"]);
    expect(app.routes().map((r) => `${r.method} ${r.path}`)).toEqual(["GET /health", "GET /exams", "GET /exams/:examId", "POST /exams/:examId/fail"]);
  });
  it("groups nest, and a group without onError leaves errors to the app's", async () => {
    const inner = router().get("/x", () => {
      throw new Error("inner");
    });
    const v1 = router().route("/inner", inner);
    const app = router()
      .onError(() => text("app error", 500))
      .route("/v1/", v1);
    expect(await app.handle(testRequest("GET", "/v1/inner/x"))).toMatchObject({ status: 500, body: "app error" });
  });
  it("a mounted route that clashes with an existing one throws naming both", () => {
    const group = router().get("/:id", () => 1);
    expect(() => router().get("/exams/:examId", () => 1).route("/exams", group)).toThrow("Route GET /exams/:id conflicts with GET /exams/:examId");
  });
});
