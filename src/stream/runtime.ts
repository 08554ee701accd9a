// The shapes of what the Lambda Node.js runtime provides for response streaming, as its runtime interface
// client implements them (aws/aws-lambda-nodejs-runtime-interface-client: src/UserFunction.js sets the
// `awslambda` global before it loads the handler's module; src/ResponseStream.js is the stream;
// src/HttpResponseStream.js writes the prelude). Types only: nothing here touches the global.

/**
 * The metadata a streamed HTTP response starts with (JSON, then 8 NUL bytes, then the body).
 * @example { statusCode: 200, headers: { "content-type": "text/csv" }, cookies: ["seen=1"] }
 */
export interface StreamPrelude {
  statusCode: number;
  headers: Record<string, string>;
  /** REST APIs: repeated headers and every Set-Cookie. */
  multiValueHeaders?: Record<string, string[]>;
  /** Function URLs: every Set-Cookie. */
  cookies?: string[];
}

/**
 * The writable the runtime hands a streamed handler: an object with a Node `Writable`'s methods bound to it
 * (ResponseStream.js `writableStreamOnly`: the HTTP request to the runtime API; `instanceof Writable` is false)
 * with `setContentType`. `write()` returns false when the caller should wait for `drain`.
 * @example
 * const chunks: Array<string | Uint8Array> = []
 * const fake: ResponseStream = { write: (chunk) => chunks.push(chunk) > 0, end: () => undefined, on: () => undefined, off: () => undefined }
 */
export interface ResponseStream {
  write(chunk: string | Uint8Array): boolean;
  end(): unknown;
  /**
   * Never called by streamHandler: on Lambda it resets the runtime's connection to the Runtime API, and the
   * runtime exits on the rejection that leaves unhandled. A failed body rejects the handler instead.
   */
  destroy?(): unknown;
  on(event: "drain" | "close" | "error", listener: (...args: any[]) => void): unknown;
  off(event: "drain" | "close" | "error", listener: (...args: any[]) => void): unknown;
  setContentType?(contentType: string): void;
}

/** The `awslambda` global of the Node.js runtime. */
export interface AwsLambdaGlobal {
  streamifyResponse<H extends Function>(handler: H, options?: { highWaterMark?: number }): H;
  HttpResponseStream: { from(stream: ResponseStream, prelude: StreamPrelude): ResponseStream };
}

/**
 * The runtime's streaming functions, or undefined outside Lambda (read when called, never at import). The
 * global alone proves nothing: the AWS SDK v3 creates it as `{}` wherever it loads (@aws/lambda-invoke-store).
 * @example const runtime = awsLambdaGlobal()
 */
export function awsLambdaGlobal(): AwsLambdaGlobal | undefined {
  // Through unknown: where @types/aws-lambda declares the global (bench's tsconfig), its type is not ours.
  const runtime = (globalThis as unknown as { awslambda?: Partial<AwsLambdaGlobal> }).awslambda;
  return typeof runtime?.streamifyResponse === "function" && runtime.HttpResponseStream ? (runtime as AwsLambdaGlobal) : undefined;
}
