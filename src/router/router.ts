import type { OnError } from "../lib/error-response.ts";
import { HttpError, problem, problemHead } from "../lib/error.ts";
import { kindOf } from "../lib/event-fields.ts";
import type { HttpRequest } from "../lib/request.ts";
import type { HttpResponse } from "../lib/response.ts";
import { DISPATCH, settle } from "../lib/settle.ts";
import { RouteTable } from "./match.ts";
import type { Middleware, RouteInfo, RouteOptions, RouteSchemas, Router, RouterOptions, Validator } from "./types.ts";

// What answers a request once routing is done: a route's handler with its input, a 404 or a 405.
type Endpoint = (req: HttpRequest) => unknown;

// A registered route: its public row, its middleware (a group's first, once mounted), its endpoint; once
// added, what runs it (built once, not per request).
type Route = [info: RouteInfo, middleware: Middleware[], endpoint: Endpoint, run?: Endpoint];

// A mounted group's prefix, its middleware and its notFound: a request under the prefix that no route
// answers (404, 405) still passes the group's middleware, so the group's cors() answers preflights.
type Mount = [prefix: string, middleware: Middleware[], notFound: Endpoint | undefined];

// Whether a path is under a prefix, segment by segment: a `:param` segment of the prefix matches any one
// segment, as in its routes (a prefix compared as text never matched "/t/:tenant"); a last `*` zero or more,
// as its route "/files/*" answers "/files" too.
const isUnder = (prefix: string, path: string, segments = path.split("/")): boolean =>
  prefix === "/" || prefix.split("/").every((segment, i) => segment === "*" || (segment[0] === ":" ? !!segments[i] : segment === segments[i]));

// Innermost prefix first, ranked as routes are: at the first segment where two differ, static before
// `:param` before `*`; a prefix that goes on before one that has ended ("/api" before "/:id" before "/").
// Its rank spells each segment 0 (static), 1 (param) or 2 (`*`), then 3 where it ends.
const rank = ([prefix]: Mount): string => (prefix === "/" ? "" : prefix.replace(/\/(:?)([^/]*)/g, (_, param: string, text: string) => (param ? "1" : text === "*" ? "2" : "0"))) + "3";
const innermost = (a: Mount, b: Mount): number => (rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0);

// What app.route() reads from a group; under a symbol, so it stays out of the typed API.
const GROUP = Symbol();
type Group = [routes: Route[], middleware: Middleware[], onError: OnError, notFound: Endpoint | undefined, mounts: Mount[]];
// Built on the first 404, not at import: a cold start pays for no error it does not answer (bench: cold).
// Its JSON too, once: only the request id differs from one 404 to the next (bench: peers, 404).
let notFoundError: HttpError | undefined;
let notFoundHead: string | undefined;

/**
 * A router: `app.get(path, [options], ...middleware, handler)`, `use`, groups, 404/405/414 problems;
 * pass it to `handle(app)`. Routes with schemas need `router({ validate })`, which links validation in (on a
 * router made by `router()` a schema is a type error).
 * @example
 * const app = router({ validate })
 *   .use(cors())
 *   .get("/exams/:examId", (req) => ({ id: req.params.examId }))
 *   .post("/exams", { body: ExamInput }, (req, { body }) => json(body, 201));
 * export const handler = handle(app);
 * @example
 * // A group under a prefix with params: name the prefix, and its handlers read the prefix's params.
 * const questions = router<"/exams/:examId">().get("/:questionId", (req) => ({ examId: req.params.examId, questionId: req.params.questionId }));
 * app.route("/exams/:examId", questions);
 */
