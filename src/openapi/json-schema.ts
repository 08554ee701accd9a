// Schemas → JSON Schema through the Standard JSON Schema interface (standardschema.dev/json-schema), written
// out like standard-schema.ts so the library imports no schema library: zod and arktype schemas carry
// `~standard.jsonSchema`; valibot's gain it from `toStandardJsonSchema()` of `@valibot/to-json-schema`.
import type { StandardSchemaV1 } from "../router/standard-schema.ts";

/** A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) as a plain object. */
export type JsonSchema = Record<string, unknown>;

/**
 * A Standard Schema that can describe itself as JSON Schema (Standard JSON Schema v1).
 * @example const Exam: StandardJsonSchemaV1 = toStandardJsonSchema(v.object({ title: v.string() }))
 */
export interface StandardJsonSchemaV1 {
  readonly "~standard": StandardSchemaV1["~standard"] & {
    readonly jsonSchema: {
      readonly input: (options: { readonly target: string; readonly libraryOptions?: Record<string, unknown> | undefined }) => JsonSchema;
      readonly output: (options: { readonly target: string; readonly libraryOptions?: Record<string, unknown> | undefined }) => JsonSchema;
    };
  };
}

/** What one document's conversions share: library options, the warnings so far, the hoisted `$defs`. */
export interface Conversion {
  libraryOptions: Record<string, unknown> | undefined;
  warnings: string[];
  /** Definitions referenced as `#/components/schemas/<name>`. */
  definitions: Record<string, JsonSchema>;
}

const DEFS = "#/$defs/";

/**
 * The JSON Schema of what a schema accepts (`input`) or produces (`output`). A schema without the converter,
 * or whose converter throws, is documented as `{}` (anything) and named in a warning: documentation must
 * never take an app down. `where` names the schema in that warning ("GET /exams/{examId} query").
 */
export function toJsonSchema(schema: StandardSchemaV1, side: "input" | "output", where: string, conversion: Conversion): JsonSchema {
  const converter = (schema as Partial<StandardJsonSchemaV1>)["~standard"]?.jsonSchema?.[side];
  if (typeof converter !== "function") {
    conversion.warnings.push(`${where}: the schema has no Standard JSON Schema converter (~standard.jsonSchema.${side}); documented as {}`);
    return {};
  }
  let converted: JsonSchema;
  try {
    converted = converter({ target: "draft-2020-12", libraryOptions: conversion.libraryOptions });
  } catch (err) {
    conversion.warnings.push(`${where}: converting the schema failed (${err instanceof Error ? err.message : String(err)}); documented as {}`);
    return {};
  }
  return adopt(converted, conversion);
}

// A converted schema joins the document: its own `$schema` goes (OpenAPI 3.1's dialect already is 2020-12)
// and its `$defs` move to components, because `#/$defs/X` inside an OpenAPI document would point at the
// document's root, where nothing is. Copied, so the document shares no object with a converter's cache.
function adopt(converted: JsonSchema, conversion: Conversion): JsonSchema {
  const { $schema: _dialect, $defs, ...schema } = converted;
  for (const [name, definition] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
    const copy = copyJson(definition) as JsonSchema;
    const known = conversion.definitions[name];
    if (known !== undefined && JSON.stringify(known) !== JSON.stringify(copy)) {
      conversion.warnings.push(`two schemas define "${name}" differently; the first one is documented`);
    } else conversion.definitions[name] = copy;
  }
  return copyJson(schema) as JsonSchema;
}

// A deep copy of JSON data with local `$defs` references pointed at components. defineProperty: a property
// named "__proto__" (a schema key like any other) stays an own key instead of replacing the prototype.
function copyJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyJson);
  if (value === null || typeof value !== "object") return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const copied = key === "$ref" && typeof item === "string" && item.startsWith(DEFS) ? "#/components/schemas/" + item.slice(DEFS.length) : copyJson(item);
    Object.defineProperty(copy, key, { value: copied, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}
