// DESIGN names zod and arktype beside valibot as Standard JSON Schema libraries openapi() documents: their
// schemas carry `~standard.jsonSchema` themselves (no wrapper). The same routes in each give the same
// document, and it is a valid OpenAPI 3.1 document. The library imports neither.
import { validate as validateOpenApi } from "@readme/openapi-parser";
import { type } from "arktype";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { router } from "../router/router.ts";
import type { StandardSchemaV1 } from "../router/standard-schema.ts";
import { validate } from "../router/validate.ts";
import { openapi, type OpenApiDocument, type OpenApiOptions } from "./openapi.ts";

const info = { title: "Interop", version: "1.0.0" };

function documented(app: { routes: ReturnType<typeof router>["routes"] }, options: Partial<OpenApiOptions> = {}): { document: OpenApiDocument; warnings: string[] } {
  const warnings: string[] = [];
  const document = openapi(app, { info, ...options, onWarnings: (w) => warnings.push(...w) });
  return { document, warnings };
}

async function openApiProblems(document: OpenApiDocument): Promise<unknown[]> {
  const result = await validateOpenApi(structuredClone(document) as never, { resolve: { external: false } });
  return result.valid ? [] : result.errors;
}

interface Schemas {
  params: StandardSchemaV1;
  query: StandardSchemaV1;
  headers: StandardSchemaV1;
  body: StandardSchemaV1;
  exam: StandardSchemaV1;
  etag: StandardSchemaV1;
}
const LIBRARIES: [string, Schemas][] = [
  [
    "zod",
    {
      params: z.object({ examId: z.string().regex(/^e-\d+$/) }),
      query: z.object({ status: z.enum(["draft", "published"]), q: z.string().optional() }),
      headers: z.object({ "if-match": z.string().optional(), "x-tenant": z.string() }),
      body: z.object({ title: z.string().min(1) }),
      exam: z.object({ examId: z.string(), title: z.string() }),
      etag: z.string().regex(/^"\d+"$/),
    },
  ],
  [
    "arktype",
    {
      params: type({ examId: /^e-\d+$/ }),
      query: type({ status: "'draft' | 'published'", "q?": "string" }),
      headers: type({ "if-match?": "string", "x-tenant": "string" }),
      body: type({ title: "string > 0" }),
      exam: type({ examId: "string", title: "string" }),
      etag: type(/^"\d+"$/),
    },
  ],
];

// Keys a library adds beside what it describes (zod closes an output object) are not the point here.
const open = (schema: unknown) => {
  const { additionalProperties: _, ...rest } = schema as Record<string, unknown>;
  return rest;
};

describe.each(LIBRARIES)("openapi() with %s schemas", (_library, s) => {
  const app = () =>
    router({ validate })
      .put("/exams/:examId", { params: s.params, query: s.query, headers: s.headers, body: s.body, responses: { 200: s.exam, 201: { description: "Created", schema: s.exam, headers: { ETag: { schema: s.etag } } } } }, () => 1)
      .get("/exams", { responses: { 200: s.exam } }, () => 1);

  it("params, query, headers, the body and responses (bare or { schema }, header schemas) are converted, and the document is valid", async () => {
    const { document, warnings } = documented(app());
    expect(warnings).toEqual([]);
    const op = document.paths["/exams/{examId}"]!["put"]!;
    // arktype lists required keys first: the order of a location's parameters is the library's.
    const byPlace = (list: Array<Record<string, unknown>>) => [...list].sort((a, b) => ["path", "query", "header"].indexOf(a["in"] as string) - ["path", "query", "header"].indexOf(b["in"] as string) || String(a["name"]).localeCompare(String(b["name"])));
    expect(byPlace(op.parameters!)).toEqual([
      { name: "examId", in: "path", required: true, schema: { type: "string", pattern: "^e-\\d+$" } },
      { name: "q", in: "query", required: false, schema: { type: "string" } },
      { name: "status", in: "query", required: true, schema: expect.objectContaining({ enum: expect.arrayContaining(["draft", "published"]) }) },
      { name: "if-match", in: "header", required: false, schema: { type: "string" } },
      { name: "x-tenant", in: "header", required: true, schema: { type: "string" } },
    ]);
    expect(op.requestBody).toEqual({ required: true, content: { "application/json": { schema: { type: "object", properties: { title: { type: "string", minLength: 1 } }, required: ["title"] } } } });
    const exam = { type: "object", properties: { examId: { type: "string" }, title: { type: "string" } }, required: expect.arrayContaining(["examId", "title"]) };
    for (const response of [op.responses["200"], op.responses["201"], document.paths["/exams"]!["get"]!.responses["200"]]) {
      expect(open((response!["content"] as Record<string, { schema: unknown }>)["application/json"]!.schema)).toEqual(exam);
    }
    expect(op.responses["200"]!["description"]).toBe("OK");
    expect(op.responses["201"]!["headers"]).toEqual({ ETag: { schema: { type: "string", pattern: '^"\\d+"$' } } });
    expect(await openApiProblems(document)).toEqual([]);
  });

  it("a body that may be empty is documented as not required (its schema accepts undefined)", () => {
    const optional = s === LIBRARIES[0]![1] ? z.object({ title: z.string() }).optional() : type({ title: "string" }).or("undefined");
    const { document } = documented(router({ validate }).put("/drafts", { body: optional }, () => 1));
    expect(document.paths["/drafts"]!["put"]!.requestBody).toMatchObject({ required: false });
  });
});