export function router<Prefix extends string = "">(options: RouterOptions & { validate: Validator }): Router<Prefix, true>;
export function router<Prefix extends string = "">(options?: RouterOptions & { validate?: undefined }): Router<Prefix, false>;
export function router<Prefix extends string = "">(options?: RouterOptions): Router<Prefix>;
export function router<Prefix extends string = "">({ validate }: RouterOptions = {}): Router<Prefix> {
  const table = new RouteTable<Route>();
  const routes: Route[] = [];
  const middleware: Middleware[] = [];
  const mounts: Mount[] = [];
  let onError: OnError;
  let notFound: Endpoint | undefined;

  const add = (route: Route): void => {
    const [info, layers, endpoint] = route;
    // The app's onError is read when a request comes: it may be set after the routes.
    route[3] = (req) => chain(layers, 0, req, endpoint, onError);
    table.add(info.method, info.path, route);
    routes.push(route);
  };

  const dispatch = (req: HttpRequest): HttpResponse | Promise<HttpResponse> => {
    let endpoint: Endpoint | undefined;
    try {
      // API Gateway and CloudFront refuse longer URLs anyway.
      if (req.path.length > 8192) throw new HttpError(414, "The path is longer than 8192 characters");
      const found = table.find(req.method, req.path);
      if (found) {
        req.params = found.params;
        req.route = found.value[0].path;
        const run = found.value[3]!;
        // A route's runner settles its own answer: without app middleware it is the whole onion, and settling
        // it again would cost an async handler two promise hops (bench: peers).
        return withoutBody(req, middleware.length === 0 ? (run(req) as HttpResponse | Promise<HttpResponse>) : chain(middleware, 0, req, run, onError));
      }
      const allow = table.allowed(req.path).join(", ");
      if (allow) endpoint = (req) => problem(new HttpError(405, "This path answers " + allow, { headers: { allow } }), req.requestId);
    } catch (err) {
      endpoint = () => {
        // decodeURIComponent's URIError: a malformed escape in a param.
        throw err instanceof URIError ? new HttpError(400, "Malformed escape in the path") : err;
      };
    }
    // A 404, 405, 400 or 414 under a group's prefix passes the innermost group holding the path that has
    // middleware or a notFound (one without claims nothing): its cors() lets a browser read the problem.
    const mount = mounts.length > 0 ? mounts.find(([prefix, layers, miss]) => (layers.length > 0 || miss) && isUnder(prefix, req.path)) : undefined;
    const miss = endpoint ?? mount?.[2] ?? notFound ?? defaultNotFound;
    return withoutBody(req, chain(middleware, 0, req, mount ? (req) => chain(mount[1], 0, req, miss, onError) : miss, onError));
  };

  const app = {
    [GROUP]: (): Group => [routes, middleware, onError, notFound, mounts],
    use: (...more: Middleware[]) => (middleware.push(...functions("app.use", more)), app),
    onError: (fn: OnError) => ((onError = fn), app),
    notFound: (fn: Endpoint) => ((notFound = fn), app),
    route(prefix: string, group: Router<any>) {
      if (prefix[0] !== "/") throw new TypeError(`app.route("${prefix}"): a prefix starts with "/"`);
      const [groupRoutes, groupMiddleware, groupOnError, groupNotFound, groupMounts] = (group as typeof app)[GROUP]();
      const under = (path: string) => prefix.replace(/\/$/, "") + (path === "/" ? "" : path) || "/";
      // The group's onError covers what the group holds, and only that: each of its layers and endpoints is
      // wrapped in it (an inner group's, already wrapped, answers first), the app's middleware is not. What it
      // does not answer (it returns nothing, or throws) is thrown on: the enclosing group's onError, then the
      // app's (in chain()'s settle) see it, as "not mine" means.
      const own = <F extends Middleware | Endpoint>(fn: F): F => (groupOnError ? (((req: HttpRequest, next: never) => settle(fn, req, next, groupOnError, true)) as F) : fn);
      const layers = groupMiddleware.map(own);
      const missing = (fn: Endpoint | undefined) => fn && own(fn);
      for (const [info, routeLayers, endpoint] of groupRoutes) add([{ ...info, path: under(info.path) }, [...layers, ...routeLayers.map(own)], own(endpoint)]);
      for (const [path, mountLayers, mountNotFound] of groupMounts) mounts.push([under(path), [...layers, ...mountLayers.map(own)], missing(mountNotFound ?? groupNotFound)]);
      // Kept even without middleware or notFound: mounted in turn, it gets its outer group's (stable sort:
      // at one prefix, the nested group stays first).
      mounts.push([under("/"), layers, missing(groupNotFound)]);
      mounts.sort(innermost);
      return app;
    },
    // The synchronous dispatch rides on this very function: an app whose handle is replaced (a wrapper for
    // tracing) is called through the replacement.
    handle: Object.assign(async (req: HttpRequest) => dispatch(req), { [DISPATCH]: dispatch }),
    // Copies: a caller annotating a row (its path, its schemas) must not reroute or revalidate the app.
    routes: () => routes.map(([info]) => ({ ...info, schemas: { ...info.schemas }, options: { ...info.options } })),
  } as unknown as Router<Prefix> & { [GROUP]: () => Group };

  for (const name of ["get", "post", "put", "patch", "delete", "head", "options", "all"] as const) {
    app[name] = ((path: string, ...args: unknown[]) => (add(defineRoute(name.toUpperCase(), path, args, validate)), app)) as Router["get"];
  }


  return app;
}

