// The reference scenarios every peer answers; each carries the answer it must give.
import { createEvent } from "../src/index.ts";

export interface Scenario {
  name: string;
  event: Record<string, unknown>;
  status: number;
  /** The JSON body expected, or undefined when only the status is checked (404 bodies differ by design). */
  body?: unknown;
}

const headers = { "user-agent": "bench/1.0", accept: "application/json", host: "api.example.com" };

export const scenarios: Scenario[] = [
  { name: "REST GET param+query", event: createEvent("apigw-v1", { path: "/exams/e-42?q=intro", headers, requestId: "r" }), status: 200, body: { examId: "e-42", q: "intro" } },
  { name: "HTTP API GET param+query", event: createEvent("http-api-v2", { path: "/exams/e-42?q=intro", headers, requestId: "r" }), status: 200, body: { examId: "e-42", q: "intro" } },
  {
    name: "HTTP API POST JSON",
    event: createEvent("http-api-v2", { method: "POST", path: "/exams", headers: { ...headers, "content-type": "application/json" }, body: '{"title":"Algebra","minutes":30}', requestId: "r" }),
    status: 201,
    body: { id: "exam-1", title: "Algebra", minutes: 30 },
  },
  { name: "ALB GET param+query", event: createEvent("alb", { path: "/exams/e-42?q=intro", headers }), status: 200, body: { examId: "e-42", q: "intro" } },
  { name: "Function URL GET param+query", event: createEvent("function-url", { path: "/exams/e-42?q=intro", headers, requestId: "r" }), status: 200, body: { examId: "e-42", q: "intro" } },
  { name: "404", event: createEvent("http-api-v2", { path: "/nope/nothing", headers, requestId: "r" }), status: 404 },
  { name: "/health", event: createEvent("http-api-v2", { path: "/health", headers, requestId: "r" }), status: 200, body: { status: "ok" } },
];

/** True when a Lambda result answers the scenario: right status, and the right JSON body where checked. */
export function answers(scenario: Scenario, result: any): boolean {
  if (result === null || typeof result !== "object" || result.statusCode !== scenario.status) return false;
  if (scenario.body === undefined) return true;
  try {
    const text = result.isBase64Encoded ? Buffer.from(result.body, "base64").toString("utf8") : result.body;
    return deepEqual(JSON.parse(text), scenario.body);
  } catch {
    return false;
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as any)[k], (b as any)[k]));
}

/** The frameworks compared, by the file in bench/apps that holds their reference app. */
export const peers = ["raw", "lambdalith", "lambdalith-pinned", "middy", "lambda-api", "hono"] as const;
export type Peer = (typeof peers)[number];
