import { describe, expect, it } from "vitest";
import { defaultAdapters, detectAdapter } from "../index.ts";
import { toEvent, type DevSource } from "./http-event.ts";

describe("toEvent: an HTTP request as each source's event", () => {
  it.each(["http", "http-v1", "rest", "url", "alb", "alb-single"] as DevSource[])("%s: headers named like Object.prototype members are ordinary headers", (source) => {
    const event = toEvent(source, { method: "GET", url: "/x?a=1", rawHeaders: ["Constructor", "c", "__proto__", "p", "Accept", "a"], body: new Uint8Array(), remoteAddress: "127.0.0.1" });
    const req = detectAdapter(event, defaultAdapters)!.request(event as never, { awsRequestId: "r" }, {});
    expect(req.headers["constructor"]).toBe("c");
    expect(req.headers["__proto__"]).toBe("p");
    expect(req.headers["accept"]).toBe("a");
  });
});

describe("toEvent: header names as each source spells them", () => {
  const incoming = { method: "POST", url: "/x", rawHeaders: ["Content-Type", "application/json", "X-Forwarded-For", "203.0.113.1", "x-forwarded-for", "203.0.113.10", "accept", "*/*"], body: new Uint8Array(Buffer.from("{}")), remoteAddress: "127.0.0.1" };

  // REST passes names as the client sent them (events/apigw-v1-*.json: "Host", "X-Forwarded-For", "Cookie"),
  // so a handler reading event.headers["content-type"] works locally and misses the header deployed
  // (was: every name lower-cased).
  it("rest keeps the client's spelling, a repeated header under its first spelling", () => {
    const event = toEvent("rest", incoming) as { headers: Record<string, string>; multiValueHeaders: Record<string, string[]> };
    expect(event.headers["Content-Type"]).toBe("application/json");
    expect(event.headers["content-type"]).toBeUndefined();
    expect(event.multiValueHeaders["X-Forwarded-For"]).toEqual(["203.0.113.1", "203.0.113.10"]);
    expect(event.headers["X-Forwarded-For"]).toBe("203.0.113.10");
    expect(event.headers["accept"]).toBe("*/*");
    // The adapter reads them whatever their case.
    const req = detectAdapter(event, defaultAdapters)!.request(event as never, { awsRequestId: "r" }, {});
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.headersAll["x-forwarded-for"]).toEqual(["203.0.113.1", "203.0.113.10"]);
  });

  // HTTP API (payload 2.0 and 1.0), Function URLs and the ALB send lower-case names (events/http-api-v2-*,
  // apigw-v1-http-api-payload1-*, function-url-*, alb-*).
  it.each(["http", "http-v1", "url", "alb-single"] as DevSource[])("%s lower-cases them", (source) => {
    const event = toEvent(source, incoming) as { headers: Record<string, string> };
    expect(event.headers["content-type"]).toBe("application/json");
    expect(event.headers["Content-Type"]).toBeUndefined();
  });
});

describe("toEvent: REST request bodies follow the API's BinaryMediaTypes", () => {
  const post = (type: string) => ({ method: "POST", url: "/x", rawHeaders: ["Content-Type", type], body: new Uint8Array(Buffer.from('{"a":1}')), remoteAddress: "127.0.0.1" });

  // template.yaml's RestApi has BinaryMediaTypes */*, and "*/* includes all content types" (API Gateway
  // developer guide, "Binary media types for REST APIs"): every body reaches the function base64-encoded,
  // JSON too (was: JSON as text, so a handler that JSON.parse'd event.body worked only locally).
  it("*/* makes a JSON body arrive base64", () => {
    const event = toEvent("rest", post("application/json"), { binaryMediaTypes: ["*/*"] }) as { body: string; isBase64Encoded: boolean };
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body, "base64").toString()).toBe('{"a":1}');
  });

  it("a list without a match leaves the body text; image/* matches image/png", () => {
    expect((toEvent("rest", post("application/json"), { binaryMediaTypes: ["image/*"] }) as { isBase64Encoded: boolean }).isBase64Encoded).toBe(false);
    expect((toEvent("rest", post("image/png; q=1"), { binaryMediaTypes: ["image/*"] }) as { isBase64Encoded: boolean }).isBase64Encoded).toBe(true);
  });
});
