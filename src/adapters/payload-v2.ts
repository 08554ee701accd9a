import { dict } from "../lib/dict.ts";
import { joinHeaders, type HttpRequest, type LambdaContext, type RequestLoader } from "../lib/request.ts";
import type { HttpResponse } from "../lib/response.ts";
import { serializeResponse, singleValueHeaders } from "./result.ts";
import type { AdapterOptions } from "./types.ts";

/** The fields of a payload 2.0 event (HTTP API and Function URLs) that we read. */
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

/** The result payload 2.0 sources expect. */
export interface PayloadV2Result {
  statusCode: number;
  headers: Record<string, string>;
  cookies?: string[];
  body: string;
  isBase64Encoded: boolean;
}

/**
 * Headers of a payload 2.0 event, with `cookies[]` folded into `cookie`. Function URLs send the `cookie`
 * header *and* `cookies[]`: a pair already in the header is not counted twice.
 * @example v2Headers({ headers: { a: "1" }, cookies: ["x=1"] }) // { a: ["1"], cookie: ["x=1"] }
 */
export function v2Headers(event: PayloadV2Event): Record<string, string[]> {
  const out: Record<string, string[]> = dict();
  const headers = event.headers;
  if (headers) {
    for (const name in headers) {
      const value = headers[name];
      if (value === undefined || value === null) continue;
      const lower = name.toLowerCase();
      const list = out[lower];
      if (list === undefined) out[lower] = [value];
      else list.push(value);
    }
  }
  const cookies = event.cookies;
  if (cookies && cookies.length > 0) {
    const list = out["cookie"];
    if (list === undefined) out["cookie"] = cookies.slice();
    else {
      const seen = new Set<string>();
      for (const value of list) for (const pair of value.split(";")) seen.add(pair.trim());
      for (const pair of cookies) if (!seen.has(pair.trim())) list.push(pair);
    }
  }
  return out;
}

/**
 * The joined headers of a payload 2.0 event in one pass (values arrive one per name already), with
 * `cookies[]` folded into `cookie` as {@link v2Headers} does.
 * @example v2JoinedHeaders({ headers: { a: "1" }, cookies: ["x=1", "y=2"] }) // { a: "1", cookie: "x=1; y=2" }
 */
export function v2JoinedHeaders(event: PayloadV2Event): Record<string, string> {
  const cookies = event.cookies;
  if (cookies && cookies.length > 0 && event.headers?.["cookie"] !== undefined) return joinHeaders(v2Headers(event));
  const out: Record<string, string> = dict();
  const headers = event.headers;
  if (headers) {
    for (const name in headers) {
      const value = headers[name];
      if (value === undefined || value === null) continue;
      const lower = name.toLowerCase();
      const prev = out[lower];
      out[lower] = prev === undefined ? value : prev + (lower === "cookie" ? "; " : ", ") + value;
    }
  }
  if (cookies && cookies.length > 0) out["cookie"] = out["cookie"] === undefined ? cookies.join("; ") : out["cookie"] + "; " + cookies.join("; ");
  return out;
}

/** Lazy readers shared by the HTTP API and Function URL adapters. */
export const v2Load: RequestLoader = {
  rawQuery: (event: PayloadV2Event) => event.rawQueryString ?? "",
  headersAll: v2Headers,
  headers: v2JoinedHeaders,
  sourceIp: (event: PayloadV2Event) => event.requestContext.http.sourceIp ?? "",
};

/**
 * Verified claims: a JWT authorizer's claims, else a Lambda authorizer's context (IAM has no claims).
 * @example v2Auth({ jwt: { claims: { sub: "u-1" } } }) // { sub: "u-1" }
 */
export function v2Auth(authorizer: PayloadV2Event["requestContext"]["authorizer"]): Record<string, unknown> | undefined {
  if (authorizer === null || authorizer === undefined) return undefined;
  return authorizer.jwt?.claims ?? authorizer.lambda ?? undefined;
}

/**
 * True for a Function URL event (same 2.0 shape; told apart by its `.lambda-url.` domain).
 * @example isFunctionUrlEvent(event)
 */
export function isFunctionUrlEvent(event: any): boolean {
  const domain = event?.requestContext?.domainName;
  return typeof domain === "string" && domain.includes(".lambda-url.");
}

/**
 * True for any payload 2.0 HTTP event: `version` "2.0" **and** `requestContext.http` (a REST event behind
 * a base path mapping also carries `rawPath`, so that alone proves nothing).
 * @example isPayloadV2(event)
 */
export function isPayloadV2(event: any): boolean {
  return event?.version === "2.0" && typeof event.requestContext?.http === "object" && event.requestContext.http !== null;
}

/**
 * The request id of a payload 2.0 event, else the Lambda request id.
 * @example v2RequestId(event, context)
 */
export function v2RequestId(event: PayloadV2Event, context: LambdaContext | undefined): string {
  return event.requestContext.requestId ?? context?.awsRequestId ?? "";
}

/**
 * The payload 2.0 result: Set-Cookie values go to `cookies[]`, one string per header otherwise.
 * @example v2Result(json({ ok: true }), req, {})
 */
export function v2Result(response: HttpResponse, request: HttpRequest, options: AdapterOptions): PayloadV2Result {
  const s = serializeResponse(response, request, options);
  const out: PayloadV2Result = { statusCode: s.statusCode, headers: singleValueHeaders(s.headers, s.multi), body: s.body, isBase64Encoded: s.isBase64Encoded };
  if (s.cookies.length > 0) out.cookies = s.cookies;
  return out;
}
