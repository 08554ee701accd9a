import { randomUUID } from "node:crypto";
import { createEvent, defaultIsBinary, type EventSource } from "../index.ts";
import { DEV_ALB_ARN, DEV_ALB_KID, signAlbOidcData } from "./alb-oidc.ts";
import { devClaims } from "./dev-auth.ts";

/** What the dev server read off one HTTP request. */
export interface IncomingHttp {
  method: string;
  /** The request target as sent: percent-encoded path and query. */
  url: string;
  /** `rawHeaders` of Node's request: name, value, name, value… with repeats kept. */
  rawHeaders: string[];
  body: Uint8Array;
  remoteAddress: string;
}

/** The event sources the dev server can imitate. */
export type DevSource = "http" | "http-v1" | "rest" | "url" | "alb" | "alb-single" | "lattice" | "lattice-v1" | "edge" | "edge-origin";

// `http-v1` is an HTTP API with payload format 1.0 (REST's fields, HTTP API's decoded path).
// `alb` is a target group with multi-value headers (what we recommend); `alb-single` the default mode.
// `lattice` is a Lattice target group with event structure v2, `edge` a viewer-request trigger.
const SOURCES: Record<DevSource, EventSource> = {
  http: "http-api-v2",
  "http-v1": "http-api-v1",
  rest: "apigw-v1",
  url: "function-url",
  alb: "alb-multi",
  "alb-single": "alb",
  lattice: "vpc-lattice-v2",
  "lattice-v1": "vpc-lattice",
  edge: "lambda-edge",
  "edge-origin": "lambda-edge-origin",
};

/**
 * The event source name for a `--source` flag value.
 * @example eventSource("rest") // "apigw-v1"
 */
export function eventSource(source: string): EventSource {
  const found = SOURCES[source as DevSource];
  if (found === undefined) throw new Error(`--source must be one of ${Object.keys(SOURCES).join(", ")}; got "${source}"`);
  return found;
}

// The identity a SigV4-signed call to an AWS_IAM Function URL carries (the template's URL is AWS_IAM).
const LOCAL_IAM_CALLER = {
  accessKey: "ASIALOCALDEVEXAMPLE0",
  accountId: "123456789012",
  callerId: "AROALOCALDEVROLEID:local-dev",
  cognitoIdentity: null,
  principalOrgId: null,
  userArn: "arn:aws:sts::123456789012:assumed-role/LocalDev/local-dev",
  userId: "AROALOCALDEVROLEID:local-dev",
};

/**
 * The opt-in adapter a source needs (a `handle(app)` handler refuses its events), or `undefined`.
 * @example optInAdapter("edge") // "lambdaEdge"
 */
export function optInAdapter(source: string): "vpcLattice" | "lambdaEdge" | undefined {
  return source.startsWith("lattice") ? "vpcLattice" : source.startsWith("edge") ? "lambdaEdge" : undefined;
}

/**
 * The largest response CloudFront accepts from a function on this source's trigger, or `undefined`.
 * @example edgeResponseLimit("edge") // 40960
 */
export function edgeResponseLimit(source: DevSource): number | undefined {
  return source === "edge" ? 40 * 1024 : source === "edge-origin" ? 1024 * 1024 : undefined;
}

/**
 * The Lambda event AWS would send for this HTTP request. Text bodies travel as strings and everything else
 * as base64, as API Gateway does; a dev bearer token (or `options.auth`) becomes verified claims: where the
 * authorizer puts them, or, for the ALB sources, as the `x-amzn-oidc-*` headers an `authenticate-oidc`
 * action adds. VPC Lattice never forwards token claims either (dev tokens stay unconverted there). A Function
 * URL with AWS_IAM never carries claims: `url` requests arrive as signed by a local
 * IAM identity (`requestContext.authorizer.iam`), with dev tokens left unconverted, as deployed.
 * @example toEvent("http", incoming, { stage: "$default" })
 */
