import { describe, expect, it } from "vitest";
import { BENCH_REQUESTS, BENCH_ROUTES } from "./cases.ts";
import { addRoute, allowedMethods, createMatcher, findRoute } from "./match.ts";

describe("findRoute: the raw matcher", () => {
  const m = createMatcher<string>();
  for (const r of BENCH_ROUTES) addRoute(m, r.method, r.path, r.path);

  it.each(BENCH_REQUESTS.map((r) => [r.name, r] as const))("router-benchmark workload: %s", (_name, r) => {
    expect(findRoute(m, r.method, r.path)).toEqual({ value: r.route, params: r.params });
  });
  it("misses return undefined; allowedMethods gives the 405's Allow", () => {
    expect(findRoute(m, "GET", "/event/abcd1234/comment")).toBeUndefined();
    expect(allowedMethods(m, "/event/abcd1234/comment")).toEqual(["POST"]);
    expect(allowedMethods(m, "/event/x")).toEqual(["GET", "HEAD"]);
    expect(allowedMethods(m, "/nope")).toEqual([]);
  });
  it("backtracks: static → param → wildcard, at every depth", () => {
    const t = createMatcher<string>();
    addRoute(t, "GET", "/a/b/d", "static");
    addRoute(t, "GET", "/a/:x/c", "param");
    addRoute(t, "GET", "/a/*", "wild");
    addRoute(t, "GET", "/:p/b/c/d", "root-param");
    expect(findRoute(t, "GET", "/a/b/d")?.value).toBe("static");
    expect(findRoute(t, "GET", "/a/b/c")).toEqual({ value: "param", params: { x: "b" } });
    expect(findRoute(t, "GET", "/a/b/e")).toEqual({ value: "wild", params: { "*": "b/e" } });
    expect(findRoute(t, "GET", "/a/b/c/d")).toEqual({ value: "wild", params: { "*": "b/c/d" } });
    expect(findRoute(t, "GET", "/z/b/c/d")).toEqual({ value: "root-param", params: { p: "z" } });
  });
  it("a malformed escape in a param throws decodeURIComponent's URIError (the router answers 400)", () => {
    expect(() => findRoute(m, "GET", "/event/%E0%A4%A")).toThrow(URIError);
    expect(findRoute(m, "GET", "/event/%E0%A4%A8")?.params).toEqual({ id: "\u0928" });
  });
  it("static siblings sharing a first char (comment, comments, co) all stay reachable", () => {
    const t = createMatcher<string>();
    for (const seg of ["comment", "comments", "co", "c"]) addRoute(t, "GET", `/e/:id/${seg}`, seg);
    addRoute(t, "GET", "/e/:id/comments/:n", "deep");
    for (const seg of ["comment", "comments", "co", "c"]) expect(findRoute(t, "GET", `/e/1/${seg}`)?.value).toBe(seg);
    expect(findRoute(t, "GET", "/e/1/com")).toBeUndefined();
    expect(findRoute(t, "GET", "/e/1/comments/2")).toEqual({ value: "deep", params: { id: "1", n: "2" } });
  });
  it("a path without a leading slash matches nothing", () => {
    expect(findRoute(m, "GET", "user")).toBeUndefined();
    expect(findRoute(m, "GET", "event/1")).toBeUndefined();
  });
  it("a deep miss over many params stays linear (each node visited once)", () => {
    const t = createMatcher<number>();
    let path = "";
    for (let i = 0; i < 30; i++) {
      path += `/:p${i}`;
      addRoute(t, "GET", path + "/end", i);
      addRoute(t, "GET", path.replace(/:p\d+$/, "s"), i);
    }
    const started = performance.now();
    expect(findRoute(t, "GET", "/s".repeat(40))).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(50);
  });
});
