import type { HttpRequest } from "../lib/request.ts";
import { empty } from "../lib/response.ts";
import { withHeaders } from "./response-headers.ts";
import type { Middleware } from "./types.ts";

/** Options of {@link cors}; every list is sent `, `-joined. */
export interface CorsOptions {
  /** `"*"` (default), one origin, a list, or a function returning the origin to allow (or false). */
  origin?: string | string[] | ((origin: string, req: HttpRequest) => string | false | null | undefined);
  /** Methods a preflight allows; default GET, HEAD, PUT, PATCH, POST, DELETE. */
  methods?: string[];
  /** Request headers a preflight allows; default: those the browser asks for. */
  allowHeaders?: string[];
  /** Response headers the browser may read. */
  exposeHeaders?: string[];
  /** Allow cookies and `Authorization`; `"*"` then reflects the origin, never `*` with credentials. */
  credentials?: boolean;
  /** Seconds a browser may cache a preflight answer. */
  maxAge?: number;
}

/**
 * CORS middleware. Register it with `app.use`: it runs for 404/405 too, so it answers every preflight
 * (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) with a 204 even when no OPTIONS route
 * exists, as an ALB or a Function URL forwards preflights to the function. A disallowed origin gets no CORS
 * headers; any origin-dependent answer carries `Vary: Origin`.
 * @example app.use(cors({ origin: ["https://exambuddy.app"], credentials: true, maxAge: 600 }))
 */
export function cors(options: CorsOptions = {}): Middleware {
  const { origin = "*", credentials, maxAge } = options;
  const methods = (options.methods ?? ["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"]).join(", ");
  const allowHeaders = options.allowHeaders?.join(", ");
  const expose = options.exposeHeaders?.join(", ");
  // Only a literal "*" without credentials answers every origin alike (no Vary needed).
  const vary = origin === "*" && !credentials ? undefined : "Origin";

  return async (req, next) => {
    const from = req.headers["origin"];
    let allowed = from === undefined ? undefined : typeof origin === "function" ? origin(from, req) : origin === "*" ? "*" : origin === from || (Array.isArray(origin) && origin.includes(from)) ? from : undefined;
    if (!allowed) return vary === undefined ? next() : withHeaders(await next(), {}, vary);
    // Browsers refuse "*" on credentialed requests: reflect the origin instead.
    if (allowed === "*" && credentials) allowed = from!;
    const headers: Record<string, string> = { "access-control-allow-origin": allowed };
    if (credentials) headers["access-control-allow-credentials"] = "true";
    if (req.method === "OPTIONS" && req.headers["access-control-request-method"] !== undefined) {
      headers["access-control-allow-methods"] = methods;
      const asked = allowHeaders ?? req.headers["access-control-request-headers"];
      if (asked) headers["access-control-allow-headers"] = asked;
      if (maxAge !== undefined) headers["access-control-max-age"] = String(maxAge);
      const varies = [vary, allowHeaders === undefined ? "Access-Control-Request-Headers" : undefined].filter(Boolean).join(", ");
      return withHeaders(empty(204), headers, varies || undefined);
    }
    if (expose) headers["access-control-expose-headers"] = expose;
    return withHeaders(await next(), headers, vary);
  };
}
