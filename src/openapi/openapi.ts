// OpenAPI 3.1 from the route table: the same routes and schemas that serve and validate requests document
// them. Its own entry in the library: an app that never calls openapi() carries none of this.
import { TOKEN } from "../lib/cookies.ts";
import { logJson } from "../lib/log.ts";
import { statusText } from "../lib/status.ts";
import type { StandardSchemaV1 } from "../router/standard-schema.ts";
import type { RouteInfo, RouteResponse } from "../router/types.ts";
import { resolve, toJsonSchema, type Conversion, type JsonSchema } from "./json-schema.ts";
import { PROBLEM_RESPONSES, PROBLEM_SCHEMA, problemResponse, VALIDATION_PROBLEM_SCHEMA } from "./problems.ts";

/**
 * OpenAPI security requirements: scheme name → scopes; `[]` marks a public operation.
 * @example const signedIn: SecurityRequirements = [{ bearer: [] }] // and [] marks an operation public
 */
export type SecurityRequirements = Array<Record<string, string[]>>;

/**
 * Options of {@link openapi}.
 * @example { info: { title: "ExamBuddy", version: "1.0.0" }, servers: [{ url: "https://api.exambuddy.app" }], securitySchemes: { bearer: { type: "http", scheme: "bearer" } }, security: [{ bearer: [] }] }
 */
export interface OpenApiOptions {
  /** The Info Object: `title` and `version` required; a field left undefined is left out (the document is copied as JSON). */
  info: { title: string; version: string; summary?: string | undefined; description?: string | undefined; [field: string]: unknown };
  servers?: Array<{ url: string; description?: string | undefined; [field: string]: unknown }> | undefined;
  /** Security of every operation whose route gives none. */
  security?: SecurityRequirements | undefined;
  /** Security Scheme Objects by name, e.g. `{ bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } }`. */
  securitySchemes?: Record<string, Record<string, unknown>> | undefined;
  /** Passed to every schema's converter, e.g. valibot's `{ errorMode: "ignore" }`. */
  libraryOptions?: Record<string, unknown> | undefined;
  /**
   * Receives the warnings (a schema documented as `{}`, a route or response left out or changed), once per
   * call when there are any. Default: one `logJson` line `{ level: "warn", message, warnings }`.
   */
  onWarnings?: ((warnings: string[]) => void) | undefined;
}

/**
 * One operation of the document.
 * @example const getExam: OpenApiOperation | undefined = openapi(app, { info: { title: "ExamBuddy", version: "1.0.0" } }).paths["/exams/{examId}"]?.["get"]
 */
export interface OpenApiOperation {
  tags?: string[];
  summary?: string;
  description?: string;
  operationId?: string;
  parameters?: Array<Record<string, unknown>>;
  requestBody?: Record<string, unknown>;
  responses: Record<string, Record<string, unknown>>;
  security?: SecurityRequirements;
}

/**
 * An OpenAPI 3.1 document, a plain object ready for `JSON.stringify`.
 * @example
 * const doc: OpenApiDocument = openapi(router().get("/exams/:examId", () => "…"), { info: { title: "ExamBuddy", version: "1.0.0" } })
 * Object.keys(doc.paths) // ["/exams/{examId}"]
 */
export interface OpenApiDocument {
  openapi: "3.1.0";
  info: OpenApiOptions["info"];
  servers?: NonNullable<OpenApiOptions["servers"]>;
  security?: SecurityRequirements;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, JsonSchema>; responses: Record<string, Record<string, unknown>>; securitySchemes?: Record<string, Record<string, unknown>> };
}

// What all() documents: every method of OpenAPI's path item, since the router answers all() for any method
// (TRACE too; DESIGN: "all() routes as each standard method"). One string split: 10 B less than the array.
const METHODS = "get put post delete options head patch trace".split(" ");
// OpenAPI ignores header parameters with these names: content negotiation and security describe them.
const IMPLIED_HEADERS = new Set(["accept", "content-type", "authorization"]);
const WILDCARD = "*";
// A media type or range as content keys take them: token/token, then any parameters after a ";" (RFC 9110 §8.3.1).
const FIELD = TOKEN.source.slice(1, -1);
const MEDIA_TYPE = new RegExp(`^${FIELD}/${FIELD}(\\s*;.*)?$`);

