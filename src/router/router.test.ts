import { describe, expect, it } from "vitest";
import { CASES, caseApp } from "./cases.ts";
import { testRequest } from "./test-request.ts";
import { router } from "./router.ts";
import type { Middleware } from "./types.ts";

describe("router policies (cases.ts)", () => {
  const app = caseApp();
  it.each(CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const res = await app.handle(testRequest(c.method, c.path));
    expect(res.status).toBe(c.status);
    for (const name in c.headers) expect(res.headers?.[name], `header ${name}`).toBe(c.headers[name]);
    if (c.noBody) expect(res.body).toBeUndefined();
    if (c.bodyIncludes !== undefined) expect(res.body).toContain(c.bodyIncludes);
    const body = typeof res.body === "string" && res.body !== "" ? JSON.parse(res.body) : undefined;
    if (c.body) expect(body).toMatchObject(c.body);
    if (c.route !== undefined && !c.noBody) expect(body.route).toBe(c.route);
    if (c.params !== undefined) expect(body.params).toEqual(c.params);
    if (c.status >= 400 && !c.noBody) {
      expect(res.headers?.["content-type"]).toBe("application/problem+json");
      expect(body).toMatchObject({ status: c.status, requestId: "req-test" });
    }
  });
});

describe("router: registration", () => {
  it("a duplicate METHOD path throws naming both routes", async () => {
    const { router } = await import("./router.ts");
    expect(() => router().get("/exams/:id", () => 1).get("/exams/:examId", () => 2)).toThrow("Route GET /exams/:examId conflicts with GET /exams/:id");
    expect(() => router().get("/a", () => 1).get("/a/", () => 2)).toThrow("Route GET /a/ conflicts with GET /a");
    expect(() => router().get("/a/:x", () => 1).post("/a/:x", () => 2).all("/a/:y", () => 3)).not.toThrow();
  });
  it.each([
    ["a path without a leading slash", "exams", "exams"],
    ["an empty path", "", ""],
    ["an optional param", "/a/:id?", ":id?"],
    ["a regex param", "/a/:id(\\d+)", ":id(\\d+)"],
    ["a param with a suffix", "/files/:name.pdf", ":name.pdf"],
    ["a wildcard mid-path", "/a/*/b", "*"],
    ["a wildcard inside a segment", "/files/*.txt", "*.txt"],
    ["a param name used twice", "/a/:id/b/:id", ":id"],
    ["an empty param name", "/a/:", ":"],
    ["a param named __proto__ (it would set the params object's prototype)", "/a/:__proto__", ":__proto__"],
  ])("refuses %s at registration, naming the route, the segment it cannot serve and the rules (was: the rules alone, the user left to find which one failed)", async (_name, path, segment) => {
    const { router } = await import("./router.ts");
    expect(() => router().get(path, () => 1)).toThrow(`route GET ${path}: cannot serve "${segment}" (paths start with /; params are whole :name segments of letters, digits, _ or -, each name once; * only as the last segment)`);
  });
  it.each(["/", "/a", "/a/:id", "/a/:id/b/:other-id_2", "/files/*", "/*", "/a:b/c", "/v1.2/x"])("accepts %s", async (path) => {
    const { router } = await import("./router.ts");
    expect(() => router().get(path, () => 1)).not.toThrow();
  });
  it("refuses a handler or middleware that is not a function, and a schema that is not a Standard Schema", async () => {
    const { router } = await import("./router.ts");
    expect(() => router().get("/a", "nope" as never)).toThrow("route GET /a: middleware and handlers are functions, not a string");
    expect(() => router().get("/a", (() => 1) as never, 42 as never)).toThrow(/not a number/);
    // A missing handler: "not undefined" (was "not a undefined").
    expect(() => router().post("/a", {} as never)).toThrow("route POST /a: middleware and handlers are functions, not undefined");
    expect(() => router().use(null as never)).toThrow("app.use: middleware and handlers are functions, not null");
    expect(() => router().post("/a", { body: { parse() {} } } as never, () => 1)).toThrow("route POST /a: the body schema is not a Standard Schema");
  });
  it("a route with schemas needs router({ validate }), and says so", async () => {
    const { router } = await import("./router.ts");
    const schema = { "~standard": { version: 1, vendor: "x", validate: (value: unknown) => ({ value }) } } as const;
    // A type error too (see path-params.test-d.ts): thrown for JavaScript callers and routers typed Router.
    expect(() => router().post("/a", { body: schema } as never, () => 1)).toThrow("route POST /a has schemas: create the router with router({ validate })");
  });
  it("routes() lists method, path, schemas, summary and every option in registration order", async () => {
    const { router } = await import("./router.ts");
    const schema = { "~standard": { version: 1, vendor: "x", validate: (value: unknown) => ({ value }) } } as const;
    const { validate } = await import("./validate.ts");
    const opts = { body: schema, summary: "Make a b", tags: ["b"] };
    const app = router({ validate })
      .get("/a", () => 1)
      .post("/b/:id", opts, () => 2);
    expect(app.routes()).toEqual([
      { method: "GET", path: "/a", schemas: {}, summary: undefined, options: {} },
      { method: "POST", path: "/b/:id", schemas: { body: schema }, summary: "Make a b", options: opts },
    ]);
  });
});

