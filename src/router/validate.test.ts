import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { router as bareRouter } from "./router.ts";
import { validate } from "./validate.ts";
import type { StandardSchemaV1 } from "./standard-schema.ts";
import { testRequest } from "./test-request.ts";

const router = () => bareRouter({ validate });

const Exam = v.object({
  title: v.pipe(v.string(), v.trim(), v.minLength(1)),
  questions: v.array(v.object({ text: v.pipe(v.string(), v.minLength(1)), points: v.optional(v.number(), 1) })),
});
// Query values are strings: coerce in the schema.
const Paging = v.object({ limit: v.optional(v.pipe(v.string(), v.transform(Number), v.integer(), v.minValue(1)), "20") });
const Params = v.object({ examId: v.pipe(v.string(), v.regex(/^e-\d+$/)) });
const Headers = v.object({ "x-tenant": v.pipe(v.string(), v.minLength(2)) });

const app = router().put("/exams/:examId", { params: Params, query: Paging, headers: Headers, body: Exam }, (_req, input) => input);
const good = JSON.stringify({ title: "  Algebra ", questions: [{ text: "1+1?" }] });
const send = (url: string, body: string | undefined, headers: Record<string, string> = { "content-type": "application/json", "x-tenant": "acme" }) =>
  app.handle(testRequest("PUT", url, { headers, body })).then((res) => ({ status: res.status, headers: res.headers, json: res.body ? JSON.parse(res.body as string) : undefined }));

