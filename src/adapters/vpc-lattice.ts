import { eventMap } from "../lib/event-fields.ts";
import { buildQuery, parseQuery } from "../lib/query.ts";
import { Request, type LambdaContext, type RequestReader } from "../lib/request.ts";
import { statusText } from "../lib/status.ts";
import { cookieHeaderName } from "./cookie-header-name.ts";
import { routePath } from "./route-path.ts";
import { toResult, type BaseResult } from "./to-result.ts";
import type { Adapter, AdapterOptions } from "./types.ts";

/**
 * A Lattice v1 event (the target group's default event structure): snake_case, one string per name.
 * @example
 * const event: VpcLatticeEventV1 = { raw_path: "/health?verbose=1", method: "GET", headers: { accept: "application/json" } }
 * vpcLattice.match(event) // true
 */
export interface VpcLatticeEventV1 {
  raw_path: string;
  method: string;
  /** Repeated header values arrive comma-joined in one string. */
  headers?: Record<string, string | undefined> | null;
  query_string_parameters?: Record<string, string | undefined> | null;
  body?: string | null;
  is_base64_encoded?: boolean;
  [key: string]: unknown;
}

/**
 * A Lattice v2 event: camelCase, values are arrays (older samples send plain strings: both are read).
 * @example
 * const event: VpcLatticeEventV2 = { version: "2.0", path: "/health", method: "GET", requestContext: { serviceNetworkArn: "arn:aws:vpc-lattice:us-east-1:111122223333:servicenetwork/sn-1" } }
 * vpcLattice.match(event) // true
 */
