import { errorResponse, type OnError } from "../lib/error-response.ts";
import { HttpError, problem } from "../lib/error.ts";
import type { HttpRequest } from "../lib/request.ts";
import { toResponse, type HttpResponse } from "../lib/response.ts";
import { RouteTable } from "./match.ts";
import type { Middleware, RouteInfo, RouteOptions, RouteSchemas, Router, RouterOptions } from "./types.ts";

// What answers a request once routing is done: a route's handler with its input, a 404 or a 405.
type Endpoint = (req: HttpRequest) => unknown;

// A registered route: its public row, its middleware (a group's first, once mounted), its endpoint, and
// the onError of the group it came from.
interface Route {
  info: RouteInfo;
  middleware: Middleware[];
  endpoint: Endpoint;
  onError: OnError;
}

// What app.route() reads from a group; under a symbol, so it stays out of the typed API.
const GROUP = Symbol();
const PLACES = ["params", "query", "headers", "body"] as const;
const NOT_FOUND = new HttpError(404);

/**
 * A router: `app.get(path, [options], ...middleware, handler)`, `use`, groups, 404/405/414 problems;
 * pass it to `handle(app)`. Routes with schemas need `router({ validate })`, which links validation in.
 * @example
 * const app = router({ validate })
 *   .use(cors())
 *   .get("/exams/:examId", (req) => ({ id: req.params.examId }))
 *   .post("/exams", { body: ExamInput }, (req, { body }) => json(body, 201));
 * export const handler = handle(app);
 */
export function router(options: RouterOptions = {}): Router {
  const table = new RouteTable<Route>();
  const routes: Route[] = [];
  const middleware: Middleware[] = [];
  let onError: OnError;
  // 404 and 405 are answers, not exceptions: built directly, never thrown (bench: peers, 404).
  let notFound: Endpoint = (req) => problem(NOT_FOUND, req.requestId);

  const register = (route: Route): void => {
    table.add(route.info.method, route.info.path, route);
    routes.push(route);
  };

  const app = {
    [GROUP]: () => [routes, middleware, onError],
    use(...more: Middleware[]) {
      middleware.push(...functions("app.use", more));
      return app;
    },
    onError(fn: OnError) {
      onError = fn;
      return app;
    },
    notFound(fn: Endpoint) {
      notFound = fn;
      return app;
    },
    route(prefix: string, group: Router) {
      if (prefix[0] !== "/") throw new TypeError(`app.route(${JSON.stringify(prefix)}): a prefix starts with "/"`);
      const [groupRoutes, groupMiddleware, groupOnError] = (group as unknown as typeof app)[GROUP]() as [Route[], Middleware[], OnError];
      for (const route of groupRoutes) {
        const path = prefix.replace(/\/$/, "") + (route.info.path === "/" ? "" : route.info.path) || "/";
        register({ info: { ...route.info, path }, middleware: [...groupMiddleware, ...route.middleware], endpoint: route.endpoint, onError: route.onError ?? groupOnError });
      }
      return app;
    },
    handle: (req: HttpRequest) => Promise.resolve(dispatch(req)),
    routes: () => routes.map((route) => route.info),
  } as unknown as Router & { [GROUP](): unknown };

  for (const name of ["get", "post", "put", "patch", "delete", "head", "options", "all"] as const) {
    app[name] = ((path: string, ...args: unknown[]) => {
      register(defineRoute(name.toUpperCase(), path, args, options));
      return app;
    }) as Router["get"];
  }

  function dispatch(req: HttpRequest): HttpResponse | Promise<HttpResponse> {
    let endpoint = notFound;
    try {
      // API Gateway and CloudFront refuse longer URLs anyway.
      if (req.path.length > 8192) throw new HttpError(414);
      const found = table.find(req.method, req.path);
      if (found) {
        const route = found.value;
        req.params = found.params;
        req.route = route.info.path;
        endpoint = (req) => chain(route.middleware, 0, req, route.endpoint, route.onError ?? onError);
      } else {
        const allow = table.allowed(req.path);
        if (allow.length > 0) endpoint = (req) => problem(new HttpError(405, undefined, { headers: { allow: allow.join(", ") } }), req.requestId);
      }
    } catch (err) {
      // decodeURIComponent's URIError: a malformed escape in a param.
      const answer = err instanceof URIError ? new HttpError(400, "Malformed escape in the path") : err;
      endpoint = () => {
        throw answer;
      };
    }
    return withoutBody(req, chain(middleware, 0, req, endpoint, onError));
  }

  return app;
}

