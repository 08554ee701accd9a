// Schemas → JSON Schema through the Standard JSON Schema interface (standardschema.dev/json-schema), written
// out like standard-schema.ts so the library imports no schema library: zod and arktype schemas carry
// `~standard.jsonSchema`; valibot's gain it from `toStandardJsonSchema()` of `@valibot/to-json-schema`.
import type { StandardSchemaV1 } from "../router/standard-schema.ts";

/**
 * A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) as a plain object.
 * @example const schema: JsonSchema = { type: "object", properties: { title: { type: "string" } }, required: ["title"] }
 */
export type JsonSchema = Record<string, unknown>;

/**
 * A Standard Schema that can describe itself as JSON Schema (Standard JSON Schema v1).
 * @example
 * import * as v from "valibot";
 * import { toStandardJsonSchema } from "@valibot/to-json-schema";
 * const Exam: StandardJsonSchemaV1 = toStandardJsonSchema(v.object({ title: v.string() }))
 */
export interface StandardJsonSchemaV1 {
  readonly "~standard": StandardSchemaV1["~standard"] & {
    readonly jsonSchema: {
      readonly input: (options: { readonly target: string; readonly libraryOptions?: Record<string, unknown> | undefined }) => JsonSchema;
      readonly output: (options: { readonly target: string; readonly libraryOptions?: Record<string, unknown> | undefined }) => JsonSchema;
    };
  };
}

/** What one document's conversions share: library options, the warnings so far, the hoisted definitions. */
export interface Conversion {
  libraryOptions: Record<string, unknown> | undefined;
  warnings: string[];
  /** Definitions referenced as `#/components/schemas/<name>`. */
  definitions: Record<string, JsonSchema>;
  /** Names taken by the document itself (the problem schemas): a definition never replaces them. */
  reserved?: ReadonlySet<string>;
  /** Each hoisted definition's name by what it is (its content and everything it references). */
  known?: Map<string, string>;
}

const DEFS = "#/$defs/";
const COMPONENTS = "#/components/schemas/";

/**
 * The JSON Schema of what a schema accepts (`input`) or produces (`output`). A schema without the converter,
 * or whose converter throws or gives no schema, is documented as `{}` (anything) and named in a warning:
 * documentation must never take an app down. `where` names the schema in that warning ("GET /exams/{examId}
 * query").
 */
export function toJsonSchema(schema: StandardSchemaV1, side: "input" | "output", where: string, conversion: Conversion): JsonSchema {
  try {
    // Read inside the try: a getter that throws is a schema that can't be converted, not a crash.
    const converter = (schema as Partial<StandardJsonSchemaV1>)["~standard"]?.jsonSchema?.[side];
    if (typeof converter !== "function") {
      conversion.warnings.push(`${where}: the schema has no Standard JSON Schema converter (~standard.jsonSchema.${side}); documented as {}`);
      return {};
    }
    const converted: unknown = converter({ target: "draft-2020-12", libraryOptions: conversion.libraryOptions });
    // A boolean is a JSON Schema too: true accepts anything, false nothing.
    if (typeof converted === "boolean") return converted ? {} : { not: {} };
    if (converted === null || typeof converted !== "object" || Array.isArray(converted)) throw new TypeError(`the converter gave ${converted === null ? "null" : Array.isArray(converted) ? "a list" : typeof converted}, not a schema`);
    return adopt(converted as JsonSchema, where, conversion);
  } catch (err) {
    conversion.warnings.push(`${where}: converting the schema failed (${err instanceof Error ? err.message : String(err)}); documented as {}`);
    return {};
  }
}

/**
 * A definition a schema refers to, followed through `$ref`s to the document's components (a converter may
 * give a whole schema as one reference), or the schema itself.
 * @example resolve({ $ref: "#/components/schemas/Paging" }, conversion) // Paging's schema
 */
export function resolve(schema: JsonSchema, conversion: Conversion): JsonSchema {
  for (let hops = 0; typeof schema["$ref"] === "string" && schema["$ref"].startsWith(COMPONENTS) && hops < 10; hops++) {
    const target = conversion.definitions[schema["$ref"].slice(COMPONENTS.length)];
    if (target === undefined) break;
    schema = target;
  }
  return schema;
}

