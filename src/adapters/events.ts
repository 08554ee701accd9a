import { safeDecode } from "../lib/decode.ts";
import { cognitoAuthorizerClaims, jwtAuthorizerClaims } from "./authorizer-claims.ts";
import { checkEventInit } from "./event-init.ts";
import { edgeEvent, latticeEvent } from "./events-lattice-edge.ts";
import { allValues, clfTime, commaJoined, decodedQuery, emptyMap, encodeQuery, httpApiPath, lastOf, lastValues, NO_IDENTITY, stagePrefix } from "./events-maps.ts";

/**
 * The sources {@link createEvent} can imitate; `apigw-v1` is a REST API and `http-api-v1` an HTTP API with
 * payload format 1.0 (both read by the `apiGatewayV1` adapter; HTTP API delivers the path decoded), `alb-multi`
 * an ALB target group with multi-value headers, `vpc-lattice` a Lattice target group with event structure v1
 * and `vpc-lattice-v2` with v2, `lambda-edge` a viewer-request trigger and `lambda-edge-origin` an
 * origin-request one (both with "include body").
 * @example const sources: EventSource[] = ["apigw-v1", "http-api-v2", "alb-multi"] // one test per source
 */
export type EventSource = "apigw-v1" | "http-api-v1" | "http-api-v2" | "function-url" | "alb" | "alb-multi" | "vpc-lattice" | "vpc-lattice-v2" | "lambda-edge" | "lambda-edge-origin";

/**
 * A request as a client sends it: the path and query percent-encoded, as on the wire.
 * @example { method: "POST", path: "/exams?draft=1", headers: { "content-type": "application/json" }, body: '{"title":"Algebra"}', auth: { sub: "u-1" } }
 */
export interface EventInit {
  method?: string | undefined;
  /** Percent-encoded path, optionally with `?query`: `"/files/a%20b?x=1"`. */
  path: string;
  /** An encoded query string, or decoded values per key (appended to any query in `path`). */
  query?: string | Record<string, string | string[]> | undefined;
  headers?: Record<string, string | string[]> | undefined;
  cookies?: Record<string, string> | string[] | undefined;
  body?: string | Uint8Array | undefined;
  /**
   * Verified claims, placed where the source's authorizer puts them and shaped as it delivers them: HTTP API's
   * JWT authorizer turns arrays into `"[a b]"` and numbers into strings, REST's Cognito authorizer arrays into
   * `"a,b"` and `exp`/`iat` into dates. A Function URL's is its caller's IAM identity (`authorizer.iam`).
   */
  auth?: Record<string, unknown> | undefined;
  /**
   * A named stage, as deployed: `path` stays the app's path (`/exams`) and the event carries the stage where the
   * source does (an HTTP API path, payload 2.0 or 1.0, gains `/<stage>` as on the execute-api host, which the
   * adapter strips; REST puts it in `requestContext.path` only). Function URLs and ALBs have none: ignored.
   */
  stage?: string | undefined;
  requestId?: string | undefined;
  sourceIp?: string | undefined;
  /** `Date.now()` by default. */
  time?: number | undefined;
}

/**
 * Builds the event an AWS source would send for a request: the inverse of the adapters, for tests and the
 * dev server. A field no source could carry (a path without a leading `/`, a header value that is not a
 * string, an object body, an unknown source) throws a TypeError naming it.
 * @example
 * const handler = handle(app)
 * const result = await handler(createEvent("http-api-v2", { method: "GET", path: "/exams/e-1?q=x" }), context)
 */
export function createEvent(source: EventSource, init: EventInit): Record<string, unknown> {
  checkEventInit(source, init);
  // As the runtime delivers it: parsed JSON, plain objects (a `__proto__` key stays an own key). A map of
  // ours with a null prototype would be slower to read than any real event (bench: peers).
  return JSON.parse(JSON.stringify(buildEvent(source, init)));
}

