import { dict } from "./dict.ts";
import { HttpError } from "./error.ts";

// An absent map: inherits nothing, so `__proto__` looked up in it is undefined like any other name.
const NONE: Record<string, any> = Object.freeze(dict());

/**
 * What a value is, for a message: `"null"`, `"undefined"`, `"a list"`, `"a string"`…
 * @example kindOf([1]) // "a list"
 */
export function kindOf(value: unknown): string {
  return value == null ? "" + value : Array.isArray(value) ? "a list" : "a " + typeof value;
}

/**
 * The 400 for a malformed event field: it names the field, what was expected and what came. A malformed
 * event gets a clean answer in its source's shape, never a TypeError from deep inside.
 * @example throw malformed("cookies", "a list", "a=1") // "The event's cookies is not a list but a string."
 */
export function malformed(field: string, expected: string, value?: unknown): HttpError {
  // A field's name may be event text (a header name): clipped, so a 400 never grows with the event.
  return new HttpError(400, `The event's ${field.length > 100 ? field.slice(0, 100) + "…" : field} is not ${expected}${value === undefined ? "" : " but " + kindOf(value)}.`);
}

/**
 * A map of an event (headers, query parameters): absent is empty; anything but an object is a 400.
 * @example for (const name in eventMap(event.headers, "headers")) ...
 */
export function eventMap(value: unknown, field: string): Record<string, any> {
  if (value != null && (typeof value !== "object" || Array.isArray(value))) throw malformed(field, "a map", value);
  return (value ?? NONE) as Record<string, any>;
}

/**
 * A list of an event (multi-value headers and query values, cookies): absent is empty; anything but an
 * array is a 400. The field is named `field.key` when a key is given (built only for the message).
 * @example for (const value of eventList(multi[name], "multiValueHeaders", name)) ...
 */
export function eventList(value: unknown, field: string, key?: string): unknown[] {
  if (value != null && !Array.isArray(value)) throw malformed(key === undefined ? field : `${field}.${key}`, "a list", value);
  return (value ?? []) as unknown[];
}
