// What a converter gives, joined to the document: whatever its JSON Schema holds, the references still point at
// what they pointed at, and the document stays valid. openapi.test.ts has the usual libraries' schemas.
import { validate as validateOpenApi } from "@readme/openapi-parser";
import { describe, expect, it } from "vitest";
import { router } from "../router/router.ts";
import type { StandardSchemaV1 } from "../router/standard-schema.ts";
import { validate } from "../router/validate.ts";
import { resolve, toJsonSchema, type Conversion } from "./json-schema.ts";
import { openapi } from "./openapi.ts";

// A schema whose converter gives exactly this JSON Schema.
const given = (jsonSchema: unknown) =>
  ({ "~standard": { version: 1, vendor: "hand", validate: (value: unknown) => ({ value }), jsonSchema: { input: () => jsonSchema, output: () => jsonSchema } } }) as unknown as StandardSchemaV1;
const fresh = (): Conversion => ({ libraryOptions: undefined, warnings: [], definitions: {}, reserved: new Set(["Problem", "ValidationProblem"]) });
const convert = (jsonSchema: unknown, conversion = fresh()) => ({ schema: toJsonSchema(given(jsonSchema), "input", "POST /a body", conversion), conversion });
const valid = async (document: unknown) => {
  const result = await validateOpenApi(structuredClone(document) as never, { resolve: { external: false } });
  return result.valid ? [] : result.errors;
};

describe("toJsonSchema", () => {
  it("a boolean schema is one: true accepts anything ({}), false nothing ({ not: {} })", () => {
    expect(convert(true).schema).toEqual({});
    expect(convert(false).schema).toEqual({ not: {} });
    expect(convert(false).conversion.warnings).toEqual([]);
  });

  it("a converter giving a list is {} with a warning naming it", () => {
    const { schema, conversion } = convert([{ type: "string" }]);
    expect(schema).toEqual({});
    expect(conversion.warnings).toEqual([expect.stringMatching(/^POST \/a body: converting the schema failed \(the converter gave a list, not a schema\)/)]);
  });

  it("definition names become valid component names: '.' kept, others '_', an empty name '_', two names meeting in one schema kept apart, silently unless the name was taken", () => {
    const { schema, conversion } = convert({
      type: "object",
      properties: { a: { $ref: "#/$defs/exam.v1" }, b: { $ref: "#/$defs/a b" }, c: { $ref: "#/$defs/a_b" }, d: { $ref: "#/$defs/" } },
      $defs: { "exam.v1": { type: "string" }, "a b": { type: "number" }, a_b: { type: "boolean" }, "": { type: "null" } },
    });
    expect(schema["properties"]).toEqual({
      a: { $ref: "#/components/schemas/exam.v1" },
      b: { $ref: "#/components/schemas/a_b" },
      c: { $ref: "#/components/schemas/a_b_2" },
      d: { $ref: "#/components/schemas/_" },
    });
    expect(conversion.definitions).toEqual({ "exam.v1": { type: "string" }, a_b: { type: "number" }, a_b_2: { type: "boolean" }, _: { type: "null" } });
    expect(conversion.warnings).toEqual([]);
  });

  it("a reference into a definition keeps its path; one to a definition the schema lacks is left as written (never another schema's component of that name)", () => {
    const conversion = fresh();
    conversion.definitions["Missing"] = { type: "integer" };
    const { schema } = convert({ type: "object", properties: { a: { $ref: "#/$defs/Exam/properties/title" }, b: { $ref: "#/$defs/Missing" } }, $defs: { Exam: { type: "object", properties: { title: { type: "string" } } } } }, conversion);
    expect(schema["properties"]).toEqual({ a: { $ref: "#/components/schemas/Exam/properties/title" }, b: { $ref: "#/$defs/Missing" } });
  });

  it("reference segments are JSON Pointer: ~1 is '/', ~0 is '~', ~01 is '~1' (RFC 6901: ~1 first)", () => {
    const { schema, conversion } = convert({
      type: "object",
      properties: { a: { $ref: "#/$defs/a~1b" }, b: { $ref: "#/$defs/c~0d" }, c: { $ref: "#/$defs/e~01f" } },
      $defs: { "a/b": { type: "string" }, "c~d": { type: "number" }, "e~1f": { type: "boolean" } },
    });
    expect(schema["properties"]).toEqual({ a: { $ref: "#/components/schemas/a_b" }, b: { $ref: "#/components/schemas/c_d" }, c: { $ref: "#/components/schemas/e_1f" } });
    expect(conversion.definitions).toEqual({ a_b: { type: "string" }, c_d: { type: "number" }, e_1f: { type: "boolean" } });
  });

  it("a property named $ref or __proto__ is a property like any other (was: a crash documented as {}, or the key lost to the prototype)", () => {
    const properties = JSON.parse('{ "$ref": { "type": "string" }, "__proto__": { "type": "number" } }') as Record<string, unknown>;
    const { schema, conversion } = convert({ type: "object", properties, required: ["$ref"] });
    expect(conversion.warnings).toEqual([]);
    expect(JSON.stringify(schema)).toBe('{"type":"object","properties":{"$ref":{"type":"string"},"__proto__":{"type":"number"}},"required":["$ref"]}');
  });

  it("a reference only into its own root ('#/properties/…', no '#') makes the root a component, so the reference still resolves", async () => {
    const body = given({ type: "object", properties: { a: { type: "string" }, b: { $ref: "#/properties/a" } } });
    const document = openapi(router({ validate }).post("/a", { body }, () => 1), { info: { title: "t", version: "1" } });
    const schema = (document.paths["/a"]!["post"]!.requestBody!["content"] as Record<string, { schema: { $ref: string } }>)["application/json"]!.schema;
    const name = schema.$ref.slice("#/components/schemas/".length);
    expect(document.components.schemas[name]).toEqual({ type: "object", properties: { a: { type: "string" }, b: { $ref: `#/components/schemas/${name}/properties/a` } } });
    expect(await valid(document)).toEqual([]);
  });
});

describe("resolve", () => {
  it("follows a reference to a reference to the schema; a cycle of references ends", () => {
    const conversion = fresh();
    conversion.definitions = { A: { $ref: "#/components/schemas/B" }, B: { $ref: "#/components/schemas/C" }, C: { type: "object" }, X: { $ref: "#/components/schemas/Y" }, Y: { $ref: "#/components/schemas/X" } };
    expect(resolve({ $ref: "#/components/schemas/A" }, conversion)).toEqual({ type: "object" });
    expect(resolve({ $ref: "#/components/schemas/X" }, conversion)).toHaveProperty("$ref");
    expect(resolve({ $ref: "#/components/schemas/Nothing" }, conversion)).toEqual({ $ref: "#/components/schemas/Nothing" });
  });

  it("a query schema given as a chain of references still lists its parameters", () => {
    const query = given({ $ref: "#/$defs/Query", $defs: { Query: { $ref: "#/$defs/Paging" }, Paging: { type: "object", properties: { cursor: { type: "string" } }, required: ["cursor"] } } });
    const { paths } = openapi(router({ validate }).get("/q", { query }, () => 1), { info: { title: "t", version: "1" } });
    expect(paths["/q"]!["get"]!.parameters).toEqual([{ name: "cursor", in: "query", required: true, schema: { type: "string" } }]);
  });
});
