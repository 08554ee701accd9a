import { Request, type LambdaContext } from "../lib/request.ts";
import { isPayloadV2, v2Auth, v2Reader, v2Result, type PayloadV2Event, type PayloadV2Result } from "./payload-v2.ts";
import { pathStage, routePath } from "./route-path.ts";
import type { Adapter, AdapterOptions } from "./types.ts";

/**
 * API Gateway HTTP APIs, payload 2.0
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html).
 * Their `rawPath` arrives percent-decoded (a `%2F` is already a `/`, a decoded `?` truncates it): we
 * re-encode it into the canonical path. The query is read from `rawQueryString`, never from
 * `queryStringParameters` (decoded, duplicates comma-joined).
 * @example export const handler = createHandler(app, { adapters: [httpApiV2] })
 */
export const httpApiV2: Adapter<PayloadV2Event, PayloadV2Result> = {
  name: "http-api-v2",
  match: (event) => isPayloadV2(event, false),
  request(event: PayloadV2Event, context: LambdaContext | undefined, options: AdapterOptions) {
    const ctx = event.requestContext;
    return new Request(reader, event, ctx.http.method, routePath(event.rawPath, true, pathStage(ctx.stage, ctx.domainName), options), ctx.requestId, ctx.stage, v2Auth(ctx.authorizer), event, context);
  },
  result: v2Result,
};

const reader = { ...v2Reader, name: httpApiV2.name };
