import type { HttpRequest } from "../lib/request.ts";
import { empty } from "../lib/response.ts";
import { withHeaders } from "./response-headers.ts";
import type { Middleware } from "./types.ts";

/**
 * Options of {@link cors}; every list is sent `, `-joined.
 * @example { origin: (origin) => (origin.endsWith(".exambuddy.app") ? origin : false), exposeHeaders: ["x-request-id"] }
 */
export interface CorsOptions {
  /**
   * `"*"` (default), one origin, a list, or a function returning the origin to allow (or false). An origin
   * is written as browsers send it: `https://app.example` (lower-case, no path, no trailing `/`).
   */
  origin?: string | string[] | ((origin: string, req: HttpRequest) => string | false | null | undefined) | undefined;
  /** Methods a preflight allows; default GET, HEAD, PUT, PATCH, POST, DELETE; `["*"]`: the one asked for. */
  methods?: string[] | undefined;
  /**
   * Request headers a preflight allows; default (or `["*"]`): those the browser asks for, `Authorization`
   * included (a literal `*` would never cover it, nor anything on a credentialed request).
   */
  allowHeaders?: string[] | undefined;
  /**
   * Response headers the browser may read; `["*"]` reads all of them, with credentials too (the names of
   * each response's headers are sent, as browsers read `*` literally on a credentialed request).
   */
  exposeHeaders?: string[] | undefined;
  /** Allow cookies and `Authorization`; `"*"` then reflects the origin, never `*` with credentials. */
  credentials?: boolean | undefined;
  /** Seconds a browser may cache a preflight answer (a whole number ≥ 0). */
  maxAge?: number | undefined;
}

// A serialized origin as a browser sends it (Fetch standard): scheme://host[:port], lower-case, nothing after.
const ORIGIN = /^[a-z][a-z\d+.-]*:\/\/[^/?#\s@A-Z]+$/;

/**
 * CORS middleware. Register it with `app.use`: it runs for 404/405 too, so it answers every preflight
 * (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) with a 204 even when no OPTIONS route
 * exists, as an ALB or a Function URL forwards preflights to the function. A disallowed origin gets no CORS
 * headers; any origin-dependent answer carries `Vary: Origin`.
 * @example app.use(cors({ origin: ["https://exambuddy.app"], credentials: true, maxAge: 600 }))
 */
export function cors(options: CorsOptions = {}): Middleware {
  const { origin = "*", credentials, maxAge } = options;
  // A mistyped origin would never match and fail silently in the browser: refuse it here, naming the fix.
  for (const one of typeof origin === "function" || origin === "*" ? [] : ([] as string[]).concat(origin)) {
    if (one !== "null" && !ORIGIN.test(one)) throw new TypeError(`cors({ origin }): "${one}" is not an origin as browsers send it: scheme://host[:port], lower-case, no path ("*" alone allows any)`);
  }
  if (maxAge !== undefined && !(Number.isInteger(maxAge) && maxAge >= 0)) throw new TypeError(`cors({ maxAge }): ${maxAge} is not whole seconds ≥ 0`);
  const anyMethod = options.methods?.includes("*");
  const methods = (options.methods ?? ["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"]).join(", ");
  const allowHeaders = options.allowHeaders?.includes("*") ? undefined : options.allowHeaders?.join(", ");
  const expose = options.exposeHeaders?.join(", ");
  // A credentialed request reads a "*" as a header named "*" (Fetch standard): with credentials, "*" names
  // the response's own headers and the x-request-id the adapter adds to every response.
  const exposeEach = credentials && options.exposeHeaders?.includes("*") ? options.exposeHeaders.filter((name) => name !== "*") : undefined;
  // Only a literal "*" without credentials answers every origin alike (no Vary needed).
  const vary = origin === "*" && !credentials ? undefined : "Origin";

  return async (req, next) => {
    const from = req.headers["origin"];
    let allowed = from === undefined ? undefined : typeof origin === "function" ? origin(from, req) : origin === "*" ? "*" : origin === from || (Array.isArray(origin) && origin.includes(from)) ? from : undefined;
    // Browsers refuse "*" on credentialed requests: reflect the origin instead, but never "null" (sandboxed
    // frames, data: and file: pages of any site send it), which only an explicit list may allow.
    if (allowed === "*" && credentials) allowed = from === "null" ? undefined : from;
    if (typeof allowed !== "string" || !allowed) return vary === undefined ? next() : withHeaders(await next(), {}, vary);
    const headers: Record<string, string> = { "access-control-allow-origin": allowed };
    if (credentials) headers["access-control-allow-credentials"] = "true";
    const method = req.headers["access-control-request-method"];
    if (req.method === "OPTIONS" && method !== undefined) {
      headers["access-control-allow-methods"] = anyMethod ? method : methods;
      const asked = allowHeaders ?? req.headers["access-control-request-headers"];
      if (asked) headers["access-control-allow-headers"] = asked;
      if (maxAge !== undefined) headers["access-control-max-age"] = String(maxAge);
      const varies = [vary, anyMethod ? "Access-Control-Request-Method" : undefined, allowHeaders === undefined ? "Access-Control-Request-Headers" : undefined].filter(Boolean).join(", ");
      return withHeaders(empty(204), headers, varies || undefined);
    }
    const res = await next();
    const exposed = exposeEach ? [...Object.keys(res.headers ?? {}), "x-request-id", ...exposeEach].join(", ") : expose;
    if (exposed) headers["access-control-expose-headers"] = exposed;
    return withHeaders(res, headers, vary);
  };
}
