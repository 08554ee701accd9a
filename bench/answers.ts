// Answer checks shared by the peers group's parent (scenarios.ts) and its per-peer worker processes
// (peer-worker.ts, bundled without the library): no imports, so a worker holds only its peer's code.

/** What a scenario must get back: a status, and the JSON body where it is checked. */
export interface Expected {
  status: number;
  /** The JSON body expected, or undefined when only the status is checked (404 bodies differ by design). */
  body?: unknown;
}

/**
 * True when a Lambda result answers the scenario: right status, and where a body is checked, the right JSON
 * body declared as JSON (a handler that skipped the content type would do less work than its peers).
 */
export function answers(expected: Expected, result: any): boolean {
  if (result === null || typeof result !== "object" || result.statusCode !== expected.status) return false;
  if (expected.body === undefined) return true;
  if (mediaType(result) !== "application/json") return false;
  try {
    const text = result.isBase64Encoded ? Buffer.from(result.body, "base64").toString("utf8") : result.body;
    return deepEqual(JSON.parse(text), expected.body);
  } catch {
    return false;
  }
}

/** The result's content type without parameters, lower-cased, from `headers` or an ALB/REST `multiValueHeaders`. */
function mediaType(result: { headers?: Record<string, unknown>; multiValueHeaders?: Record<string, unknown[]> }): string | undefined {
  const find = (map: Record<string, unknown> | undefined) => (map ? Object.keys(map).find((k) => k.toLowerCase() === "content-type") : undefined);
  const single = find(result.headers);
  const multi = find(result.multiValueHeaders);
  const value = single !== undefined ? result.headers![single] : multi !== undefined ? result.multiValueHeaders![multi]?.[0] : undefined;
  return typeof value === "string" ? value.split(";")[0]!.trim().toLowerCase() : undefined;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as any)[k], (b as any)[k]));
}
