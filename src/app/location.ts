// A 201's Location as a reference relative to the request's own URL. A client resolves Location against the
// URL it requested (RFC 9110 §10.2.2: `new URL(location, requestUrl)`), and the app never sees what sits
// before its paths: a REST API's stage (`https://{id}.execute-api.{region}.amazonaws.com/dev/exams`), a
// custom domain's base path mapping. An absolute path (`/exams/x`) resolves outside them, where API Gateway
// answers 403 "Missing Authentication Token". Climbing out of the request's path with `../` keeps whatever
// prefix there is (none behind an ALB, a Function URL or an HTTP API's $default stage: the same reference
// resolves there too), as the OpenAPI document's `servers: [{ url: "." }]` does for the document.
import type { Middleware } from "lambdalith";

/**
 * The relative reference that leads from a request at app path `requestPath` to app path `targetPath` (both
 * canonical, starting with `/`): one `../` per directory segment of the request path, then the target
 * without its leading `/`. Encoded segments stay as they are (`%2F` is no segment boundary).
 * @example relativeReference("/exams/e1/attempts", "/attempts/a1") // "../../attempts/a1"
 */
export function relativeReference(requestPath: string, targetPath: string): string {
  // "/exams" → 0 (its directory is the prefix's own), "/exams/" → 1, "/exams/e1/attempts" → 2.
  const depth = Math.max(0, requestPath.split("/").length - 2);
  const target = targetPath.slice(1);
  // Without a "../" in front, a first segment holding ':' would read as a scheme ("a:b" → scheme "a"), and
  // an empty reference as the request URL itself: "./" keeps both paths (RFC 3986 §4.2).
  if (depth === 0 && (target === "" || /^[^/]*:/.test(target))) return "./" + target;
  return "../".repeat(depth) + target;
}

/**
 * Rewrites an app-absolute Location (`/exams/x`, as routes name a new item and the Idempotency-Key layer
 * stores it) into the reference relative to this request, so every answer (a replay through another path
 * included) resolves against its own request URL. Anything else (a full URL, `//host/…`) is left alone.
 * @example app.use(relativeLocation())
 */
export function relativeLocation(): Middleware {
  return async (req, next) => {
    const res = await next();
    // Routes answer through json(), whose header names are lower-case; so are a replay's stored ones.
    const location = res.headers?.["location"];
    if (typeof location === "string" && location.startsWith("/") && !location.startsWith("//")) {
      res.headers = { ...res.headers, location: relativeReference(req.path, location) };
    }
    return res;
  };
}
