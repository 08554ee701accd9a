import { HttpError } from "../lib/error.ts";
import type { HttpRequest } from "../lib/request.ts";
import type { StandardSchemaV1 } from "./standard-schema.ts";
import type { Input, RouteSchemas } from "./types.ts";

// application/json and any structured-syntax suffix: application/problem+json, application/vnd.api+json
const JSON_TYPE = /^\s*application\/(?:[^;\s]*\+)?json\s*(?:;|$)/i;
const PLACES = ["params", "query", "headers", "body"] as const;
// A 422 lists this many issues; the rest are counted. Bounded answers for hostile input.
const MAX_ISSUES = 20;

/** One schema violation as sent in a 422: `path` is the location then the keys, dot-joined. */
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
 * @example const app = router({ validate }).post("/exams", { body: ExamInput }, (req, { body }) => body)
 */
export async function validate(req: HttpRequest, schemas: RouteSchemas): Promise<Input> {
  const input: Record<string, unknown> = { params: req.params, query: req.query, headers: req.headers, body: undefined };
  if (schemas.body !== undefined && req.bytes().length > 0) {
    const type = req.headers["content-type"];
    if (type === undefined || !JSON_TYPE.test(type)) throw new HttpError(415, `Expected a JSON body (application/json), got ${type ?? "no content-type"}.`);
    input["body"] = req.json();
  }
  const errors: ValidationIssue[] = [];
  let count = 0;
  for (const place of PLACES) {
    const schema: StandardSchemaV1 | undefined = schemas[place];
    if (schema === undefined) continue;
    const result = await schema["~standard"].validate(input[place]);
    if (result.issues === undefined) input[place] = result.value;
    else {
      for (const issue of result.issues) {
        if (++count > MAX_ISSUES) continue;
        const keys = (issue.path ?? []).map((key) => String(typeof key === "object" ? key.key : key));
        errors.push({ path: [place, ...keys].join("."), message: issue.message });
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