/**
 * An OpenAPI 3.1 document of an app's routes: `:param` paths as `{param}` with required path parameters,
 * parameters and the JSON body from each route's schemas, responses (their media types and headers too,
 * see {@link RouteResponse}) and docs from its options, and the problem+json errors the library answers
 * with. Schemas are converted through Standard JSON Schema (valibot: wrap them with `toStandardJsonSchema()`
 * of `@valibot/to-json-schema`); one that can't be is documented as `{}` and reported to `onWarnings`, as is
 * a response entry OpenAPI can't take (a media type that is not type/subtype, a Content-Type header).
 * Deterministic; reads the app, never changes it.
 * @example
 * app.get("/openapi.json", () => openapi(app, { info: { title: "ExamBuddy", version: "1.0.0" } }));
 */
export function openapi(app: { routes(): RouteInfo[] }, options: OpenApiOptions): OpenApiDocument {
  // What a JavaScript caller (or a cast) can get wrong, named here rather than as a TypeError from deep inside.
  if (typeof app?.routes !== "function") throw new TypeError("openapi(app, options): app is a router (it has routes())");
  if (typeof options?.info?.title !== "string" || typeof options.info.version !== "string") throw new TypeError("openapi(app, options): options.info needs a title and a version (strings)");
  const conversion: Conversion = { libraryOptions: options.libraryOptions, warnings: [], definitions: {}, reserved: new Set(["Problem", "ValidationProblem"]) };
  const paths: OpenApiDocument["paths"] = {};
  const used = new Set<string>();
  const operationIds = new Set<string>();
  // One path item per shape: "/exams/:examId" and "/exams/:id" are one path to the router, and OpenAPI
  // forbids two templates that differ only in their names (3.1 §4.8.8.1). The first spelling is kept.
  const templates = new Map<string, string>();
  const routes = app.routes();
  undeclaredSchemes(options.security, "security", options, conversion);
  const shapeOf = (path: string) => pathTemplate(path).replace(/\{[^}]*\}/g, "{}");
  for (const route of routes) {
    const shape = shapeOf(route.path);
    const template = templates.get(shape) ?? pathTemplate(route.path);
    templates.set(shape, template);
    const item = (paths[template] ??= {});
    const methods = route.method === "ALL" ? METHODS : [route.method.toLowerCase()];
    let documented = 0;
    for (const method of methods) {
      // A method's own route wins over all(), whatever the order they were registered in, and GET answers
      // HEAD before all() does (as in the router).
      const answeredBy = (wanted: string) => routes.some((r) => r.method === wanted && shapeOf(r.path) === shape);
      if (item[method] !== undefined || (route.method === "ALL" && (answeredBy(method.toUpperCase()) || (method === "head" && answeredBy("GET"))))) continue;
      item[method] = operation(route, template, method, options, conversion, used, operationIds);
      documented++;
    }
    // The router serves a GET of "/a/:id" and another of "/a/*"; OpenAPI has one GET for "/a/{id}".
    if (!documented) conversion.warnings.push(`${route.method} ${route.path} is not documented: ${template} has its methods already (OpenAPI: one operation per method and path)`);
    else if (template !== pathTemplate(route.path)) conversion.warnings.push(`${route.method} ${route.path} is documented under ${template}: the same path with other parameter names`);
  }
  const components: OpenApiDocument["components"] = { schemas: { Problem: PROBLEM_SCHEMA, ValidationProblem: VALIDATION_PROBLEM_SCHEMA }, responses: {} };
  Object.assign(components.schemas, conversion.definitions);
  for (const status in PROBLEM_RESPONSES) if (used.has(status)) components.responses[PROBLEM_RESPONSES[status]!.name] = problemResponse(PROBLEM_RESPONSES[status]!);
  if (options.securitySchemes) components.securitySchemes = copy(options.securitySchemes);
  if (conversion.warnings.length > 0) {
    (options.onWarnings ?? ((warnings) => logJson({ level: "warn", message: "openapi: the document leaves out or changes what some routes declare", warnings })))(conversion.warnings);
  }
  return {
    openapi: "3.1.0",
    info: copy(options.info),
    ...(options.servers && { servers: copy(options.servers) }),
    ...(options.security && { security: copy(options.security) }),
    paths,
    components,
  };
}

