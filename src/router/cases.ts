// The router's policies as data, run by router.test.ts (through app.handle) and by bench/router.ts (as a
// correctness gate before timing). A new policy or a regression is a new row here.
import { json } from "../lib/response.ts";
import { router } from "./router.ts";
import type { Router } from "./types.ts";

/**
 * A route of the case app; its handler answers `{ route, method, params, query }`.
 * @example const r: CaseRoute = { method: "GET", path: "/user/:id" }
 */
export interface CaseRoute {
  method: string;
  path: string;
}

/**
 * One request and what the router must answer.
 * @example const c: RouterCase = { name: "404", method: "GET", path: "/nope", status: 404 }
 */
export interface RouterCase {
  name: string;
  method: string;
  path: string;
  status: number;
  /** The matched pattern (`req.route`) when a route answers. */
  route?: string;
  params?: Record<string, string>;
  /** Response headers that must be present with these values (lower-case names). */
  headers?: Record<string, string>;
  /** A subset of the JSON body. */
  body?: Record<string, unknown>;
  /** Text the raw body must contain. */
  bodyIncludes?: string;
  /** The response must have no body (HEAD). */
  noBody?: true;
}

/**
 * The routes every policy case runs against.
 * @example for (const r of CASE_ROUTES) console.log(r.method, r.path)
 */
export const CASE_ROUTES: CaseRoute[] = [
  { method: "GET", path: "/" },
  { method: "GET", path: "/user" },
  { method: "POST", path: "/user" },
  { method: "GET", path: "/user/me" },
  { method: "GET", path: "/user/:id" },
  { method: "DELETE", path: "/user/:id" },
  { method: "GET", path: "/event/:id/comments" },
  { method: "GET", path: "/files/*" },
  { method: "GET", path: "/explicit-head" },
  { method: "HEAD", path: "/explicit-head" },
  { method: "ALL", path: "/any/:thing" },
  { method: "GET", path: "/constructor" },
  { method: "GET", path: "/trailing/" },
];

const PROBLEM = "application/problem+json";

/**
 * Every policy of the router, one row each.
 * @example for (const c of CASES) expect((await app.handle(testRequest(c.method, c.path))).status).toBe(c.status)
 */
export const CASES: RouterCase[] = [
  // Matching
  { name: "root", method: "GET", path: "/", status: 200, route: "/" },
  { name: "static route", method: "GET", path: "/user", status: 200, route: "/user", params: {} },
  { name: "static beats param", method: "GET", path: "/user/me", status: 200, route: "/user/me" },
  { name: "param when the static sibling lacks the method (backtracking)", method: "DELETE", path: "/user/me", status: 200, route: "/user/:id", params: { id: "me" } },
  { name: "param", method: "GET", path: "/user/42", status: 200, route: "/user/:id", params: { id: "42" } },
  { name: "param in the middle", method: "GET", path: "/event/e-1/comments", status: 200, route: "/event/:id/comments", params: { id: "e-1" } },
  { name: "wildcard: zero segments", method: "GET", path: "/files", status: 200, route: "/files/*", params: { "*": "" } },
  { name: "wildcard: several segments", method: "GET", path: "/files/a/b/c.txt", status: 200, route: "/files/*", params: { "*": "a/b/c.txt" } },
  { name: "all() answers any method", method: "PATCH", path: "/any/x", status: 200, route: "/any/:thing", params: { thing: "x" } },
  { name: "all() answers an unknown method", method: "PROPFIND", path: "/any/x", status: 200, route: "/any/:thing" },
  // Decoding: exactly once, after matching
  { name: "param decoded once", method: "GET", path: "/user/j%C3%B6rg%2520", status: 200, params: { id: "jörg%20" } },
  { name: "encoded slash stays inside the param", method: "GET", path: "/user/a%2Fb", status: 200, route: "/user/:id", params: { id: "a/b" } },
  { name: "wildcard decoded", method: "GET", path: "/files/a%20b/c", status: 200, params: { "*": "a b/c" } },
  { name: "malformed escape is a 400 problem", method: "GET", path: "/user/%E0%A4%A", status: 400, headers: { "content-type": PROBLEM }, body: { status: 400 } },
  // 404 / 405
  { name: "404 problem when nothing has the path", method: "GET", path: "/nope", status: 404, headers: { "content-type": PROBLEM }, body: { type: "about:blank", title: "Not Found", status: 404 } },
  { name: "405 lists the path's methods, HEAD with GET", method: "PUT", path: "/user", status: 405, headers: { allow: "GET, HEAD, POST", "content-type": PROBLEM }, body: { status: 405 } },
  { name: "405 across static and param routes of the same path", method: "PUT", path: "/user/me", status: 405, headers: { allow: "DELETE, GET, HEAD" } },
  { name: "405 for OPTIONS without a route (no cors middleware)", method: "OPTIONS", path: "/user/42", status: 405, headers: { allow: "DELETE, GET, HEAD" } },
  { name: "unknown method on an existing path: 405", method: "PROPFIND", path: "/user", status: 405, headers: { allow: "GET, HEAD, POST" } },
  { name: "unknown method on a missing path: 404", method: "PROPFIND", path: "/nope", status: 404 },
  // HEAD
  { name: "GET answers HEAD: headers, no body", method: "HEAD", path: "/user", status: 200, route: "/user", headers: { "content-type": "application/json; charset=utf-8" }, noBody: true },
  { name: "explicit HEAD wins over GET", method: "HEAD", path: "/explicit-head", status: 200, route: "/explicit-head", headers: { "x-method": "HEAD" }, noBody: true },
  { name: "HEAD of a missing path: 404 without body", method: "HEAD", path: "/nope", status: 404, noBody: true },
  // Slashes and case
  { name: "one trailing slash ignored", method: "GET", path: "/user/", status: 200, route: "/user" },
  { name: "a route registered with a trailing slash matches without", method: "GET", path: "/trailing", status: 200, route: "/trailing/" },
  { name: "two trailing slashes: 404", method: "GET", path: "/user//", status: 404 },
  { name: "an empty segment never matches a param", method: "GET", path: "/event//comments", status: 404 },
  { name: "an empty last segment never matches a param", method: "GET", path: "/any/", status: 404 },
  { name: "case-sensitive", method: "GET", path: "/User", status: 404 },
  // Prototype names are ordinary strings
  { name: "/__proto__ is an ordinary path", method: "GET", path: "/__proto__", status: 404 },
  { name: "/constructor is an ordinary route", method: "GET", path: "/constructor", status: 200, route: "/constructor" },
  { name: "/toString is not a route", method: "GET", path: "/toString", status: 404 },
  { name: "__proto__ as a param value", method: "GET", path: "/user/__proto__", status: 200, route: "/user/:id", params: { id: "__proto__" } },
  { name: "__proto__ as a method", method: "__proto__", path: "/user", status: 405 },
  { name: "?__proto__= is an ordinary query key", method: "GET", path: "/user/1?__proto__=x&constructor=y", status: 200, bodyIncludes: '"query":{"__proto__":"x","constructor":"y"}' },
  // Limits
  { name: "a path over 8 KiB is a 414", method: "GET", path: "/user/" + "a".repeat(8200), status: 414, headers: { "content-type": PROBLEM } },
  { name: "a long param under the limit is fine", method: "GET", path: "/user/" + "a".repeat(8000), status: 200, route: "/user/:id" },
];

