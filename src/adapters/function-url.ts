import { Request, type LambdaContext } from "../lib/request.ts";
import { isPayloadV2, v2Auth, v2Reader, v2Result, type PayloadV2Event, type PayloadV2Result } from "./payload-v2.ts";
import { routePath } from "./route-path.ts";
import type { Adapter, AdapterOptions } from "./types.ts";

/**
 * Lambda Function URLs (https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html): the payload
 * 2.0 shape, but the path arrives percent-encoded and the `cookie` header is kept beside `cookies[]`.
 * @example export const handler = createHandler(app, { adapters: [functionUrl] })
 */
export const functionUrl: Adapter<PayloadV2Event, PayloadV2Result> = {
  name: "function-url",
  match: (event) => isPayloadV2(event, true),
  request(event: PayloadV2Event, context: LambdaContext | undefined, options: AdapterOptions) {
    const ctx = event.requestContext;
    return new Request(reader, event, ctx.http.method, routePath(event.rawPath, false, undefined, options), ctx.requestId, ctx.stage, v2Auth(ctx.authorizer), event, context);
  },
  result: v2Result,
};

const reader = { ...v2Reader, name: functionUrl.name };
