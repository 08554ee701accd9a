import { dict } from "../lib/dict.ts";
import { canonicalEncodedPath } from "../lib/path.ts";
import { decodeComponent } from "../lib/query.ts";
import { collectHeaders, createRequest, joinedHeaders, type HttpRequest, type LambdaContext, type RequestLoader } from "../lib/request.ts";
import type { HttpResponse } from "../lib/response.ts";
import { statusText } from "../lib/status.ts";
import { applyBasePath } from "./paths.ts";
import { serializeResponse, singleValueHeaders } from "./result.ts";
import type { Adapter, AdapterOptions } from "./types.ts";

/** The fields of an Application Load Balancer event that we read (either header mode). */
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

/** The result an ALB expects: `headers` or `multiValueHeaders`, matching the target group's mode. */
export interface AlbResult {
  statusCode: number;
  statusDescription: string;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  body: string;
  isBase64Encoded: boolean;
}

// The ALB does not decode the query ("If the query parameters are URL-encoded, the load balancer does not
// decode them"): names and values arrive as the client sent them, `+` meaning space.
function albQuery(event: AlbEvent): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const multi = event.multiValueQueryStringParameters;
  if (multi) {
    for (const key in multi) for (const value of multi[key] ?? []) pairs.push([key, value]);
  } else {
    const single = event.queryStringParameters;
    if (single) for (const key in single) if (single[key] != null) pairs.push([key, single[key]!]);
  }
  return pairs;
}

const load: RequestLoader = {
  rawQuery: (event: AlbEvent) => albQuery(event).map(([k, v]) => (v === "" ? k : k + "=" + v)).join("&"),
  queryAll(event: AlbEvent, first?: Record<string, string>) {
    const out: Record<string, string[]> = dict();
    for (const [k, v] of albQuery(event)) {
      const key = decodeComponent(k);
      const value = decodeComponent(v);
      const list = out[key];
      if (list !== undefined) list.push(value);
      else {
        out[key] = [value];
        if (first) first[key] = value;
      }
    }
    return out;
  },
  headersAll: (event: AlbEvent) => collectHeaders(event.multiValueHeaders, event.headers),
  headers: (event: AlbEvent) => joinedHeaders(event.multiValueHeaders, event.headers),
  // The ALB appends the peer it saw: the last entry is the one we can trust, the first is client-controlled.
  sourceIp(_event: AlbEvent, req: HttpRequest) {
    const xff = req.headersAll["x-forwarded-for"];
    if (xff === undefined || xff.length === 0) return "";
    const last = xff[xff.length - 1]!;
    return last.slice(last.lastIndexOf(",") + 1).trim();
  },
};

/**
 * Case variants of `set-cookie`, one per cookie: the only way to send several in single-value mode
 * (the `headers` map holds one value per key, and a comma join corrupts `Expires=`).
 * @example cookieHeaderName(1) // "Set-cookie"
 */
export function cookieHeaderName(index: number): string {
  const base = "set-cookie";
  let out = "";
  let bit = 0;
  for (const ch of base) {
    if (ch === "-") out += ch;
    else out += (index >> bit++) & 1 ? ch.toUpperCase() : ch;
  }
  return out;
}

/**
 * Application Load Balancer targets, in single-value or multi-value header mode (answered in the same mode).
 * @example export const handler = createHandler(app, { adapters: [alb] })
 */
export const alb: Adapter<AlbEvent, AlbResult> = {
  name: "alb",

  match(event: any): boolean {
    const elb = event?.requestContext?.elb;
    return typeof elb === "object" && elb !== null;
  },

  request(event: AlbEvent, context: LambdaContext | undefined, options: AdapterOptions): HttpRequest {
    return createRequest({
      method: event.httpMethod.toUpperCase(),
      path: applyBasePath(canonicalEncodedPath(event.path || "/"), options),
      source: "alb",
      // An ALB event has no request id of its own.
      requestId: context?.awsRequestId ?? "",
      event,
      context,
      body: event.body,
      isBase64Encoded: event.isBase64Encoded === true,
      load,
    });
  },

  result(response: HttpResponse, request: HttpRequest, options: AdapterOptions): AlbResult {
    const s = serializeResponse(response, request, options);
    const out: AlbResult = {
      statusCode: s.statusCode,
      statusDescription: `${s.statusCode} ${statusText(s.statusCode)}`,
      body: s.body,
      isBase64Encoded: s.isBase64Encoded,
    };
    if ((request.event as AlbEvent | undefined)?.multiValueHeaders !== undefined) {
      const multi: Record<string, string[]> = {};
      for (const name in s.headers) {
        const value = s.headers[name]!;
        multi[name] = typeof value === "string" ? [value] : value;
      }
      if (s.cookies.length > 0) multi["set-cookie"] = s.cookies;
      out.multiValueHeaders = multi;
    } else {
      const headers = singleValueHeaders(s.headers, s.multi);
      for (let i = 0; i < s.cookies.length && i < 512; i++) headers[cookieHeaderName(i)] = s.cookies[i]!;
      out.headers = headers;
    }
    return out;
  },
};
