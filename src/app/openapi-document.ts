// ExamBuddy's OpenAPI document. Loaded only by GET /openapi.json (routes/openapi.ts, through import()), and
// in the deployed bundle replaced by the document generated at build time (scripts/build.mjs). The
// valibot → JSON Schema converter weighs ~14 KB minified, which every cold start would read if the routes
// wrapped their schemas themselves: here, on a copy of the route table, each route's valibot schemas gain
// Standard JSON Schema (`toStandardJsonSchema()`) and its responses come from RESPONSES; the app and its
// validation stay as they are.
import { toStandardJsonSchema } from "@valibot/to-json-schema";
import { openapi, type OpenApiDocument, type RouteInfo, type RouteOptions, type StandardSchemaV1 } from "lambdalith";
import * as v from "valibot";
import { GATEWAY_RESPONSES, MIDDLEWARE_HEADERS, RESPONSES, SIGNED_IN } from "./responses.ts";

type Responses = NonNullable<RouteOptions["responses"]>;

/**
 * The document `GET /openapi.json` serves: every route, the bearer JWT on all but the public ones.
 * @example examBuddyOpenApi(createApp({ services }), "1.2.3").paths["/exams/{examId}"]
 */
export function examBuddyOpenApi(app: { routes(): RouteInfo[] }, version: string): OpenApiDocument {
  return openapi(
    { routes: () => app.routes().map(withJsonSchemas) },
    {
      info: {
        title: "ExamBuddy API",
        version,
        description: "Exams, questions, attempts and files. Sign in with a JWT from the user pool; locally, `Bearer dev.<role>.<id>` (role teacher or student).",
      },
      // Relative to where this document is served, which is the API's root: the REST API's stage
      // (…/Prod/openapi.json → …/Prod/) or a custom domain's base path stays in every operation's URL.
      // Without servers, OpenAPI's default is "/", the host's root.
      servers: [{ url: ".", description: "The API this document was fetched from" }],
      security: [{ bearer: [] }],
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "A token verified by API Gateway's JWT (or Cognito) authorizer" } },
      // Valibot's trim/check/transform have no JSON Schema: documented without them instead of failing.
      libraryOptions: { errorMode: "ignore" },
    },
  );
}

/**
 * What GET /openapi.json serves (the deployed bundle swaps this module for the prebuilt document).
 * @example openApiDocument(app, "1.2.3").openapi // "3.1.0"
 */
export function openApiDocument(app: { routes(): RouteInfo[] }, version: string): OpenApiDocument {
  return examBuddyOpenApi(app, version);
}

// A route row with its responses (API Gateway's among them, and the 401 of every route that is not public), the
// headers its middleware reads (Idempotency-Key), and each valibot schema (params, query, headers, body,
// responses: their bodies of every media type and their headers) able to describe itself.
function withJsonSchemas(route: RouteInfo): RouteInfo {
  const schemas = { ...route.schemas };
  const read = MIDDLEWARE_HEADERS[`${route.method} ${route.path}`];
  if (read) schemas.headers = v.object({ ...(schemas.headers as { entries?: v.ObjectEntries } | undefined)?.entries, ...read });
  for (const place of ["params", "query", "headers", "body"] as const) if (schemas[place]) schemas[place] = describable(schemas[place]);
  const responses: Responses = {};
  const signedIn = route.options.security?.length === 0 ? {} : SIGNED_IN;
  for (const [status, given] of Object.entries({ ...signedIn, ...(route.options.responses ?? RESPONSES[`${route.method} ${route.path}`]), ...GATEWAY_RESPONSES })) {
    responses[status] = "~standard" in given ? describable(given) : { ...given, schema: given.schema && describable(given.schema), content: withDescribable(given.content), headers: withDescribable(given.headers) };
  }
  return { ...route, schemas, options: { ...route.options, ...schemas, responses } };
}

// A response's media types or headers, each schema able to describe itself.
function withDescribable<T extends { schema?: StandardSchemaV1 | undefined }>(entries: Record<string, T> | undefined): Record<string, T> | undefined {
  return entries && Object.fromEntries(Object.entries(entries).map(([name, entry]) => [name, { ...entry, schema: entry.schema && describable(entry.schema) }]));
}

function describable(schema: StandardSchemaV1): StandardSchemaV1 {
  if (schema["~standard"].vendor !== "valibot" || "jsonSchema" in schema["~standard"]) return schema;
  return toStandardJsonSchema(unguarded(schema as unknown as ValibotNode) as unknown as Parameters<typeof toStandardJsonSchema>[0]);
}

// A valibot schema seen as data: what the converter reads (type, entries, item, options, wrapped, pipe…).
type ValibotNode = Record<string, unknown> & { kind?: unknown; type?: unknown; pipe?: ValibotNode[] };
const isSchema = (value: unknown): value is ValibotNode => typeof value === "object" && value !== null && (value as ValibotNode).kind === "schema";

// schemas.ts caps lists before validating them, `pipe(unknown(), check(size), array(...))`, and valibot's
// converter documents a pipe's input by its first schema: unknown(), that is {}. Document the guarded
// schema instead (the cap itself has no JSON Schema). A copy: the app's schemas stay as they are, and
// validation (`~standard`, copied from the original) is the original's.
function unguarded(schema: ValibotNode, copies = new Map<ValibotNode, ValibotNode>()): ValibotNode {
  const pipe = schema.pipe;
  const guarded = pipe?.[0]?.type === "unknown" ? pipe.slice(1).findLast(isSchema) : undefined;
  if (guarded) return unguarded(guarded, copies);
  const known = copies.get(schema);
  if (known) return known;
  const copy: ValibotNode = { ...schema };
  copies.set(schema, copy);
  for (const [key, value] of Object.entries(copy)) {
    if (isSchema(value)) copy[key] = unguarded(value, copies);
    else if (Array.isArray(value)) copy[key] = value.map((item) => (isSchema(item) ? unguarded(item, copies) : item));
    else if (key === "entries") copy[key] = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([name, item]) => [name, isSchema(item) ? unguarded(item, copies) : item]));
  }
  return copy;
}
