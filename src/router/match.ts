import { dict } from "../lib/dict.ts";
// Keyed by upper-case method, "ALL" for app.all(); null-prototype like every map keyed by text.
type Methods<T> = Record<string, Entry<T>>;

// A route as stored: the caller's value, the pattern as registered (for conflict messages), the param
// names in path order ("*" for the wildcard).
interface Entry<T> {
  v: T;
  p: string;
  n: string[];
}

// One node per segment, shared by all methods. Static children are indexed by their first char code and
// chained through `x` (siblings with the same first char), so a lookup compares chars in place instead of
// slicing and hashing each segment (bench: router, "dynamic route"). `p` is the param child, `m` the
// routes ending here, `w` the routes of a trailing `*` here. Every node has every field: one shape.
interface Node<T> {
  seg: string;
  x: Node<T> | undefined;
  s: Array<Node<T> | undefined> | undefined;
  p: Node<T> | undefined;
  m: Methods<T> | undefined;
  w: Methods<T> | undefined;
}

/** A route table: a null-prototype map of static paths (`s`) and one segment tree (`t`) for the rest. */
export interface Matcher<T> {
  s: Record<string, Methods<T>>;
  t: Node<T>;
}

/** A matched route: the value given to {@link addRoute} and the decoded params. */
export interface Match<T> {
  value: T;
  params: Record<string, string>;
}

const map = <V>(): Record<string, V> => dict();
const node = <T>(seg: string): Node<T> => ({ seg, x: undefined, s: undefined, p: undefined, m: undefined, w: undefined });

// One trailing slash is ignored: "/user/" is "/user"; "/" stays "/".
const trim = (p: string): string => (p.length > 1 && p.charCodeAt(p.length - 1) === 47 ? p.slice(0, -1) : p || "/");

/**
 * An empty route table.
 * @example const m = createMatcher<string>()
 */
export function createMatcher<T>(): Matcher<T> {
  return { s: map(), t: node("") };
}

/**
 * Adds a route, building the tree now (nothing is compiled at the first request). `:name` is a
 * whole-segment param; a `*` as the last segment matches zero or more segments. Static text is matched
 * against the canonical, percent-encoded path: write `/caf%C3%A9`. Throws on a second route of the same
 * method and shape, naming both.
 * @example addRoute(m, "GET", "/exams/:examId", "exam")
 */
export function addRoute<T>(m: Matcher<T>, method: string, path: string, value: T): void {
  // A path without its leading "/" could never match a request: say so now, not with 404s later.
  if (path[0] !== "/") throw new TypeError(`route ${method} ${JSON.stringify(path)}: paths start with "/"`);
  const p = trim(path);
  const segs = p.split("/");
  const last = segs.length - 1;
  const names: string[] = [];
  let n = m.t;
  let ms = segs.some((s, i) => s[0] === ":" || (s === "*" && i === last)) ? undefined : (m.s[p] ??= map());
  for (let i = 1; !ms && i <= last; i++) {
    const seg = segs[i]!;
    // '*' is special only as the last segment; '/a/*/b' has a literal '*'.
    if (seg === "*" && i === last) ms = n.w ??= map();
    else if (seg[0] === ":") n = n.p ??= node(seg);
    else {
      const s = (n.s ??= []);
      const k = seg.charCodeAt(0);
      let c = s[k];
      while (c && c.seg !== seg) c = c.x;
      if (!c) {
        c = node(seg);
        c.x = s[k];
        s[k] = c;
      }
      n = c;
      continue;
    }
    names.push(ms ? seg : seg.slice(1));
  }
  ms ??= n.m ??= map();
  const prev = ms[method];
  if (prev) throw Error(`Route ${method} ${path} conflicts with ${method} ${prev.p}`);
  ms[method] = { v: value, p: path, n: names };
}

/**
 * Finds the route for a method and a canonical path: the static map, then the tree (static → param →
 * wildcard, backtracking). HEAD falls back to GET, then any method to ALL. Params are decoded exactly once,
 * here; a malformed escape throws `decodeURIComponent`'s `URIError` (the router answers 400).
 * @example findRoute(m, "GET", "/exams/e%201") // { value: "exam", params: { examId: "e 1" } }
 */
export function findRoute<T>(m: Matcher<T>, method: string, path: string, all?: string[]): Match<T> | undefined {
  const p = trim(path);
  let e = pick(m.s[p], method, all);
  if (e) return { value: e.v, params: {} };
  const vals: string[] = [];
  if (p[0] === "/") e = walk(m.t, p, 0, vals, method, all);
  if (!e) return;
  const params: Record<string, string> = {};
  for (let i = 0; i < vals.length; i++) params[e.n[i]!] = vals[i]!.includes("%") ? decodeURIComponent(vals[i]!) : vals[i]!;
  return { value: e.v, params };
}

/**
 * Every method some route has for a path, sorted, HEAD listed with GET: the `Allow` of a 405.
 * @example allowedMethods(m, "/exams/e-1") // ["DELETE", "GET", "HEAD"]
 */
export function allowedMethods(m: Matcher<unknown>, path: string): string[] {
  const out: string[] = [];
  findRoute(m, "", path, out);
  if (out.includes("GET")) out.push("HEAD");
  return [...new Set(out)].sort();
}

// With `all`, records every method it sees and picks nothing, so the walk visits every matching node.
function pick<T>(ms: Methods<T> | undefined, method: string, all?: string[]): Entry<T> | undefined {
  if (ms && all) all.push(...Object.keys(ms));
  else if (ms) return ms[method] ?? (method === "HEAD" ? ms["GET"] : undefined) ?? ms["ALL"];
}

// `i` is where the next "/" (or the end) is. Each node consumes one segment, so each is visited at most once.
function walk<T>(n: Node<T>, p: string, i: number, vals: string[], method: string, all?: string[]): Entry<T> | undefined {
  let r: Entry<T> | undefined;
  const len = p.length;
  // '/files/*' matches '/files'
  if (i === len) return pick(n.m, method, all) ?? ((r = pick(n.w, method, all)) && (vals.push(""), r));
  const s = i + 1;
  for (let c = n.s && n.s[p.charCodeAt(s)]; c; c = c.x) {
    const seg = c.seg;
    const e = s + seg.length;
    if (e === len || p.charCodeAt(e) === 47) {
      let k = 1;
      while (k < seg.length && seg.charCodeAt(k) === p.charCodeAt(s + k)) k++;
      if (k === seg.length) {
        if ((r = walk(c, p, e, vals, method, all))) return r;
        break;
      }
    }
  }
  if (n.p) {
    let j = s;
    while (j < len && p.charCodeAt(j) !== 47) j++;
    // An empty segment never matches a param.
    if (j > s) {
      vals.push(p.slice(s, j));
      if ((r = walk(n.p, p, j, vals, method, all))) return r;
      vals.pop();
    }
  }
  if ((r = pick(n.w, method, all))) vals.push(p.slice(s));
  return r;
}
