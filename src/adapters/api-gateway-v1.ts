import { dict } from "../lib/dict.ts";
import { canonicalDecodedPath, canonicalEncodedPath } from "../lib/path.ts";
import { collectHeaders, createRequest, joinedHeaders, type HttpRequest, type LambdaContext, type RequestLoader } from "../lib/request.ts";
import type { HttpResponse } from "../lib/response.ts";
import { applyBasePath, stripStagePrefix } from "./paths.ts";
import { serializeResponse } from "./result.ts";
import type { Adapter, AdapterOptions } from "./types.ts";

/** The fields of an API Gateway REST (or HTTP API payload 1.0) proxy event that we read. */
export interface ApiGatewayV1Event {
  version?: string;
  httpMethod: string;
  path: string;
  headers?: Record<string, string | undefined> | null;
  multiValueHeaders?: Record<string, string[] | undefined> | null;
  queryStringParameters?: Record<string, string | undefined> | null;
  multiValueQueryStringParameters?: Record<string, string[] | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
  requestContext: {
    requestId?: string;
    stage?: string;
    identity?: { sourceIp?: string } | null;
    authorizer?: Record<string, unknown> | null;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** The result API Gateway REST expects. */
export interface ApiGatewayV1Result {
  statusCode: number;
  headers: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  body: string;
  isBase64Encoded: boolean;
}

const load: RequestLoader = {
  // API Gateway already decoded these values: keep them (`b%40r` stays `b%40r`); prefer the multi-value
  // map, then single keys it lacks (local emulators send both).
  queryAll(event: ApiGatewayV1Event, first?: Record<string, string>) {
    const out: Record<string, string[]> = dict();
    const multi = event.multiValueQueryStringParameters;
    if (multi) {
      for (const key in multi) {
        const values = multi[key];
        if (values == null || values.length === 0) continue;
        out[key] = values.slice();
        if (first) first[key] = values[0]!;
      }
    }
    const single = event.queryStringParameters;
    if (single) {
      for (const key in single) {
        const value = single[key];
        if (value == null || (multi && multi[key] != null) || key in out) continue;
        out[key] = [value];
        if (first) first[key] = value;
      }
    }
    return out;
  },
  headersAll: (event: ApiGatewayV1Event) => collectHeaders(event.multiValueHeaders, event.headers),
  headers: (event: ApiGatewayV1Event) => joinedHeaders(event.multiValueHeaders, event.headers),
  sourceIp: (event: ApiGatewayV1Event) => event.requestContext.identity?.sourceIp ?? "",
};

/**
 * Authorizer output: Cognito/JWT claims, else a Lambda authorizer's context.
 * @example authOf({ claims: { sub: "u-1" } }) // { sub: "u-1" }
 */
function authOf(authorizer: Record<string, unknown> | null | undefined): Record<string, unknown> | undefined {
  if (authorizer === null || authorizer === undefined || typeof authorizer !== "object") return undefined;
  const claims = authorizer["claims"] ?? (authorizer["jwt"] as { claims?: unknown } | undefined)?.claims;
  if (claims !== null && typeof claims === "object") return claims as Record<string, unknown>;
  if (authorizer["lambda"] !== null && typeof authorizer["lambda"] === "object") return authorizer["lambda"] as Record<string, unknown>;
  // HTTP API payload 1.0 sends `{ claims: null, scopes: null }` when no authorizer ran: that is no identity.
  for (const key in authorizer) {
    if (authorizer[key] !== null && authorizer[key] !== undefined && key !== "claims" && key !== "scopes" && key !== "jwt") return authorizer;
  }
  return undefined;
}

/**
 * API Gateway REST APIs (payload 1.0), and HTTP APIs configured for payload 1.0.
 * @example export const handler = createHandler(app, { adapters: [apiGatewayV1] })
 */
export const apiGatewayV1: Adapter<ApiGatewayV1Event, ApiGatewayV1Result> = {
  name: "apigw-v1",

  match(event: any): boolean {
    const ctx = event?.requestContext;
    return typeof event?.httpMethod === "string" && typeof ctx === "object" && ctx !== null && ctx.elb === undefined && event.version !== "2.0";
  },

  request(event: ApiGatewayV1Event, context: LambdaContext | undefined, options: AdapterOptions): HttpRequest {
    const ctx = event.requestContext;
    const stage = ctx.stage;
    // REST delivers the path encoded; an HTTP API (payload 1.0) delivers it decoded, stage included.
    let path: string;
    if (event.version === "1.0") {
      path = canonicalDecodedPath(event.path || "/");
      if (options.stripStage !== false) path = stripStagePrefix(path, stage);
    } else path = canonicalEncodedPath(event.path || "/");
    return createRequest({
      method: event.httpMethod.toUpperCase(),
      path: applyBasePath(path, options),
      source: "apigw-v1",
      requestId: ctx.requestId ?? context?.awsRequestId ?? "",
      stage,
      auth: authOf(ctx.authorizer),
      event,
      context,
      body: event.body,
      isBase64Encoded: event.isBase64Encoded === true,
      load,
    });
  },

  result(response: HttpResponse, request: HttpRequest, options: AdapterOptions): ApiGatewayV1Result {
    const s = serializeResponse(response, request, options);
    const headers: Record<string, string> = {};
    let multi: Record<string, string[]> | undefined;
    for (const name in s.headers) {
      const value = s.headers[name]!;
      if (typeof value === "string") headers[name] = value;
      else (multi ??= {})[name] = value;
    }
    // Several Set-Cookie only survive in multiValueHeaders; REST rejects unknown keys such as `cookies`.
    if (s.cookies.length > 0) (multi ??= {})["set-cookie"] = s.cookies;
    const out: ApiGatewayV1Result = { statusCode: s.statusCode, headers, body: s.body, isBase64Encoded: s.isBase64Encoded };
    if (multi !== undefined) out.multiValueHeaders = multi;
    return out;
  },
};