function buildEvent(source: EventSource, init: EventInit): Record<string, unknown> {
  const method = (init.method ?? "GET").toUpperCase();
  const q = init.path.indexOf("?");
  const path = q === -1 ? init.path : init.path.slice(0, q);
  let rawQuery = q === -1 ? "" : init.path.slice(q + 1);
  if (init.query !== undefined) {
    const extra = typeof init.query === "string" ? init.query.replace(/^\?/, "") : encodeQuery(init.query);
    rawQuery = rawQuery === "" ? extra : extra === "" ? rawQuery : rawQuery + "&" + extra;
  }
  const headers: Array<[string, string]> = [];
  // REST passes header names as the client spelled them ("Host", "X-Forwarded-For" in captured REST events),
  // a repeated one under its first spelling; the other sources lower-case them.
  const spelled: Record<string, string> = emptyMap();
  for (const name in init.headers ?? {}) {
    const value = init.headers![name]!;
    const lower = name.toLowerCase();
    spelled[lower] ??= name;
    for (const v of typeof value === "string" ? [value] : value) headers.push([lower, v]);
  }
  // `cookies` travel as an HTTP/1.1 client sends them: one Cookie header, pairs joined with "; " (an ALB in
  // single-value mode keeps only the last of repeated headers: one header per cookie lost all but the last).
  const cookies = init.cookies === undefined ? [] : Array.isArray(init.cookies) ? init.cookies : Object.entries(init.cookies).map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
  const bodyIsBytes = init.body instanceof Uint8Array;
  const body = init.body === undefined ? undefined : bodyIsBytes ? Buffer.from(init.body as Uint8Array).toString("base64") : (init.body as string);
  const requestId = init.requestId ?? "req-" + Math.random().toString(36).slice(2, 12);
  const sourceIp = init.sourceIp ?? "127.0.0.1";
  const time = init.time ?? Date.now();
  const userAgent = headers.find(([n]) => n === "user-agent")?.[1] ?? "";

  switch (source) {
    case "vpc-lattice":
    case "vpc-lattice-v2":
    case "lambda-edge":
    case "lambda-edge-origin": {
      const bytes = init.body === undefined ? undefined : bodyIsBytes ? (init.body as Uint8Array) : Buffer.from(init.body as string);
      const wire = { method, path, rawQuery, headers, cookies, body: bytes, bodyIsBytes, auth: init.auth, requestId, sourceIp, time };
      return source.startsWith("vpc") ? latticeEvent(source === "vpc-lattice-v2", wire) : edgeEvent(source === "lambda-edge" ? "viewer-request" : "origin-request", wire);
    }
    case "http-api-v2":
    case "function-url": {
      const single: Record<string, string> = emptyMap();
      for (const [name, value] of headers) {
        if (name === "cookie" && source === "http-api-v2") {
          cookies.push(...value.split(";").map((s) => s.trim()).filter(Boolean));
          continue;
        }
        single[name] = single[name] === undefined ? value : single[name] + (name === "cookie" ? "; " : ",") + value;
      }
      // A Function URL sends both: the Cookie header as received and its pairs in `cookies[]`.
      if (source === "function-url" && cookies.length > 0 && single["cookie"] === undefined) single["cookie"] = cookies.join("; ");
      else if (source === "function-url" && single["cookie"] !== undefined) cookies.push(...single["cookie"].split(";").map((s) => s.trim()).filter(Boolean));
      const stage = source === "function-url" ? "$default" : (init.stage ?? "$default");
      const rawPath = source === "function-url" ? path : stagePrefix(stage) + httpApiPath(path);
      const domainName = source === "function-url" ? "abcdefghijklmnopqrstuvwxyz0123.lambda-url.us-east-1.on.aws" : "api-id.execute-api.us-east-1.amazonaws.com";
      const event: Record<string, unknown> = {
        version: "2.0",
        routeKey: "$default",
        rawPath,
        rawQueryString: rawQuery,
        headers: single,
      };
      if (cookies.length > 0) event["cookies"] = cookies;
      if (rawQuery !== "") event["queryStringParameters"] = commaJoined(rawQuery);
      const requestContext: Record<string, unknown> = {
        accountId: source === "function-url" ? "anonymous" : "123456789012",
        apiId: source === "function-url" ? "abcdefghijklmnopqrstuvwxyz0123" : "api-id",
        domainName,
        domainPrefix: domainName.split(".")[0],
        http: { method, path: rawPath, protocol: "HTTP/1.1", sourceIp, userAgent },
        requestId,
        routeKey: "$default",
        stage,
        time: clfTime(time),
        timeEpoch: time,
      };
      // A Function URL has no authorizer of its own: with AuthType AWS_IAM the caller's IAM identity is
      // `authorizer.iam` (no claims: req.auth stays undefined, as deployed).
      if (init.auth !== undefined) requestContext["authorizer"] = source === "function-url" ? { iam: init.auth } : { jwt: { claims: jwtAuthorizerClaims(init.auth), scopes: null } };
      event["requestContext"] = requestContext;
      if (body !== undefined) event["body"] = body;
      event["isBase64Encoded"] = bodyIsBytes;
      return event;
    }
    case "apigw-v1":
    case "http-api-v1": {
      if (cookies.length > 0) headers.push(["cookie", cookies.join("; ")]);
      // HTTP API with payload format 1.0 sends REST's fields, with HTTP API's values: names lower-cased, the path
      // decoded (stage included), a repeated query key comma-joined in queryStringParameters, a JWT authorizer's
      // claims in authorizer.claims. AWS's example ("Working with AWS Lambda proxy integrations for HTTP APIs",
      // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html,
      // format 1.0) and events/apigw-v1-http-api-payload1-*.json.
      const httpApi = source === "http-api-v1";
      const stage = init.stage ?? (httpApi ? "$default" : "prod");
      const multiQuery = decodedQuery(rawQuery);
      const asSent = httpApi ? headers : headers.map(([name, value]): [string, string] => [spelled[name] ?? name, value]);
      const routed = httpApi ? httpApiPath(path) : path;
      const eventPath = httpApi ? stagePrefix(stage) + routed : path;
      const requestContext: Record<string, unknown> = {
        accountId: "123456789012",
        apiId: "api-id",
        // HTTP API names the route ("ANY /{proxy+}"), REST the resource's id.
        resourceId: httpApi ? "ANY /{proxy+}" : "a1b2c3",
        resourcePath: "/{proxy+}",
        httpMethod: method,
        extendedRequestId: Buffer.from(requestId).toString("base64").slice(0, 16) + "=",
        path: httpApi ? eventPath : `/${stage}${path}`,
        protocol: "HTTP/1.1",
        requestId,
        requestTime: clfTime(time),
        requestTimeEpoch: time,
        domainName: "api-id.execute-api.us-east-1.amazonaws.com",
        domainPrefix: "api-id",
        // REST's deployment (HTTP API has none), where the REST event always had it: a key moved is another
        // hidden class for the benches that compare runs across commits.
        ...(httpApi ? {} : { deploymentId: "d3pl0y" }),
        stage,
        identity: httpApi ? { ...NO_IDENTITY, sourceIp, userAgent } : { sourceIp, userAgent },
      };
      // Payload 1.0 always has an authorizer: `{ claims: null, scopes: null }` when none ran.
      if (httpApi) requestContext["authorizer"] = { claims: init.auth === undefined ? null : jwtAuthorizerClaims(init.auth), scopes: null };
      else if (init.auth !== undefined) requestContext["authorizer"] = { claims: cognitoAuthorizerClaims(init.auth) };
      const event: Record<string, unknown> = {
        ...(httpApi ? { version: "1.0" } : {}),
        resource: "/{proxy+}",
        path: eventPath,
        httpMethod: method,
        headers: lastValues(asSent),
        multiValueHeaders: allValues(asSent),
        queryStringParameters: rawQuery === "" ? null : httpApi ? commaJoined(rawQuery) : lastOf(multiQuery),
        multiValueQueryStringParameters: rawQuery === "" ? null : multiQuery,
        pathParameters: { proxy: httpApi ? routed.slice(1) : safeDecode(path.slice(1)) },
        stageVariables: null,
        requestContext,
        body: body ?? null,
        isBase64Encoded: bodyIsBytes,
      };
      return event;
    }
    case "alb":
    case "alb-multi": {
      if (cookies.length > 0) headers.push(["cookie", cookies.join("; ")]);
      const pairs = rawQuery === "" ? [] : rawQuery.split("&").filter(Boolean).map((p) => {
        const eq = p.indexOf("=");
        return eq === -1 ? [p, ""] : [p.slice(0, eq), p.slice(eq + 1)];
      });
      const event: Record<string, unknown> = {
        requestContext: { elb: { targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/lambda-tg/0123456789abcdef" } },
        httpMethod: method,
        path,
      };
      // The ALB appends the peer it saw to any X-Forwarded-For the client sent.
      const sent = headers.filter(([n]) => n === "x-forwarded-for").map(([, v]) => v);
      for (let i = headers.length - 1; i >= 0; i--) if (headers[i]![0] === "x-forwarded-for") headers.splice(i, 1);
      const xff: Array<[string, string]> = [["x-forwarded-for", [...sent, sourceIp].join(", ")]];
      if (source === "alb-multi") {
        const mq: Record<string, string[]> = emptyMap();
        for (const [k, v] of pairs) (mq[k!] ??= []).push(v!);
        event["multiValueQueryStringParameters"] = mq;
        event["multiValueHeaders"] = allValues([...headers, ...xff]);
      } else {
        const sq: Record<string, string> = emptyMap();
        for (const [k, v] of pairs) sq[k!] = v!;
        event["queryStringParameters"] = sq;
        event["headers"] = lastValues([...headers, ...xff]);
      }
      // "If the content type is one of the following types, the load balancer sends the body to the Lambda
      // function as is: text/*, application/json, application/javascript, and application/xml. For all other
      // types, the load balancer Base64 encodes the body" (a form post too). GET/HEAD bodies arrive as "".
      const type = headers.find(([name]) => name === "content-type")?.[1];
      const encode = body !== undefined && !bodyIsBytes && type !== undefined && !/^\s*(?:text\/[^;]*|application\/(?:json|javascript|xml))\s*(?:;|$)/i.test(type);
      event["body"] = encode ? Buffer.from(body).toString("base64") : (body ?? "");
      event["isBase64Encoded"] = bodyIsBytes || encode;
      return event;
    }
  }
}
