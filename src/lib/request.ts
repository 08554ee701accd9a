import { dict } from "./dict.ts";
import { fromBase64, utf8Bytes, utf8Text } from "./base64.ts";
import { parseCookies } from "./cookies.ts";
import { HttpError } from "./error.ts";
import { buildQuery, firstValues, parseQuery } from "./query.ts";

/** The parts of the Lambda context we read; the runtime passes more. */
export interface LambdaContext {
  awsRequestId: string;
  functionName?: string;
  functionVersion?: string;
  getRemainingTimeInMillis?(): number;
  [key: string]: unknown;
}

/**
 * One request model for every event source: a plain object whose maps are parsed on first read.
 * Maps keyed by request text are null-prototype, so `?__proto__=1` is just a key.
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
  /** The adapter that built the request: `"apigw-v1" | "http-api-v2" | "function-url" | "alb"`. */
  source: string;
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
 * What an adapter knows about a request. Values may be given directly, or computed on first read from the
 * event by a shared `load` object (no closure allocated per request).
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
  load?: RequestLoader | undefined;
}

/** Lazy readers an adapter shares across requests; each gets the raw event. */
export interface RequestLoader {
  rawQuery?(event: any): string;
  /** Every decoded query value; when `first` is given, it receives each key's first value in the same pass. */
  queryAll?(event: any, first?: Record<string, string>): Record<string, string[]>;
  headersAll?(event: any): Record<string, string[]>;
  /** Joined headers straight from the event, when that is cheaper than joining `headersAll`. */
  headers?(event: any): Record<string, string>;
  sourceIp?(event: any, req: HttpRequest): string;
}

const IN: unique symbol = Symbol("lambdalith.request");
const UNPARSED = Symbol("unparsed");

// Per-request caches live beside (never inside) the caller's fields, which may be shared.
interface Internal {
  f: RequestFields;
  rq: string | undefined;
  qa: Record<string, string[]> | undefined;
  q: Record<string, string> | undefined;
  ha: Record<string, string[]> | undefined;
  h: Record<string, string> | undefined;
  c: Record<string, string> | undefined;
  ip: string | undefined;
  s: Record<string, unknown> | undefined;
  b: Uint8Array | undefined;
  j: unknown;
}

type Req = HttpRequest & { [IN]: Internal };

// Getters live on one shared prototype: building a request allocates two small objects, and nothing is
// parsed until a handler reads it (bench: invoke).
const PROTO: ThisType<Req> & Record<string, unknown> = {
  get rawQuery(): string {
    const i = this[IN];
    if (i.rq === undefined) {
      const f = i.f;
      i.rq = f.rawQuery ?? (f.load?.rawQuery ? f.load.rawQuery(f.event) : f.queryAll || f.load?.queryAll ? buildQuery(this.queryAll) : "");
    }
    return i.rq;
  },
  get queryAll(): Record<string, string[]> {
    const i = this[IN];
    if (i.qa === undefined) {
      const f = i.f;
      i.qa = f.queryAll ?? (f.load?.queryAll ? f.load.queryAll(f.event) : parseQuery(this.rawQuery));
    }
    return i.qa;
  },
  get query(): Record<string, string> {
    const i = this[IN];
    if (i.q !== undefined) return i.q;
    const f = i.f;
    if (i.qa === undefined && f.queryAll === undefined) {
      // One pass fills both maps (bench: invoke).
      const first: Record<string, string> = dict();
      i.qa = f.load?.queryAll ? f.load.queryAll(f.event, first) : parseQuery(this.rawQuery, first);
      return (i.q = first);
    }
    return (i.q = firstValues(this.queryAll));
  },
  get headersAll(): Record<string, string[]> {
    const i = this[IN];
    if (i.ha === undefined) {
      const f = i.f;
      i.ha = f.headersAll ?? (f.load?.headersAll ? f.load.headersAll(f.event) : dict());
    }
    return i.ha!;
  },
  get headers(): Record<string, string> {
    const i = this[IN];
    if (i.h === undefined) {
      const f = i.f;
      i.h = f.headersAll === undefined && i.ha === undefined && f.load?.headers ? f.load.headers(f.event) : joinHeaders(this.headersAll);
    }
    return i.h;
  },
  get cookies(): Record<string, string> {
    const i = this[IN];
    return (i.c ??= parseCookies(this.headers["cookie"]));
  },
  get sourceIp(): string {
    const i = this[IN];
    if (i.ip === undefined) {
      const f = i.f;
      i.ip = f.sourceIp ?? (f.load?.sourceIp ? f.load.sourceIp(f.event, this) : "");
    }
    return i.ip;
  },
  get state(): Record<string, unknown> {
    return (this[IN].s ??= {});
  },
  bytes(): Uint8Array {
    const i = this[IN];
    if (i.b === undefined) {
      const body = i.f.body;
      i.b = body === undefined || body === null || body === "" ? new Uint8Array(0) : typeof body !== "string" ? body : i.f.isBase64Encoded ? fromBase64(body) : utf8Bytes(body);
    }
    return i.b;
  },
  text(): string {
    const i = this[IN];
    const body = i.f.body;
    if (typeof body === "string" && !i.f.isBase64Encoded) return body;
    return body === undefined || body === null ? "" : utf8Text(this.bytes());
  },
  json(): unknown {
    const i = this[IN];
    if (i.j !== UNPARSED) return i.j;
    const text = this.text();
    if (text.trim() === "") throw new HttpError(400, "The request body is empty; a JSON document was expected.");
    try {
      i.j = JSON.parse(text);
    } catch (err) {
      throw new HttpError(400, `The request body is not valid JSON: ${(err as Error).message}`);
    }
    return i.j;
  },
  toJSON(): Record<string, unknown> {
    return { method: this.method, path: this.path, rawQuery: this.rawQuery, source: this.source, requestId: this.requestId };
  },
};

