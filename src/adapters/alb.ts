import { malformed } from "../lib/event-fields.ts";
import { decodeComponent } from "../lib/query.ts";
import { Request, type LambdaContext, type RequestReader } from "../lib/request.ts";
import { statusText } from "../lib/status.ts";
import { cookieHeaderName } from "./cookie-header-name.ts";
import { multiValueHeaders, multiValueMaps } from "./multi-value.ts";
import { routePath } from "./route-path.ts";
import { checkSize, toResult, type BaseResult } from "./to-result.ts";
import type { Adapter, AdapterOptions } from "./types.ts";

export { cookieHeaderName };

/**
 * The fields of an Application Load Balancer event that we read (either header mode).
 * @example
 * const event: AlbEvent = { httpMethod: "GET", path: "/health", requestContext: { elb: {} } }
 * alb.match(event) // true
 */
export interface AlbEvent {
  httpMethod: string;
  path: string;
  headers?: Record<string, string | undefined>;
  multiValueHeaders?: Record<string, string[] | undefined>;
  queryStringParameters?: Record<string, string | undefined>;
  multiValueQueryStringParameters?: Record<string, string[] | undefined>;
  body?: string | null;
  isBase64Encoded?: boolean;
  requestContext: { elb: { targetGroupArn?: string } };
  [key: string]: unknown;
}

/**
 * The result an ALB expects: `headers` or `multiValueHeaders`, matching the target group's mode.
 * @example
 * const handler = createHandler(router().get("/health", () => "ok"), { adapters: [alb] })
 * const result: AlbResult = await handler(createEvent("alb", { path: "/health" }))
 * result.statusDescription // "200 OK"
 */
export interface AlbResult extends Omit<BaseResult, "headers"> {
  statusDescription: string;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
}

/**
 * Application Load Balancer targets
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html), in
 * single-value or multi-value header mode, answered in the same mode. The ALB does not decode the query
 * ("If the query parameters are URL-encoded, the load balancer does not decode them"): we do, `+` as a
 * space. It has no request id of its own: `requestId` is Lambda's.
 * @example export const handler = createHandler(app, { adapters: [alb] })
 */
export const alb: Adapter<AlbEvent, AlbResult> = {
  name: "alb",

  match: (event: any) => !!event?.requestContext?.elb,

  request: (event: AlbEvent, context: LambdaContext | undefined, options: AdapterOptions) =>
    new Request(reader, event, event.httpMethod, routePath(event.path, false, undefined, options), undefined, undefined, undefined, event, context),

  result(response, request, options) {
    // "The maximum size of the response JSON that the Lambda function can send is 1 MB."
    // Measured once, as sent (below): statusDescription, the lists and the cookie name variants count too.
    const [base, cookies, repeated] = toResult(response, request, options, Infinity);
    const result = base as AlbResult;
    const headers = base.headers;
    // Built once per status: a template per response cost ALB about 30 ns (bench: peers).
    result.statusDescription = DESCRIPTIONS[base.statusCode] ??= base.statusCode + " " + statusText(base.statusCode);
    if ((request.event as AlbEvent).multiValueHeaders) {
      const all: Record<string, string[]> = {};
      for (const name in headers) all[name] = repeated && Object.hasOwn(repeated, name) ? repeated[name]! : [headers[name]!];
      if (cookies.length > 0) all["set-cookie"] = cookies;
      delete result.headers;
      result.multiValueHeaders = all;
    } else for (let i = 0; i < cookies.length; i++) headers[cookieHeaderName(i)] = cookies[i]!;
    checkSize(result, result.body, ALB_LIMIT);
    return result;
  },
};

const ALB_LIMIT = 1024 * 1024;
// "200 OK" by status (toResult allows only 100–599).
const DESCRIPTIONS: Record<number, string> = {};

const reader: RequestReader<AlbEvent> = {
  name: alb.name,
  // Names and values as the client sent them, joined back into the query string they came from.
  rawQuery(event: AlbEvent) {
    const pairs: string[] = [];
    albPairs(event, (key, value) => pairs.push(value === "" ? key : key + "=" + value));
    return pairs.join("&");
  },
  // The pairs decoded straight from the event: no query string built only to be split again (bench: invoke).
  query: (event, put) => albPairs(event, put, true),
  headers: multiValueHeaders,
  // The ALB appends the peer it saw: the last entry is the one we can trust, the first is client-controlled.
  sourceIp(_event, req) {
    const forwarded = req.headers["x-forwarded-for"] ?? "";
    return forwarded.slice(forwarded.lastIndexOf(",") + 1).trim();
  },
};

// Names and values as the client sent them (the ALB does not decode them); a value that is not a string
// is a 400 naming it.
function albPairs(event: AlbEvent, each: (key: string, value: string) => void, decode?: boolean): void {
  multiValueMaps(event.multiValueQueryStringParameters, event.queryStringParameters, "multiValueQueryStringParameters", "queryStringParameters", (key, value) => {
    if (typeof value !== "string") throw malformed(`query ${key}`, "a string", value);
    decode ? each(decodeComponent(key), decodeComponent(value)) : each(key, value);
  });
}
