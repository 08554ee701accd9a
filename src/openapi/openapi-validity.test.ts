// Odd but legal apps, each documented as a valid OpenAPI 3.1 document: checked offline by
// @readme/openapi-parser (the OpenAPI 3.1 schema and its own rules: path parameters, duplicate ids…) and by
// ajv (every JSON Schema in the document is a valid draft 2020-12 schema, and each of its references
// resolves in the document). Every route appears in the document or is named in a warning; the same app
// gives the same JSON twice.
import { validate as validateOpenApi } from "@readme/openapi-parser";
import { toStandardJsonSchema } from "@valibot/to-json-schema";
import { Ajv2020 } from "ajv/dist/2020.js";
import { type } from "arktype";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { router } from "../router/router.ts";
import type { StandardSchemaV1 } from "../router/standard-schema.ts";
import { testRequest } from "../router/test-request.ts";
import type { Router } from "../router/types.ts";
import { validate } from "../router/validate.ts";
import { openapi, type OpenApiDocument, type OpenApiOptions } from "./openapi.ts";

const doc = toStandardJsonSchema;
const info = { title: "Odd apps", version: "1.0.0" };
const bearer: Partial<OpenApiOptions> = { security: [{ bearer: [] }], securitySchemes: { bearer: { type: "http", scheme: "bearer" } } };
const hand = (input: () => unknown): StandardSchemaV1 => ({ "~standard": { version: 1, vendor: "hand", validate: (value: unknown) => ({ value }), jsonSchema: { input, output: input } } }) as unknown as StandardSchemaV1;
const bare: StandardSchemaV1 = { "~standard": { version: 1, vendor: "hand", validate: (value) => ({ value }) } };
// zod and arktype schemas carry ~standard.jsonSchema themselves: named (.meta({ id })), cyclic, and parts
// they can't describe (a transform's output, a Date), in every place a schema goes.
const ZodQuestion = z.object({ text: z.string(), points: z.number().default(1) }).meta({ id: "Question" });
const ZodTree: z.ZodType<unknown> = z.object({ name: z.string(), get children() { return z.array(ZodTree); } });
const ArkTree = type({ name: "string", children: "this[]" });
const ArkStamp = type({ at: "Date", tags: type("string").pipe((text) => text.split(",")) });
type Tree = { name: string; children: Tree[] };
const TreeSchema: v.GenericSchema<Tree> = v.object({ name: v.string(), children: v.array(v.lazy(() => TreeSchema)) });

