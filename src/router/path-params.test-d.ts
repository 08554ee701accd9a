import * as v from "valibot";
import { describe, expectTypeOf, it } from "vitest";
import type { PathParams } from "./path-params.ts";
import { router } from "./router.ts";
import type { Middleware } from "./types.ts";

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
    router().post("/exams/:examId", { body: Body, query: Query, summary: "x" }, (req, input) => {
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
    router()
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
    router().get("/c", { querry: Query, summary: "x" }, (_req, { query }) => query);
    // @ts-expect-error: sumary is no option
    router().post("/b", { body: Query, sumary: "x" }, (_req, { body }) => body.n);
    router().get("/d", { query: Query, summary: "x", tags: ["t"] }, (_req, { query }) => {
      expectTypeOf(query).toEqualTypeOf<{ n: string }>();
    });
  });
});
