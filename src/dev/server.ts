// The local API: each HTTP request becomes the exact Lambda event the chosen AWS source would send, the same
// handler Lambda runs answers it, and the result is written back the way that source would.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ensureAwsLambdaGlobal, isStreamingHandler } from "./lambda-runtime.ts";
import { fromEdgeResult, fromResult, functionError, statusLine, type HttpReply } from "./write-result.ts";
import { relayStreaming } from "./write-stream.ts";
import { edgeResponseLimit, toEvent, type DevSource } from "./http-event.ts";
import { claimlessNotice, devTokenHint } from "./dev-auth.ts";

/** A Lambda handler, and whether this is its first call since it was (re)loaded. */
export type HandlerSource = () => Promise<{ handler: (event: unknown, context: unknown) => Promise<unknown>; cold: boolean }>;

export interface DevServerOptions {
  source: DevSource;
  getHandler: HandlerSource;
  /** 3000 by default; 0 picks a free port. */
  port?: number;
  /** Loopback only, always: 127.0.0.1 unless another loopback address is given. */
  host?: string;
  stage?: string;
  /** The REST API's BinaryMediaTypes (`--source rest`): a request body whose Content-Type matches arrives base64. */
  binaryMediaTypes?: string[];
  /** Lambda's invocation payload limit (6 MB, the whole event): larger requests get a 413; the ALB's 1 MB for its body. */
  maxBodyBytes?: number;
  /** The function's timeout (template.yaml `Timeout`), 30 s by default: a handler still running then is a function error, a 502. */
  timeoutSeconds?: number;
  /** Pages the dev server answers itself, before any event is built (`/docs`); true when it answered. */
  serve?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  log?: (line: string) => void;
}

export interface DevServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

const PROBLEM = "application/problem+json";
// Lambda's payload limit for a synchronous invocation, request and response (gettingstarted-limits.html).
const LAMBDA_PAYLOAD = 6 * 1024 * 1024;
const ALB_LIMIT = 1024 * 1024;

// The log's status for a request whose client went away before it ended (nginx's 499, never sent).
const CLIENT_LEFT = 499;

// A handler still running at the function's timeout: Lambda ends the invocation with "Task timed out".
class TimedOut extends Error {}
function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new TimedOut(`Task timed out after ${(ms / 1000).toFixed(2)} seconds`)), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function problem(status: number, title: string, detail: string): string {
  return JSON.stringify({ type: "about:blank", title, status, detail });
}

