// The dev server's side of response streaming: what a Function URL (RESPONSE_STREAM) or a REST API
// (responseTransferMode STREAM) does with the bytes a streaming handler writes. The prelude (JSON up to 8
// NUL bytes) becomes the status line and headers; every later byte goes to the client as it arrives, with
// the client's backpressure passed back to the handler's stream.
import type { ServerResponse } from "node:http";
import { createResponseStream, PRELUDE_CONTENT_TYPE, type EmulatedResponseStream } from "./lambda-runtime.ts";
import type { DevSource } from "./http-event.ts";
import { fromResult } from "./write-result.ts";

const DELIMITER = Buffer.alloc(8);
// A prelude that never ends is refused after 16 KB, the limit AWS's REST streaming page is reported to set
// for the metadata.
const MAX_PRELUDE_BYTES = 16 * 1024;

/**
 * Invokes a streaming handler and relays its stream to `res`; resolves with the status sent. A handler that
 * rejects before the prelude is a 502 (as AWS answers a function error); after it (what it wrote is sent
 * first), or when the handler destroys its stream instead of ending it, the connection is cut.
 * A client that disconnects destroys the handler's stream (so its producer is stopped).
 * @example status = await relayStreaming(handler, event, context, res)
 */
export async function relayStreaming(handler: (event: unknown, stream: EmulatedResponseStream, context: unknown) => unknown, event: unknown, context: unknown, res: ServerResponse, source: DevSource = "url"): Promise<number> {
  let head: Buffer | undefined = Buffer.alloc(0);
  let status = 200;
  const stream = createResponseStream({
    sink(chunk) {
      if (head !== undefined) {
        if (stream.contentType !== PRELUDE_CONTENT_TYPE) {
          // Written without HttpResponseStream.from: Lambda sends the bytes as they are.
          head = undefined;
          res.writeHead(200, { "content-type": stream.contentType });
        } else {
          head = Buffer.concat([head, chunk]);
          const at = head.indexOf(DELIMITER);
          if (at < 0) {
            if (head.length > MAX_PRELUDE_BYTES) throw new Error(`the prelude has no 8-NUL delimiter within ${MAX_PRELUDE_BYTES} bytes`);
            return;
          }
          // Each source reads its own prelude fields (Function URL: cookies; REST: multiValueHeaders).
          const reply = fromResult({ ...JSON.parse(head.subarray(0, at).toString("utf8")), body: "" }, source);
          status = reply.status;
          res.writeHead(reply.status, group(reply.headers));
          chunk = head.subarray(at + DELIMITER.length);
          head = undefined;
          // The status line goes out now, not with the first body byte.
          res.flushHeaders();
          if (chunk.length === 0) return;
        }
      }
      if (!res.write(chunk)) return new Promise<void>((resolve) => res.once("drain", resolve).once("close", resolve));
    },
  });
  let failure: unknown;
  stream.on("error", (err) => (failure ??= err));
  res.on("close", () => {
    if (!stream.writableFinished) stream.destroy();
  });
  const ended = new Promise<void>((resolve) => {
    stream.once("finish", resolve);
    stream.once("close", resolve);
  });
  try {
    await handler(event, stream, context);
    await ended;
    if (failure !== undefined && !res.headersSent) throw failure;
    // Destroyed, not ended (a raw streaming handler may destroy its stream; Lambda's runtime would crash on
    // it): the client's transfer breaks off; ended here, a partial body would read as a whole one.
    if (!stream.writableFinished && res.headersSent) {
      res.destroy();
      return status;
    }
  } catch (err) {
    // Rejected after its first write: the runtime ends the stream (what was written still goes out, then its
    // error trailers) and the client's transfer is cut after it.
    if (!stream.writableEnded && !stream.destroyed && (res.headersSent || stream.writableLength > 0)) {
      stream.end();
      await ended;
    }
    if (res.headersSent) {
      res.destroy();
      return status;
    }
    throw err;
  }
  if (!res.headersSent && head !== undefined) {
    // Ended without a single write(): the runtime never sent the prelude, and AWS leaves the client waiting.
    res.writeHead(502, { "content-type": "application/problem+json" });
    res.end(JSON.stringify({ type: "about:blank", title: "Bad Gateway", status: 502, detail: "The streaming handler ended its stream without writing: the prelude goes out on the first write() (write an empty string for a body-less response)." }));
    return 502;
  }
  res.end();
  return status;
}

function group(pairs: Array<[string, string]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of pairs) {
    const prev = out[name];
    out[name] = prev === undefined ? value : ([] as string[]).concat(prev, value);
  }
  return out;
}
