import type { Put } from "../lib/query.ts";
import { eventList, eventMap } from "../lib/event-fields.ts";

/** The header maps of REST (payload 1.0) and ALB events: either or both may be present, or null. */
export interface MultiValueHeaderEvent {
  headers?: Record<string, string | undefined | null> | null;
  multiValueHeaders?: Record<string, string[] | undefined | null> | null;
}

/**
 * Reads the headers of a REST or ALB event: every value of `multiValueHeaders`, then the names of
 * `headers` it lacks (REST sends both with the same names; an ALB target group sends one of them; the
 * console's test events send nulls). A map or list of the wrong type is a 400 naming it.
 * @example multiValueHeaders({ multiValueHeaders: { "X-A": ["1", "2"] } }, put) // put("X-A", "1"), put("X-A", "2")
 */
export function multiValueHeaders(event: MultiValueHeaderEvent, put: Put): void {
  multiValueMaps(event.multiValueHeaders, event.headers, "multiValueHeaders", "headers", put);
}

/**
 * Every value of a multi-value map, then the single-value map's names it lacks (headers or query
 * parameters of REST and ALB events).
 * @example multiValueMaps({ a: ["1", "2"] }, { a: "2", b: "3" }, "multiValueQueryStringParameters", "queryStringParameters", put)
 */
export function multiValueMaps(multiValue: unknown, singleValue: unknown, multiField: string, singleField: string, put: Put): void {
  const multi = eventMap(multiValue, multiField);
  const single = eventMap(singleValue, singleField);
  for (const name in multi) for (const value of eventList(multi[name], multiField, name)) put(name, value);
  // hasOwn: a `toString` key is the event's, never Object's.
  for (const name in single) if (single[name] != null && !(Object.hasOwn(multi, name) && multi[name] != null)) put(name, single[name]);
}