// Registration refuses what it cannot serve, naming the route: never a 404 or a 500 later.
function defineRoute(method: string, path: string, args: unknown[], validate: RouterOptions["validate"]): Route {
  const where = `route ${method} ${path}`;
  const options = (args[0] && typeof args[0] === "object" ? args.shift() : {}) as RouteOptions;
  const handler = args.pop() as Function;
  functions(where, [handler, ...args]);
  const schemas: RouteSchemas = {};
  for (const place of ["params", "query", "headers", "body"] as const) {
    const schema = options[place];
    if (!schema) continue;
    if (!schema["~standard"]?.validate) throw new TypeError(`${where}: the ${place} schema is not a Standard Schema`);
    schemas[place] = schema;
  }
  let endpoint: Endpoint = (req) => handler(req, req);
  if (Object.keys(schemas).length) {
    if (!validate) throw new TypeError(`${where} has schemas: create the router with router({ validate })`);
    endpoint = async (req) => handler(req, await validate(req, schemas));
  }
  return [{ method, path, schemas, summary: options.summary, options }, args as Middleware[], endpoint];
}

function functions(where: string, list: unknown[]): Middleware[] {
  for (const fn of list) if (typeof fn !== "function") throw new TypeError(`${where}: middleware and handlers are functions, not ${kindOf(fn)}`);
  return list as Middleware[];
}

// 404 and 405 are answers, not exceptions: built directly, never thrown (bench: peers, 404).
function defaultNotFound(req: HttpRequest): HttpResponse {
  return problem((notFoundError ??= new HttpError(404, "No route answers this path")), req.requestId, (notFoundHead ??= problemHead(notFoundError)));
}

// One onion layer per call; an error becomes a response right where it happens, so outer middleware
// (cors, compress) still sees a response. next() runs the rest once: a second call throws, the handler
// does not run again.
function chain(list: Middleware[], index: number, req: HttpRequest, endpoint: Endpoint, onError: OnError): HttpResponse | Promise<HttpResponse> {
  const layer = list[index];
  let called = false;
  return layer
    ? settle(
        layer,
        req,
        () => {
          if (called) throw new TypeError("a middleware called next() twice");
          called = true;
          return Promise.resolve(chain(list, index + 1, req, endpoint, onError));
        },
        onError,
      )
    : settle(endpoint, req, undefined, onError);
}

// GET answers HEAD: same status and headers, no body.
function withoutBody(req: HttpRequest, res: HttpResponse | Promise<HttpResponse>): HttpResponse | Promise<HttpResponse> {
  if (req.method !== "HEAD") return res;
  return res instanceof Promise ? res.then((out) => ({ ...out, body: undefined })) : { ...res, body: undefined };
}