describe("routes() rows are copies", () => {
  it("a caller changing a row, its schemas or its options changes neither routing, validation nor the next routes() (was: the live rows)", async () => {
    const { router } = await import("./router.ts");
    const { validate } = await import("./validate.ts");
    const schema = (ok: boolean) => ({ "~standard": { version: 1, vendor: "x", validate: (value: unknown) => (ok ? { value } : { issues: [{ message: "refused" }] }) } }) as const;
    const app = router({ validate }).post("/b/:id", { body: schema(true), summary: "Make a b" }, (req) => req.route);
    const [row] = app.routes();
    Object.assign(row!, { method: "GET", path: "/evil", summary: "changed" });
    row!.schemas.body = schema(false);
    row!.options.body = schema(false);
    row!.options.tags = ["changed"];
    expect(app.routes()).toEqual([{ method: "POST", path: "/b/:id", schemas: { body: expect.anything() }, summary: "Make a b", options: { body: expect.anything(), summary: "Make a b" } }]);
    const res = await app.handle(testRequest("POST", "/b/1", { headers: { "content-type": "application/json" }, body: "{}" }));
    expect([res.status, res.body]).toEqual([200, "/b/:id"]);
    // A group mounted after its rows were changed keeps its own.
    const parent = router({ validate }).route("/api", app);
    expect(parent.routes().map((r) => `${r.method} ${r.path}`)).toEqual(["POST /api/b/:id"]);
  });
});

describe("router end to end through handle(app)", async () => {
  const { createEvent, handle } = await import("../index.ts");
  const { router } = await import("./router.ts");
  const { cors } = await import("./cors.ts");
  const app = router()
    .use(cors({ origin: ["https://exambuddy.app"] }))
    .get("/exams/:examId", (req) => ({ id: req.params.examId }))
    .delete("/exams/:examId", () => null);
  const handler = handle(app);
  const ctx = { awsRequestId: "lambda-id" };

  it("HTTP API: params decoded once from the re-encoded path", async () => {
    const res = await handler(createEvent("http-api-v2", { method: "GET", path: "/exams/a%20b%2525", requestId: "rid" }), ctx);
    expect(res).toMatchObject({ statusCode: 200, body: '{"id":"a b%25"}', headers: { "x-request-id": "rid" } });
  });
  it("ALB: GET answers HEAD with headers and no body", async () => {
    const res = await handler(createEvent("alb", { method: "HEAD", path: "/exams/e-1" }), ctx);
    expect(res).toMatchObject({ statusCode: 200, body: "", headers: { "content-type": "application/json; charset=utf-8" } });
  });
  it("REST: 405 with Allow, as problem+json", async () => {
    const res = await handler(createEvent("apigw-v1", { method: "PUT", path: "/exams/e-1", requestId: "rest-id" }), ctx);
    expect(res).toMatchObject({ statusCode: 405, headers: { allow: "DELETE, GET, HEAD", "content-type": "application/problem+json" } });
    expect(JSON.parse(res.body)).toMatchObject({ status: 405, requestId: "rest-id" });
  });
  it("Function URL: a preflight without an OPTIONS route is a 204", async () => {
    const res = await handler(createEvent("function-url", { method: "OPTIONS", path: "/exams/e-1", headers: { origin: "https://exambuddy.app", "access-control-request-method": "DELETE" } }), ctx);
    expect(res).toMatchObject({ statusCode: 204, headers: { "access-control-allow-origin": "https://exambuddy.app" } });
  });
  it("REST: a malformed escape in a param is a 400, not a crash", async () => {
    const res = await handler(createEvent("apigw-v1", { method: "GET", path: "/exams/%E0%A4%A" }), ctx);
    expect(res).toMatchObject({ statusCode: 400 });
  });
});

