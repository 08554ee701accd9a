// The Standard Schema v1 interface (standardschema.dev), written out so the library imports no schema
// library: valibot, zod and arktype objects all carry this `~standard` property.

/**
 * One validation problem; `path` holds keys or `{ key }` items.
 * @example const issue: StandardIssue = { message: "Expected a string", path: ["questions", 0, { key: "text" }] } // a 422 says "body.questions.0.text"
 */
export interface StandardIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/**
 * What `validate` returns: the parsed value, or the issues.
 * @example
 * const result: StandardResult<{ title: string }> = await ExamInput["~standard"].validate({ title: "Algebra" })
 * result.issues // undefined
 */
export type StandardResult<Output> = { readonly value: Output; readonly issues?: undefined } | { readonly issues: ReadonlyArray<StandardIssue> };

/**
 * Any schema that implements Standard Schema v1, e.g. a valibot schema.
 * @example
 * import * as v from "valibot";
 * const Exam: StandardSchemaV1<unknown, { title: string }> = v.object({ title: v.string() })
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

/**
 * The parsed type a schema produces, or `Fallback` when there is no schema.
 * @example type Exam = InferOutput<typeof ExamInput, unknown> // { title: string }
 */
export type InferOutput<S, Fallback> = S extends StandardSchemaV1<any, infer O> ? O : Fallback;
