import { describe, expect, it } from "vitest";
import { handle, json, type HttpRequest } from "../index.ts";
import { describedEvent, isLambdaEvent } from "./described-event.ts";
import type { DevSource } from "./http-event.ts";

// What the handler sees for a request description, whatever the source.
const echo = handle((req: HttpRequest) =>
  json({
    method: req.method, path: req.path, query: { ...req.queryAll }, cookies: { ...req.cookies }, type: req.headers["content-type"] ?? null,
    body: req.text(), auth: req.auth ?? null, oidc: req.headers["x-amzn-oidc-identity"] ?? null,
  }),
);
const seen = async (source: DevSource, description: Parameters<typeof describedEvent>[1]) =>
  JSON.parse(((await echo(describedEvent(source, description), { awsRequestId: "r" })) as { body: string }).body);

describe("npm run invoke: request descriptions", () => {
  it.each(["http", "rest", "alb", "alb-single", "url"] as const)("%s: a JSON object body is serialized as application/json, never dropped", async (source) => {
    const got = await seen(source, { method: "post", path: "/exams?a=1", query: { b: ["2", "3 4"] }, cookies: { sid: "s 1" }, body: { title: "Capitals", n: 3 } });
    expect(got).toMatchObject({ method: "POST", path: "/exams", type: "application/json", body: '{"title":"Capitals","n":3}', cookies: { sid: "s 1" } });
    expect(got.query.a).toEqual(["1"]);
    expect(got.query.b).toEqual(source === "alb-single" ? ["3 4"] : ["2", "3 4"]);
  });

  it("a string body is sent as is, with the content type given", async () => {
    expect(await seen("http", { method: "POST", path: "/x", headers: { "content-type": "text/csv" }, body: "a,b\n1,2" })).toMatchObject({ type: "text/csv", body: "a,b\n1,2" });
  });

  // Regression (issue 10): only npm start converted dev tokens; invoke passed them on as plain headers.
  it.each(["http", "http-v1", "rest"] as const)("%s: a dev token becomes the authorizer's claims, as npm start does", async (source) => {
    const got = await seen(source, { path: "/me", headers: { authorization: "Bearer dev.teacher.t-1" } });
    expect(got.auth).toMatchObject({ sub: "t-1", "custom:role": "teacher", "cognito:groups": "[teacher]" });
  });

  it.each(["alb", "alb-single"] as const)("%s: a dev token becomes the ALB's signed x-amzn-oidc-* headers", async (source) => {
    const got = await seen(source, { path: "/me", headers: { authorization: "Bearer dev.student.s-1" } });
    expect(got).toMatchObject({ auth: null, oidc: "s-1" });
  });

  it("the auth field gives claims directly, placed where the source's authorizer puts them", async () => {
    expect((await seen("rest", { path: "/me", auth: { sub: "u-9", "custom:role": "student" } })).auth).toEqual({ sub: "u-9", "custom:role": "student" });
    expect((await seen("alb", { path: "/me", auth: { sub: "u-9", "custom:role": "student" } })).oidc).toBe("u-9");
  });

  it("url: a Function URL with AWS_IAM never carries claims, so dev tokens are not converted and auth is refused", async () => {
    const event = describedEvent("url", { path: "/me", headers: { authorization: "Bearer dev.teacher.t-1" } });
    expect((event["requestContext"] as { authorizer: unknown }).authorizer).toMatchObject({ iam: { userArn: expect.stringMatching(/^arn:aws:sts::/) } });
    expect((await seen("url", { path: "/me", headers: { authorization: "Bearer dev.teacher.t-1" } })).auth).toBeNull();
    expect(() => describedEvent("url", { path: "/me", auth: { sub: "t-1" } })).toThrow(/never carries claims/);
  });

  it("refuses what it cannot send, naming the field", () => {
    expect(() => describedEvent("http", { path: "exams" })).toThrow(/"path" starting with \//);
    expect(() => describedEvent("http", { path: "/x", bdy: "x" } as never)).toThrow(/unknown field "bdy"/);
    expect(() => describedEvent("http", { path: "/x", auth: "t-1" } as never)).toThrow(/"auth" must be an object/);
  });

  it("tells events from descriptions", () => {
    expect(isLambdaEvent({ version: "2.0", requestContext: {} })).toBe(true);
    expect(isLambdaEvent({ httpMethod: "GET", path: "/" })).toBe(true);
    expect(isLambdaEvent({ method: "GET", path: "/" })).toBe(false);
  });
});
