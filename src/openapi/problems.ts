// The problem+json answers the library itself gives (lib/error.ts `problem()`, router/validate.ts), described
// once under `components` and referenced from each operation where they can occur.
import type { JsonSchema } from "./json-schema.ts";

/** A problem response the library can give: its component name and what causes it. */
interface ProblemResponse {
  name: string;
  description: string;
  schema: "Problem" | "ValidationProblem";
}

/** By status; the order operations list them in. */
export const PROBLEM_RESPONSES: Record<string, ProblemResponse> = {
  "400": { name: "BadRequest", description: "Malformed JSON body or a malformed %-escape in the path", schema: "Problem" },
  "401": { name: "Unauthorized", description: "Missing or invalid credentials", schema: "Problem" },
  "404": { name: "NotFound", description: "No such resource", schema: "Problem" },
  "415": { name: "UnsupportedMediaType", description: "The body is not JSON (application/json or *+json)", schema: "Problem" },
  "422": { name: "ValidationFailed", description: "Invalid input: from validation, every violation in every location in `errors`", schema: "ValidationProblem" },
  "500": { name: "InternalServerError", description: "Unexpected error; quote requestId when reporting it", schema: "Problem" },
};

/** RFC 9457 problem details as `problem()` writes them. */
export const PROBLEM_SCHEMA: JsonSchema = {
  type: "object",
  properties: {
    type: { type: "string", description: 'A URI naming the kind of problem; "about:blank" when the status says it all' },
    // Left out for a status without a phrase in the library's table (418, 451…): HttpError makes none up.
    title: { type: "string" },
    status: { type: "integer", minimum: 400, maximum: 599 },
    detail: { type: "string" },
    requestId: { type: "string", description: "Quote it when reporting the problem" },
  },
  required: ["type", "status"],
};

/**
 * A 422: from validation, the problem plus each violation (the first 20; `more` counts the rest); a handler
 * may also answer 422 without `errors`, so they are not required.
 */
export const VALIDATION_PROBLEM_SCHEMA: JsonSchema = {
  allOf: [
    { $ref: "#/components/schemas/Problem" },
    {
      type: "object",
      properties: {
        errors: {
          type: "array",
          items: {
            type: "object",
            properties: {
              path: { type: "string", description: 'Location then keys, dot-joined: "body.questions.0.text"' },
              message: { type: "string" },
            },
            required: ["path", "message"],
          },
        },
        more: { type: "integer", minimum: 1, description: "Violations beyond the ones listed" },
      },
    },
  ],
};

/** A problem+json response: a component of a problem status, or an error status a route describes. */
export function problemResponse({ description, schema }: Omit<ProblemResponse, "name">): Record<string, unknown> {
  return { description, content: { "application/problem+json": { schema: { $ref: `#/components/schemas/${schema}` } } } };
}