const APPS: Array<[name: string, app: () => Router, options?: Partial<OpenApiOptions>]> = [
  ["params whose names look like patterns: a-b, _, 0, A1_b-2", () => router().get("/p/:a-b/:_/:0", () => 1).get("/q/:A1_b-2", () => 1)],
  ["* tails: /files/*, /*, a param before the tail", () => router().get("/files/*", () => 1).post("/*", () => 1).get("/u/:user/*", () => 1)],
  ["all() routes, alone and beside a route of their own method", () => router().all("/any", () => 1).all("/echo", { operationId: "echo" }, () => 1).get("/echo", () => 1).all("/w/*", () => 1)],
  ["HEAD and OPTIONS routes, beside GET", () => router().head("/x", () => 1).options("/x", () => 1).get("/x", () => 1).options("/*", () => 1)],
  ["one path shape, other param names: /a/:id, /a/:key, /a/*", () => router().get("/a/:id", () => 1).delete("/a/:key", () => 1).put("/a/*", () => 1).patch("/a/:id/b/:x", () => 1).post("/a/:key/b/:y", () => 1)],
  ["a param and a tail of one shape, both with GET", () => router().get("/a/:id", () => 1).get("/a/*", () => 1)],
  [
    "groups under a param prefix, nested",
    () => {
      const inner = router().get("/", () => 1).get("/:id", () => 1).get("/*", () => 1);
      const outer = router().route("/items", inner).get("/", () => 1);
      return router().route("/t/:tenant", outer).route("/t/:tenant/", router().post("/x", () => 1));
    },
  ],
  ["unicode and percent-encoded static segments", () => router().get("/caf%C3%A9/:x", () => 1).get("/%F0%9F%98%80", () => 1).get("/a%20b/100%25", () => 1).get("/%7Bnot%7D/:param", () => 1).get("/a:b/@c/!$&'()+,;=", () => 1)],
  [
    "query and header schemas: unions, optionals, arrays, objects",
    () =>
      router({ validate })
        .get("/q", { query: doc(v.object({ u: v.union([v.string(), v.literal("x")]), o: v.optional(v.string(), "1"), a: v.optional(v.array(v.string())), n: v.nullish(v.string()), obj: v.optional(v.object({ k: v.string() })) })) }, () => 1)
        .get("/h", { headers: doc(v.object({ "x-a": v.optional(v.string()), "x-list": v.optional(v.array(v.string())), accept: v.string(), "content-type": v.string(), authorization: v.string() })) }, () => 1)
        .get("/not-objects", { query: doc(v.union([v.object({ a: v.string() }), v.object({ b: v.string() })])), headers: doc(v.string()) }, () => 1),
  ],
  [
    "body schemas that are arrays or primitives, on every method",
    () =>
      router({ validate })
        .post("/array", { body: doc(v.array(v.object({ a: v.number() }))) }, () => 1)
        .put("/string", { body: doc(v.string()) }, () => 1)
        .patch("/nullable", { body: doc(v.nullable(v.number())) }, () => 1)
        .get("/get-body", { body: doc(v.boolean()) }, () => 1)
        .delete("/delete-body", { body: doc(v.optional(v.literal(1))) }, () => 1)
        .head("/head-body", { body: doc(v.string()) }, () => 1)
        .all("/all-body", { body: doc(v.string()) }, () => 1),
  ],
  [
    "recursive schemas, twice, and a reference to a schema's own root",
    () =>
      router({ validate })
        .post("/trees", { body: doc(TreeSchema), responses: { 201: doc(TreeSchema) } }, () => 1)
        .put("/trees/:id", { body: doc(TreeSchema) }, () => 1)
        .post("/self", { body: hand(() => ({ type: "object", properties: { next: { $ref: "#" } } })) }, () => 1)
        .post("/proto", { body: hand(() => ({ $ref: "#/$defs/constructor", $defs: { constructor: { type: "string" }, __proto__x: { type: "number" } } })) }, () => 1),
  ],
  [
    "schemas whose converter is missing, throws, or gives no schema",
    () =>
      router({ validate })
        .post("/missing/:id", { params: bare, query: bare, headers: bare, body: bare, responses: { 200: bare } }, () => 1)
        .post("/throws", { body: hand(() => { throw new Error("no"); }), query: hand(() => null) }, () => 1)
        .post("/false", { body: hand(() => false), responses: { 200: hand(() => "x") } }, () => 1),
  ],
  [
    "responses: bare schemas, descriptions, ranges, default, a 204, problem statuses given by the route",
    () =>
      router({ validate }).get("/r/:id", { responses: { 200: doc(v.string()), "2XX": { description: "Other success" }, default: { description: "Anything else", schema: doc(v.object({ e: v.string() })) }, 204: { description: "Nothing" }, 404: { description: "Gone" }, "4xx": { description: "A range in lower case" } } }, () => 1),
  ],
  [
    "responses of other media types (text/csv, a range, with parameters, no schema) and with headers, on every method and a 304",
    () =>
      router().all("/export/:id", {
        responses: {
          200: { description: "CSV or JSON", schema: doc(v.object({ a: v.string() })), content: { "text/csv": {}, "text/*": { schema: doc(v.string()) }, "text/plain; charset=utf-8": {} }, headers: { "Content-Disposition": { required: true }, ETag: { description: "Its version", schema: doc(v.pipe(v.string(), v.regex(/^"\d+"$/))) } } },
          304: { description: "Unchanged", headers: { ETag: { required: true } } },
          503: { description: "Busy", headers: { "Retry-After": { required: true, schema: bare } } },
        },
      }, () => 1),
  ],
  [
    "zod and arktype schemas: named and cyclic definitions, transforms, Dates, a bare arktype response",
    () =>
      router({ validate })
        .post("/zod/:id", { params: z.object({ id: z.string().uuid() }), query: z.object({ n: z.coerce.number().int().default(1) }), headers: z.object({ "x-a": z.string().optional() }), body: z.object({ q: ZodQuestion, tree: ZodTree }), responses: { 200: z.object({ q: ZodQuestion, at: z.date() }), 201: ZodTree } }, () => 1)
        .post("/ark/:id", { params: type({ id: "string.uuid" }), query: type({ "n?": "string.integer.parse" }), headers: type({ "x-a?": "string" }), body: ArkTree, responses: { 200: ArkStamp, 201: { description: "Tree", schema: ArkTree, headers: { ETag: { schema: type("string") } } } } }, () => 1),
  ],
  ["security: public routes under a global requirement, optional auth, other schemes", () => router().get("/public", { security: [] }, () => 1).get("/optional", { security: [{}, { bearer: [] }] }, () => 1).get("/scoped", { security: [{ bearer: ["read"] }] }, () => 1).get("/secured", () => 1), bearer],
  [
    "HEAD operations that can fail with every problem: params, query, a body schema, security (declared and from all())",
    () => router({ validate }).head("/h/:id", { query: doc(v.object({ q: v.string() })), body: doc(v.string()) }, () => 1).all("/any/:id", { body: doc(v.string()), responses: { 200: doc(v.string()) } }, () => 1),
    bearer,
  ],
  ["a group mounted twice, operation ids repeated", () => {
    const users = router().get("/users/:id", { operationId: "getUser" }, () => 1);
    return router().route("/v1", users).route("/v2", users).all("/e", { operationId: "e" }, () => 1).get("/f", { operationId: "e_get" }, () => 1);
  }],
];

