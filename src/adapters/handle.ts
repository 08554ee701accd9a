import { createHandler, type App, type CreateHandlerOptions, type HandlerOptions, type LambdaHandler } from "./create-handler.ts";
import { defaultAdapters } from "./default-adapters.ts";

/**
 * The Lambda handler for every built-in event source: REST, HTTP API, Function URL, ALB.
 * @example export const handler = handle(app)
 */
export function handle(app: App, options: HandlerOptions & { adapters?: CreateHandlerOptions["adapters"] | undefined } = {}): LambdaHandler {
  return createHandler(app, { ...options, adapters: options.adapters ?? defaultAdapters });
}
