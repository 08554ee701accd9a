// The events of the opt-in sources (VPC Lattice, Lambda@Edge) for createEvent: the inverse of
// vpc-lattice.ts and lambda-edge.ts, kept apart so that events.ts stays one idea per source family.
import { parseQuery } from "../lib/query.ts";

/** A request already split by createEvent: path and query as on the wire, headers lower-cased. */
export interface WireRequest {
  method: string;
  path: string;
  rawQuery: string;
  headers: Array<[string, string]>;
  cookies: string[];
  /** The body as bytes, or `undefined` when there is none. */
  body: Uint8Array | undefined;
  /** Whether the body was given as bytes (it travels base64 then). */
  bodyIsBytes: boolean;
  auth: Record<string, unknown> | undefined;
  requestId: string;
  sourceIp: string;
  time: number;
}

const ACCOUNT = "123456789012";

// Keyed by request text: a `constructor` header or a `__proto__` query key is a key like any other (in a plain
// object one finds Object's, the other cannot be assigned). createEvent's JSON round trip makes them plain.
function emptyMap<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}
const REGION = "us-east-1";

// Lattice sets x-forwarded-for to the source address; a value the client sent is kept in front of it.
function forwarded(req: WireRequest): Array<[string, string]> {
  const sent = req.headers.filter(([name]) => name === "x-forwarded-for").map(([, value]) => value);
  const rest = req.headers.filter(([name]) => name !== "x-forwarded-for");
  // One Cookie header, pairs joined with "; ", as a client sends it (AWS's v2 example has one value).
  const cookie: Array<[string, string]> = req.cookies.length > 0 ? [["cookie", req.cookies.join("; ")]] : [];
  return [...rest, ...cookie, ["x-forwarded-for", [...sent, req.sourceIp].join(", ")]];
}

/**
 * A VPC Lattice event, v1 (snake_case, one comma-joined string per header, the last value per query key)
 * or v2 (arrays); the query travels in `queryStringParameters` (decoded), the path without it.
 * @example latticeEvent(true, wire)
 */
export function latticeEvent(v2: boolean, req: WireRequest): Record<string, unknown> {
  const headers = emptyMap<string[]>();
  for (const [name, value] of forwarded(req)) (headers[name] ??= []).push(value);
  const query = emptyMap<string[]>();
  parseQuery(req.rawQuery, (key, value) => (query[key] ??= []).push(value as string));
  const body = req.body === undefined ? undefined : Buffer.from(req.body).toString(req.bodyIsBytes ? "base64" : "utf8");
  if (!v2) {
    const single = emptyMap<string>();
    // "With a V1 event structure, VPC Lattice combines the values into a single string" (", "): Cookie too.
    for (const name in headers) single[name] = headers[name]!.join(", ");
    const lastQuery = emptyMap<string>();
    for (const key in query) lastQuery[key] = query[key]!.at(-1)!;
    return { raw_path: req.path, method: req.method, headers: single, query_string_parameters: lastQuery, body: body ?? "", is_base64_encoded: req.bodyIsBytes };
  }
  const arn = (kind: string, id: string) => `arn:aws:vpc-lattice:${REGION}:${ACCOUNT}:${kind}/${id}`;
  const sourceVpcArn = `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/vpc-0b8276c84697e7339`;
  const event: Record<string, unknown> = { version: "2.0", path: req.path, method: req.method, headers };
  if (req.rawQuery !== "") event["queryStringParameters"] = query;
  if (body !== undefined) event["body"] = body;
  event["isBase64Encoded"] = req.bodyIsBytes;
  event["requestContext"] = {
    serviceNetworkArn: arn("servicenetwork", "sn-0bf3f2882e9cc805a"),
    serviceArn: arn("service", "svc-0a40eebed65f8d69c"),
    targetGroupArn: arn("targetgroup", "tg-6d0ecf831eec9f09"),
    // Verified claims stand in for what IAM authentication would prove about the caller.
    identity: req.auth === undefined ? { sourceVpcArn, type: "NONE" } : { sourceVpcArn, type: "AWS_IAM", ...req.auth },
    region: REGION,
    timeEpoch: String(req.time * 1000),
  };
  return event;
}

// What Lambda@Edge passes with "include body" before truncating (Lambda@Edge quotas: 40 KB for
// viewer-request, 1 MB for origin-request).
const INCLUDE_BODY_LIMIT = { "viewer-request": 40 * 1024, "origin-request": 1024 * 1024 };

/**
 * A Lambda@Edge viewer-request or origin-request event with "include body" on: the body always base64
 * (Lambda@Edge converts it before exposing it), truncated and flagged past the trigger's limit; an
 * origin-request also carries the `x-forwarded-for` and `via` CloudFront adds, and its `origin`.
 * @example edgeEvent("origin-request", wire)
 */
export function edgeEvent(eventType: "viewer-request" | "origin-request", req: WireRequest): Record<string, unknown> {
  const headers = emptyMap<Array<{ key: string; value: string }>>();
  const add = (name: string, value: string) => (headers[name] ??= []).push({ key: name.replace(/(^|-)[a-z]/g, (s) => s.toUpperCase()), value });
  const origin = eventType === "origin-request";
  // Toward the origin CloudFront appends the viewer's address to any X-Forwarded-For it was sent.
  const sent = req.headers.filter(([name]) => name === "x-forwarded-for").map(([, value]) => value);
  for (const [name, value] of req.headers) if (!(origin && name === "x-forwarded-for")) add(name, value);
  if (req.cookies.length > 0) add("cookie", req.cookies.join("; "));
  if (origin) {
    add("x-forwarded-for", [...sent, req.sourceIp].join(", "));
    add("via", "2.0 2afae0d44e2540f472c0635ab62c232b.cloudfront.net (CloudFront)");
  }
  const request: Record<string, unknown> = { clientIp: req.sourceIp, headers, method: req.method, querystring: req.rawQuery, uri: req.path };
  if (req.body !== undefined) {
    const limit = INCLUDE_BODY_LIMIT[eventType];
    const truncated = req.body.byteLength > limit;
    request["body"] = { inputTruncated: truncated, action: "read-only", encoding: "base64", data: Buffer.from(truncated ? req.body.subarray(0, limit) : req.body).toString("base64") };
  }
  if (origin) {
    request["origin"] = { custom: { customHeaders: {}, domainName: "origin.example.com", keepaliveTimeout: 5, path: "", port: 443, protocol: "https", readTimeout: 30, sslProtocols: ["TLSv1.2"] } };
  }
  const config = { distributionDomainName: "d111111abcdef8.cloudfront.net", distributionId: "EDFDVBD6EXAMPLE", eventType, requestId: req.requestId };
  return { Records: [{ cf: { config, request } }] };
}
