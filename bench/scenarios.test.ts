import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { defaultAdapters } from "../src/adapters/default-adapters.ts";
import { detectAdapter } from "../src/adapters/detect.ts";
import { bundle } from "./cold.ts";
import { answers, peers, scenarios, type Scenario } from "./scenarios.ts";

const JSON_HEADERS = { "content-type": "application/json" };

/** The q value as the event carries it where the source leaves it encoded (v2's rawQueryString, ALB's map). */
function encodedQuery(event: Record<string, any>): string | undefined {
  if (typeof event["rawQueryString"] === "string") return event["rawQueryString"].split("&").find((p: string) => p.startsWith("q="))?.slice(2);
  return event["requestContext"]?.elb ? event["queryStringParameters"]?.q : undefined;
}

describe("the peers group's scenarios", () => {
  it.each(scenarios.map((s) => [s.name, s] as const))("%s names the event source its event comes from (each source is timed in its own processes)", (_, s) => {
    expect(detectAdapter(s.event, defaultAdapters)?.name).toBe(s.source);
  });

  it("answers() checks status and the parsed JSON body", () => {
    const s = scenarios.find((x) => x.name === "HTTP API POST JSON")!;
    expect(answers(s, { statusCode: 201, headers: JSON_HEADERS, body: '{"minutes":30,"title":"Algebra","id":"exam-1"}' })).toBe(true);
    expect(answers(s, { statusCode: 201, headers: JSON_HEADERS, body: '{"minutes":31,"title":"Algebra","id":"exam-1"}' })).toBe(false);
    expect(answers(s, { statusCode: 200, headers: JSON_HEADERS, body: '{"minutes":30,"title":"Algebra","id":"exam-1"}' })).toBe(false);
  });

  it("answers() checks that a JSON answer says it is JSON, in headers or multiValueHeaders, any case, parameters aside (was: the content type was not read, so a handler could skip setting it)", () => {
    const s = scenarios.find((x) => x.name === "/health")!;
    const body = '{"status":"ok"}';
    expect(answers(s, { statusCode: 200, headers: { "content-type": "application/json; charset=utf-8" }, body })).toBe(true);
    expect(answers(s, { statusCode: 200, multiValueHeaders: { "Content-Type": ["application/json"] }, body })).toBe(true);
    expect(answers(s, { statusCode: 200, body })).toBe(false);
    expect(answers(s, { statusCode: 200, headers: { "content-type": "text/plain" }, body })).toBe(false);
    expect(answers(s, { statusCode: 200, headers: { "content-type": "application/jsonx" }, body })).toBe(false);
  });

  const encoded = scenarios.filter((s) => encodedQuery(s.event) !== undefined);
  it("covers every source that hands the query over percent-encoded (HTTP API, Function URL, ALB)", () => {
    expect(new Set(encoded.map((s) => s.source))).toEqual(new Set(["http-api-v2", "function-url", "alb"]));
  });

  it.each(encoded.map((s) => [s.name, s] as const))("%s: a handler that skips decoding the query answers wrongly (was: q=intro needed no decoding, so middy and lambda-api passed on ALB without it)", (_, s) => {
    const undecoded = encodedQuery(s.event)!;
    expect(undecoded).not.toBe((s.body as { q: string }).q);
    expect(answers(s, { statusCode: s.status, headers: JSON_HEADERS, body: JSON.stringify({ ...(s.body as object), q: undecoded }) })).toBe(false);
  });
});

// The reference apps as the peers group runs them (bundled by cold.ts's bundle()); the peers' own packages
// live in bench/node_modules, installed by the first `npm run bench`, not by `npm ci` at the root.
const peersInstalled = existsSync(new URL("./node_modules/hono/package.json", import.meta.url));
const ours = new Set(["raw", "lambdalith", "lambdalith-pinned"]);

describe("every framework's reference app", () => {
  const inScope = (peer: string, s: Scenario) => peer !== "lambdalith-pinned" || s.source === "http-api-v2";
  const cases = peers.flatMap((peer) => scenarios.filter((s) => inScope(peer, s)).map((s) => [peer, s.name, s] as const));
  it.each(cases)("%s answers %s, without writing into the event's nested objects", async (peer, _, s) => {
    if (!ours.has(peer) && !peersInstalled) return; // the peers are not installed here (CI): nothing to bundle
    const file = await bundle(`test-${peer}`, new URL(`./apps/${peer}.ts`, import.meta.url).pathname);
    const { handler } = await import(pathToFileURL(file).href);
    // The timed loop copies only the event's top level (middy sets event.body and event.pathParameters): its
    // nested objects are shared by every call, so an app that wrote into them, or cached on them, would be
    // timed on an event the runtime never delivers. Frozen, a write throws (bundles are strict ESM).
    const event = Object.fromEntries(Object.entries(structuredClone(s.event)).map(([k, v]) => [k, deepFreeze(v)]));
    const result = await handler({ ...event }, { awsRequestId: "test", functionName: "bench", getRemainingTimeInMillis: () => 30000 });
    expect(answers(s, result), JSON.stringify(result)).toBe(true);
  });
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