// Registration refuses what it cannot serve, naming the route: never a 404 or a 500 later.
function defineRoute(method: string, path: string, args: unknown[], { validate }: RouterOptions): Route {
  const where = `route ${method} ${path}`;
  const names: string[] = [];
  // A param is a whole segment `:name`, each name once; `*` is only the whole last segment.
  const bad = String(path)
    .split("/")
    .find((segment, i, all) => (segment[0] === ":" ? !/^:[\w-]+$/.test(segment) || names.includes(segment) || !names.push(segment) : segment.includes("*") && (segment !== "*" || i < all.length - 1)));
  if (path[0] !== "/" || bad !== undefined) {
    throw new TypeError(`${where}: cannot serve ${bad === undefined ? "a path without a leading /" : `"${bad}"`} (params are whole :name segments, each once, without ? or (regex); * only as the last segment)`);
  }
  const opts = (args[0] && typeof args[0] === "object" ? args.shift() : {}) as RouteOptions;
  const handler = args.pop();
  functions(where, [handler, ...args]);
  const schemas: RouteSchemas = {};
  for (const place of PLACES) {
    const schema = opts[place];
    if (schema === undefined) continue;
    if (typeof schema?.["~standard"]?.validate !== "function") throw new TypeError(`${where}: the ${place} schema is not a Standard Schema (no ~standard.validate)`);
    schemas[place] = schema;
  }
  let endpoint: Endpoint = (req) => (handler as Function)(req, req);
  if (Object.keys(schemas).length > 0) {
    if (validate === undefined) throw new TypeError(`${where} has schemas: create the router with router({ validate }) (validate is exported by lambdalith)`);
    endpoint = async (req) => (handler as Function)(req, await validate(req, schemas));
  }
  return { info: { method, path, schemas, summary: opts.summary, options: opts }, middleware: args as Middleware[], endpoint, onError: undefined };
}

function functions(where: string, list: unknown[]): Middleware[] {
  for (const fn of list) if (typeof fn !== "function") throw new TypeError(`${where}: middleware and handlers must be functions, got ${fn === null ? "null" : typeof fn}`);
  return list as Middleware[];
}

// One onion layer per call; an error becomes a response right where it happens, so outer middleware
// (cors, compress) still sees a response.
function chain(list: Middleware[], index: number, req: HttpRequest, endpoint: Endpoint, onError: OnError): HttpResponse | Promise<HttpResponse> {
  const layer = list[index];
  return settle(layer ?? endpoint, req, () => Promise.resolve(chain(list, index + 1, req, endpoint, onError)), onError);
}

// A synchronous answer comes back without a promise of ours (bench: peers).
function settle(run: Middleware | Endpoint, req: HttpRequest, next: () => Promise<HttpResponse>, onError: OnError): HttpResponse | Promise<HttpResponse> {
  try {
    const out = run(req, next);
    return out instanceof Promise ? out.then(toResponse).catch((err) => errorResponse(err, req, onError)) : toResponse(out);
  } catch (err) {
    return errorResponse(err, req, onError);
  }
}

// GET answers HEAD: same status and headers, no body.
function withoutBody(req: HttpRequest, res: HttpResponse | Promise<HttpResponse>): HttpResponse | Promise<HttpResponse> {
  if (req.method !== "HEAD") return res;
  return res instanceof Promise ? res.then((out) => ({ ...out, body: undefined })) : { ...res, body: undefined };
}
