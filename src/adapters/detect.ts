import { kindOf } from "../lib/event-fields.ts";
import type { Adapter } from "./types.ts";

/**
 * The first adapter whose `match` accepts the event, or `undefined`.
 * @example detectAdapter(event, defaultAdapters)?.name // "http-api-v2"
 */
export function detectAdapter(event: unknown, adapters: readonly Adapter[]): Adapter | undefined {
  // By index: no iterator per invocation (bench: peers).
  for (let i = 0; i < adapters.length; i++) if (adapters[i]!.match(event)) return adapters[i];
  return undefined;
}

/**
 * The error for an event no adapter accepts: it names the keys seen (at most 20) and the sources served.
 * @example throw unknownEvent({ Records: [] }, [httpApiV2], "", " Add its adapter to adapters, or a fallback option.")
 */
export function unknownEvent(event: unknown, adapters: readonly Adapter[], handler: string, hint: string): Error {
  // Quoted and clipped: a key is event text, which may be long or look like the rest of the message.
  const keys = event && typeof event === "object" ? Object.keys(event).slice(0, 20).map((key) => JSON.stringify(key.length > 64 ? key.slice(0, 64) + "…" : key)).join(", ") || "none" : `(${kindOf(event)})`;
  return new Error(`lambdalith${handler}: unrecognised event (keys: ${keys}); supported sources: ${adapters.map((a) => a.name).join(", ")}.${hint}`);
}
