// A handler's input is typed by Standard Schema's output type, whichever library wrote the schema: zod and
// arktype as valibot (path-params.test-d.ts), coercions, defaults, transforms and morphs applied.
import { type } from "arktype";
import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import type { OpenApiOptions } from "../openapi/openapi.ts";
import { router } from "./router.ts";
import type { InferOutput } from "./standard-schema.ts";
import { validate } from "./validate.ts";

describe("zod schemas type the handler's input", () => {
  it("body, params, query and headers are each schema's output", () => {
    const Body = z.object({ title: z.string().trim(), tags: z.string().transform((text) => text.split(",")), questions: z.array(z.object({ text: z.string(), points: z.number().default(1) })) });
    const Params = z.object({ examId: z.string() });
    const Query = z.object({ limit: z.coerce.number().default(20), q: z.string().optional() });
    const Headers = z.object({ "x-tenant": z.string() });
    router({ validate }).put("/exams/:examId", { body: Body, params: Params, query: Query, headers: Headers }, (req, input) => {
      expectTypeOf(input.body).toEqualTypeOf<{ title: string; tags: string[]; questions: { text: string; points: number }[] }>();
      expectTypeOf(input.params).toEqualTypeOf<{ examId: string }>();
      expectTypeOf(input.query).toEqualTypeOf<{ limit: number; q?: string | undefined }>();
      expectTypeOf(input.headers).toEqualTypeOf<{ "x-tenant": string }>();
      expectTypeOf(req.params).toEqualTypeOf<{ examId: string }>();
    });
  });
  it("an async schema types the same; a location without a schema keeps its default type", () => {
    const Slug = z.object({ slug: z.string().refine(async (slug) => slug !== "taken") });
    router({ validate }).post("/exams/:examId", { body: Slug }, (_req, input) => {
      expectTypeOf(input.body).toEqualTypeOf<{ slug: string }>();
      expectTypeOf(input.params).toEqualTypeOf<{ examId: string }>();
      expectTypeOf(input.query).toEqualTypeOf<Record<string, string>>();
    });
    expectTypeOf<InferOutput<typeof Slug, unknown>>().toEqualTypeOf<{ slug: string }>();
  });
});

describe("arktype schemas type the handler's input", () => {
  it("body, params, query and headers are each type's output, morphs applied", () => {
    const Body = type({ title: "string.trim", tags: type("string").pipe((text) => text.split(",")), questions: type({ text: "string", points: "number = 1" }).array() });
    const Params = type({ examId: "string" });
    const Query = type({ limit: "string.integer.parse", "q?": "string" });
    const Headers = type({ "x-tenant": "string" });
    router({ validate }).put("/exams/:examId", { body: Body, params: Params, query: Query, headers: Headers }, (req, input) => {
      expectTypeOf(input.body).toEqualTypeOf<{ title: string; tags: string[]; questions: { text: string; points: number }[] }>();
      expectTypeOf(input.params).toEqualTypeOf<{ examId: string }>();
      expectTypeOf(input.query).toEqualTypeOf<{ limit: number; q?: string }>();
      expectTypeOf(input.headers).toEqualTypeOf<{ "x-tenant": string }>();
      expectTypeOf(req.params).toEqualTypeOf<{ examId: string }>();
    });
  });
});

describe("openapi options", () => {
  it("zod's and arktype's libraryOptions fit one object", () => {
    expectTypeOf({ unrepresentable: "any", fallback: { date: () => ({ type: "string" }) } }).toExtend<NonNullable<OpenApiOptions["libraryOptions"]>>();
    // Responses take either library's schemas, bare or as { schema }.
    router({ validate }).get("/e", { responses: { 200: z.object({ a: z.string() }), 201: type({ a: "string" }), 202: { description: "Later", schema: type({ a: "string" }) } } }, () => 1);
  });
});