describe("validation through Standard Schema (valibot)", () => {
  it("the handler gets the parsed output: transforms and defaults applied", async () => {
    const res = await send("/exams/e-1?limit=5", good);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ params: { examId: "e-1" }, query: { limit: 5 }, headers: { "x-tenant": "acme" }, body: { title: "Algebra", questions: [{ text: "1+1?", points: 1 }] } });
    expect((await send("/exams/e-1", good)).json.query).toEqual({ limit: 20 });
  });
  it("422 lists every issue of every location in one problem, with dotted paths", async () => {
    const body = JSON.stringify({ title: "", questions: [{ text: "ok" }, { text: "" }, { points: 1 }] });
    const res = await send("/exams/nope?limit=0", body, { "content-type": "application/json", "x-tenant": "a" });
    expect(res.status).toBe(422);
    expect(res.headers?.["content-type"]).toBe("application/problem+json");
    expect(res.json).toMatchObject({ type: "about:blank", title: "Unprocessable Content", status: 422, requestId: "req-test" });
    expect(res.json.errors.map((e: { path: string }) => e.path)).toEqual(["params.examId", "query.limit", "headers.x-tenant", "body.title", "body.questions.1.text", "body.questions.2.text"]);
    for (const e of res.json.errors) expect(typeof e.message).toBe("string");
  });
  it("a 422 lists at most 20 issues and counts the rest (bounded answers for hostile bodies)", async () => {
    const many = router().post("/many", { body: v.array(v.number()) }, () => 1);
    const body = JSON.stringify(Array.from({ length: 5000 }, () => "x"));
    const res = await many.handle(testRequest("POST", "/many", { headers: { "content-type": "application/json" }, body }));
    const problem = JSON.parse(res.body as string);
    expect(res.status).toBe(422);
    expect(problem.errors).toHaveLength(20);
    expect(problem.more).toBe(4980);
    expect(problem.detail).toBe("The request has 5000 invalid values.");
    expect((res.body as string).length).toBeLessThan(4000);
  });
  it("malformed JSON is a 400 from the request model, never reaching the handler", async () => {
    const res = await send("/exams/e-1", "{ nope");
    expect(res.status).toBe(400);
    expect(res.json.detail).toMatch(/not valid JSON/);
  });
  it("a non-empty body that is not JSON is a 415; *+json is JSON", async () => {
    expect((await send("/exams/e-1", good, { "content-type": "text/plain", "x-tenant": "acme" })).status).toBe(415);
    expect((await send("/exams/e-1", good, { "x-tenant": "acme" })).status).toBe(415);
    expect((await send("/exams/e-1", good, { "content-type": "application/x-www-form-urlencoded", "x-tenant": "acme" })).status).toBe(415);
    expect((await send("/exams/e-1", good, { "content-type": "application/merge-patch+json; charset=utf-8", "x-tenant": "acme" })).status).toBe(200);
    expect((await send("/exams/e-1", good, { "content-type": "Application/JSON;charset=UTF-8", "x-tenant": "acme" })).status).toBe(200);
  });
  it("an empty body validates as undefined: 422 for a required body, fine for an optional one", async () => {
    const res = await send("/exams/e-1", undefined, { "x-tenant": "acme" });
    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual([{ path: "body", message: expect.any(String) }]);
    const opt = router().post("/x", { body: v.optional(v.object({ a: v.string() })) }, (_r, { body }) => ({ got: body ?? null }));
    expect(JSON.parse((await opt.handle(testRequest("POST", "/x"))).body as string)).toEqual({ got: null });
  });
  it("any Standard Schema works, async ones and { key } path items included", async () => {
    const asyncSchema: StandardSchemaV1<unknown, { n: number }> = {
      "~standard": {
        version: 1,
        vendor: "hand-made",
        validate: async (value) => (typeof (value as { n?: unknown }).n === "number" ? { value: value as { n: number } } : { issues: [{ message: "n must be a number", path: [{ key: "n" }] }] }),
      },
    };
    const a = router().post("/n", { body: asyncSchema }, (_r, { body }) => ({ doubled: body.n * 2 }));
    const ok = await a.handle(testRequest("POST", "/n", { headers: { "content-type": "application/json" }, body: '{"n":2}' }));
    expect(JSON.parse(ok.body as string)).toEqual({ doubled: 4 });
    const bad = await a.handle(testRequest("POST", "/n", { headers: { "content-type": "application/json" }, body: '{"n":"2"}' }));
    expect(JSON.parse(bad.body as string).errors).toEqual([{ path: "body.n", message: "n must be a number" }]);
  });
  it("routes without a body schema never read the body", async () => {
    const a = router().post("/raw", (req, { body }) => ({ body: body ?? null, text: req.text() }));
    const res = await a.handle(testRequest("POST", "/raw", { headers: { "content-type": "text/plain" }, body: "{ not json" }));
    expect(JSON.parse(res.body as string)).toEqual({ body: null, text: "{ not json" });
  });
  it("an empty issues list is a failure too: a 422, the handler never runs on unchecked input (was: 200)", async () => {
    let ran = false;
    const lax: StandardSchemaV1 = { "~standard": { version: 1, vendor: "hand", validate: () => ({ issues: [] }) } };
    const res = await router()
      .post("/a", { body: lax }, () => ((ran = true), "ran"))
      .handle(testRequest("POST", "/a", { headers: { "content-type": "application/json" }, body: '{"evil":1}' }));
    expect(res.status).toBe(422);
    expect(JSON.parse(res.body as string).errors).toEqual([{ path: "body", message: "Invalid value" }]);
    expect(ran).toBe(false);
  });
  it("what a 422 or 415 echoes is clipped: a message quoting a 400 KB value, a 200,000-character key, a 50 KB content-type (was: echoed whole, 2× the request)", async () => {
    const Emails = v.array(v.pipe(v.string(), v.email(), v.regex(/@school\.edu$/)));
    const Keys = v.record(v.string(), v.number());
    const app = router()
      .post("/emails", { body: Emails }, () => "ok")
      .post("/keys", { body: Keys }, () => "ok");
    const big = "x".repeat(400_000);
    const json = { "content-type": "application/json" };
    const emails = await app.handle(testRequest("POST", "/emails", { headers: json, body: JSON.stringify(Array(10).fill(big)) }));
    expect(emails.status).toBe(422);
    expect((emails.body as string).length).toBeLessThan(10_000);
    const keys = await app.handle(testRequest("POST", "/keys", { headers: json, body: JSON.stringify({ ["k".repeat(200_000)]: "not a number" }) }));
    expect(keys.status).toBe(422);
    expect(JSON.parse(keys.body as string).errors[0].path.length).toBeLessThanOrEqual(201);
    const type = await app.handle(testRequest("POST", "/keys", { headers: { "content-type": "text/" + "p".repeat(50_000) }, body: "{}" }));
    expect(type.status).toBe(415);
    expect((type.body as string).length).toBeLessThan(1_000);
  });
  it("a JSON media type needs a real subtype before +json: application/+json and application/x/y+json are a 415 (was: read as JSON)", async () => {
    const app = router().post("/a", { body: v.object({}) }, () => "ok");
    for (const type of ["application/+json", "application/x/y+json", "text/foo+json"]) {
      expect((await app.handle(testRequest("POST", "/a", { headers: { "content-type": type }, body: "{}" }))).status, type).toBe(415);
    }
    for (const type of ["application/json", "application/vnd.api+json", "APPLICATION/PROBLEM+JSON; charset=utf-8"]) {
      expect((await app.handle(testRequest("POST", "/a", { headers: { "content-type": type }, body: "{}" }))).status, type).toBe(200);
    }
  });
  it("a query schema sees every value sent: a repeated key is a list, so v.array() validates ?tag=a&tag=b, and a string schema refuses a second value instead of dropping it unseen (was: the first value only, an array schema could never pass)", async () => {
    const app = router()
      .get("/tags", { query: v.object({ tag: v.optional(v.array(v.string())) }) }, (_req, { query }) => query)
      .get("/one", { query: v.object({ q: v.string() }) }, (_req, { query }) => query)
      .get("/free", (req, { query }) => ({ query, first: req.query["q"] }));
    const get = async (url: string) => {
      const res = await app.handle(testRequest("GET", url));
      return { status: res.status, json: JSON.parse(res.body as string) };
    };
    expect(await get("/tags?tag=a&tag=b&tag=a")).toEqual({ status: 200, json: { tag: ["a", "b", "a"] } });
    expect(await get("/tags")).toEqual({ status: 200, json: {} });
    expect(await get("/one?q=x")).toEqual({ status: 200, json: { q: "x" } });
    const twice = await get("/one?q=x&q=y");
    expect(twice.status).toBe(422);
    expect(twice.json.errors.map((e: { path: string }) => e.path)).toEqual(["query.q"]);
    // A key sent once stays a string (what most schemas expect); without a query schema, input.query is req.query.
    expect((await get("/tags?tag=a")).status).toBe(422);
    expect(await get("/free?q=x&q=y")).toEqual({ status: 200, json: { query: { q: "x" }, first: "x" } });
    // Keys are request text: inherited names stay plain keys.
    const proto = await app.handle(testRequest("GET", "/one?q=1&__proto__=a&__proto__=b"));
    expect(proto.status).toBe(200);
  });
});