// "/exams/:examId/files/*" → "/exams/{examId}/files/{*}"; one trailing slash is ignored, as the router does.
function pathTemplate(path: string): string {
  const trimmed = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  return trimmed.replace(/\/:([^/]+)/g, "/{$1}").replace(/\/\*$/, `/{${WILDCARD}}`);
}

function operation(route: RouteInfo, template: string, method: string, options: OpenApiOptions, conversion: Conversion, used: Set<string>, operationIds: Set<string>): OpenApiOperation {
  const { schemas, options: given } = route;
  const where = `${method.toUpperCase()} ${template}`;
  // Keys in the order OpenAPI lists them, so the JSON reads as the spec does.
  const op = {} as OpenApiOperation;
  if (given.tags) op.tags = [...given.tags];
  const summary = route.summary ?? given.summary;
  if (summary) op.summary = summary;
  if (given.description) op.description = given.description;
  // all() gives one route several operations, and a group mounted twice repeats its routes' ids: every id
  // stays unique (OpenAPI 3.1 §4.8.10.1), a repeat documented with a suffix and a warning.
  if (given.operationId) {
    const wanted = route.method === "ALL" ? `${given.operationId}_${method}` : given.operationId;
    let id = wanted;
    for (let n = 2; operationIds.has(id); n++) id = `${wanted}_${n}`;
    if (id !== wanted) conversion.warnings.push(`${where}: operationId "${wanted}" is taken; documented as "${id}"`);
    operationIds.add(id);
    op.operationId = id;
  }

  const names = namesIn(template);
  // A route documented under another spelling of its path ("/exams/:id" under "/exams/{examId}") names its
  // params its own way: the same positions.
  const own = namesIn(pathTemplate(route.path));
  const pathSchema = schemas.params ? resolve(toJsonSchema(schemas.params, "input", `${where} params`, conversion), conversion) : {};
  const pathSchemas = (pathSchema["properties"] ?? {}) as Record<string, JsonSchema>;
  // No request carries such a param: a schema that requires it refuses every request (422).
  for (const name in pathSchemas) if (!own.includes(name)) conversion.warnings.push(`${where} params: ${name} is not in the path`);
  const parameters = names.map((name, i) => pathParameter(name, pathSchemas[own[i]!]));
  if (schemas.query) parameters.push(...parametersOf("query", toJsonSchema(schemas.query, "input", `${where} query`, conversion), where, conversion));
  if (schemas.headers) parameters.push(...parametersOf("header", toJsonSchema(schemas.headers, "input", `${where} headers`, conversion), where, conversion));
  if (parameters.length > 0) op.parameters = parameters;

  if (schemas.body) {
    const schema = toJsonSchema(schemas.body, "input", `${where} body`, conversion);
    op.requestBody = { required: needsValue(schemas.body, `${where} body`, conversion), content: { "application/json": { schema } } };
  }

  const responses: OpenApiOperation["responses"] = {};
  for (const [key, response] of Object.entries(given.responses ?? {})) {
    // OpenAPI's keys: a status, a range in capitals ("2XX"), or "default".
    const status = /^default$/i.test(key) ? "default" : key.toUpperCase();
    const at = `${where} response ${status}`;
    if (!/^[1-5](\d\d|XX)$|^default$/.test(status)) {
      conversion.warnings.push(`${where} response ${key}: not a status, a range (2XX) or default; left out`);
      continue;
    }
    const { description, schema, content, headers }: RouteResponse = isSchema(response) ? { description: describeStatus(status), schema: response } : response;
    if (schema && content?.["application/json"]) conversion.warnings.push(`${at}: schema and content's application/json both given; content's kept`);
    const bodies: NonNullable<RouteResponse["content"]> = { ...(schema && { "application/json": { schema } }), ...content };
    // The adapters send no body for HEAD, 1xx, 204, 205 and 304 (adapters/to-result.ts).
    const bodiless = method === "head" || /^(1|20[45]|304)/.test(status);
    const types = Object.keys(bodies);
    if (types.length > 0 && bodiless && method !== "head") conversion.warnings.push(`${at}: sent without a body; ${schema ? "schema" : "content"} left out`);
    const described: Record<string, unknown> = {};
    for (const type of bodiless ? [] : types) {
      // "text/csv", a range ("text/*") or with parameters ("text/plain; charset=utf-8"), as OpenAPI's content keys.
      if (!MEDIA_TYPE.test(type)) conversion.warnings.push(`${at}: "${type}" is not a media type (type/subtype); left out`);
      else {
        const body = bodies[type]?.schema;
        described[type] = body ? { schema: toJsonSchema(body, "output", type === "application/json" ? at : `${at} ${type}`, conversion) } : {};
      }
    }
    // An error given without a body is what a thrown HttpError sends: problem+json (a 422 may carry errors).
    const problem = types.length === 0 && !bodiless && /^[45]/.test(status);
    const documented = responseHeaders(headers ?? {}, at, conversion);
    responses[status] = {
      description,
      ...(documented && { headers: documented }),
      ...(problem ? problemResponse({ description, schema: status === "422" ? "ValidationProblem" : "Problem" }) : Object.keys(described).length > 0 && { content: described }),
    };
  }
  if (!Object.keys(responses).some((status) => /^[23]|^default$/i.test(status))) responses["200"] = { description: "OK" };

  const security = given.security ?? options.security ?? [];
  const hasSchemas = Object.keys(schemas).length > 0;
  const problems: Record<string, boolean> = {
    "400": schemas.body !== undefined || names.length > 0,
    "401": security.length > 0 && !security.some((requirement) => Object.keys(requirement).length === 0),
    "404": names.length > 0,
    "415": schemas.body !== undefined,
    "422": hasSchemas,
    "500": true,
  };
  for (const status in problems) {
    if (!problems[status] || responses[status] !== undefined) continue;
    const problem = PROBLEM_RESPONSES[status]!;
    // A HEAD response has no content (RFC 9110 §9.3.2; the adapters send none): a problem's description alone.
    responses[status] = method === "head" ? { description: problem.description } : (used.add(status), { $ref: `#/components/responses/${problem.name}` });
  }
  op.responses = responses;
  if (given.security) op.security = copy(given.security);
  undeclaredSchemes(given.security, `${where} security`, options, conversion);
  return op;
}