// A converted schema joins the document. Its own `$schema` goes (OpenAPI 3.1's dialect already is 2020-12);
// its `$defs` move to components, because `#/$defs/X` inside an OpenAPI document would point at the
// document's root, where nothing is. A definition keeps its name unless that is taken by something else
// (another schema's "0", the document's own Problem), then it gets the first free `name_2`, `name_3`…; a
// definition the document has already (same content, same references) is shared. Names are made valid
// component names (letters, digits, ".", "_", "-"). A reference to the schema's own root ("#" for
// recursion, "#/properties/a") needs the root as a component too. Copied, so the document shares no object
// with a converter's cache.
function adopt(converted: JsonSchema, where: string, conversion: Conversion): JsonSchema {
  const { $schema: _dialect, $defs, ...root } = converted;
  const defs = ($defs ?? {}) as Record<string, JsonSchema>;
  const known = (conversion.known ??= new Map());
  const taken = (name: string) => conversion.definitions[name] !== undefined || conversion.reserved?.has(name) === true;
  const names = new Map<string, string>();
  // A schema that refers to its own root gets its own copies: its root is a component of its own.
  const shared = !refersToRoot(converted);
  for (const name of Object.keys(defs)) {
    const identity = JSON.stringify(reachable(name, defs).map((n) => [n, defs[n]]));
    let component = shared ? known.get(identity) : undefined;
    if (component === undefined) {
      const base = name.replace(/[^\w.-]/g, "_") || "_";
      component = base;
      for (let n = 2; taken(component) || [...names.values()].includes(component); n++) component = `${base}_${n}`;
      if (shared) known.set(identity, component);
      if (component !== name && (conversion.definitions[name] !== undefined || conversion.reserved?.has(name))) conversion.warnings.push(`${where}: the definition "${name}" is documented as "${component}" (the name was taken)`);
    }
    names.set(name, component);
  }
  const rootName = !shared ? freeName(where.replace(/[^\w.-]+/g, "_"), taken) : undefined;
  const rewrite = (ref: string): string => {
    if (ref.startsWith(DEFS)) {
      const [first = "", ...rest] = ref.slice(DEFS.length).split("/");
      const component = names.get(unescapePointer(first));
      return component === undefined ? ref : COMPONENTS + component + (rest.length > 0 ? "/" + rest.join("/") : "");
    }
    return rootName !== undefined && (ref === "#" || ref.startsWith("#/")) ? COMPONENTS + rootName + ref.slice(1) : ref;
  };
  for (const [name, component] of names) if (conversion.definitions[component] === undefined) conversion.definitions[component] = copyJson(defs[name], rewrite) as JsonSchema;
  const schema = copyJson(root, rewrite) as JsonSchema;
  if (rootName === undefined) return schema;
  conversion.definitions[rootName] = schema;
  return { $ref: COMPONENTS + rootName };
}

// The definitions a definition needs: itself and every one its references reach, in a stable order.
function reachable(name: string, defs: Record<string, JsonSchema>): string[] {
  const seen = new Set<string>();
  const visit = (current: string) => {
    if (seen.has(current) || defs[current] === undefined) return;
    seen.add(current);
    for (const ref of refsIn(defs[current])) if (ref.startsWith(DEFS)) visit(unescapePointer(ref.slice(DEFS.length).split("/")[0]!));
  };
  visit(name);
  return [...seen].sort();
}

// Whether a schema refers to its own root ("#", "#/properties/…"), anywhere in it or its definitions.
function refersToRoot(schema: JsonSchema): boolean {
  return refsIn(schema).some((ref) => ref === "#" || (ref.startsWith("#/") && !ref.startsWith(DEFS)));
}

function refsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refsIn(item, out);
  else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (key === "$ref" && typeof item === "string") out.push(item);
      else refsIn(item, out);
    }
  }
  return out;
}

function freeName(base: string, taken: (name: string) => boolean): string {
  let name = base || "_";
  for (let n = 2; taken(name); n++) name = `${base}_${n}`;
  return name;
}

// A JSON Pointer segment inside a URI fragment: %-escapes, then ~1 and ~0 (RFC 6901 §3, §6).
function unescapePointer(segment: string): string {
  let text = segment;
  try {
    text = decodeURIComponent(segment);
  } catch {
    // kept as written
  }
  return text.replace(/~1/g, "/").replace(/~0/g, "~");
}

// A deep copy of JSON data with its references rewritten. defineProperty: a property named "__proto__" (a
// schema key like any other) stays an own key instead of replacing the prototype.
function copyJson(value: unknown, rewrite: (ref: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => copyJson(item, rewrite));
  if (value === null || typeof value !== "object") return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const copied = key === "$ref" && typeof item === "string" ? rewrite(item) : copyJson(item, rewrite);
    Object.defineProperty(copy, key, { value: copied, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}