/**
 * Builds an {@link HttpRequest}; custom adapters call it with what their event carries.
 * @example createRequest({ method: "GET", path: "/health", source: "test", requestId: "r-1", rawQuery: "a=1" })
 */
export function createRequest(fields: RequestFields): HttpRequest {
  const req = Object.create(PROTO) as Req;
  req.method = fields.method;
  req.path = fields.path;
  req.params = {};
  req.route = undefined;
  req.source = fields.source;
  req.requestId = fields.requestId;
  req.stage = fields.stage;
  req.auth = fields.auth;
  req.event = fields.event;
  req.context = fields.context;
  req[IN] = { f: fields, rq: undefined, qa: undefined, q: undefined, ha: undefined, h: undefined, c: undefined, ip: undefined, s: undefined, b: undefined, j: UNPARSED };
  return req;
}

/**
 * Joins every header's values: `, ` in general, `; ` for `cookie` (RFC 9113 §8.2.3).
 * @example joinHeaders({ accept: ["a", "b"] }) // { accept: "a, b" }
 */
export function joinHeaders(all: Record<string, string[]>): Record<string, string> {
  const out: Record<string, string> = dict();
  for (const name in all) {
    const values = all[name]!;
    out[name] = values.length === 1 ? values[0]! : values.join(name === "cookie" ? "; " : ", ");
  }
  return out;
}

/**
 * Lower-cases header names and keeps every value, from a multi-value map and/or a single-value map
 * (a name present in the multi-value map is taken from there only). Null maps are empty.
 * @example collectHeaders({ "X-A": ["1", "2"] }, { "X-A": "2", Host: "h" }) // { "x-a": ["1", "2"], host: ["h"] }
 */
export function collectHeaders(
  multi: Record<string, string[] | undefined> | null | undefined,
  single: Record<string, string | undefined> | null | undefined,
): Record<string, string[]> {
  const out: Record<string, string[]> = dict();
  if (multi) {
    for (const name in multi) {
      const values = multi[name];
      if (values === undefined || values === null || values.length === 0) continue;
      const lower = name.toLowerCase();
      const list = out[lower];
      if (list === undefined) out[lower] = values.slice();
      else list.push(...values);
    }
  }
  if (single) {
    for (const name in single) {
      const value = single[name];
      if (value === undefined || value === null) continue;
      const lower = name.toLowerCase();
      if (multi && lower in out) continue;
      const list = out[lower];
      if (list === undefined) out[lower] = [value];
      else list.push(value);
    }
  }
  return out;
}

/**
 * The joined form of {@link collectHeaders} in one pass, for handlers that read `headers` only.
 * @example joinedHeaders({ Accept: ["a", "b"] }, null) // { accept: "a, b" }
 */
export function joinedHeaders(
  multi: Record<string, string[] | undefined> | null | undefined,
  single: Record<string, string | undefined> | null | undefined,
): Record<string, string> {
  const out: Record<string, string> = dict();
  if (multi) {
    for (const name in multi) {
      const values = multi[name];
      if (values === undefined || values === null || values.length === 0) continue;
      const lower = name.toLowerCase();
      const sep = lower === "cookie" ? "; " : ", ";
      const joined = values.length === 1 ? values[0]! : values.join(sep);
      const prev = out[lower];
      out[lower] = prev === undefined ? joined : prev + sep + joined;
    }
  }
  if (single) {
    for (const name in single) {
      const value = single[name];
      // API Gateway sends both maps with the same names: skip those without lower-casing (bench: invoke).
      if (value === undefined || value === null || (multi && multi[name] !== undefined)) continue;
      const lower = name.toLowerCase();
      const prev = out[lower];
      if (prev === undefined) out[lower] = value;
      else if (!multi) out[lower] = prev + (lower === "cookie" ? "; " : ", ") + value;
    }
  }
  return out;
}