/**
 * The app the policy cases run against: every route answers what it matched.
 * @example const res = await caseApp().handle(createRequest({ method: "GET", path: "/user", source: "test", requestId: "r" }))
 */
export function caseApp(): Router {
  const app = router();
  for (const r of CASE_ROUTES) {
    const key = r.method.toLowerCase() as "get";
    app[key](r.path, (req) => json({ route: req.route, method: req.method, params: req.params, query: req.query }, { headers: { "x-method": r.method } }));
  }
  return app;
}

/**
 * delvedor/router-benchmark's `routes.json`, the workload Hono, rou3 and memoirist publish.
 * @example for (const r of BENCH_ROUTES) addRoute(m, r.method, r.path, r.path)
 */
export const BENCH_ROUTES: CaseRoute[] = [
  { method: "GET", path: "/user" },
  { method: "GET", path: "/user/comments" },
  { method: "GET", path: "/user/avatar" },
  { method: "GET", path: "/user/lookup/username/:username" },
  { method: "GET", path: "/user/lookup/email/:address" },
  { method: "GET", path: "/event/:id" },
  { method: "GET", path: "/event/:id/comments" },
  { method: "POST", path: "/event/:id/comment" },
  { method: "GET", path: "/map/:location/events" },
  { method: "GET", path: "/status" },
  { method: "GET", path: "/very/deeply/nested/route/hello/there" },
  { method: "GET", path: "/static/*" },
];

/**
 * The benchmark's requests and the route and params each must match.
 * @example for (const q of BENCH_REQUESTS) assert(findRoute(m, q.method, q.path)?.value === q.route)
 */
export const BENCH_REQUESTS: Array<{ name: string; method: string; path: string; route: string; params: Record<string, string> }> = [
  { name: "short static", method: "GET", path: "/user", route: "/user", params: {} },
  { name: "static with same radix", method: "GET", path: "/user/comments", route: "/user/comments", params: {} },
  { name: "dynamic route", method: "GET", path: "/user/lookup/username/hey", route: "/user/lookup/username/:username", params: { username: "hey" } },
  { name: "mixed static dynamic", method: "GET", path: "/event/abcd1234/comments", route: "/event/:id/comments", params: { id: "abcd1234" } },
  { name: "post", method: "POST", path: "/event/abcd1234/comment", route: "/event/:id/comment", params: { id: "abcd1234" } },
  { name: "long static", method: "GET", path: "/very/deeply/nested/route/hello/there", route: "/very/deeply/nested/route/hello/there", params: {} },
  { name: "wildcard", method: "GET", path: "/static/index.html", route: "/static/*", params: { "*": "index.html" } },
];
