// Builds requests for the router's tests and benchmark, without an event source in between.
import { createRequest } from "../lib/create-request.ts";
import type { HttpRequest } from "../lib/request.ts";

/** What a test request carries: headers by name (one value each), an optional body. */
export interface TestRequestInit {
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

/**
 * A request for `app.handle`: `url` is the canonical path with an optional `?query`.
 * @example await app.handle(testRequest("GET", "/user/42?x=1", { headers: { origin: "https://a.test" } }))
 */
export function testRequest(method: string, url: string, init: TestRequestInit = {}): HttpRequest {
  const q = url.indexOf("?");
  const headersAll: Record<string, string[]> = Object.create(null);
  for (const name in init.headers) headersAll[name.toLowerCase()] = [init.headers[name]!];
  return createRequest({
    method,
    path: q === -1 ? url : url.slice(0, q),
    rawQuery: q === -1 ? "" : url.slice(q + 1),
    headersAll,
    body: init.body,
    source: "test",
    requestId: "req-test",
  });
}
