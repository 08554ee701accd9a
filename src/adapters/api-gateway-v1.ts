import { buildQuery } from "../lib/query.ts";
import { Request, type LambdaContext, type RequestReader } from "../lib/request.ts";
import { multiValueHeaders, multiValueMaps } from "./multi-value.ts";
import { pathStage, routePath } from "./route-path.ts";
import { toResult, type BaseResult } from "./to-result.ts";
import type { Adapter, AdapterOptions } from "./types.ts";

/**
 * The fields of an API Gateway REST (or HTTP API payload 1.0) proxy event that we read.
 * @example
 * const event: ApiGatewayV1Event = { httpMethod: "GET", path: "/health", requestContext: { stage: "prod" } }
 * apiGatewayV1.match(event) // true
 */
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

/**
 * The result API Gateway REST expects.
 * @example
 * const handler = createHandler(router().get("/health", () => "ok"), { adapters: [apiGatewayV1] })
 * const result: ApiGatewayV1Result = await handler(createEvent("apigw-v1", { path: "/health" }))
 * result.body // "ok"
 */
export interface ApiGatewayV1Result extends BaseResult {
  multiValueHeaders?: Record<string, string[]>;
}

/**
 * Authorizer output: Cognito/JWT claims, else a Lambda authorizer's context. HTTP API payload 1.0 sends
 * `{ claims: null, scopes: null }` when no authorizer ran: that is no identity.
 * @example v1Auth({ claims: { sub: "u-1" } }) // { sub: "u-1" }
 */
function v1Auth(authorizer: Record<string, any> | null | undefined): Record<string, unknown> | undefined {
  const claims = authorizer?.["claims"] ?? authorizer?.["jwt"]?.claims;
  if (claims) return claims;
  if (authorizer?.["lambda"]) return authorizer["lambda"];
  for (const key in authorizer) if (authorizer[key] != null && key !== "claims" && key !== "scopes" && key !== "jwt") return authorizer;
  return undefined;
}

/**
 * API Gateway REST APIs, and HTTP APIs configured for payload 1.0
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format).
 * REST delivers the path encoded and the query decoded (`b%40r` is the value `b%40r`); payload 1.0 from
 * an HTTP API delivers the path decoded, stage included.
 * @example export const handler = createHandler(app, { adapters: [apiGatewayV1] })
 */
export const apiGatewayV1: Adapter<ApiGatewayV1Event, ApiGatewayV1Result> = {
  name: "apigw-v1",

  // methodArn: an authorizer's input (it asks for a policy, not a response), left to `fallback`.
  match: (event: any) => typeof event?.httpMethod === "string" && !!event.requestContext && !event.requestContext.elb && event.version !== "2.0" && event.methodArn === undefined,

  request(event: ApiGatewayV1Event, context: LambdaContext | undefined, options: AdapterOptions) {
    const ctx = event.requestContext;
    const decoded = event.version === "1.0";
    return new Request(reader, event, event.httpMethod, routePath(event.path, decoded, decoded ? pathStage(ctx.stage, ctx["domainName"]) : undefined, options), ctx.requestId, ctx.stage, v1Auth(ctx.authorizer), event, context);
  },

  result(response, request, options) {
    let [result, cookies, repeated]: [ApiGatewayV1Result, string[], Record<string, string[]> | undefined] = toResult(response, request, options);
    // A repeated header goes to multiValueHeaders only (API Gateway would merge both copies); so does every
    // Set-Cookie. REST rejects unknown keys such as `cookies`.
    for (const name in repeated) delete result.headers[name];
    if (cookies.length > 0) (repeated ??= {})["set-cookie"] = cookies;
    if (repeated) result.multiValueHeaders = repeated;
    return result;
  },
};

const reader: RequestReader<ApiGatewayV1Event> = {
  name: apiGatewayV1.name,
  rawQuery: (_event, req) => buildQuery(req.queryAll),
  // Prefer the multi-value map, then single keys it lacks (local emulators send both).
  query: (event, put) => multiValueMaps(event.multiValueQueryStringParameters, event.queryStringParameters, "multiValueQueryStringParameters", "queryStringParameters", put),
  headers: multiValueHeaders,
  sourceIp: (event) => event.requestContext.identity?.sourceIp ?? "",
};
