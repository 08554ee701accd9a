// lambdalith/stream: response streaming, its own entry. A re-export from the main entry would leave a
// handle(app) bundle the same size but not the same bytes (esbuild's minifier picks short names from the
// character frequencies of every file it reads, src/index.ts included); this way an app that does not
// import streaming bundles exactly what it did before.
export { streamHandler, createStreamHandler, type StreamHandlerOptions, type CreateStreamHandlerOptions, type StreamingHandler } from "./stream-handler.ts";
export { stream, canStream, type StreamBody, type StreamChunk, type StreamResponse } from "./stream.ts";
export { sse, formatEvent, type SseEvent } from "./sse.ts";
export type { ResponseStream, StreamPrelude } from "./runtime.ts";
export { invokeStream, type InvokeStreamInit, type InvokeStreamResponse, type StreamingSource } from "./invoke-stream.ts";