// Where the document holds JSON Schemas: components, parameters, request and response bodies, response headers.
function schemaPointers(document: OpenApiDocument): string[] {
  const esc = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1");
  const pointers = Object.keys(document.components.schemas).map((name) => `/components/schemas/${esc(name)}`);
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const at = `/paths/${esc(path)}/${method}`;
      (op.parameters ?? []).forEach((_, i) => pointers.push(`${at}/parameters/${i}/schema`));
      for (const type of Object.keys((op.requestBody?.["content"] as object | undefined) ?? {})) pointers.push(`${at}/requestBody/content/${esc(type)}/schema`);
      for (const [status, response] of Object.entries(op.responses)) {
        const content = (response["content"] ?? {}) as Record<string, { schema?: unknown }>;
        for (const type of Object.keys(content)) if (content[type]!.schema !== undefined) pointers.push(`${at}/responses/${status}/content/${esc(type)}/schema`);
        for (const name of Object.keys((response["headers"] as object | undefined) ?? {})) pointers.push(`${at}/responses/${status}/headers/${esc(name)}/schema`);
      }
    }
  }
  return pointers;
}

function at(document: unknown, pointer: string): unknown {
  return pointer
    .split("/")
    .slice(1)
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key.replace(/~1/g, "/").replace(/~0/g, "~")], document);
}

async function problems(document: OpenApiDocument): Promise<unknown[]> {
  const found: unknown[] = [];
  const result = await validateOpenApi(structuredClone(document) as never, { resolve: { external: false } });
  if (!result.valid) found.push(...result.errors);
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema(JSON.parse(JSON.stringify(document)), "doc");
  for (const pointer of schemaPointers(document)) {
    if (!ajv.validateSchema(at(document, pointer) as object)) found.push(`${pointer}: ${ajv.errorsText()}`);
    try {
      ajv.compile({ $ref: `doc#${encodeURI(pointer)}` });
    } catch (err) {
      found.push(`${pointer}: ${(err as Error).message}`);
    }
  }
  return found;
}

// "/a/:id" → "/a/{id}", "/files/*" → "/files/{*}", as documented (one trailing slash ignored).
const templateOf = (path: string) => (path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path).replace(/\/:([^/]+)/g, "/{$1}").replace(/\/\*$/, "/{*}");

describe("odd but legal apps give valid OpenAPI 3.1 documents", () => {
  it.each(APPS)("%s", async (_, app, options = {}) => {
    const warnings: string[] = [];
    const document = openapi(app(), { info, ...options, onWarnings: (w) => warnings.push(...w) });
    expect(await problems(document)).toEqual([]);
    // Every route is an operation of the document, or a warning names it.
    for (const route of app().routes()) {
      const methods = route.method === "ALL" ? ["get"] : [route.method.toLowerCase()];
      for (const method of methods) {
        const documented = document.paths[templateOf(route.path)]?.[method] !== undefined;
        if (!documented) expect(warnings.join("\n"), `${route.method} ${route.path}`).toContain(`${route.method} ${route.path}`);
      }
    }
    expect(JSON.stringify(openapi(app(), { info, ...options, onWarnings: () => undefined }))).toBe(JSON.stringify(document));
    // RFC 9110 §9.3.2: a HEAD response has no content (the adapters send none), its problems included.
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [status, response] of Object.entries(item["head"]?.responses ?? {})) {
        const ref = response["$ref"] as string | undefined;
        const resolved = ref === undefined ? response : document.components.responses[ref.slice("#/components/responses/".length)]!;
        expect(resolved, `HEAD ${path} ${status}`).not.toHaveProperty("content");
      }
    }
  });

  // OpenAPI path templating: a client sends the path key as written (its %XX escapes included) with each
  // {name} replaced by the percent-encoded value, a slash in it too ("a/b" → "a%2Fb").
  it.each(APPS)("%s: each documented path, filled in as a client does, reaches a route of its shape", async (_, make, options = {}) => {
    const app = make();
    let matched: string | undefined;
    app.use((req, next) => ((matched = req.route), next()));
    const document = openapi(app, { info, ...options, onWarnings: () => undefined });
    const shape = (template: string) => template.replace(/\{[^}]*\}/g, "{}");
    for (const [key, item] of Object.entries(document.paths)) {
      const url = key.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(name === "*" ? "a/b é" : "v é"));
      for (const method of Object.keys(item)) {
        matched = undefined;
        await app.handle(testRequest(method.toUpperCase(), url, { headers: { "content-type": "application/json" }, body: "1" }));
        expect(matched === undefined ? undefined : shape(templateOf(matched)), `${method} ${url}`).toBe(shape(key));
      }
    }
  });

  it("the checks catch a broken document: a dangling reference, a schema that is not JSON Schema", async () => {
    const document = openapi(router({ validate }).post("/x", { body: doc(v.string()) }, () => 1), { info });
    const dangling = structuredClone(document);
    dangling.paths["/x"]!["post"]!.requestBody = { content: { "application/json": { schema: { $ref: "#/components/schemas/Nowhere" } } } };
    expect(await problems(dangling)).not.toEqual([]);
    const notSchema = structuredClone(document);
    notSchema.paths["/x"]!["post"]!.requestBody = { content: { "application/json": { schema: { type: 12 } } } };
    expect(await problems(notSchema)).not.toEqual([]);
  });
});
