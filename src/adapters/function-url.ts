import { canonicalEncodedPath } from "../lib/path.ts";
import { createRequest, type HttpRequest, type LambdaContext } from "../lib/request.ts";
import { isFunctionUrlEvent, isPayloadV2, v2Auth, v2Load, v2RequestId, v2Result, type PayloadV2Event, type PayloadV2Result } from "./payload-v2.ts";
import { applyBasePath } from "./paths.ts";
import type { Adapter, AdapterOptions } from "./types.ts";

/**
 * Lambda Function URLs: the payload 2.0 shape, but the path arrives percent-encoded and the `cookie`
 * header is kept beside `cookies[]`.
 * @example export const handler = createHandler(app, { adapters: [functionUrl] })
 */
export const functionUrl: Adapter<PayloadV2Event, PayloadV2Result> = {
  name: "function-url",

  match: (event: unknown): boolean => isPayloadV2(event) && isFunctionUrlEvent(event),

  request(event: PayloadV2Event, context: LambdaContext | undefined, options: AdapterOptions): HttpRequest {
    const ctx = event.requestContext;
    return createRequest({
      method: ctx.http.method.toUpperCase(),
      path: applyBasePath(canonicalEncodedPath(event.rawPath || "/"), options),
      source: "function-url",
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
