// Reads template.yaml the way CloudFormation does: short-form intrinsic tags (!Ref, !GetAtt, !Sub, …)
// become their long forms ({ Ref }, { "Fn::GetAtt": [..] }, …). No SAM CLI is needed (none installs here).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse, type Tags } from "yaml";

export const TEMPLATE_PATH = fileURLToPath(new URL("../../template.yaml", import.meta.url));

const INTRINSICS = [
  "Ref", "Condition", "Sub", "GetAtt", "If", "Equals", "Select", "Join", "Split", "FindInMap", "Base64",
  "Not", "And", "Or", "GetAZs", "ImportValue", "Cidr", "Transform", "ToJsonString", "Length",
] as const;

const longName = (tag: string) => (tag === "Ref" || tag === "Condition" ? tag : `Fn::${tag}`);

/** `!GetAtt A.B.C` → ["A", "B.C"] (the attribute part may itself contain dots). */
function getAttParts(s: string): string[] | string {
  const dot = s.indexOf(".");
  return dot > 0 ? [s.slice(0, dot), s.slice(dot + 1)] : s;
}

export const CFN_TAGS: Tags = INTRINSICS.flatMap((name) => {
  const key = longName(name);
  return [
    { tag: `!${name}`, resolve: (s: string) => ({ [key]: name === "GetAtt" ? getAttParts(s) : s }) },
    { tag: `!${name}`, collection: "seq" as const, resolve: (seq: { toJSON(): unknown }) => ({ [key]: seq.toJSON() }) },
    { tag: `!${name}`, collection: "map" as const, resolve: (map: { toJSON(): unknown }) => ({ [key]: map.toJSON() }) },
  ];
}) as unknown as Tags;

export interface Template {
  AWSTemplateFormatVersion?: string;
  Transform?: string | string[];
  Parameters?: Record<string, { Type: string; Default?: unknown; AllowedValues?: unknown[] }>;
  Conditions?: Record<string, unknown>;
  Mappings?: Record<string, unknown>;
  Globals?: Record<string, unknown>;
  Resources: Record<string, { Type: string; Condition?: string; Properties?: any; Metadata?: any; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;
  Outputs?: Record<string, { Value: unknown; Condition?: string }>;
}

export function parseTemplate(text: string): Template {
  return parse(text, { customTags: CFN_TAGS }) as Template;
}

export function loadTemplate(path: string = TEMPLATE_PATH): Template {
  return parseTemplate(readFileSync(path, "utf8"));
}

/** Every intrinsic in a value, depth first: `{ fn: "Ref", arg: "X", path: "Resources.F.Properties…" }`. */
export function* intrinsics(value: unknown, path = ""): Generator<{ fn: string; arg: unknown; path: string }> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* intrinsics(value[i], `${path}.${i}`);
  } else if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 1 && (entries[0]![0] === "Ref" || entries[0]![0].startsWith("Fn::"))) {
      yield { fn: entries[0]![0], arg: entries[0]![1], path };
    }
    for (const [k, v] of entries) yield* intrinsics(v, path ? `${path}.${k}` : k);
  }
}

/** The `${Name}` / `${Name.Attr}` references of a Fn::Sub string (not `${!Literal}`). */
export function subReferences(template: string): string[] {
  return [...template.matchAll(/\$\{([^!}][^}]*)\}/g)].map((m) => m[1]!.trim());
}
