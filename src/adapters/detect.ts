import type { Adapter } from "./types.ts";

/**
 * The first adapter whose `match` accepts the event, or `undefined`.
 * @example detectAdapter(event, defaultAdapters)?.name // "http-api-v2"
 */
export function detectAdapter(event: unknown, adapters: readonly Adapter[]): Adapter | undefined {
  return adapters.find((adapter) => adapter.match(event));
}
