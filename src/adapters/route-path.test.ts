import { describe, expect, it } from "vitest";
import { canonicalPath } from "../lib/canonical-path.ts";
import { createEvent, handle, router } from "../index.ts";
import { pathStage, routePath } from "./route-path.ts";

describe("canonical paths", () => {
  it.each([
    ["/exams/e-1", "/exams/e-1"],
    ["/files/a%20b", "/files/a%20b"],
    ["/files/a%2fb", "/files/a%2Fb"], // the same byte, its hex upper-cased as HTTP API sends it (RFC 3986 §6.2.2.1)
    ["/caf%c3%a9/x%2F", "/caf%C3%A9/x%2F"],
    ["/files/a b", "/files/a%20b"],
    ["/files/é", "/files/%C3%A9"],
    ["/100%", "/100%25"],
    ["/bad%zz", "/bad%25zz"],
    ["/a%2", "/a%252"],
    ["/q\"<>", "/q%22%3C%3E"],
    ["/emoji/😀", "/emoji/%F0%9F%98%80"],
  ])("encoded source %j → %j", (input, expected) => {
    expect(canonicalPath(input, false)).toBe(expected);
  });

  it.each([
    ["/exams/e-1", "/exams/e-1"],
    ["/files/a b/é", "/files/a%20b/%C3%A9"],
    ["/files/a%20b", "/files/a%2520b"], // a literal % in a decoded path is data
    ["/x/:~!$&'()*+,;=@", "/x/:~!$&'()*+,;=@"],
    ["/lone/\ud800", "/lone/%EF%BF%BD"],
  ])("decoded source %j → %j", (input, expected) => {
    expect(canonicalPath(input, true)).toBe(expected);
  });

  it("a path that is not a string is refused, naming the field", () => {
    expect(() => canonicalPath(42, true)).toThrow("the event's path is number, not a string");
  });

  it("never double-encodes an already canonical path", () => {
    const once = canonicalPath("/a b/%C3%A9/%25", false);
    expect(canonicalPath(once, false)).toBe(once);
  });
});

describe("lower-case hex in an encoded path", () => {
  it.each(["apigw-v1", "alb", "function-url", "http-api-v2"] as const)("%s: an escape's lower-case hex finds the route spelled upper-case, and the basePath too (was: a 404 on the encoded sources)", async (source) => {
    const app = router().get("/caf%C3%A9", () => "café");
    expect(await handle(app)(createEvent(source, { path: "/caf%c3%a9" }), { awsRequestId: "x" })).toMatchObject({ statusCode: 200, body: "café" });
    const mounted = handle(router().get("/x", () => "x"), { basePath: "/caf%C3%A9" });
    expect(await mounted(createEvent(source, { path: "/caf%c3%a9/x" }), { awsRequestId: "x" })).toMatchObject({ statusCode: 200 });
  });
});

describe("routePath: custom domains and basePath spellings", () => {
  it.each([
    ["http-api-v2", (e: any): void => void Object.assign(e, { rawPath: "/dev/notes" }, { requestContext: { ...e.requestContext, stage: "dev", domainName: "api.exambuddy.example" } })],
    ["apigw-v1", (e: any): void => void Object.assign(e, { version: "1.0", path: "/dev/notes" }, { requestContext: { ...e.requestContext, stage: "dev", domainName: "api.exambuddy.example" } })],
  ] as const)("%s on a custom domain: a leading segment named like the stage is the route's own (was: stripped, /dev/notes routed as /notes)", async (source, onCustomDomain) => {
    const app = router().get("/dev/notes", () => "dev notes").get("/notes", () => "notes");
    const event = createEvent(source, { path: "/dev/notes" }) as any;
    onCustomDomain(event);
    expect(await handle(app)(event, { awsRequestId: "x" })).toMatchObject({ statusCode: 200, body: "dev notes" });
    // On the execute-api host the stage still goes.
    const direct = createEvent(source, { path: "/notes", stage: "dev" });
    expect(await handle(app)(direct, { awsRequestId: "x" })).toMatchObject({ statusCode: 200, body: "notes" });
  });
  it.each([["/a b"], ["/café"], ["/caf%c3%a9"]])("basePath %j strips its percent-encoded spelling (was: compared as written, never stripped)", async (basePath) => {
    const encoded = basePath === "/a b" ? "/a%20b" : "/caf%C3%A9";
    const app = handle(router().get("/x", () => "x"), { basePath });
    expect(await app(createEvent("alb", { path: `${encoded}/x` }), { awsRequestId: "x" })).toMatchObject({ statusCode: 200, body: "x" });
  });
});

describe("routePath: stage and basePath", () => {
  it.each([
    ["/dev/exams", "dev", {}, "/exams"],
    ["/dev", "dev", {}, "/"],
    ["/devices", "dev", {}, "/devices"],
    ["/dev/exams", "dev", { stripStage: false }, "/dev/exams"],
    ["/$default/x", "$default", {}, "/$default/x"],
    ["/v1/x", undefined, { basePath: "/v1/" }, "/x"],
    ["/v1", undefined, { basePath: "v1" }, "/"],
    ["/v10/x", undefined, { basePath: "/v1" }, "/v10/x"],
    ["/x", undefined, { basePath: "/" }, "/x"],
    ["/dev/v1/x", "dev", { basePath: "v1" }, "/x"],
    ["", undefined, {}, "/"],
  ])("%j with stage %j and %j → %j", (path, stage, options, expected) => {
    expect(routePath(path, true, stage, options)).toBe(expected);
  });
});

// Found by hand mutation testing.
describe("routePath and pathStage: edges", () => {
  it('a basePath of "/" strips nothing, even from a path starting "//"', () => {
    expect(routePath("//a", false, undefined, { basePath: "/" })).toBe("//a");
    expect(routePath("/a", false, undefined, { basePath: "/" })).toBe("/a");
  });
  it("the $default stage is the stage on a custom domain too (it is never a path segment to strip)", () => {
    expect(pathStage("$default", "api.example.com")).toBe("$default");
    expect(pathStage("dev", "api.example.com")).toBeUndefined();
  });
  it("a stage that is not a string (a malformed event) is none: its toString is never called", () => {
    const stage = { toString: () => "dev" };
    expect(pathStage(7 as never, undefined)).toBeUndefined();
    expect(pathStage(stage as never, "x.execute-api.us-east-1.amazonaws.com")).toBeUndefined();
  });
  it.each([
    ["/users/me@example.com/a b", "/users/me@example.com/a%20b"],
    ["/a:b;c=d,e/f g", "/a:b;c=d,e/f%20g"],
    ["/emoji/😀 x", "/emoji/%F0%9F%98%80%20x"],
  ])("decoded source %j → %j (pchar kept, an emoji as its four bytes)", (input, expected) => {
    expect(canonicalPath(input, true)).toBe(expected);
  });
});