// "/exams/{examId}/files/{*}" → ["examId", "*"]
function namesIn(template: string): string[] {
  return [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
}

// A response's headers as Header Objects; a name that is no field name, Content-Type (which OpenAPI says to
// ignore) or one given twice in other case (field names are case-insensitive) is left out with a warning.
function responseHeaders(headers: NonNullable<RouteResponse["headers"]>, at: string, conversion: Conversion): Record<string, unknown> | undefined {
  const documented: Record<string, Record<string, unknown>> = {};
  const seen = new Map<string, string>();
  for (const [name, header] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    const problem = !TOKEN.test(name) ? "not a field name" : lower === "content-type" ? "OpenAPI ignores it" : seen.has(lower) ? `given as ${seen.get(lower)} already` : "";
    if (problem) {
      conversion.warnings.push(`${at} header ${name}: ${problem}; left out`);
      continue;
    }
    seen.set(lower, name);
    const { description, required, schema } = header ?? {};
    documented[name] = {
      ...(description && { description }),
      ...(required === true && { required }),
      schema: schema ? toJsonSchema(schema, "output", `${at} header ${name}`, conversion) : { type: "string" },
    };
  }
  return Object.keys(documented).length > 0 ? documented : undefined;
}

// OpenAPI: each name of a security requirement MUST be a scheme of components.securitySchemes.
function undeclaredSchemes(security: SecurityRequirements | undefined, where: string, options: OpenApiOptions, conversion: Conversion): void {
  const undeclared = (security ?? []).flatMap(Object.keys).filter((name) => !Object.hasOwn(options.securitySchemes ?? {}, name));
  if (undeclared.length > 0) conversion.warnings.push(`${where}: ${undeclared.join(", ")} not in securitySchemes`);
}

// Every {name} in the template is a required path parameter, with or without a params schema.
function pathParameter(name: string, given: JsonSchema | undefined): Record<string, unknown> {
  const schema = given ?? { type: "string" };
  const parameter: Record<string, unknown> = { name, in: "path", required: true, schema };
  // '/files/*' matches '/files' and '/files/a/b': one parameter spanning segments.
  if (name === WILDCARD) parameter["description"] = "The rest of the path: zero or more segments, slashes included (a/b/c)";
  return parameter;
}

// Query and header parameters are the properties of an object schema (reached through a converter's root
// reference, if it gave one); anything else can't be listed.
function parametersOf(place: "query" | "header", converted: JsonSchema, where: string, conversion: Conversion): Array<Record<string, unknown>> {
  const schema = resolve(converted, conversion);
  const label = place === "query" ? place : "headers";
  const properties = schema["properties"] as Record<string, JsonSchema> | undefined;
  if (properties === undefined) {
    if (Object.keys(schema).length > 0) conversion.warnings.push(`${where} ${label}: not an object schema; its parameters are not listed`);
    return [];
  }
  const required = new Set((schema["required"] as string[] | undefined) ?? []);
  // The router hands a headers schema lower-case names: "X-Tenant" never sees the header.
  const unseen = place === "header" ? Object.keys(properties).filter((name) => name !== name.toLowerCase()) : [];
  if (unseen.length > 0) conversion.warnings.push(`${where} headers: ${unseen.join(", ")} never match (req.headers names are lower case); name them in lower case`);
  return Object.keys(properties)
    .filter((name) => place === "query" || !IMPLIED_HEADERS.has(name.toLowerCase()))
    .map((name) => {
      // validate() hands a query schema each value sent (a repeated key as a list: OpenAPI's default form style,
      // exploded) and a headers schema req.headers: strings, never an object, nor a list of headers.
      const type = resolve(properties[name] ?? {}, conversion)["type"];
      if (type === "object" || (type === "array" && place === "header")) conversion.warnings.push(`${where} ${label} ${name}: validate() sees ${place === "query" ? "a string or a list of strings" : "one string"} per name, never an ${type}`);
      // A client sends a one-item list as ?tag=a, which validate() hands over as a string: this schema refuses it.
      else if (type === "array") conversion.warnings.push(`${where} query ${name}: ?${name}=a is one string, which a list refuses`);
      return { name, in: place, required: required.has(name), schema: properties[name] };
    });
}

// validate() passes `undefined` for an empty body: the body is required when the schema refuses it. An async
// schema can't answer here, nor one that throws on `undefined`; documenting the body as required is the
// promise a client can rely on.
function needsValue(schema: StandardSchemaV1, where: string, conversion: Conversion): boolean {
  try {
    const result = schema["~standard"].validate(undefined);
    if (result instanceof Promise) {
      result.catch(() => undefined);
      return true;
    }
    return result?.issues !== undefined;
  } catch (err) {
    conversion.warnings.push(`${where}: validating an empty body threw (${err instanceof Error ? err.message : String(err)}); documented as required`);
    return true;
  }
}

// An arktype schema is a function (a type you can call), so "~standard" is looked for on functions too.
function isSchema(value: unknown): value is StandardSchemaV1 {
  return (typeof value === "object" || typeof value === "function") && value !== null && "~standard" in value;
}

// A response given as a bare schema still needs OpenAPI's required description.
function describeStatus(status: string): string {
  const text = statusText(Number(status));
  return text === "Unknown" ? "Response" : text;
}

// The document shares no object with the app's options: changing one never changes the other.
function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
