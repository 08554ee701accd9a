import { canonicalPath } from "./canonical-path.ts";
import { buildQuery, parseQuery } from "./query.ts";
import { Request, type HttpRequest, type RequestFields, type RequestReader } from "./request.ts";

// Reads a custom adapter's fields, given as values rather than an event.
const FIELDS: RequestReader<RequestFields> = {
  name: "custom adapter",
  rawQuery: (fields) => fields.rawQuery ?? (fields.queryAll ? buildQuery(fields.queryAll) : ""),
  query(fields, put) {
    const all = fields.queryAll;
    // null too (REST's multiValueQueryStringParameters when there is no query), as rawQuery reads it.
    if (!all) parseQuery(fields.rawQuery ?? "", put);
    else for (const key in all) for (const value of all[key]!) put(key, value);
  },
  headers(fields, put) {
    const all = fields.headersAll;
    for (const name in all) for (const value of all[name]!) put(name, value);
  },
  sourceIp: (fields) => fields.sourceIp ?? "",
};

/**
 * Builds an {@link HttpRequest}; custom adapters call it with what their event carries.
 * @example createRequest({ method: "GET", path: "/health", source: "test", requestId: "r-1", rawQuery: "a=1" })
 */
export function createRequest(fields: RequestFields): HttpRequest {
  // The path the router matches is canonical whatever a custom adapter hands over ("/a b" is "/a%20b").
  const req = new Request(FIELDS, fields, fields.method, canonicalPath(fields.path, false), fields.requestId, fields.stage, fields.auth, fields.event, fields.context);
  req.source = fields.source;
  return req;
}
