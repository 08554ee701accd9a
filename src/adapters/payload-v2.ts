import type { Put } from "../lib/query.ts";
import { eventList, eventMap } from "../lib/event-fields.ts";
import type { HttpRequest, RequestReader } from "../lib/request.ts";
import type { HttpResponse } from "../lib/response.ts";
import { toResult, type BaseResult } from "./to-result.ts";
import type { AdapterOptions } from "./types.ts";

/**
 * The fields of a payload 2.0 event (HTTP API and Function URLs) that we read.
 * @example
 * const event: PayloadV2Event = { version: "2.0", rawPath: "/health", requestContext: { http: { method: "GET" } } }
 * httpApiV2.match(event) // true
 */
export interface PayloadV2Event {
  version: "2.0";
  rawPath: string;
  rawQueryString?: string;
  cookies?: string[];
  headers?: Record<string, string | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
  requestContext: {
    requestId?: string;
    stage?: string;
    domainName?: string;
    http: { method: string; path?: string; sourceIp?: string; protocol?: string; userAgent?: string };
    authorizer?: { jwt?: { claims?: Record<string, unknown> }; lambda?: Record<string, unknown>; iam?: unknown } | null;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/**
 * The result payload 2.0 sources expect.
 * @example
 * const handler = createHandler(router().get("/", () => text("hi", { cookies: ["a=1"] })), { adapters: [functionUrl] })
 * const result: PayloadV2Result = await handler(createEvent("function-url", { path: "/" }))
 * result.cookies // ["a=1"]
 */
export interface PayloadV2Result extends BaseResult {
  cookies?: string[];
}

/** How HTTP API and Function URL requests read their lazy views. */
export const v2Reader: Omit<RequestReader<PayloadV2Event>, "name"> = {
  rawQuery: (event) => event.rawQueryString ?? "",
  headers(event: PayloadV2Event, put: Put) {
    const headers = eventMap(event.headers, "headers");
    for (const name in headers) if (headers[name] != null) put(name, headers[name]);
    // Function URLs send the cookie header *and* cookies[]: a pair already in the header is not added twice
    // (a Set: a list searched per cookie made 40,000 pairs take seconds).
    const seen = new Set<string>(headers["cookie"]?.split(";").map((pair: string) => pair.trim()));
    for (const pair of eventList(event.cookies, "cookies")) if (typeof pair !== "string" || !seen.has(pair.trim())) put("cookie", pair);
  },
  sourceIp: (event) => event.requestContext.http.sourceIp ?? "",
};

/**
 * Verified claims: a JWT authorizer's claims, else a Lambda authorizer's context (IAM has no claims).
 * @example v2Auth({ jwt: { claims: { sub: "u-1" } } }) // { sub: "u-1" }
 */
export function v2Auth(authorizer: PayloadV2Event["requestContext"]["authorizer"]): Record<string, unknown> | undefined {
  return authorizer?.jwt?.claims ?? authorizer?.lambda ?? undefined;
}

/**
 * True for a payload 2.0 HTTP event of the given kind: `version` "2.0" **and** `requestContext.http` (a
 * REST event behind a base path mapping also carries `rawPath`, so that alone proves nothing); a Function
 * URL is told apart by its `.lambda-url.` domain.
 * @example isPayloadV2(event, true) // a Function URL event
 */
export function isPayloadV2(event: any, functionUrl: boolean): boolean {
  const context = event?.requestContext;
  // routeArn: an HTTP API authorizer's input (it asks for { isAuthorized }), left to `fallback`.
  // typeof, not String(): a malformed event's { toString: 1 } would throw.
  return event?.version === "2.0" && !!context?.http && event.routeArn === undefined && (typeof context.domainName === "string" && context.domainName.includes(".lambda-url.")) === functionUrl;
}

/**
 * The payload 2.0 result: Set-Cookie values go to `cookies[]`, one string per header otherwise.
 * @example v2Result(json({ ok: true }), req, {})
 */
export function v2Result(response: HttpResponse, request: HttpRequest, options: AdapterOptions): PayloadV2Result {
  const [result, cookies]: [PayloadV2Result, string[], unknown] = toResult(response, request, options);
  if (cookies.length > 0) result.cookies = cookies;
  return result;
}