function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > limit ? undefined : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/**
 * Starts the dev server on a loopback address.
 * @example const dev = await startDevServer({ source: "http", getHandler, port: 0 })
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const host = options.host ?? "127.0.0.1";
  if (!/^127\.\d+\.\d+\.\d+$|^::1$|^localhost$/.test(host)) throw new Error(`the dev server binds to loopback only; got host "${host}"`);
  const log = options.log ?? ((line: string) => console.log(line));
  const limit = options.maxBodyBytes ?? LAMBDA_PAYLOAD;
  // The ALB sends a Lambda target at most 1 MB of body and takes at most 1 MB of response JSON
  // (elasticloadbalancing/latest/application/lambda-functions.html, "Limits").
  const alb = options.source === "alb" || options.source === "alb-single";
  const bodyLimit = alb ? Math.min(limit, ALB_LIMIT) : limit;
  const resultLimit = alb ? ALB_LIMIT : LAMBDA_PAYLOAD;
  const timeoutMs = (options.timeoutSeconds ?? 30) * 1000;
  const edgeLimit = edgeResponseLimit(options.source);

  // Handlers made by streamHandler() are marked by the runtime's global when they are created.
  ensureAwsLambdaGlobal();

  // A response-streaming handler: only Function URLs and REST APIs invoke one, and the client sees its
  // chunks as they are written (curl -N).
  async function streamed(handler: (...args: never[]) => unknown, event: unknown, context: unknown, res: ServerResponse): Promise<number> {
    if (options.source !== "url" && options.source !== "rest") throw new Error(`a streaming handler is invoked by a Function URL or a REST API: use --source url or --source rest (not ${options.source})`);
    try {
      return await relayStreaming(handler as never, event, context, res, options.source);
    } catch (err) {
      log(`handler threw: ${(err as Error)?.stack ?? String(err)}`);
      res.writeHead(502, { "content-type": "application/json" }).end('{"message":"Internal server error"}');
      return 502;
    }
  }

  const server = createServer({ maxHeaderSize: 64 * 1024 }, async (req, res) => {
    // Not an invocation: not logged as one.
    if (options.serve !== undefined && (await options.serve(req, res).catch((err: Error) => (log(`dev page error: ${err.stack}`), res.writeHead(500).end(), true)))) return;
    const started = performance.now();
    let status = 500;
    let cold = false;
    try {
      const body = await readBody(req, bodyLimit);
      const event = body && toEvent(options.source, { method: req.method ?? "GET", url: req.url ?? "/", rawHeaders: req.rawHeaders, body, remoteAddress: req.socket.remoteAddress ?? "127.0.0.1" }, { ...(options.stage === undefined ? {} : { stage: options.stage }), ...(options.binaryMediaTypes === undefined ? {} : { binaryMediaTypes: options.binaryMediaTypes }) });
      // The limit is the event's (a binary body grows by a third as base64), not the body's.
      if (event === undefined || Buffer.byteLength(JSON.stringify(event)) > limit) {
        status = 413;
        const detail = event === undefined && alb ? `An ALB sends a Lambda function at most ${bodyLimit} bytes of body.` : `Lambda accepts request payloads up to ${limit} bytes (the whole event, a binary body base64-encoded).`;
        res.writeHead(413, { "content-type": PROBLEM }).end(problem(413, "Content Too Large", detail));
        return;
      }
      const loaded = await options.getHandler();
      cold = loaded.cold;
      const deadline = Date.now() + timeoutMs;
      const context = {
        awsRequestId: randomUUID(),
        functionName: "ExamBuddyFunction",
        functionVersion: "$LATEST",
        memoryLimitInMB: "1024",
        invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:ExamBuddyFunction",
        logGroupName: "/aws/lambda/ExamBuddyFunction",
        callbackWaitsForEmptyEventLoop: true,
        getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      };
      if (isStreamingHandler(loaded.handler)) {
        status = await withTimeout(streamed(loaded.handler, event, context, res), timeoutMs).catch((err: unknown) => {
          if (!(err instanceof TimedOut)) throw err;
          log(err.message);
          // Lambda stops the function. A client that has the status already sees its transfer cut: ended, the
          // body would read as whole. Destroyed, the response takes no late write from the producer.
          if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" }).end('{"message":"Internal server error"}');
          else res.destroy();
          return 502;
        });
        return;
      }
      let reply: HttpReply;
      try {
        const result = await withTimeout(loaded.handler(event, context), timeoutMs);
        // Past its limit Lambda refuses the result: a function error (the source's 502).
        const size = Buffer.byteLength(JSON.stringify(result) ?? "");
        if (size > resultLimit) throw new Error(`the result is ${size} bytes of JSON, over ${alb ? "the ALB's" : "Lambda's"} ${resultLimit}-byte limit`);
        reply = edgeLimit === undefined ? fromResult(result, options.source) : fromEdgeResult(result, edgeLimit);
      } catch (err) {
        // Lambda reports a function error; API Gateway turns it into a bare 502. A timeout is Lambda's one
        // line, not a stack of our timer.
        log(err instanceof TimedOut ? err.message : `handler threw: ${(err as Error)?.stack ?? String(err)}`);
        reply = edgeLimit === undefined ? functionError() : fromEdgeResult(undefined, edgeLimit);
      }
      // The service's log says why it refused a result (API Gateway: "Malformed Lambda proxy response"); the client never does.
      if (reply.malformed !== undefined) log(`malformed Lambda proxy response: ${reply.malformed}`);
      status = reply.status;
      const head: Record<string, string | string[]> = {};
      for (const [name, value] of reply.headers) {
        const prev = head[name];
        head[name] = prev === undefined ? value : ([] as string[]).concat(prev, value);
      }
      // The length of the body as sent, as the services write it (never the result's own content-length).
      if (reply.status >= 200 && reply.status !== 204 && reply.status !== 304) head["content-length"] = String(reply.body.byteLength);
      res.writeHead(reply.status, head);
      res.end(req.method === "HEAD" ? undefined : reply.body);
    } catch (err) {
      // The client left before its request ended: nobody to answer, nothing of ours failed.
      if (req.destroyed && !req.complete) {
        status = CLIENT_LEFT;
        log(`client closed the connection before its request ended (${(err as Error)?.message ?? String(err)})`);
        return;
      }
      status = 500;
      log(`dev server error: ${(err as Error)?.stack ?? String(err)}`);
      if (!res.headersSent) res.writeHead(500, { "content-type": PROBLEM });
      res.end(problem(500, "Internal Server Error", "The dev server failed to invoke the handler; see its log."));
    } finally {
      // A mistyped token answers a bare 401 (as a real authorizer would): say why here, where only the developer reads it.
      const authorization = req.headers["authorization"];
      const hint = claimlessNotice(options.source) === undefined ? devTokenHint(authorization) : undefined;
      log(`${req.method} ${req.url} → ${status === CLIENT_LEFT ? "no answer (the client left)" : statusLine(status)} ${(performance.now() - started).toFixed(1)} ms ${cold ? "cold" : "warm"}${hint ? ` (${hint})` : ""}`);
    }
  });

  // Requests Node cannot even parse (headers over 64 KiB, broken syntax) get a problem, never a crash.
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    // A peer that reset or closed the connection mid-request (the socket ended before the message did)
    // waits for no answer: Node's documentation says to leave these.
    if (err.code === "ECONNRESET" || err.code === "HPE_INVALID_EOF_STATE" || !socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = err.code === "HPE_HEADER_OVERFLOW";
    const status = tooLarge ? 431 : 400;
    const body = problem(status, tooLarge ? "Request Header Fields Too Large" : "Bad Request", tooLarge ? "Request headers exceed 64 KiB." : "The request could not be parsed.");
    if (socket.writable) socket.end(`HTTP/1.1 ${status} ${tooLarge ? "Request Header Fields Too Large" : "Bad Request"}\r\ncontent-type: ${PROBLEM}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
    else socket.destroy();
    log(`rejected an unparsable request: ${status} (${err.code ?? err.message})`);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 3000, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