// Found by hand mutation testing.
describe("router: edges of paths and groups", () => {
  // Marks a response as having passed a group's middleware, as its cors() would.
  const tag = (name: string): Middleware => async (_req, next) => {
    const res = await next();
    return { ...res, headers: { ...res.headers, "x-group": name } };
  };
  it("a path of 8192 characters is routed; one of 8193 is a 414", async () => {
    const app = router().get("/*", () => "ok");
    expect((await app.handle(testRequest("GET", "/" + "a".repeat(8191)))).status).toBe(200);
    expect((await app.handle(testRequest("GET", "/" + "a".repeat(8192)))).status).toBe(414);
  });
  it("a 404 under a group with no middleware nor notFound of its own passes the enclosing group's middleware", async () => {
    const app = router().route("/api", router().use(tag("api")).get("/a", () => "a")).route("/api/v1", router().get("/b", () => "b"));
    const res = await app.handle(testRequest("GET", "/api/v1/nope"));
    expect(res.status).toBe(404);
    expect(res.headers?.["x-group"]).toBe("api");
  });
  it('a group mounted at "/" sees every 404', async () => {
    const app = router().route("/", router().use(tag("root")).get("/a", () => "a"));
    const res = await app.handle(testRequest("GET", "/nope"));
    expect(res.status).toBe(404);
    expect(res.headers?.["x-group"]).toBe("root");
  });
  it("the innermost group's notFound answers, whatever the order the groups were mounted in: static before :param, longer before shorter", async () => {
    const app = router()
      .route("/:tenant", router().notFound(() => "tenant").get("/a", () => "a"))
      .route("/api", router().notFound(() => "api").get("/a", () => "a"))
      .route("/api/v1", router().notFound(() => "v1").get("/a", () => "a"));
    expect((await app.handle(testRequest("GET", "/api/zzz"))).body).toBe("api");
    expect((await app.handle(testRequest("GET", "/api/v1/zzz"))).body).toBe("v1");
    expect((await app.handle(testRequest("GET", "/acme/zzz"))).body).toBe("tenant");
  });
  it('app.route() refuses a prefix without a leading "/", naming it', () => {
    expect(() => router().route("api", router())).toThrow('app.route("api"): a prefix starts with "/"');
  });
  it("HEAD on an async GET handler: its status and headers, no body", async () => {
    const res = await router().get("/a", async () => "body").handle(testRequest("HEAD", "/a"));
    expect(res.status).toBe(200);
    expect(res.headers?.["content-type"]).toBe("text/plain; charset=utf-8");
    expect(res.body).toBeUndefined();
  });
});

describe("router: a group mounted at a wildcard prefix", () => {
  it('its middleware sees a 405 at the prefix itself, as its route "/files/*" answers "/files" (was: only below it)', async () => {
    const tag: Middleware = async (_req, next) => {
      const res = await next();
      return { ...res, headers: { ...res.headers, "x-group": "files" } };
    };
    const app = router().route("/files/*", router().use(tag).get("/", () => "f"));
    for (const path of ["/files", "/files/a"]) {
      expect((await app.handle(testRequest("GET", path))).headers?.["x-group"], `GET ${path}`).toBe("files");
      const res = await app.handle(testRequest("POST", path));
      expect([res.status, res.headers?.["x-group"]], `POST ${path}`).toEqual([405, "files"]);
    }
  });
});
