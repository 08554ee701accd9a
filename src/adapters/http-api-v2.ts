import { canonicalDecodedPath } from "../lib/path.ts";
import { createRequest, type HttpRequest, type LambdaContext } from "../lib/request.ts";
import { isFunctionUrlEvent, isPayloadV2, v2Auth, v2Load, v2RequestId, v2Result, type PayloadV2Event, type PayloadV2Result } from "./payload-v2.ts";
import { applyBasePath, stripStagePrefix } from "./paths.ts";
import type { Adapter, AdapterOptions } from "./types.ts";

/**
 * API Gateway HTTP APIs (payload 2.0). Their `rawPath` arrives percent-decoded (a `%2F` is already a `/`,
 * a decoded `?` truncates it): we re-encode it into the canonical path.
 * @example export const handler = createHandler(app, { adapters: [httpApiV2] })
 */
export const httpApiV2: Adapter<PayloadV2Event, PayloadV2Result> = {
  name: "http-api-v2",

  match: (event: unknown): boolean => isPayloadV2(event) && !isFunctionUrlEvent(event),

  request(event: PayloadV2Event, context: LambdaContext | undefined, options: AdapterOptions): HttpRequest {
    const ctx = event.requestContext;
    let path = canonicalDecodedPath(event.rawPath || "/");
    if (options.stripStage !== false) path = stripStagePrefix(path, ctx.stage);
    return createRequest({
      method: ctx.http.method.toUpperCase(),
      path: applyBasePath(path, options),
      source: "http-api-v2",
      requestId: v2RequestId(event, context),
      stage: ctx.stage,
      auth: v2Auth(ctx.authorizer),
      event,
      context,
      rawQuery: event.rawQueryString ?? "",
      body: event.body,
      isBase64Encoded: event.isBase64Encoded === true,
      load: v2Load,
    });
  },

  result: v2Result,
};