describe("input and output, converters that throw, libraryOptions", () => {
  it("zod: a request body is its input (a default makes a field optional), a response its output (the field always there)", () => {
    const Question = z.object({ text: z.string(), points: z.number().default(1) });
    const { document, warnings } = documented(router({ validate }).post("/questions", { body: Question, responses: { 201: Question } }, () => 1));
    expect(warnings).toEqual([]);
    const op = document.paths["/questions"]!["post"]!;
    expect((op.requestBody!["content"] as Record<string, { schema: Record<string, unknown> }>)["application/json"]!.schema["required"]).toEqual(["text"]);
    expect((op.responses["201"]!["content"] as Record<string, { schema: Record<string, unknown> }>)["application/json"]!.schema["required"]).toEqual(["text", "points"]);
  });

  it("zod: a transform or a Date can't be described as output: its converter throws, so that schema is {} and a warning names it; the input side still converts", async () => {
    const Tags = z.object({ tags: z.string().transform((text) => text.split(",")) });
    const app = router({ validate }).post("/tags", { body: Tags, responses: { 200: Tags, 201: { description: "Stamped", schema: z.object({ at: z.date() }) } } }, () => 1);
    const { document, warnings } = documented(app);
    const op = document.paths["/tags"]!["post"]!;
    expect((op.requestBody!["content"] as Record<string, { schema: unknown }>)["application/json"]!.schema).toEqual({ type: "object", properties: { tags: { type: "string" } }, required: ["tags"] });
    expect(op.responses["200"]!["content"]).toEqual({ "application/json": { schema: {} } });
    expect(op.responses["201"]!["content"]).toEqual({ "application/json": { schema: {} } });
    expect(warnings).toEqual([
      "POST /tags response 200: converting the schema failed (Transforms cannot be represented in JSON Schema); documented as {}",
      "POST /tags response 201: converting the schema failed (Date cannot be represented in JSON Schema); documented as {}",
    ]);
    expect(await openApiProblems(document)).toEqual([]);
  });

  it("arktype: a morph's output or a Date is {} by arktype's own choice, without throwing, so without a warning (README names this)", () => {
    const Tags = type({ tags: type("string").pipe((text) => text.split(",")), at: "Date" });
    const { document, warnings } = documented(router({ validate }).get("/tags", { responses: { 200: Tags } }, () => 1));
    expect((document.paths["/tags"]!["get"]!.responses["200"]!["content"] as Record<string, { schema: unknown }>)["application/json"]!.schema).toEqual({ type: "object", properties: { tags: {}, at: {} }, required: ["at", "tags"] });
    expect(warnings).toEqual([]);
  });

  it("libraryOptions reach every converter, each library reading its own: zod's unrepresentable, arktype's fallback", () => {
    const app = router({ validate })
      .get("/zod", { responses: { 200: z.object({ at: z.date() }) } }, () => 1)
      .get("/ark", { responses: { 200: type({ at: "Date" }) } }, () => 1);
    const dateTime = { type: "string", format: "date-time" };
    const { document, warnings } = documented(app, { libraryOptions: { unrepresentable: "any", fallback: { date: () => dateTime } } });
    expect(warnings).toEqual([]);
    const schemaOf = (path: string) => (document.paths[path]!["get"]!.responses["200"]!["content"] as Record<string, { schema: unknown }>)["application/json"]!.schema;
    expect(schemaOf("/zod")).toMatchObject({ properties: { at: {} } });
    expect(schemaOf("/ark")).toMatchObject({ properties: { at: dateTime } });
  });

  it("zod: one named schema as a request body and a response is two components, its input and its output (zod closes output objects), the second named in a warning (README names this)", () => {
    const Question = z.object({ text: z.string() }).meta({ id: "Question" });
    const { document, warnings } = documented(router({ validate }).post("/q", { body: z.object({ q: Question }), responses: { 200: z.object({ q: Question }) } }, () => 1));
    expect(document.components.schemas["Question"]).toEqual({ type: "object", properties: { text: { type: "string" } }, required: ["text"] });
    expect(document.components.schemas["Question_2"]).toEqual({ type: "object", properties: { text: { type: "string" } }, required: ["text"], additionalProperties: false });
    expect(warnings).toEqual(['POST /q response 200: the definition "Question" is documented as "Question_2" (the name was taken)']);
  });

  it("named and recursive definitions become components: zod's .meta({ id }) shared by two routes, a zod getter cycle, an arktype this-cycle; the document is valid", async () => {
    const Question = z.object({ text: z.string() }).meta({ id: "Question" });
    const ZodTree: z.ZodType<unknown> = z.object({ name: z.string(), get children() { return z.array(ZodTree); } });
    const ArkTree = type({ name: "string", children: "this[]" });
    const app = router({ validate })
      .post("/exams", { body: z.object({ questions: z.array(Question) }) }, () => 1)
      .put("/exams/:examId/first", { body: z.object({ first: Question }) }, () => 1)
      .post("/zod-trees", { body: ZodTree }, () => 1)
      .post("/ark-trees", { body: ArkTree }, () => 1);
    const { document, warnings } = documented(app);
    expect(warnings).toEqual([]);
    expect(document.components.schemas["Question"]).toEqual({ type: "object", properties: { text: { type: "string" } }, required: ["text"] });
    expect(JSON.stringify(document.paths)).not.toMatch(/#\/\$defs\/|"\$ref":"#"/);
    expect(JSON.stringify(document.paths["/exams"])).toContain('"$ref":"#/components/schemas/Question"');
    expect(JSON.stringify(document.paths["/exams/{examId}/first"])).toContain('"$ref":"#/components/schemas/Question"');
    expect(await openApiProblems(document)).toEqual([]);
  });
});
