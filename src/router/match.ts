import { canonicalPath } from "../lib/canonical-path.ts";
import { dict } from "../lib/dict.ts";

// A route as stored: the caller's value, its method and pattern (for conflicts and a 405's Allow), the
// param names in path order ("*" for the wildcard), the pattern as a regular expression source, and its
// precedence key (a digit per segment: 1 static, 2 param, 3 wildcard).
interface Route<T> {
  value: T;
  method: string;
  pattern: string;
  names: string[];
  source: string;
  key: string;
}

/** A matched route: the value given to `add` and the decoded params. */
export interface Match<T> {
  value: T;
  params: Record<string, string>;
}

// One trailing slash is ignored: "/user/" is "/user"; "/" stays "/".
const trimSlash = (path: string): string => (path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path);

// HEAD falls back to GET, then any method to ALL; -1: not usable for the method.
const preference = ({ method }: Route<unknown>, wanted: string): number => (method === wanted ? 0 : method === "GET" && wanted === "HEAD" ? 1 : method === "ALL" ? 2 : -1);

/**
 * A route table: whole static paths in a map, looked up first; routes with params compiled, per method,
 * into one regular expression whose alternatives are ordered by precedence: at the first segment where
 * two patterns differ, static beats param beats wildcard (so `/user/me` beats `/user/:id`, which beats
 * `/user/*`, and `/user/:id/posts` beats `/user/:id/*`), and for one pattern the method itself beats GET
 * (for HEAD), which beats `all()`. An empty capture group in front of each alternative tells which one
 * matched (bench: router). `:name` is a whole-segment param; a `*` last segment matches zero or more
 * segments. Static text is matched against the canonical, percent-encoded path: write `/caf%C3%A9`.
 * @example const table = new RouteTable<string>(); table.add("GET", "/exams/:examId", "exam")
 */
export class RouteTable<T> {
  #routes: Array<Route<T>> = [];
  // Whole static paths, one map lookup before any expression (bench: router, "short static").
  #static: Record<string, Record<string, Route<T>>> = dict();
  #shapes: Record<string, Route<T>> = dict();
  #compiled: Record<string, [RegExp, Array<Route<T>>]> = dict();
  // Methods with a route: any other method shares one compiled expression (of the all() routes), so
  // requests with made-up methods cannot grow the cache.
  #methods = new Set<string>();

  /**
   * Adds a route. Throws, naming the route, on a pattern it cannot serve (a path without a leading `/`,
   * a param that is not a whole `:name` segment or whose name repeats, `*` anywhere but the whole last
   * segment, static text no canonical path carries, such as `é` or a space) and on a second route of the
   * same method and shape.
   */
  add(method: string, pattern: string, value: T): void {
    const names: string[] = [];
    let key = "";
    let source = "";
    const path = trimSlash(pattern);
    const segments = String(path).split("/");
    // The segment it cannot serve, named in the message (the whole pattern when it lacks its leading slash).
    const bad = path[0] !== "/" ? pattern : segments.find((segment, i) => {
      if (i === 0) return false;
      if (segment === "*" && i === segments.length - 1) return (key += 3), (source += "(?:/(.*))?"), !names.push("*");
      if (segment[0] === ":") {
        // As a property key (internalized): a sliced name would make every request's params store megamorphic (bench: peers).
        const name = Object.keys({ [segment.slice(1)]: 0 })[0]!;
        key += 2;
        source += "/([^/]+)";
        // `__proto__` would set the params object's prototype, never a param.
        return !/^[\w-]+$/.test(name) || name === "__proto__" || names.includes(name) || !names.push(name);
      }
      key += 1;
      source += "/";
      for (const ch of segment) source += "\\^$.*+?()[]{}|".includes(ch) ? "\\" + ch : ch;
      return segment.includes("*");
    });
    if (bad !== undefined) throw new TypeError(`route ${method} ${pattern}: cannot serve "${bad}" (paths start with /; params are whole :name segments of letters, digits, _ or -, each name once; * only as the last segment)`);
    // Requests are matched by their canonical path: "/café" or "/100%" would never match.
    const encoded = canonicalPath(pattern, false);
    if (encoded !== pattern) throw new TypeError(`route ${method} ${pattern}: paths are matched percent-encoded, as requests carry them; write ${encoded}`);
    const shape = method + " " + source;
    const existing = this.#shapes[shape];
    if (existing) throw new TypeError(`Route ${method} ${pattern} conflicts with ${method} ${existing.pattern}`);
    const route = (this.#shapes[shape] = { value, method, pattern, names, source, key });
    this.#routes.push(route);
    if (names.length === 0) (this.#static[path] ??= dict())[method] = route;
    this.#methods.add(method);
    this.#compiled = dict();
  }

  /**
   * The route for a method and a canonical path, with its params decoded exactly once; a malformed
   * escape throws `decodeURIComponent`'s `URIError` (the router answers 400).
   * @example table.find("GET", "/exams/e%201") // { value: "exam", params: { examId: "e 1" } }
   */
  find(method: string, path: string): Match<T> | undefined {
    path = trimSlash(path);
    const statics = this.#static[path];
    const found = statics && (statics[method] ?? (method === "HEAD" ? statics["GET"] : undefined) ?? statics["ALL"]);
    if (found) return { value: found.value, params: {} };
    const [regex, byGroup] = this.#expression(method === "HEAD" || this.#methods.has(method) ? method : "*");
    const match = regex.exec(path);
    if (!match) return undefined;
    const marker = match.indexOf("", 1);
    const { value, names } = byGroup[marker]!;
    const params: Record<string, string> = {};
    const escaped = path.includes("%");
    for (let i = 0; i < names.length; i++) {
      const param = match[marker + 1 + i] ?? "";
      params[names[i]!] = escaped ? decodeURIComponent(param) : param;
    }
    return { value, params };
  }

  /**
   * Every method some route has for a path, sorted, HEAD listed with GET: the `Allow` of a 405.
   * @example table.allowed("/exams/e-1") // ["GET", "HEAD", "PUT"]
   */
  allowed(path: string): string[] {
    path = trimSlash(path);
    const statics = this.#static[path];
    // The static map and one expression of every param route first: a 404 tests one expression, not one per
    // method (bench: peers, 404).
    if (!statics && !this.#expression("")[0].test(path)) return [];
    const methods = [...this.#methods].filter((method) => !!statics?.[method] || this.#expression(method)[0].test(path));
    if (methods.includes("GET")) methods.push("HEAD");
    return [...new Set(methods)].sort();
  }

  // One expression per method asked for ("": any method), built on first use and dropped when a route is
  // added. Whole static paths are left to their map: an expression only holds routes with params, so a
  // request for one never tries the app's static paths first (bench: router).
  #expression(method: string): [RegExp, Array<Route<T>>] {
    return (this.#compiled[method] ??= this.#compile(method));
  }

  // The routes a method may use, best first, as one expression; byGroup maps each marker group to its route.
  #compile(method: string): [RegExp, Array<Route<T>>] {
    const routes = this.#routes.filter((route) => route.names.length > 0 && (!method || preference(route, method) >= 0)).sort((a, b) => (a.key > b.key ? 1 : a.key < b.key ? -1 : preference(a, method) - preference(b, method)));
    const byGroup: Array<Route<T>> = [];
    let group = 1;
    for (const route of routes) {
      byGroup[group] = route;
      group += 1 + route.names.length;
    }
    return [RegExp(`^(?:${routes.map((route) => "()" + route.source).join("|") || "(?!)"})$`), byGroup];
  }
}
