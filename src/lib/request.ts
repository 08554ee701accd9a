import { parseCookies } from "./cookies.ts";
import { HttpError } from "./error.ts";
import { dict } from "./dict.ts";
import { malformed } from "./event-fields.ts";
import { parseQuery, type Put } from "./query.ts";

/**
 * The Lambda context object (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html); only
 * `awsRequestId` is required, so a test passes `{ awsRequestId: "r-1" }`. No index signature: the
 * runtime's context, and `Context` of the community types (an interface), must be assignable to it; and
 * `| undefined` on each optional field, because theirs say so (`tenantId?: string | undefined`), which
 * `exactOptionalPropertyTypes` would otherwise refuse.
 * @example const left = req.context?.getRemainingTimeInMillis?.() ?? Infinity
 */
export interface LambdaContext {
  awsRequestId: string;
  functionName?: string | undefined;
  functionVersion?: string | undefined;
  invokedFunctionArn?: string | undefined;
  memoryLimitInMB?: string | undefined;
  logGroupName?: string | undefined;
  logStreamName?: string | undefined;
  tenantId?: string | undefined;
  callbackWaitsForEmptyEventLoop?: boolean | undefined;
  identity?: unknown;
  clientContext?: unknown;
  getRemainingTimeInMillis?(): number;
}

/**
 * The names of the built-in adapters; a custom adapter may use its own.
 * @example const atTheEdge = req.source === "lambda-edge"
 */
export type SourceName = "apigw-v1" | "http-api-v2" | "function-url" | "alb" | "vpc-lattice" | "lambda-edge" | (string & {});

/**
 * One request model for every event source: a plain object whose views are parsed on first read. Maps
 * keyed by request text inherit nothing, so `?__proto__=1` is just a key.
 * @example const clientOf = (req: HttpRequest) => ({ ip: req.sourceIp, agent: req.headers["user-agent"], via: req.source })
 */
export interface HttpRequest<P extends Record<string, string> = Record<string, string>> {
  /** Upper case: `"GET"`. */
  method: string;
  /** Canonical percent-encoded path, the one the router matches: `"/files/a%20b"`. */
  path: string;
  /** The query without `?`, percent-encoded: `"q=a%20b&tag=x"`. */
  readonly rawQuery: string;
  /** First decoded value per key; `?flag` gives `""`. */
  readonly query: Record<string, string>;
  /** Every decoded value per key, in order. */
  readonly queryAll: Record<string, string[]>;
  /** Lower-case names; repeated values joined with `, ` (`cookie` with `; `). */
  readonly headers: Record<string, string>;
  /** Every value per lower-case name, as delivered. */
  readonly headersAll: Record<string, string[]>;
  /** Request cookies; the first of duplicate names wins. */
  readonly cookies: Record<string, string>;
  /** The body as bytes (base64-decoded when the event says so). */
  bytes(): Uint8Array;
  /** The body as UTF-8 text. */
  text(): string;
  /** The body parsed as JSON (memoized); malformed or empty JSON throws `HttpError` 400. */
  json(): unknown;
  /** Path parameters, decoded once by the router. */
  params: P;
  /** The matched route pattern (`"/exams/:examId"`), set by the router. */
  route: string | undefined;
  /** A per-request bag for middleware. */
  readonly state: Record<string, unknown>;
  /** The adapter that built the request. */
  source: SourceName;
  /** The client address the source vouches for. */
  readonly sourceIp: string;
  /** API Gateway's request id, else the Lambda `awsRequestId`. */
  requestId: string;
  /** The API Gateway stage, where the event has one. */
  stage: string | undefined;
  /** Verified authorizer claims or context, where the event has them. */
  auth: Record<string, unknown> | undefined;
  /** The raw event. */
  event: unknown;
  /** The Lambda context (may be undefined in tests). */
  context: LambdaContext | undefined;
}

/**
 * How a request's lazy views are read from what an adapter handed over (its event, usually). Each view
 * is built on its first read by handing every value to a small `put` (so a handler that reads `headers`
 * builds no `headersAll`, and one that reads no cookies parses none).
 */
