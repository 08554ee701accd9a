import type { HttpRequest, LambdaContext } from "../lib/request.ts";
import type { HttpResponse } from "../lib/response.ts";

/**
 * Options every adapter reads (a subset of the handler's options).
 * @example export const handler = handle(app, { basePath: "/v1", stripStage: false })
 */
export interface AdapterOptions {
  /** A prefix stripped as whole segments, for custom-domain base path mappings: `"/v1"`. */
  basePath?: string | undefined;
  /** Strip `/${stage}` from HTTP API paths of a named stage (default true). */
  stripStage?: boolean | undefined;
  /** Decides whether a string body must be base64-encoded. */
  isBinary?: ((contentType: string | undefined, contentEncoding: string | undefined) => boolean) | undefined;
}

/**
 * One event source: recognise its events, turn one into an {@link HttpRequest}, turn a response back into
 * the exact result shape the source expects.
 * @example const handler = createHandler(app, { adapters: [httpApiV2] })
 */
export interface Adapter<TEvent = any, TResult = unknown> {
  name: string;
  match(event: unknown): boolean;
  request(event: TEvent, context: LambdaContext | undefined, options: AdapterOptions): HttpRequest;
  result(response: HttpResponse, request: HttpRequest, options: AdapterOptions): TResult;
}
