import { dict } from "../lib/dict.ts";
import { HttpError } from "../lib/error.ts";
import type { HttpRequest } from "../lib/request.ts";
import type { StandardSchemaV1 } from "./standard-schema.ts";
import type { Input, RouteSchemas } from "./types.ts";

// application/json and any structured-syntax suffix: application/problem+json, application/vnd.api+json
// (a subtype starts with a letter or digit and holds no "/", RFC 6838 §4.2).
const JSON_TYPE = /^\s*application\/(?:[a-z\d][\w!#$&^.+-]*\+)?json\s*(?:;|$)/i;
const PLACES = ["params", "query", "headers", "body"] as const;
// A 422 lists this many issues, the rest counted, and clips what it echoes (a schema's message may quote
// the whole value received, a path a whole key): bounded answers for hostile input.
const MAX_ISSUES = 20;
const MAX_ECHO = 200;

/**
 * One schema violation as sent in a 422: `path` is the location then the keys, dot-joined.
 * @example
 * const app = router({ validate }).post("/exams", { body: ExamInput }, (req, { body }) => body)
 * const res = await invoke(app, { method: "POST", path: "/exams", json: {} }) // a 422
 * const issues: ValidationIssue[] = res.json().errors // [{ path: "body.title", message }]
 */
export interface ValidationIssue {
  path: string;
  message: string;
}

/**
 * Validates a request against a route's Standard Schemas and returns the parsed values (transforms
 * applied); pass it to `router({ validate })`. A body is read only when there is a body schema: an empty
 * body validates as `undefined`, a non-JSON media type is a 415, malformed JSON a 400, and the violations
 * of every location go into one 422 problem with `errors: [{ path: "body.questions.0.text", message }]`:
 * the first 20, and `more` counting the rest.
 *
 * Query values and params are strings; coerce in the schema:
 * `v.object({ limit: v.optional(v.pipe(v.string(), v.transform(Number), v.integer(), v.minValue(1)), "20") })`.
 * A query schema sees every value sent: a key sent once is a string, a repeated one a list
 * (`?tag=a&tag=b` → `{ tag: ["a", "b"] }`), so `v.array()` validates lists and a string schema refuses a
 * second value rather than let it drop unseen. A list that may hold one value:
 * `v.pipe(v.union([v.string(), v.array(v.string())]), v.transform((t) => [t].flat()))`.
 * @example const app = router({ validate }).post("/exams", { body: ExamInput }, (req, { body }) => body)
 */
export async function validate(req: HttpRequest, schemas: RouteSchemas): Promise<Input> {
  const input: Record<string, unknown> = { params: req.params, query: schemas.query ? everyValue(req.queryAll) : req.query, headers: req.headers, body: undefined };
  if (schemas.body !== undefined && req.bytes().length > 0) {
    const type = req.headers["content-type"];
    if (type === undefined || !JSON_TYPE.test(type)) throw new HttpError(415, `Expected a JSON body (application/json), got ${type === undefined ? "no content-type" : clip(type)}.`);
    input["body"] = req.json();
  }
  const errors: ValidationIssue[] = [];
  let count = 0;
  for (const place of PLACES) {
    const schema: StandardSchemaV1 | undefined = schemas[place];
    if (schema === undefined) continue;
    const result = await schema["~standard"].validate(input[place]);
    if (result.issues === undefined) input[place] = result.value;
    // Any issues list is a failure (Standard Schema), an empty one too: never a handler run on unchecked input.
    else if (result.issues.length === 0) {
      if (++count <= MAX_ISSUES) errors.push({ path: place, message: "Invalid value" });
    } else {
      for (const issue of result.issues) {
        if (++count > MAX_ISSUES) continue;
        // A loop, not path.map(): map() builds its result with the path's own constructor, and arktype's
        // (an Array subclass taking items) made an empty path [0], "body.0" for an issue about the whole body.
        let path: string = place;
        for (const key of issue.path ?? []) path += "." + String(typeof key === "object" ? key.key : key);
        errors.push({ path: clip(path), message: clip(String(issue.message)) });
      }
    }
  }
  if (count > 0) {
    const extensions: Record<string, unknown> = { errors };
    if (count > MAX_ISSUES) extensions["more"] = count - MAX_ISSUES;
    throw new HttpError(422, `The request has ${count} invalid value${count === 1 ? "" : "s"}.`, extensions);
  }
  return input as unknown as Input;
}

// A query schema's input: each key's one value as a string, several as their list (what a schema checking
// only the first would never see). Keyed by request text: it inherits nothing, as req.query.
function everyValue(all: Record<string, string[]>): Record<string, string | string[]> {
  const out = dict<string | string[]>();
  for (const key in all) out[key] = all[key]!.length === 1 ? all[key]![0]! : all[key]!;
  return out;
}

function clip(text: string): string {
  return text.length > MAX_ECHO ? text.slice(0, MAX_ECHO) + "…" : text;
}