// Found by hand mutation testing.
describe("validate: edges of media types, counts and clipping", () => {
  const Body = v.object({ a: v.number() });
  const echo = router().post("/b", { body: Body }, (_req, { body }) => body);
  const post = (type: string) => echo.handle(testRequest("POST", "/b", { headers: { "content-type": type }, body: '{"a":1}' }));
  it.each(["application/jsonx", "application/json-seq", "application/json+x", "text/json"])("a body sent as %s is a 415", async (type) => {
    expect((await post(type)).status).toBe(415);
  });
  it.each(["application/json", "application/json ; charset=utf-8", "application/vnd.api+json", "APPLICATION/JSON"])("a body sent as %s is read", async (type) => {
    const res = await post(type);
    expect([res.status, res.body]).toEqual([200, '{"a":1}']);
  });

  // A schema answering with the given issues, whatever it is given.
  const failing = (issues: Array<{ message: string; path?: PropertyKey[] }>): StandardSchemaV1 => ({ "~standard": { version: 1, vendor: "test", validate: () => ({ issues }) } });
  const problemOf = async (schemas: { params?: StandardSchemaV1; query?: StandardSchemaV1 }) => {
    const res = await router().get("/q/:id", schemas, () => "never").handle(testRequest("GET", "/q/1"));
    expect(res.status).toBe(422);
    return JSON.parse(res.body as string);
  };
  it("the 20th issue is listed, an empty issues list's too, and nothing is counted as more", async () => {
    const problem = await problemOf({ params: failing(Array.from({ length: 19 }, (_, i) => ({ message: `m${i}`, path: [`k${i}`] }))), query: failing([]) });
    expect(problem.errors).toHaveLength(20);
    expect(problem.errors[19]).toEqual({ path: "query", message: "Invalid value" });
    expect(problem).not.toHaveProperty("more");
  });
  it("the detail counts in the singular for one invalid value", async () => {
    expect((await problemOf({ query: failing([{ message: "bad" }]) })).detail).toBe("The request has 1 invalid value.");
    expect((await problemOf({ query: failing([{ message: "bad" }, { message: "worse" }]) })).detail).toBe("The request has 2 invalid values.");
  });
  it("a message of 200 characters is echoed whole; one of 201 is clipped to 200 and an ellipsis", async () => {
    const [whole, clipped] = (await problemOf({ query: failing([{ message: "m".repeat(200) }, { message: "n".repeat(201) }]) })).errors;
    expect(whole.message).toBe("m".repeat(200));
    expect(clipped.message).toBe("n".repeat(200) + "…");
  });
});
