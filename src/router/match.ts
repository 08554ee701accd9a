import { dict } from "../lib/dict.ts";

// A route as stored: the caller's value, its method and pattern (for conflict messages and Allow), the
// param names in path order ("*" for the wildcard), and its pattern as a regular expression source.
interface Route<T> {
  value: T;
  method: string;
  pattern: string;
  names: string[];
  source: string;
  // The pattern alone, for a 405's Allow.
  regex: RegExp;
  // Segment kinds in order, for precedence: 1 static, 2 param, 3 wildcard.
  kinds: number[];
}

/** A matched route: the value given to `add` and the decoded params. */
export interface Match<T> {
  value: T;
  params: Record<string, string>;
}

// One trailing slash is ignored: "/user/" is "/user"; "/" stays "/".
const trimSlash = (path: string): string => (path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path);

// HEAD falls back to GET, then any method to ALL.
const preference = (route: Route<unknown>, method: string): number => (route.method === method ? 0 : method === "HEAD" && route.method === "GET" ? 1 : route.method === "ALL" ? 2 : -1);

/**
 * A route table: whole static paths in a map (one lookup), and the patterns with a `:name` param or a
 * trailing `*` compiled, per method, into one regular expression whose alternatives are ordered by
 * precedence: at the first segment where two patterns differ, static beats param beats wildcard (so
 * `/user/me` beats `/user/:id`, which beats `/user/*`), and for one pattern the method itself beats GET
 * (for HEAD), which beats `all()`. An empty capture group in front of each alternative tells which one
 * matched (bench: router). Static text is matched against the canonical, percent-encoded path: write
 * `/caf%C3%A9`.
 * @example const table = new RouteTable<string>(); table.add("GET", "/exams/:examId", "exam")
 */
export class RouteTable<T> {
  #static: Record<string, Record<string, Route<T>>> = dict();
  #dynamic: Array<Route<T>> = [];
  #shapes: Record<string, Route<T>> = dict();
  #compiled: Record<string, [RegExp, Array<Route<T>>]> = dict();
  // Methods with a dynamic route: any other method shares one compiled expression (of the all() routes),
  // so requests with made-up methods cannot grow the cache.
  #methods = new Set<string>();

  /** Adds a route; throws on a second route of the same method and shape, naming both. */
  add(method: string, pattern: string, value: T): void {
    const path = trimSlash(pattern);
    const names: string[] = [];
    const kinds: number[] = [];
    const source = path.replace(/\/(:[^/]*|\*$|[^/]*)/g, (_, segment: string) => {
      kinds.push(segment[0] === ":" ? 2 : segment === "*" ? 3 : 1);
      if (kinds.at(-1) === 1) return "/" + segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      names.push(segment === "*" ? "*" : segment.slice(1));
      return segment === "*" ? "(?:/(.*))?" : "/([^/]+)";
    });
    const shape = method + " " + (names.length > 0 ? source : path);
    const existing = this.#shapes[shape];
    if (existing) throw new TypeError(`Route ${method} ${pattern} conflicts with ${method} ${existing.pattern}`);
    const route = (this.#shapes[shape] = { value, method, pattern, names, source, regex: new RegExp(`^${source}$`), kinds });
    if (names.length > 0) {
      this.#dynamic.push(route);
      this.#methods.add(method);
      this.#compiled = dict();
    } else (this.#static[path] ??= dict())[method] = route;
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
    const key = method === "HEAD" || this.#methods.has(method) ? method : "*";
    const [regex, byGroup] = (this.#compiled[key] ??= this.#compile(key));
    const match = regex.exec(path);
    if (match === null) return undefined;
    const marker = match.indexOf("", 1);
    const route = byGroup[marker]!;
    const params: Record<string, string> = {};
    route.names.forEach((name, i) => {
      const value = match[marker + 1 + i] ?? "";
      params[name] = value.includes("%") ? decodeURIComponent(value) : value;
    });
    return { value: route.value, params };
  }

  /**
   * Every method some route has for a path, sorted, HEAD listed with GET: the `Allow` of a 405.
   * @example table.allowed("/exams/e-1") // ["GET", "HEAD", "PUT"]
   */
  allowed(path: string): string[] {
    path = trimSlash(path);
    const methods = Object.keys(this.#static[path] ?? {});
    for (const route of this.#dynamic) if (route.regex.test(path)) methods.push(route.method);
    if (methods.includes("GET")) methods.push("HEAD");
    return [...new Set(methods)].sort();
  }

  // The routes a method may use, best first, as one expression; byGroup maps each marker group to its route.
  #compile(method: string): [RegExp, Array<Route<T>>] {
    const routes = this.#dynamic
      .filter((route) => preference(route, method) >= 0)
      .sort((a, b) => {
        for (let i = 0; ; i++) {
          const order = (a.kinds[i] ?? 0) - (b.kinds[i] ?? 0);
          if (order !== 0 || i >= a.kinds.length) return order || preference(a, method) - preference(b, method);
        }
      });
    const byGroup: Array<Route<T>> = [];
    let groups = 1;
    for (const route of routes) {
      byGroup[groups] = route;
      groups += 1 + route.names.length;
    }
    return [new RegExp(`^(?:${routes.map((route) => "()" + route.source).join("|") || "(?!)"})$`), byGroup];
  }
}
