import { alb } from "./alb.ts";
import { apiGatewayV1 } from "./api-gateway-v1.ts";
import { functionUrl } from "./function-url.ts";
import { httpApiV2 } from "./http-api-v2.ts";
import type { Adapter } from "./types.ts";

/**
 * Every built-in adapter, in a safe detection order (each `match` is also strict on its own).
 * @example createHandler(app, { adapters: defaultAdapters })
 */
export const defaultAdapters: readonly Adapter[] = [alb, httpApiV2, functionUrl, apiGatewayV1];
