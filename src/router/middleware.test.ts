import { afterEach, describe, expect, it, vi } from "vitest";
import { HttpError } from "../lib/error.ts";
import { json, text } from "../lib/response.ts";
import { cors } from "./cors.ts";
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
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    expect(await failing.handle(testRequest("GET", "/a"))).toMatchObject({ status: 502 });
    // A 5xx answered by no onError: logged, as the operator sees it in the metrics.
    expect(write.mock.calls.map(([line]) => JSON.parse(String(line)))).toEqual([expect.objectContaining({ errorName: "HttpError", errorMessage: "upstream", route: "/a" })]);
  });
  it("notFound answers unknown paths, not 405s", async () => {
    const app = router()
      .notFound((req) => json({ missing: req.path }, 404))
      .get("/a", () => 1);
    expect(parse((await app.handle(testRequest("GET", "/zzz"))).body)).toEqual({ missing: "/zzz" });
    expect((await app.handle(testRequest("POST", "/a"))).status).toBe(405);
  });
  it("what onError returns is normalized like a handler's answer, with the error's status (was: JSON of anything)", async () => {
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const failing = (answer: unknown) =>
      router()
        .onError(() => answer)
        .get("/a", () => {
          throw new HttpError(409, "taken");
        })
        .handle(testRequest("GET", "/a"));
    expect(await failing("try later")).toMatchObject({ status: 409, headers: { "content-type": "text/plain; charset=utf-8" }, body: "try later" });
    const bytes = await failing(new Uint8Array([137, 80, 78, 71]));
    expect(bytes).toMatchObject({ status: 409, headers: { "content-type": "application/octet-stream" } });
    expect([...(bytes.body as Uint8Array)]).toEqual([137, 80, 78, 71]);
    expect(await failing({ retry: true })).toMatchObject({ status: 409, body: '{"retry":true}' });
    expect(await failing(text("chosen", 503))).toMatchObject({ status: 503, body: "chosen" });
    // Nothing sendable: a logged 500, as for a handler.
    expect(write).not.toHaveBeenCalled();
    expect(await failing(new Map([["a", 1]]))).toMatchObject({ status: 500 });
    expect(JSON.parse(String(write.mock.calls[0]![0]))).toMatchObject({ level: "error", errorMessage: expect.stringContaining("cannot send a Map") });
  });
  it("a handler returning a function or a symbol is a logged 500, not a 200 \"null\"", async () => {
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const app = router()
      .get("/fn", () => () => 1)
      .get("/sym", () => Symbol("s"));
    expect(await app.handle(testRequest("GET", "/fn"))).toMatchObject({ status: 500 });
    expect(await app.handle(testRequest("GET", "/sym"))).toMatchObject({ status: 500 });
    expect(write.mock.calls.map((call) => JSON.parse(String(call[0])).errorMessage)).toEqual([expect.stringContaining("cannot send a function"), expect.stringContaining("cannot send a symbol")]);
  });
  it("a middleware that returns nothing is a logged 500 naming the mistake, not a silent 204 (was: 204)", async () => {
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    // The types catch it; JavaScript callers are not checked.
    const forgetful = (async (_req, next) => {
      await next();
    }) as (...args: Parameters<Middleware>) => Promise<void> as unknown as Middleware;
    const app = router().use(forgetful).post("/exams", () => json({ id: "e-1" }, 201));
    expect(await app.handle(testRequest("POST", "/exams"))).toMatchObject({ status: 500 });
    expect(JSON.parse(String(write.mock.calls[0]![0]))).toMatchObject({ errorMessage: "a middleware returned nothing (return next())" });
  });
  it("next() runs the rest of the onion once: a second call throws and the handler does not run again (was: twice)", async () => {
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    let runs = 0;
    const app = router()
      .use(async (_req, next) => {
        await next();
        return next();
      })
      .post("/exams", () => json({ id: ++runs }, 201));
    expect(await app.handle(testRequest("POST", "/exams"))).toMatchObject({ status: 500 });
    expect(runs).toBe(1);
    expect(JSON.parse(String(write.mock.calls[0]![0]))).toMatchObject({ errorMessage: "a middleware called next() twice", method: "POST", route: "/exams" });
  });
  it("app.handle never rejects: an HttpError whose extensions JSON cannot hold, a null-prototype object, a throwing onError are logged 500s (was: app.handle rejected)", async () => {
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const app = router()
      .get("/bigint", () => {
        throw new HttpError(409, "taken", { version: 1n });
      })
      .get("/null", async () => {
        throw Object.create(null);
      });
    const failingOnError = router()
      .onError(() => {
        throw Object.create(null);
      })
      .get("/a", () => {
        throw new Error("x");
      });
    for (const res of [await app.handle(testRequest("GET", "/bigint")), await app.handle(testRequest("GET", "/null")), await failingOnError.handle(testRequest("GET", "/a"))]) {
      expect(res.status).toBe(500);
      expect(parse(res.body)).toMatchObject({ status: 500, requestId: "req-test" });
    }
    expect(write.mock.calls.map(([line]) => JSON.parse(String(line)))).toEqual([
      expect.objectContaining({ message: "unhandled error", route: "/bigint", errorMessage: expect.stringContaining("BigInt") }),
      expect.objectContaining({ message: "unhandled error", route: "/null" }),
      expect.objectContaining({ message: "unhandled error", route: "/a" }),
    ]);
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
  it("a group's onError that returns nothing (\"not mine\") leaves the error to the enclosing group's, then the app's onError (was: the default problem, the app's onError skipped)", async () => {
    class QuotaError extends Error {}
    const inner = router()
      .onError((err) => (err instanceof QuotaError ? text("quota", 429) : undefined))
      .get("/quota", () => {
        throw new QuotaError("q");
      })
      .get("/db", async () => {
        throw new Error("db down");
      })
      .get("/other", () => {
        throw new RangeError("other");
      });
    const outer = router()
      .onError((err) => (err instanceof RangeError ? text("outer", 422) : undefined))
      .route("/inner", inner);
    const app = router()
      .onError((err) => text(`app: ${(err as Error).message}`, 503))
      .route("/outer", outer);
    expect(await app.handle(testRequest("GET", "/outer/inner/quota"))).toMatchObject({ status: 429, body: "quota" });
    expect(await app.handle(testRequest("GET", "/outer/inner/other"))).toMatchObject({ status: 422, body: "outer" });
    expect(await app.handle(testRequest("GET", "/outer/inner/db"))).toMatchObject({ status: 503, body: "app: db down" });
    // Nobody answers: the default problem, logged once.
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const bare = router().route("/outer", outer);
    expect(await bare.handle(testRequest("GET", "/outer/inner/db"))).toMatchObject({ status: 500 });
    expect(write).toHaveBeenCalledTimes(1);
    expect(JSON.parse(String(write.mock.calls[0]![0]))).toMatchObject({ message: "unhandled error", errorMessage: "db down", route: "/outer/inner/db" });
  });
  it("a group's onError that throws passes what it threw on to the app's onError; unanswered there, a logged 500 problem, never a rejection", async () => {
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const group = router()
      .onError(() => {
        throw new Error("onError bug");
      })
      .use(async (_req, next) => next())
      .get("/x", () => {
        throw new Error("x");
      });
    const app = router()
      .onError((err) => ((err as Error).message === "onError bug" ? text("app saw it", 500) : undefined))
      .route("/g", group);
    expect(await app.handle(testRequest("GET", "/g/x"))).toMatchObject({ status: 500, body: "app saw it" });
    const bare = router().route("/g", group);
    const res = await bare.handle(testRequest("GET", "/g/x"));
    expect(res.status).toBe(500);
    expect(parse(res.body)).toMatchObject({ status: 500, requestId: "req-test" });
    expect(write.mock.calls.map(([line]) => JSON.parse(String(line)))).toEqual([expect.objectContaining({ message: "unhandled error", errorMessage: "onError bug", route: "/g/x" })]);
  });
  it("each layer's errors go to the onError of its own group: an inner group's onError does not cover an outer group's middleware (was: it did)", async () => {
    const inner = router()
      .onError((err) => text(`inner: ${(err as Error).message}`, 418))
      .get("/x", (req) => {
        if (req.query["fail"]) throw new Error("handler");
        return "ok";
      });
    const outer = router()
      .use((req, next) => {
        if (req.headers["x-deny"]) throw new Error("outer middleware");
        return next();
      })
      .route("/inner", inner);
    const app = router()
      .onError((err) => text(`app: ${(err as Error).message}`, 503))
      .route("/outer", outer);
    expect(await app.handle(testRequest("GET", "/outer/inner/x", { headers: { "x-deny": "1" } }))).toMatchObject({ status: 503, body: "app: outer middleware" });
    expect(await app.handle(testRequest("GET", "/outer/inner/x?fail=1"))).toMatchObject({ status: 418, body: "inner: handler" });
    expect(await app.handle(testRequest("GET", "/outer/inner/x"))).toMatchObject({ status: 200, body: "ok" });
  });
  it("a group's middleware runs for the 404s and 405s under its prefix too: its cors() answers a preflight (was: 405 without CORS)", async () => {
    const api = router()
      .use(cors({ origin: ["https://exambuddy.app"] }))
      .get("/exams/:id", () => "exam")
      .delete("/exams/:id", () => null);
    const app = router().get("/health", () => "ok").route("/api", api);
    const preflight = await app.handle(testRequest("OPTIONS", "/api/exams/e-1", { headers: { origin: "https://exambuddy.app", "access-control-request-method": "DELETE" } }));
    expect(preflight.status).toBe(204);
    expect(preflight.headers).toMatchObject({ "access-control-allow-origin": "https://exambuddy.app" });
    const missing = await app.handle(testRequest("GET", "/api/nothing", { headers: { origin: "https://exambuddy.app" } }));
    expect(missing.status).toBe(404);
    expect(missing.headers).toMatchObject({ "access-control-allow-origin": "https://exambuddy.app" });
    // Outside the prefix (and at a look-alike one) the group's middleware stays out.
    expect((await app.handle(testRequest("GET", "/apiary", { headers: { origin: "https://exambuddy.app" } }))).headers).not.toHaveProperty("access-control-allow-origin");
    expect((await app.handle(testRequest("GET", "/nope", { headers: { origin: "https://exambuddy.app" } }))).headers).not.toHaveProperty("access-control-allow-origin");
  });
  it("a malformed escape (400) or an over-long path (414) under a group's prefix passes the group's middleware: its cors() lets the browser read the problem (was: no CORS headers)", async () => {
    const origin = "https://exambuddy.app";
    const api = router()
      .use(cors({ origin: [origin] }))
      .get("/exams/:id", (req) => req.params);
    const app = router().route("/api", api);
    const malformed = await app.handle(testRequest("GET", "/api/exams/%E0%A4%A", { headers: { origin } }));
    expect(malformed).toMatchObject({ status: 400, headers: { "access-control-allow-origin": origin, "content-type": "application/problem+json" } });
    const long = await app.handle(testRequest("GET", "/api/exams/" + "a".repeat(8200), { headers: { origin } }));
    expect(long).toMatchObject({ status: 414, headers: { "access-control-allow-origin": origin } });
    // Outside the prefix the group's middleware stays out, as for its 404s.
    expect((await app.handle(testRequest("GET", "/other/" + "a".repeat(8200), { headers: { origin } }))).headers).not.toHaveProperty("access-control-allow-origin");
  });
  it("a group's notFound answers unknown paths under its prefix, the innermost group's first; the app's elsewhere", async () => {
    const v2 = router()
      .notFound(() => text("no such v2 thing", 404))
      .get("/a", () => "a");
    const api = router()
      .notFound(() => text("no such api thing", 404))
      .route("/v2", v2);
    const app = router()
      .notFound(() => text("no such page", 404))
      .route("/api", api);
    expect((await app.handle(testRequest("GET", "/api/v2/zzz"))).body).toBe("no such v2 thing");
    expect((await app.handle(testRequest("GET", "/api/zzz"))).body).toBe("no such api thing");
    expect((await app.handle(testRequest("GET", "/zzz"))).body).toBe("no such page");
    expect((await app.handle(testRequest("POST", "/api/v2/a"))).status).toBe(405);
  });
  it("under a prefix with a param (/t/:tenant), a group's middleware and notFound serve its 404s and 405s too (was: the prefix compared as text, never matched)", async () => {
    const tenant = router()
      .use(cors({ origin: ["https://exambuddy.app"] }))
      .notFound(() => text("no such tenant thing", 404))
      .get("/exams", () => "exams");
    const app = router().route("/t/:tenant", tenant);
    const origin = { origin: "https://exambuddy.app" };
    expect(await app.handle(testRequest("GET", "/t/acme/exams", { headers: origin }))).toMatchObject({ status: 200, body: "exams" });
    expect(await app.handle(testRequest("GET", "/t/acme/zzz", { headers: origin }))).toMatchObject({ status: 404, body: "no such tenant thing", headers: { "access-control-allow-origin": "https://exambuddy.app" } });
    expect(await app.handle(testRequest("DELETE", "/t/acme/exams", { headers: origin }))).toMatchObject({ status: 405, headers: { "access-control-allow-origin": "https://exambuddy.app" } });
    expect(await app.handle(testRequest("GET", "/t/acme", { headers: origin }))).toMatchObject({ status: 404, body: "no such tenant thing" });
    // Not under it: another first segment, or no tenant segment.
    expect((await app.handle(testRequest("GET", "/x/acme/zzz", { headers: origin }))).body).not.toBe("no such tenant thing");
    expect((await app.handle(testRequest("GET", "/t", { headers: origin }))).headers).not.toHaveProperty("access-control-allow-origin");
  });
  it("a mounted route that clashes with an existing one throws naming both", () => {
    const group = router().get("/:id", () => 1);
    expect(() => router().get("/exams/:examId", () => 1).route("/exams", group)).toThrow("Route GET /exams/:id conflicts with GET /exams/:examId");
  });
});
