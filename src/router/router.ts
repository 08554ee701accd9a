import { errorResponse } from "../lib/error-response.ts";
import { HttpError, problem } from "../lib/error.ts";
import type { HttpRequest } from "../lib/request.ts";
import { toResponse, type HttpResponse } from "../lib/response.ts";
import { addRoute, allowedMethods, createMatcher, findRoute } from "./match.ts";
import type { Middleware, RouteInfo, Router } from "./types.ts";
import { withInput } from "./validate.ts";

type OnError = ((err: unknown, req: HttpRequest) => unknown) | undefined;
type End = (req: HttpRequest) => unknown;

// A registered route: its public row, its middleware (a group's first, once mounted), the handler with
// input attached, and the onError of the group it came from.
interface Route {
  i: RouteInfo;
  m: Middleware[];
  h: End;
  e: OnError;
}

// What app.route() reads from a group; under a symbol, so it stays out of the typed API.
const GROUP = Symbol();

/**
 * A router: `app.get(path, [options], ...middleware, handler)`, `use`, groups, 404/405/414 problems;
 * pass it to `handle(app)`.
 * @example
 * const app = router()
 *   .use(cors())
 *   .get("/exams/:examId", (req) => ({ id: req.params.examId }))
 *   .post("/exams", { body: ExamInput }, (req, { body }) => json(body, 201));
 * export const handler = handle(app);
 */
export function router(): Router {
  const table = createMatcher<Route>();
  const list: Route[] = [];
  const mws: Middleware[] = [];
  let onError: OnError;
  // 404 and 405 are answers, not exceptions: built directly, never thrown (bench: peers, 404).
  let notFound: End = (req) => problem(NOT_FOUND, req.requestId);

  const reg = (r: Route): void => {
    addRoute(table, r.i.method, r.i.path, r);
    list.push(r);
  };

  const app = {
    [GROUP]: () => [list, mws, onError],
    use(...more: Middleware[]) {
      mws.push(...more);
      return app;
    },
    onError(fn: OnError) {
      onError = fn;
      return app;
    },
    notFound(fn: End) {
      notFound = fn;
      return app;
    },
    route(prefix: string, group: Router) {
      if (prefix[0] !== "/") throw new TypeError(`app.route(${JSON.stringify(prefix)}): a prefix starts with "/"`);
      const [routes, groupMws, groupOnError] = (group as unknown as typeof app)[GROUP]();
      for (const r of routes) {
        const path = prefix.replace(/\/$/, "") + (r.i.path === "/" ? "" : r.i.path) || "/";
        reg({ i: { ...r.i, path }, m: [...groupMws, ...r.m], h: r.h, e: r.e ?? groupOnError });
      }
      return app;
    },
    handle(req: HttpRequest): Promise<HttpResponse> {
      const fast = route(req);
      return fast instanceof Promise ? fast : Promise.resolve(fast);
    },
    routes: () => list.map((r) => r.i),
  } as unknown as Router & { [GROUP]: () => [Route[], Middleware[], OnError] };

  // The match and, when there is no middleware, the handler itself, with no async layer of our own: a
  // synchronous handler's answer comes back without a promise (bench: peers).
  function route(req: HttpRequest): HttpResponse | Promise<HttpResponse> {
    let end = notFound;
    try {
      // API Gateway and CloudFront refuse longer URLs anyway.
      if (req.path.length > 8192) throw new HttpError(414);
      const found = findRoute(table, req.method, req.path);
      if (found) {
        const r = found.value;
        req.params = found.params;
        req.route = r.i.path;
        // No middleware anywhere: call the handler straight, without the onion's async layers (bench: peers).
        if (mws.length === 0 && r.m.length === 0) return direct(req, r.h, r.e ?? onError);
        end = (req) => run(r.m, 0, req, r.h, r.e ?? onError);
      } else {
        const allow = allowedMethods(table, req.path);
        if (allow[0]) {
          const err = new HttpError(405, undefined, { headers: { allow: allow.join(", ") } });
          end = (req) => problem(err, req.requestId);
        }
      }
    } catch (err) {
      // decodeURIComponent's URIError: a malformed escape in a param.
      end = fail(err instanceof URIError ? new HttpError(400, "Malformed escape in the path") : err);
    }
    // No app middleware: 404/405 answers come back the same direct way.
    if (mws.length === 0) return direct(req, end, onError);
    return run(mws, 0, req, end, onError).then((res) => headless(req, res));
  }
  for (const method of "get post put patch delete head options all".split(" ") as Array<"get">) {
    app[method] = ((path: string, ...args: any[]) => {
      const { summary, ...schemas } = typeof args[0] === "function" ? {} : args.shift();
      reg({ i: { method: method.toUpperCase(), path, schemas, summary }, m: args, h: withInput(args.pop(), schemas), e: undefined });
      return app;
    }) as Router["get"];
  }
  return app;
}

const NOT_FOUND = new HttpError(404);

function direct(req: HttpRequest, handler: End, onError: OnError): HttpResponse | Promise<HttpResponse> {
  const failed = (err: unknown) => errorResponse(err, req, { onError }).then((res) => headless(req, res));
  try {
    const out = handler(req);
    if (out instanceof Promise) return out.then((value) => headless(req, toResponse(value)), failed);
    return headless(req, toResponse(out));
  } catch (err) {
    return failed(err);
  }
}

// GET answers HEAD: same status and headers, no body.
const headless = (req: HttpRequest, res: HttpResponse): HttpResponse => (req.method === "HEAD" ? { ...res, body: undefined } : res);

const fail =
  (err: unknown): End =>
  () => {
    throw err;
  };

// One onion layer per call; an error becomes a response right where it happens, so outer middleware
// (cors, compress) still sees a response.
async function run(list: Middleware[], i: number, req: HttpRequest, end: End, onError: OnError): Promise<HttpResponse> {
  try {
    return toResponse(await (list[i] ? list[i](req, () => run(list, i + 1, req, end, onError)) : end(req)));
  } catch (err) {
    return errorResponse(err, req, { onError });
  }
}