export interface RequestReader<S = any> {
  name: string;
  /** The encoded query string. */
  rawQuery(src: S, req: HttpRequest): string;
  /** Every decoded query value; without it, `rawQuery` is parsed. */
  query?(src: S, put: Put, req: HttpRequest): void;
  /** Every header value as delivered, names in any case. */
  headers(src: S, put: Put): void;
  sourceIp(src: S, req: HttpRequest): string;
}

/** What a request's body is read from: `body` as delivered, base64 when `isBase64Encoded` is true. */
export interface BodySource {
  body?: unknown;
  isBase64Encoded?: unknown;
}

const UNPARSED = Symbol();
// One flat character class: an expression of repeated groups overflows V8's stack on a body of a few MB
// (a 4 MB upload is 5.3 MB of base64, under Lambda's 6 MB).
const BASE64_CHARS = /^[A-Za-z\d+/]*={0,2}$/;

/**
 * True for base64 as AWS sends it, padding optional: whole quartets, then 2 or 3 characters (with `==`
 * or `=` when padded), nothing after the padding.
 * @example isBase64("QUI=") // true
 */
export function isBase64(text: string): boolean {
  if (!BASE64_CHARS.test(text)) return false;
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const rest = (text.length - padding) % 4;
  return padding === 0 ? rest !== 1 : rest + padding === 4;
}
type Map<V> = Record<string, V>;
type Into<V> = (map: Map<V>, name: string, value: string) => void;

// How each view keeps the values it is handed.
const first: Into<string> = (map, name, value) => void (map[name] ??= value);
const every: Into<string[]> = (map, name, value) => void (map[name] ??= []).push(value);
// Repeated header values are joined with ", ", cookie with "; " (RFC 9113 §8.2.3).
const joined: Into<string> = (map, name, value) => void (map[name] = map[name] === undefined ? value : map[name] + (name === "cookie" ? "; " : ", ") + value);
const readQuery = (_src: unknown, put: Put, req: HttpRequest): void => parseQuery(req.rawQuery, put);

/**
 * The request model. Views live in private fields, filled on first read (bench: invoke); an adapter
 * builds one with what it reads eagerly (method, path, ids) and a reader for the rest.
 */
export class Request<S extends BodySource = any> implements HttpRequest {
  params: Record<string, string> = {};
  route: string | undefined;
  declare method: string;
  declare path: string;
  declare source: string;
  declare requestId: string;
  declare stage: string | undefined;
  declare auth: Record<string, unknown> | undefined;
  declare event: unknown;
  declare context: LambdaContext | undefined;
  #reader: RequestReader<S>;
  #src: S;
  #rawQuery: string | undefined;
  #query: Map<string> | undefined;
  #queryAll: Map<string[]> | undefined;
  #headers: Map<string> | undefined;
  #headersAll: Map<string[]> | undefined;
  #cookies: Map<string> | undefined;
  #sourceIp: string | undefined;
  #state: Map<unknown> | undefined;
  #bytes: Uint8Array | undefined;
  #text: string | undefined;
  #json: unknown = UNPARSED;

  constructor(reader: RequestReader<S>, src: S, method: unknown, path: string, requestId: unknown, stage: string | undefined, auth: Map<unknown> | undefined, event: unknown, context: LambdaContext | undefined) {
    if (typeof method !== "string") throw new TypeError(`${reader.name} event: the method is ${typeof method}, not a string`);
    this.#reader = reader;
    this.#src = src;
    // Every AWS source sends the method upper-cased: the common two skip the copy (bench: peers).
    this.method = method === "GET" || method === "POST" ? method : method.toUpperCase();
    this.path = path;
    this.source = reader.name;
    // Echoed in every response's x-request-id: a malformed event's number or object is not.
    this.requestId = typeof requestId === "string" ? requestId : (context?.awsRequestId ?? "");
    // A malformed event's stage or authorizer of another type is none: handlers rely on the declared types.
    this.stage = typeof stage === "string" ? stage : undefined;
    this.auth = typeof auth === "object" && auth ? auth : undefined;
    this.event = event;
    this.context = context;
  }

