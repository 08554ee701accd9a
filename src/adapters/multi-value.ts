import type { Put } from "../lib/query.ts";

/** The header maps of REST (payload 1.0) and ALB events: either or both may be present, or null. */
export interface MultiValueHeaderEvent {
  headers?: Record<string, string | undefined | null> | null;
  multiValueHeaders?: Record<string, string[] | undefined | null> | null;
}

/**
 * Reads the headers of a REST or ALB event: every value of `multiValueHeaders`, then the names of
 * `headers` it lacks (REST sends both with the same names; an ALB target group sends one of them; the
 * console's test events send nulls).
 * @example multiValueHeaders({ multiValueHeaders: { "X-A": ["1", "2"] } }, put) // put("X-A", "1"), put("X-A", "2")
 */
export function multiValueHeaders(event: MultiValueHeaderEvent, put: Put): void {
  const multi = event.multiValueHeaders;
  const single = event.headers;
  for (const name in multi) for (const value of multi[name] ?? []) put(name, value);
  for (const name in single) {
    const value = single[name];
    if (value !== undefined && value !== null && multi?.[name] == null) put(name, value);
  }
}
