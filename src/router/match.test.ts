import { describe, expect, it } from "vitest";
import { BENCH_REQUESTS, BENCH_ROUTES } from "./cases.ts";
import { RouteTable } from "./match.ts";

// A table of [method, pattern, value] rows, added in order.
const routesOf = (...rows: Array<[string, string, string]>): RouteTable<string> => {
  const table = new RouteTable<string>();
  for (const [method, pattern, value] of rows) table.add(method, pattern, value);
  return table;
};

describe("RouteTable: the raw matcher", () => {
  const table = new RouteTable<string>();
  for (const r of BENCH_ROUTES) table.add(r.method, r.path, r.path);

  it.each(BENCH_REQUESTS.map((r) => [r.name, r] as const))("router-benchmark workload: %s", (_name, r) => {
    expect(table.find(r.method, r.path)).toEqual({ value: r.route, params: r.params });
  });
  it("misses return undefined; allowed() gives the 405's Allow", () => {
    expect(table.find("GET", "/event/abcd1234/comment")).toBeUndefined();
    expect(table.allowed("/event/abcd1234/comment")).toEqual(["POST"]);
    expect(table.allowed("/event/x")).toEqual(["GET", "HEAD"]);
    expect(table.allowed("/user")).toEqual(["GET", "HEAD"]);
    expect(table.allowed("/nope")).toEqual([]);
  });
  it("precedence: static → param → wildcard, at every depth", () => {
    const t = routesOf(["GET", "/a/b/d", "static"], ["GET", "/a/:x/c", "param"], ["GET", "/a/*", "wild"], ["GET", "/:p/b/c/d", "root-param"]);
    expect(t.find("GET", "/a/b/d")?.value).toBe("static");
    expect(t.find("GET", "/a/b/c")).toEqual({ value: "param", params: { x: "b" } });
    expect(t.find("GET", "/a/b/e")).toEqual({ value: "wild", params: { "*": "b/e" } });
    expect(t.find("GET", "/a/b/c/d")).toEqual({ value: "wild", params: { "*": "b/c/d" } });
    expect(t.find("GET", "/z/b/c/d")).toEqual({ value: "root-param", params: { p: "z" } });
  });
  it("precedence does not depend on registration order", () => {
    const t = routesOf(["GET", "/:p/b/c/d", "root-param"], ["GET", "/a/*", "wild"], ["GET", "/a/:x/c", "param"], ["GET", "/a/:x/:y", "two-params"]);
    expect(t.find("GET", "/a/b/c")?.value).toBe("param");
    expect(t.find("GET", "/a/b/e")?.value).toBe("two-params");
    expect(t.find("GET", "/a/b/e/f")?.value).toBe("wild");
  });
  it("method precedence for one shape: the method, then GET for HEAD, then all()", () => {
    const t = routesOf(["ALL", "/x/:id", "all"], ["GET", "/x/:id", "get"], ["HEAD", "/h/:id", "head"], ["GET", "/h/:id", "get-h"]);
    expect(t.find("GET", "/x/1")?.value).toBe("get");
    expect(t.find("HEAD", "/x/1")?.value).toBe("get");
    expect(t.find("POST", "/x/1")?.value).toBe("all");
    expect(t.find("MADE-UP", "/x/1")?.value).toBe("all");
    expect(t.find("HEAD", "/h/1")?.value).toBe("head");
  });
  it("a malformed escape in a param throws decodeURIComponent's URIError (the router answers 400)", () => {
    expect(() => table.find("GET", "/event/%E0%A4%A")).toThrow(URIError);
    expect(table.find("GET", "/event/%E0%A4%A8")?.params).toEqual({ id: "\u0928" });
  });
  it("a static path and a param route answering the same path: both methods in Allow, each found by its own", () => {
    const t = routesOf(["POST", "/exams/new", "create"], ["GET", "/exams/:id", "read"], ["DELETE", "/exams/new/", "drop"], ["ALL", "/any", "all"]);
    expect(t.find("GET", "/exams/new")?.value).toBe("read");
    expect(t.find("POST", "/exams/new")?.value).toBe("create");
    expect(t.find("DELETE", "/exams/new/")?.value).toBe("drop");
    expect(t.allowed("/exams/new")).toEqual(["DELETE", "GET", "HEAD", "POST"]);
    expect(t.allowed("/exams/other")).toEqual(["GET", "HEAD"]);
    expect(t.find("PATCH", "/any")?.value).toBe("all");
    expect(t.allowed("/nothing/here")).toEqual([]);
  });
  it("each param is decoded once, whichever of several carries the escape", () => {
    const t = routesOf(["GET", "/a/:x/b/:y", "two"]);
    expect(t.find("GET", "/a/plain/b/caf%C3%A9")?.params).toEqual({ x: "plain", y: "café" });
    expect(t.find("GET", "/a/100%25/b/y")?.params).toEqual({ x: "100%", y: "y" });
    expect(t.find("GET", "/a/x/b/y")?.params).toEqual({ x: "x", y: "y" });
  });
  it("static siblings sharing a prefix (comment, comments, co) all stay reachable", () => {
    const t = new RouteTable<string>();
    for (const seg of ["comment", "comments", "co", "c"]) t.add("GET", `/e/:id/${seg}`, seg);
    t.add("GET", "/e/:id/comments/:n", "deep");
    for (const seg of ["comment", "comments", "co", "c"]) expect(t.find("GET", `/e/1/${seg}`)?.value).toBe(seg);
    expect(t.find("GET", "/e/1/com")).toBeUndefined();
    expect(t.find("GET", "/e/1/comments/2")).toEqual({ value: "deep", params: { id: "1", n: "2" } });
  });
  it("regular-expression characters in static segments are literal", () => {
    const t = routesOf(["GET", "/files/:id/a.b+(c)", "literal"]);
    expect(t.find("GET", "/files/1/a.b+(c)")?.value).toBe("literal");
    expect(t.find("GET", "/files/1/aXb+(c)")).toBeUndefined();
  });
  it("static text no request can carry unencoded is refused, naming the encoded spelling (was: a route that never matched)", () => {
    expect(() => routesOf(["GET", "/café", "x"])).toThrow("route GET /café: paths are matched percent-encoded, as requests carry them; write /caf%C3%A9");
    expect(() => routesOf(["GET", "/a b/:id", "x"])).toThrow("write /a%20b/:id");
    expect(routesOf(["GET", "/caf%C3%A9/x_y~z(1)", "x"]).find("GET", "/caf%C3%A9/x_y~z(1)")?.value).toBe("x");
  });
  it("a path without a leading slash matches nothing", () => {
    expect(table.find("GET", "user")).toBeUndefined();
    expect(table.find("GET", "event/1")).toBeUndefined();
  });
  it("a conflicting route throws naming both patterns", () => {
    const t = routesOf(["GET", "/exams/:id", "a"]);
    expect(() => t.add("GET", "/exams/:examId", "b")).toThrow("Route GET /exams/:examId conflicts with GET /exams/:id");
    expect(() => t.add("POST", "/exams/:examId", "c")).not.toThrow();
  });
  it("made-up methods share one compiled expression (a client cannot grow the cache)", () => {
    const t = routesOf(["ALL", "/any/:x", "all"]);
    for (let i = 0; i < 100; i++) expect(t.find(`M${i}`, "/any/1")?.value).toBe("all");
  });
  it("a deep miss over many params stays linear", () => {
    const t = new RouteTable<number>();
    let path = "";
    for (let i = 0; i < 30; i++) {
      path += `/:p${i}`;
      t.add("GET", path + "/end", i);
      t.add("GET", path.replace(/:p\d+$/, "s"), i);
    }
    // A guard against catastrophic backtracking, not a timing target: an expression that backtracks over
    // 30 params tries ~2^30 paths (minutes); a linear one answers in well under a millisecond. The bound is
    // loose so a loaded CI machine cannot fail it.
    const started = performance.now();
    expect(t.find("GET", "/s".repeat(40))).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

// Found by hand mutation testing.
describe("RouteTable: edges", () => {
  it.each(["exams", "/a/:b?", "/a/:b.c", "/a/:b(\\d+)", "/a/*/b", "/a/b*", "/a/:x/:x", "/a/:__proto__"])("refuses %j at registration, naming the route", (pattern) => {
    expect(() => new RouteTable<string>().add("GET", pattern, "v")).toThrow(`route GET ${pattern}`);
  });
  it("a route added after a lookup is found: the compiled expressions are rebuilt", () => {
    const table = routesOf(["GET", "/a/:id", "a"]);
    expect(table.find("GET", "/b/1")).toBeUndefined();
    expect(table.allowed("/b/1")).toEqual([]);
    table.add("GET", "/b/:id", "b");
    expect(table.find("GET", "/b/1")).toEqual({ value: "b", params: { id: "1" } });
    expect(table.allowed("/b/1")).toEqual(["GET", "HEAD"]);
  });
  it("HEAD finds a GET route, static or with params, when no HEAD route exists", () => {
    const table = routesOf(["GET", "/health", "health"], ["GET", "/a/:id", "a"]);
    expect(table.find("HEAD", "/health")).toEqual({ value: "health", params: {} });
    expect(table.find("HEAD", "/a/1")).toEqual({ value: "a", params: { id: "1" } });
  });
  it("a last-segment * matches zero segments as an empty param, and more segments as their path", () => {
    const table = routesOf(["GET", "/files/*", "files"]);
    expect(table.find("GET", "/files")).toEqual({ value: "files", params: { "*": "" } });
    expect(table.find("GET", "/files/a/b%20c")).toEqual({ value: "files", params: { "*": "a/b c" } });
  });
  it("a :param never matches an empty segment", () => {
    const table = routesOf(["GET", "/a/:x/b", "a"]);
    expect(table.find("GET", "/a//b")).toBeUndefined();
    expect(table.find("GET", "/a/1/b")).toEqual({ value: "a", params: { x: "1" } });
  });
});
