// Path parameters typed from the route literal: whole-segment `:name` params and one trailing `*`.

type Segment<S extends string> = S extends `:${infer Name}` ? { [K in Name]: string } : S extends "*" ? { "*": string } : {};

type Segments<P extends string> = P extends `${infer Head}/${infer Rest}` ? Segment<Head> & Segments<Rest> : Segment<P>;

type Flatten<T> = { [K in keyof T]: T[K] } & {};

/**
 * The params object of a route pattern; a plain `string` pattern gives a string record.
 * @example type P = PathParams<"/exams/:examId/files/*"> // { examId: string; "*": string }
 */
export type PathParams<P extends string> = string extends P ? Record<string, string> : Flatten<Segments<P>>;
