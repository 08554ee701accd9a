import type { HttpRequest } from "../lib/request.ts";
import type { HttpResponse } from "../lib/response.ts";
import type { PathParams } from "./path-params.ts";
import type { InferOutput, StandardSchemaV1 } from "./standard-schema.ts";

/**
 * Onion middleware: runs code before and after the rest of the chain; `next()` resolves to the normalized
 * response (errors inside already turned into responses).
 * @example const timing: Middleware = async (req, next) => { const res = await next(); return { ...res, headers: { ...res.headers, "x-took": "1" } } }
 */
export type Middleware = (req: HttpRequest, next: () => Promise<HttpResponse>) => HttpResponse | Promise<HttpResponse>;

/**
 * The Standard Schemas a route validates its input with; header names are lower case.
 * @example const schemas: RouteSchemas = { body: ExamInput } // what validate checks a request against
 */
export interface RouteSchemas {
  params?: StandardSchemaV1 | undefined;
  query?: StandardSchemaV1 | undefined;
  headers?: StandardSchemaV1 | undefined;
  body?: StandardSchemaV1 | undefined;
}

/**
 * A route's schemas and what documents it (read by OpenAPI generation).
 * @example router({ validate }).post("/exams", { body: ExamInput, summary: "Create an exam", tags: ["exams"] }, (req, { body }) => body)
 */
export interface RouteOptions extends RouteSchemas {
  summary?: string | undefined;
  description?: string | undefined;
  tags?: string[] | undefined;
  operationId?: string | undefined;
  /** OpenAPI security requirements; `[]` marks a public operation. */
  security?: Array<Record<string, string[]>> | undefined;
  /** Responses by status (`201`, `"4XX"`, `"default"`): a JSON body's schema, or a {@link RouteResponse}. */
  responses?: Record<number | string, StandardSchemaV1 | RouteResponse> | undefined;
}

/**
 * One documented response, in OpenAPI's words: `schema` is the JSON body (short for `content:
 * { "application/json": { schema } }`), `content` other bodies by media type (a schema where there is one
 * to give), `headers` OpenAPI Header Objects (a string unless a schema says more). An error status with
 * neither `schema` nor `content` is the problem+json a thrown `HttpError` sends.
 * @example { description: "One row per attempt", content: { "text/csv": {} }, headers: { "Content-Disposition": { required: true } } }
 */
export interface RouteResponse {
  description: string;
  schema?: StandardSchemaV1 | undefined;
  content?: Record<string, { schema?: StandardSchemaV1 | undefined }> | undefined;
  headers?: Record<string, { description?: string | undefined; schema?: StandardSchemaV1 | undefined; required?: boolean | undefined }> | undefined;
}

type Field<O, K extends string, Fallback> = O extends { [_ in K]: infer S } ? InferOutput<S, Fallback> : Fallback;

/**
 * What a handler receives beside the request: validated output where the route has a schema, raw values
 * otherwise (`body` is only read when there is a body schema).
 * @example app.get("/exams/:examId", (req, { params, query }) => ({ id: params.examId, q: query.q }))
 */
export interface Input<Path extends string = string, O = {}> {
  params: Field<O, "params", PathParams<Path>>;
  query: Field<O, "query", Record<string, string>>;
  headers: Field<O, "headers", Record<string, string>>;
  body: Field<O, "body", unknown>;
}

/**
 * A route handler; whatever it returns goes through `toResponse` (object → JSON, string → text, …).
 * @example const getExam: Handler<"/exams/:examId"> = (req) => ({ id: req.params.examId })
 */
export type Handler<Path extends string = string, O = {}> = (req: RouteRequest<Path>, input: Input<Path, O>) => unknown;

/**
 * The request a handler of `Path` receives: `params` typed from the pattern.
 * @example (req: RouteRequest<"/exams/:examId">) => req.params.examId
 */
export type RouteRequest<Path extends string> = HttpRequest<PathParams<Path> extends infer P extends Record<string, string> ? P : never>;

/**
 * Registers a route: `(path, [options], ...middleware, handler)`; returns the router for chaining. The
 * handler's params are those of `Prefix` (a group's, see {@link Router}) and of the path.
 * @example
 * const signedIn: Middleware = (req, next) => { if (!req.auth) throw new HttpError(401); return next() }
 * app.get("/me", signedIn, (req) => req.auth)
 */
export interface RouteMethod<R, Prefix extends string = "", Validating extends boolean = any> {
  <Path extends string>(path: Path, ...handlers: [...Middleware[], Handler<`${Prefix}${Path}`>]): R;
  <Path extends string, O extends RouteOptions>(path: Path, options: O & KnownOptions<O> & SchemasNeedValidate<O, Validating>, ...handlers: [...Middleware[], Handler<`${Prefix}${Path}`, O>]): R;
}

// A router made without `validate` (`router()`) refuses a route with schemas when it is registered; typed
// so, the mistake shows where it is written: "Type 'ObjectSchema<…>' is not assignable to type '"body: a
// schema needs router({ validate })"'". A router whose `validate` is not known to be given (`Router`, or
// options built at run time) is not checked; nor is a schema that may be undefined (options typed
// `RouteOptions`, `{ body: flag ? Body : undefined }`): registration decides, as before.
type SchemasNeedValidate<O, Validating extends boolean> = boolean extends Validating
  ? unknown
  : [Validating] extends [false]
    ? { [K in keyof O as K extends keyof RouteSchemas ? K : never]: undefined extends O[K] ? O[K] : `${K & string}: a schema needs router({ validate })` }
    : unknown;