  get rawQuery(): string {
    return (this.#rawQuery ??= this.#reader.rawQuery(this.#src, this));
  }
  get query(): Map<string> {
    return (this.#query ??= this.#collect(this.#reader.query ?? readQuery, first));
  }
  get queryAll(): Map<string[]> {
    return (this.#queryAll ??= this.#collect(this.#reader.query ?? readQuery, every));
  }
  get headers(): Map<string> {
    return (this.#headers ??= this.#collect(this.#reader.headers, joined, true));
  }
  get headersAll(): Map<string[]> {
    return (this.#headersAll ??= this.#collect(this.#reader.headers, every, true));
  }
  #collect<V>(read: (src: S, put: Put, req: HttpRequest) => void, into: Into<V>, headers?: boolean): Map<V> {
    const map: Map<V> = dict();
    read(
      this.#src,
      (name, value) => {
        if (typeof value !== "string") throw malformed(`${headers ? "header" : "query"} ${name}`, "a string", value);
        into(map, headers ? name.toLowerCase() : name, value);
      },
      this,
    );
    return map;
  }
  get cookies(): Map<string> {
    return (this.#cookies ??= parseCookies(this.headers["cookie"]));
  }
  get sourceIp(): string {
    const ip: unknown = (this.#sourceIp ??= this.#reader.sourceIp(this.#src, this));
    return typeof ip === "string" ? ip : "";
  }
  get state(): Map<unknown> {
    return (this.#state ??= {});
  }
  bytes(): Uint8Array {
    if (this.#bytes === undefined) {
      const { body, isBase64Encoded } = this.#src;
      if (body != null && typeof body !== "string" && !(body instanceof Uint8Array)) throw malformed("body", "a string", body);
      // A body flagged base64 but absent is empty, not "undefined" decoded.
      if (isBase64Encoded === true && typeof body === "string" && !isBase64(body)) throw malformed("body", "valid base64");
      this.#bytes = typeof body === "string" ? Buffer.from(body, isBase64Encoded === true ? "base64" : "utf8") : (body ?? new Uint8Array(0));
    }
    return this.#bytes;
  }
  text(): string {
    if (this.#text === undefined) {
      const { body, isBase64Encoded } = this.#src;
      const text = typeof body === "string" && !isBase64Encoded ? body : Buffer.from(this.bytes()).toString();
      // A byte order mark is not text (the Fetch standard's text() and json() drop it; RFC 8259 §8.1).
      this.#text = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    }
    return this.#text;
  }
  /**
   * The body's size in bytes, from its delivered form (base64 is not decoded): for a size limit checked
   * before any work.
   * @example Request.bodyLength(req) > 1_000_000
   */
  static bodyLength(req: Request): number {
    const { body, isBase64Encoded } = req.#src;
    return typeof body === "string" ? Buffer.byteLength(body, isBase64Encoded === true ? "base64" : "utf8") : ((body as Uint8Array | undefined)?.length ?? 0);
  }
  json(): unknown {
    if (this.#json === UNPARSED) {
      const text = this.text();
      if (text.trim() === "") throw new HttpError(400, "The request body is empty; JSON was expected.");
      try {
        this.#json = JSON.parse(text);
      } catch {
        // V8's message quotes the body: never echo request text back.
        throw new HttpError(400, "The request body is not valid JSON.");
      }
    }
    return this.#json;
  }
}

/**
 * What a custom adapter knows about a request; see {@link createRequest}.
 * @example { method: "GET", path: "/health", source: "cron", requestId: "r-1", headersAll: { accept: ["application/json"] } }
 */
export interface RequestFields {
  method: string;
  path: string;
  source: string;
  requestId: string;
  stage?: string | undefined;
  auth?: Record<string, unknown> | undefined;
  event?: unknown;
  context?: LambdaContext | undefined;
  /** Encoded query; parsed on first read of `query`/`queryAll`. */
  rawQuery?: string | undefined;
  /** Decoded query values (e.g. API Gateway REST); `rawQuery` is rebuilt from them. */
  queryAll?: Record<string, string[]> | undefined;
  headersAll?: Record<string, string[]> | undefined;
  body?: string | Uint8Array | null | undefined;
  isBase64Encoded?: boolean | undefined;
  sourceIp?: string | undefined;
}
