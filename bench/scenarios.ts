// The reference scenarios every peer answers; each carries the answer it must give.
import { createEvent, type EventSource } from "../src/index.ts";
import type { Expected } from "./answers.ts";

export { answers } from "./answers.ts";

export interface Scenario extends Expected {
  name: string;
  /** The event source: a deployed function sees one, so the peers group times each source in its own processes. */
  source: EventSource;
  event: Record<string, unknown>;
}

const headers = { "user-agent": "bench/1.0", accept: "application/json", host: "api.example.com" };
// A query value that needs decoding: HTTP API and Function URL hand it over encoded in rawQueryString, ALB
// in its map (it never decodes), REST decoded. With a plain "intro" a handler that skips decoding would
// answer the same, and do less work than the others (middy and lambda-api did on ALB).
const GET = "/exams/e-42?q=intro%20algebra";
const found = { examId: "e-42", q: "intro algebra" };

export const scenarios: Scenario[] = [
  { name: "REST GET param+query", source: "apigw-v1", event: createEvent("apigw-v1", { path: GET, headers, requestId: "r" }), status: 200, body: found },
  { name: "HTTP API GET param+query", source: "http-api-v2", event: createEvent("http-api-v2", { path: GET, headers, requestId: "r" }), status: 200, body: found },
  {
    name: "HTTP API POST JSON",
    source: "http-api-v2",
    event: createEvent("http-api-v2", { method: "POST", path: "/exams", headers: { ...headers, "content-type": "application/json" }, body: '{"title":"Algebra","minutes":30}', requestId: "r" }),
    status: 201,
    body: { id: "exam-1", title: "Algebra", minutes: 30 },
  },
  { name: "ALB GET param+query", source: "alb", event: createEvent("alb", { path: GET, headers }), status: 200, body: found },
  { name: "Function URL GET param+query", source: "function-url", event: createEvent("function-url", { path: GET, headers, requestId: "r" }), status: 200, body: found },
  { name: "404", source: "http-api-v2", event: createEvent("http-api-v2", { path: "/nope/nothing", headers, requestId: "r" }), status: 404 },
  { name: "/health", source: "http-api-v2", event: createEvent("http-api-v2", { path: "/health", headers, requestId: "r" }), status: 200, body: { status: "ok" } },
];

/** The frameworks compared, by the file in bench/apps that holds their reference app. */
export const peers = ["raw", "lambdalith", "lambdalith-pinned", "middy", "lambda-api", "hono"] as const;
export type Peer = (typeof peers)[number];
