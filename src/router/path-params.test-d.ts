import * as v from "valibot";
import { describe, expectTypeOf, it } from "vitest";
import type { PathParams } from "./path-params.ts";
import { router } from "./router.ts";
import type { Middleware, RouteOptions, Router } from "./types.ts";
import { validate } from "./validate.ts";

describe("PathParams", () => {
  it("reads :name and * from the pattern", () => {
    expectTypeOf<PathParams<"/exams/:examId">>().toEqualTypeOf<{ examId: string }>();
    expectTypeOf<PathParams<"/exams/:examId/questions/:n">>().toEqualTypeOf<{ examId: string; n: string }>();
    expectTypeOf<PathParams<"/files/*">>().toEqualTypeOf<{ "*": string }>();
    expectTypeOf<PathParams<"/orgs/:org/files/*">>().toEqualTypeOf<{ org: string; "*": string }>();
    expectTypeOf<PathParams<"/health">>().toEqualTypeOf<{}>();
    expectTypeOf<PathParams<"/a:b/c">>().toEqualTypeOf<{}>();
    expectTypeOf<PathParams<string>>().toEqualTypeOf<Record<string, string>>();
  });
});

describe("route handlers", () => {
  it("req.params and input.params are typed from the path literal", () => {
    router().get("/exams/:examId/files/*", (req, { params, query, body }) => {
      expectTypeOf(req.params).toEqualTypeOf<{ examId: string; "*": string }>();
      expectTypeOf(params).toEqualTypeOf<{ examId: string; "*": string }>();
      expectTypeOf(query).toEqualTypeOf<Record<string, string>>();
      expectTypeOf(body).toBeUnknown();
      // @ts-expect-error: no such param
      req.params.nope;
    });
  });
  it("schemas give the handler their output types (transforms applied)", () => {
    const Body = v.object({ title: v.string(), questions: v.array(v.object({ text: v.string() })) });
    const Query = v.object({ limit: v.optional(v.pipe(v.string(), v.transform(Number)), "20") });
    router({ validate }).post("/exams/:examId", { body: Body, query: Query, summary: "x" }, (req, input) => {
      expectTypeOf(input.body).toEqualTypeOf<{ title: string; questions: { text: string }[] }>();
      expectTypeOf(input.query).toEqualTypeOf<{ limit: number }>();
      expectTypeOf(input.params).toEqualTypeOf<{ examId: string }>();
      expectTypeOf(input.headers).toEqualTypeOf<Record<string, string>>();
      expectTypeOf(req.params).toEqualTypeOf<{ examId: string }>();
    });
  });
  it("middleware goes between the options and the handler", () => {
    const auth: Middleware = (req, next) => next();
    const Params = v.object({ n: v.pipe(v.string(), v.transform(Number)) });
    router({ validate })
      .get("/q/:n", auth, auth, (req) => {
        expectTypeOf(req.params).toEqualTypeOf<{ n: string }>();
      })
      .put("/q/:n", { params: Params }, auth, (_req, { params }) => {
        expectTypeOf(params).toEqualTypeOf<{ n: number }>();
      });
  });
});

describe("groups", () => {
  it("router<Prefix>() types a group's params with those of the prefix it is mounted under (was: req.params.examId rejected, TS2339)", () => {
    const questions = router<"/exams/:examId">()
      .get("/", (req) => {
        expectTypeOf(req.params).toEqualTypeOf<{ examId: string }>();
      })
      .get("/:questionId", (req, { params }) => {
        expectTypeOf(req.params).toEqualTypeOf<{ examId: string; questionId: string }>();
        expectTypeOf(params).toEqualTypeOf<{ examId: string; questionId: string }>();
        // @ts-expect-error: no such param
        req.params.nope;
      });
    router().route("/exams/:examId", questions).get("/health", (req) => {
      expectTypeOf(req.params).toEqualTypeOf<{}>();
    });
  });
});

describe("mounting a group typed for a prefix", () => {
  it("a group typed for /exams/:examId mounted where no :examId is is a type error (was: accepted, req.params.examId undefined at run time)", () => {
    const questions = router<"/exams/:examId">().get("/:questionId", (req) => req.params.examId);
    // @ts-expect-error: the prefix has no :examId, so the group's req.params.examId would be undefined
    router().route("/questions", questions);
    // @ts-expect-error: nor does the outer group's prefix add it
    router<"/orgs/:org">().route("/questions", questions);
    // The same names are enough (the router reads names, not the prefix's literal text); an outer group's prefix counts.
    router().route("/exams/:examId", questions).route("/tests/:examId/", questions);
    router<"/orgs/:org">().route("/exams/:examId", router<"/orgs/:org/exams/:examId">());
    // A prefix only known as a string, and an untyped group, go anywhere.
    const prefix: string = "/exams/:examId";
    router().route(prefix, questions).route("/health", router()).route("/exams/:examId", router());
  });
});

describe("route options", () => {
  it("a misspelled option is a type error, not a schema silently never checked (was: { querry } and { body, sumary } accepted)", () => {
    const Query = v.object({ n: v.string() });
    // @ts-expect-error: querry is no option: the query would go unvalidated
    router({ validate }).get("/c", { querry: Query, summary: "x" }, (_req, { query }) => query);
    // @ts-expect-error: sumary is no option
    router({ validate }).post("/b", { body: Query, sumary: "x" }, (_req, { body }) => body.n);
    router({ validate }).get("/d", { query: Query, summary: "x", tags: ["t"] }, (_req, { query }) => {
      expectTypeOf(query).toEqualTypeOf<{ n: string }>();
    });
  });
});

describe("schemas need router({ validate })", () => {
  const Body = v.object({ title: v.string() });
  it("a schema on a router made without validate is a type error where it is written (was: a throw at registration only)", () => {
    // @ts-expect-error: body: a schema needs router({ validate })
    router().post("/exams", { body: Body }, () => 1);
    // @ts-expect-error: params: a schema needs router({ validate })
    router<"/exams/:examId">().get("/q", { params: v.object({ examId: v.string() }) }, () => 1);
    // @ts-expect-error: chained, the router keeps what it was made with
    router().use((req, next) => next()).get("/health", () => "ok").put("/exams", { query: Body }, () => 1);
    // @ts-expect-error: made with options that hold no validate
    router({}).post("/exams", { body: Body }, () => 1);
  });
  it("what is no schema stays allowed, and schemas are fine with validate", () => {
    router().get("/health", { summary: "Liveness", tags: ["ops"], security: [], responses: { 200: Body } }, () => "ok");
    router().get("/health", { body: undefined }, () => "ok");
    // Options whose schemas may be undefined are left to registration (they compiled before Validating).
    const docs: RouteOptions = { summary: "Liveness", tags: ["ops"] };
    router().get("/health", docs, () => "ok");
    router().post("/exams", { body: process.env["STRICT"] ? Body : undefined }, () => 1);
    router({ validate }).post("/exams", { body: Body }, (_req, { body }) => body.title);
    router({ validate }).use((req, next) => next()).post("/exams", { body: Body }, (_req, { body }) => body.title);
  });
  it("Router alone, and a router whose validate is decided at run time, accept either", () => {
    const given = (process.env["VALIDATE"] ? { validate } : {}) as { validate?: typeof validate };
    router(given).post("/exams", { body: Body }, () => 1);
    const register = (app: Router) => app.post("/exams", { body: Body }, () => 1);
    register(router({ validate }));
    register(router());
    const group: Router<"/exams/:examId"> = router<"/exams/:examId">();
    router({ validate }).route("/exams/:examId", group).route("/x", router());
  });
});