export interface VpcLatticeEventV2 {
  version: "2.0";
  path: string;
  method: string;
  headers?: Record<string, string[] | string | undefined> | null;
  queryStringParameters?: Record<string, string[] | string | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
  requestContext: {
    serviceNetworkArn: string;
    serviceArn?: string;
    targetGroupArn?: string;
    /** Present when Lattice knows the caller: `sourceVpcArn`, `type` ("AWS_IAM"…), `principal`… */
    identity?: Record<string, unknown> | null;
    region?: string;
    /** Microseconds since the epoch, as a string. */
    timeEpoch?: string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/**
 * Either Lattice event structure.
 * @example export const handler: (event: VpcLatticeEvent) => Promise<VpcLatticeResult> = createHandler(app, { adapters: [vpcLattice] })
 */
export type VpcLatticeEvent = VpcLatticeEventV1 | VpcLatticeEventV2;

/**
 * The result Lattice expects (both versions): one string per header name.
 * @example
 * const handler = createHandler(router().get("/health", () => "ok"), { adapters: [vpcLattice] })
 * const result: VpcLatticeResult = await handler(createEvent("vpc-lattice", { path: "/health" }))
 * result.statusDescription // "200 OK"
 */
export interface VpcLatticeResult extends BaseResult {
  statusDescription: string;
}

// What the request reads lazily, the same for v1 and v2 (the body fields are spelt differently).
interface LatticeSource {
  body: unknown;
  isBase64Encoded: unknown;
  headers: Record<string, string[] | string | undefined | null> | null | undefined;
  query: Record<string, string[] | string | undefined | null> | null | undefined;
  /** The query that arrived in the path itself (`/a?x=1`), as the client encoded it. */
  pathQuery: string | undefined;
  /** v1 joins repeated headers with ", ": Cookie headers too (HTTP/2 clients send one per pair). */
  joined: boolean;
}

// Where v1 joined two Cookie headers: a comma before the next `name=` (a cookie value holds no comma, RFC 6265).
const JOINED_COOKIES = /,\s*(?=[^=;,\s]+=)/;

const isV2 = (event: any): event is VpcLatticeEventV2 => event?.version === "2.0" && typeof event.requestContext?.serviceNetworkArn === "string";

/**
 * Amazon VPC Lattice target groups of type LAMBDA, event structure v1 and v2
 * (https://docs.aws.amazon.com/vpc-lattice/latest/ug/lambda-functions.html, "Receive events from the VPC
 * Lattice service" for the request fields and "Respond to the VPC Lattice service" for the result).
 * v2 is told from HTTP API payload 2.0 by `requestContext.serviceNetworkArn` (HTTP API has
 * `requestContext.http` instead); v1 by `raw_path`. Not in `defaultAdapters`: add it.
 * - The path is read as encoded. Whether v2's `path` carries the query is not said by AWS (Hono's tests
 *   assume it does): a `?` in the path splits it, and that query, byte for byte, wins over
 *   `queryStringParameters` (decoded values, arrays in v2, strings in v1 and older v2 samples).
 * - v1 "combines the values into a single string" (", "-joined), Cookie headers too: a comma before the
 *   next `name=` in a v1 Cookie separates two of them.
 * - `sourceIp` is the LAST `x-forwarded-for` entry: Lattice sets the header to the source address
 *   (https://docs.aws.amazon.com/vpc-lattice/latest/ug/http-targets.html, "x-forwarded headers"); if it
 *   appends to one the client sent, anything before the last entry is client-controlled.
 * - `auth` is v2's `requestContext.identity` as Lattice gives it when it names the caller (IAM auth ran:
 *   `type` "AWS_IAM" and a `principal`); with auth type NONE (only `type` and `sourceVpcArn`) it is
 *   undefined, as on every other source without an authorizer; v1 carries none. No request id exists: `requestId` is Lambda's.
 * - The result's `headers` hold one string per name (AWS's example), so several Set-Cookie go under
 *   case variants of the name, as for an ALB in single-value mode; other repeated headers are joined.
 * @example export const handler = handle(app, { adapters: [...defaultAdapters, vpcLattice] })
 */
export const vpcLattice: Adapter<VpcLatticeEvent, VpcLatticeResult> = {
  name: "vpc-lattice",

  match: (event: any) => isV2(event) || (typeof event?.raw_path === "string" && typeof event.method === "string"),

  request(event: VpcLatticeEvent, context: LambdaContext | undefined, options: AdapterOptions) {
    const v2 = isV2(event);
    const target = v2 ? event.path : (event as VpcLatticeEventV1).raw_path;
    const q = typeof target === "string" ? target.indexOf("?") : -1;
    const src: LatticeSource = {
      body: event.body,
      isBase64Encoded: v2 ? event.isBase64Encoded : (event as VpcLatticeEventV1).is_base64_encoded,
      headers: event.headers,
      query: v2 ? event.queryStringParameters : (event as VpcLatticeEventV1).query_string_parameters,
      pathQuery: q < 0 ? undefined : target.slice(q + 1),
      joined: !v2,
    };
    const path = routePath(q < 0 ? target : target.slice(0, q), false, undefined, options);
    return new Request(reader, src, event.method, path, undefined, undefined, v2 ? latticeAuth(event.requestContext.identity) : undefined, event, context);
  },

  result(response, request, options) {
    const [base, cookies] = toResult(response, request, options);
    const result = base as VpcLatticeResult;
    result.statusDescription = `${base.statusCode} ${statusText(base.statusCode)}`;
    for (let i = 0; i < cookies.length; i++) base.headers[cookieHeaderName(i)] = cookies[i]!;
    return result;
  },
};

/**
 * The caller identity Lattice vouches for, or `undefined` when it vouched for no caller: an identity of only
 * `type` ("NONE" when the service's auth type is NONE) and `sourceVpcArn` (where the request came from, not
 * who sent it) is no identity, as `auth` promises a verified caller (`if (!req.auth)` refuses the anonymous).
 * @example latticeAuth({ type: "AWS_IAM", principal: "arn:aws:iam::1:role/r" }) // the same object
 */
function latticeAuth(identity: Record<string, unknown> | null | undefined): Record<string, unknown> | undefined {
  for (const key in identity) if (key !== "type" && key !== "sourceVpcArn" && identity[key] != null && identity[key] !== "") return identity;
  return undefined;
}

// A value as v2 (array), v1 or an older v2 sample (string) sends it; null means absent. Anything else is
// handed on as one value, which the request refuses as a 400 naming it.
const each = (value: unknown): unknown[] => (Array.isArray(value) ? value : value == null ? [] : [value]);

const reader: RequestReader<LatticeSource> = {
  name: vpcLattice.name,
  rawQuery: (src, req) => src.pathQuery ?? buildQuery(req.queryAll),
  query(src, put) {
    if (src.pathQuery !== undefined) return parseQuery(src.pathQuery, put);
    const query = eventMap(src.query, "query parameters");
    for (const key in query) for (const value of each(query[key])) put(key, value);
  },
  headers(src, put) {
    const headers = eventMap(src.headers, "headers");
    for (const name in headers) {
      const values = each(headers[name]);
      const joined = src.joined && typeof values[0] === "string" && name.toLowerCase() === "cookie";
      for (const value of joined ? (values[0] as string).split(JOINED_COOKIES) : values) put(name, value);
    }
  },
  sourceIp(_src, req) {
    const forwarded = req.headers["x-forwarded-for"] ?? "";
    return forwarded.slice(forwarded.lastIndexOf(",") + 1).trim();
  },
};
