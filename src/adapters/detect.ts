import type { Adapter } from "./types.ts";

/**
 * The first adapter whose `match` accepts the event, or `undefined`.
 * @example detectAdapter(event, defaultAdapters)?.name // "http-api-v2"
 */
export function detectAdapter(event: unknown, adapters: readonly Adapter[]): Adapter | undefined {
  for (const adapter of adapters) if (adapter.match(event)) return adapter;
  return undefined;
}

/**
 * The error for an event no adapter accepts: it names the keys it saw and the sources it supports.
 * @example throw unknownEventError({ Records: [] }, defaultAdapters)
 */
export function unknownEventError(event: unknown, adapters: readonly Adapter[]): Error {
  const keys = event !== null && typeof event === "object" ? Object.keys(event).slice(0, 20).join(", ") || "(none)" : `(a ${event === null ? "null" : typeof event})`;
  const ctx = event !== null && typeof event === "object" ? (event as { requestContext?: unknown }).requestContext : undefined;
  const ctxKeys = ctx !== null && typeof ctx === "object" ? `; requestContext keys: ${Object.keys(ctx).slice(0, 20).join(", ")}` : "";
  return new Error(
    `lambdalith: unrecognised event (keys: ${keys}${ctxKeys}). Supported sources: ${adapters.map((a) => a.name).join(", ")}. ` +
      "Pass a `fallback` option to handle non-HTTP events.",
  );
}