// An inferred options type escapes TypeScript's excess-property check: without this, `{ querry: Query }` or
// `{ body, sumary }` compiled and the misspelled schema was never applied. A key no option has is typed as
// the error message itself: "Type 'ObjectSchema<…>' is not assignable to type '"querry is not a route option"'".
type KnownOptions<O> = { [K in Exclude<keyof O, keyof RouteOptions>]: `${K & string} is not a route option` };

// A group typed `router<"/exams/:examId">()` reads req.params.examId, which only a prefix with :examId sets:
// mounted elsewhere it would be undefined behind a `string` type. Each missing name becomes a member the
// group lacks: "Property 'examId' is missing … '{ examId: "mount this group under a prefix with :examId" }'".
// A prefix or group typed only as string is not checked.
type MountableAt<Path extends string, At extends string, Group extends string> = string extends At | Group
  ? unknown
  : { [K in Exclude<keyof PathParams<Group>, keyof PathParams<Path>>]: `mount this group under a prefix with :${K & string}` };

/**
 * One row of `app.routes()`: what OpenAPI generation reads.
 * @example router().get("/exams/:examId", (req) => req.params.examId).routes() // [{ method: "GET", path: "/exams/:examId", schemas: {}, summary: undefined, options: {} }]
 */
export interface RouteInfo {
  method: string;
  path: string;
  schemas: RouteSchemas;
  summary: string | undefined;
  /** Everything the route was registered with (schemas, summary, tags, responses, …). */
  options: RouteOptions;
}

/**
 * Validates a request against a route's schemas: `validate` (exported by lambdalith) is the one to pass
 * to `router({ validate })`.
 * @example
 * const traced: Validator = (req, schemas) => { logJson({ level: "debug", message: "validating", route: req.route }); return validate(req, schemas) }
 * const app = router({ validate: traced })
 */
export type Validator = (req: HttpRequest, schemas: RouteSchemas) => Promise<Input> | Input;

/**
 * Options of {@link router}.
 * @example const options: RouterOptions = { validate } // without it, a route with schemas throws at registration
 */
export interface RouterOptions {
  /** Links validation in: routes with schemas need it (`router({ validate })`). */
  validate?: Validator | undefined;
}

/**
 * A router: register routes and middleware, then pass it to `handle(app)`. `Prefix` is for a group mounted
 * under a prefix with params (`router<"/exams/:examId">()`): its handlers' params include the prefix's.
 * `Validating` is whether it was made with `validate` (`router()`: false, so a route with schemas is a type
 * error); `Router` alone accepts either.
 * @example const app = router().get("/health", () => "ok")
 */
export interface Router<Prefix extends string = "", Validating extends boolean = any> {
  get: RouteMethod<Router<Prefix, Validating>, Prefix, Validating>;
  post: RouteMethod<Router<Prefix, Validating>, Prefix, Validating>;
  put: RouteMethod<Router<Prefix, Validating>, Prefix, Validating>;
  patch: RouteMethod<Router<Prefix, Validating>, Prefix, Validating>;
  delete: RouteMethod<Router<Prefix, Validating>, Prefix, Validating>;
  head: RouteMethod<Router<Prefix, Validating>, Prefix, Validating>;
  options: RouteMethod<Router<Prefix, Validating>, Prefix, Validating>;
  /** Every method, after the routes registered for a specific one. */
  all: RouteMethod<Router<Prefix, Validating>, Prefix, Validating>;
  /** Middleware for every request, including 404 and 405 (so `cors()` can answer any preflight). */
  use(...middleware: Middleware[]): Router<Prefix, Validating>;
  /** Turns errors into responses; the default is problem+json (500 for unknown errors, stack logged). */
  onError(fn: (err: unknown, req: HttpRequest) => unknown): Router<Prefix, Validating>;
  /** Answers requests whose path no route has; the default is a 404 problem. A group's answers those under its prefix. */
  notFound(fn: (req: HttpRequest) => unknown): Router<Prefix, Validating>;
  /**
   * Mounts a group's routes under a prefix. The group's middleware and `notFound` serve every request
   * under the prefix, 404s and 405s included (its middleware the 400 and 414 of a malformed or over-long
   * path too); its `onError` covers what the group holds, not the app's middleware, and what it does not answer
   * (it returns nothing, or throws) goes on to the enclosing group's `onError`, then the app's. The group is copied as
   * it is now: define its middleware and routes first. A group made as `router<"/exams/:examId">()` has its
   * handlers' `req.params.examId` typed: mount it under a prefix with `:examId` (elsewhere is a type error).
   */
  route<At extends string, Group extends string>(prefix: At, group: Router<Group> & MountableAt<`${Prefix}${At}`, At, Group>): Router<Prefix, Validating>;
  /** Answers one request; never rejects. */
  handle(req: HttpRequest): Promise<HttpResponse>;
  /** The route table, in registration order: copies (rows, schemas and options), so changing one changes no route. */
  routes(): RouteInfo[];
}