export function toEvent(source: DevSource, incoming: IncomingHttp, options: { stage?: string; auth?: Record<string, string>; binaryMediaTypes?: string[] } = {}): Record<string, unknown> {
  // Inherits nothing: a client's `constructor` or `__proto__` header is a header like any other.
  const headers: Record<string, string[]> = Object.create(null);
  // The name as the client first spelled it: REST passes that spelling on (createEvent keeps it).
  const spelled: Record<string, string> = Object.create(null);
  for (let i = 0; i + 1 < incoming.rawHeaders.length; i += 2) {
    const lower = incoming.rawHeaders[i]!.toLowerCase();
    spelled[lower] ??= incoming.rawHeaders[i]!;
    (headers[lower] ??= []).push(incoming.rawHeaders[i + 1]!);
  }
  const type = headers["content-type"]?.[0];
  const encoding = headers["content-encoding"]?.[0];
  let body: string | Uint8Array | undefined;
  // A REST API treats a body as binary (base64 in the event) when its Content-Type matches the API's
  // BinaryMediaTypes; without that list, our own text/binary rule stands in.
  const binary = source === "rest" && options.binaryMediaTypes !== undefined ? matchesMediaType(type, options.binaryMediaTypes) : defaultIsBinary(type, encoding);
  if (incoming.body.byteLength > 0) body = binary ? incoming.body : Buffer.from(incoming.body).toString("utf8");
  const url = source === "url";
  const lattice = source === "lattice" || source === "lattice-v1";
  if (url && options.auth !== undefined) throw new Error("a Function URL with AuthType AWS_IAM never carries claims: drop \"auth\" or use another source");
  if (lattice && options.auth !== undefined) throw new Error("VPC Lattice never forwards token claims (its identity is the caller's IAM principal): drop \"auth\" or use another source");
  const auth = url || lattice ? undefined : (options.auth ?? devClaims(headers["authorization"]?.[0]));
  const alb = source === "alb" || source === "alb-single";
  if (alb) {
    // The ALB's authenticate action overwrites these: whatever a client sends never reaches the target.
    for (const name of Object.keys(headers)) if (name.startsWith("x-amzn-oidc-")) delete headers[name];
    if (auth !== undefined) {
      headers["x-amzn-oidc-data"] = [signAlbOidcData(auth, { albArn: DEV_ALB_ARN, kid: DEV_ALB_KID })];
      headers["x-amzn-oidc-identity"] = [auth["sub"]!];
      // The IdP's access token, in plain text; the dev token stands in for it.
      headers["x-amzn-oidc-accesstoken"] = [(headers["authorization"]?.[0] ?? "Bearer dev-access-token").trim().replace(/^Bearer\s+/, "")];
    }
  }
  // An absolute-form target ("GET http://host/health", RFC 9112 §3.2.2) names the path after its authority.
  const target = incoming.url.replace(/^[a-z][a-z\d+.-]*:\/\/[^/?#]*/i, "");
  const sent: Record<string, string[]> = Object.create(null);
  for (const name in headers) sent[source === "rest" ? spelled[name] ?? name : name] = headers[name]!;
  const event = createEvent(eventSource(source), {
    method: incoming.method,
    path: target.startsWith("/") ? target : "/" + target,
    headers: sent,
    ...(body !== undefined ? { body } : {}),
    ...(auth !== undefined && !alb ? { auth } : {}),
    ...(options.stage !== undefined ? { stage: options.stage } : {}),
    requestId: randomUUID(),
    sourceIp: incoming.remoteAddress,
  });
  if (url) {
    const context = event["requestContext"] as Record<string, unknown>;
    context["accountId"] = LOCAL_IAM_CALLER.accountId;
    context["authorizer"] = { iam: { ...LOCAL_IAM_CALLER } };
  }
  return event;
}

/**
 * Whether a Content-Type matches one of a REST API's BinaryMediaTypes: `*` stands for a whole type or
 * subtype, so a star on both sides matches every type ("includes all content types", API Gateway developer
 * guide, "Binary media types for REST APIs") and `image/*` every image. No Content-Type matches nothing.
 * @example matchesMediaType("image/png; q=1", ["image/*"]) // true
 */
export function matchesMediaType(contentType: string | undefined, patterns: string[]): boolean {
  if (contentType === undefined) return false;
  const [type = "", subtype = ""] = contentType.split(";")[0]!.trim().toLowerCase().split("/");
  return patterns.some((pattern) => {
    const [pt = "", ps = ""] = pattern.trim().toLowerCase().split("/");
    return (pt === "*" || pt === type) && (ps === "*" || ps === subtype);
  });
}
