import { HttpError } from "../lib/error.ts";
import type { HttpRequest } from "../lib/request.ts";
import type { StandardSchemaV1 } from "./standard-schema.ts";
import type { Input, RouteSchemas } from "./types.ts";

// application/json and any structured-syntax suffix: application/problem+json, application/vnd.api+json
const JSON_TYPE = /^\s*application\/(?:[^;\s]*\+)?json\s*(?:;|$)/i;
const PLACES = ["params", "query", "headers", "body"] as const;

/** One schema violation as sent in a 422: `path` is the location then the keys, dot-joined. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/**
 * Validates a request against a route's Standard Schemas and returns the parsed values (transforms
 * applied). A body is read only when there is a body schema: an empty body validates as `undefined`, a
 * non-JSON media type is a 415, malformed JSON a 400, and every violation of every location goes into one
 * 422 problem with `errors: [{ path: "body.questions.0.text", message }]`.
 *
 * Query values and params are strings; coerce in the schema:
 * `v.object({ limit: v.optional(v.pipe(v.string(), v.transform(Number), v.integer(), v.minValue(1)), "20") })`.
 * @example const { body } = await validateInput(req, { body: ExamInput })
 */
export async function validateInput(req: HttpRequest, schemas: RouteSchemas): Promise<Input> {
  const input: Record<string, unknown> = { params: req.params, query: req.query, headers: req.headers, body: undefined };
  if (schemas.body !== undefined && req.bytes().length > 0) {
    const type = req.headers["content-type"];
    if (type === undefined || !JSON_TYPE.test(type)) throw new HttpError(415, `Expected a JSON body (application/json), got ${type ?? "no content-type"}.`);
    input["body"] = req.json();
  }
  const errors: ValidationIssue[] = [];
  for (const place of PLACES) {
    const schema: StandardSchemaV1 | undefined = schemas[place];
    if (schema === undefined) continue;
    const result = await schema["~standard"].validate(input[place]);
    if (result.issues === undefined) input[place] = result.value;
    else {
      for (const issue of result.issues) {
        const keys = (issue.path ?? []).map((k) => String(typeof k === "object" ? k.key : k));
        errors.push({ path: [place, ...keys].join("."), message: issue.message });
      }
    }
  }
  if (errors.length > 0) throw new HttpError(422, `The request has ${errors.length} invalid value${errors.length === 1 ? "" : "s"}.`, { errors });
  return input as unknown as Input;
}

/**
 * Wraps a handler so that it gets its `input`: validated when the route has schemas, else the raw params,
 * query and headers (query and headers still parsed only when read).
 * @example const run = withInput((req, { body }) => body, { body: ExamInput })
 */
export function withInput(handler: (req: HttpRequest, input: Input) => unknown, schemas: RouteSchemas): (req: HttpRequest) => unknown {
  return schemas.params || schemas.query || schemas.headers || schemas.body
    ? async (req) => handler(req, await validateInput(req, schemas))
    : (req) => handler(req, rawInput(req));
}

// Getters on one shared prototype: no closures per request, and query/headers still parsed only when read.
const RAW_INPUT = {
  get query(): unknown {
    return (this as unknown as { r: HttpRequest }).r.query;
  },
  get headers(): unknown {
    return (this as unknown as { r: HttpRequest }).r.headers;
  },
};

function rawInput(req: HttpRequest): Input {
  const input = Object.create(RAW_INPUT) as { r: HttpRequest; params: unknown; body: undefined };
  input.r = req;
  input.params = req.params;
  input.body = undefined;
  return input as unknown as Input;
}
