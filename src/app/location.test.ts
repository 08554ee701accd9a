// A 201's Location resolves, against the URL the client requested (RFC 9110 §10.2.2), to the new item under
// whatever prefix sits before the app's paths: a REST API's stage, a base path mapping, or none (ALB, Function
// URL, HTTP API's $default stage, the dev server). Was: `/exams/x`, which from
// https://{id}.execute-api.{region}.amazonaws.com/dev/exams resolves to …amazonaws.com/exams/x, outside the
// stage, where API Gateway answers 403 "Missing Authentication Token".
import { handle, invoke, json, router, type EventSource } from "lambdalith";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ALB_OIDC_PUBLIC_KEY, DEV_ALB_ARN } from "../dev/alb-oidc.ts";
import { startDevServer } from "../dev/server.ts";
import type { DevSource } from "../dev/http-event.ts";
import { createApp } from "./app.ts";
import { relativeLocation, relativeReference } from "./location.ts";
import { idempotencyKey } from "./store/keys.ts";
import { createTestApi, pdfBytes, question, student, teacher, type CallInit, type TestApi } from "./test-api.ts";

const REFERENCES: Array<[from: string, to: string, reference: string]> = [
  ["/exams", "/exams/e1", "exams/e1"],
  // The router ignores one trailing slash; the client's URL keeps it, and so does its directory.
  ["/exams/", "/exams/e1", "../exams/e1"],
  ["/exams/e1/attempts", "/attempts/a1", "../../attempts/a1"],
  ["/exams/e1/questions", "/exams/e1/questions/q1", "../../exams/e1/questions/q1"],
  ["/exams/e1/files/", "/exams/e1/files/f1", "../../../exams/e1/files/f1"],
  ["/", "/exams/e1", "exams/e1"],
  ["/", "/", "./"],
  ["/health", "/", "./"],
  ["/a/b/c/d/e", "/x/y", "../../../../x/y"],
  // Encoded segments are kept as sent: %2F is no segment boundary, on either side.
  ["/exams/a%2Fb/files", "/exams/a%2Fb/files/f%20g", "../../exams/a%2Fb/files/f%20g"],
  ["/caf%C3%A9/x", "/%C3%A9t%C3%A9", "../%C3%A9t%C3%A9"],
  // A first segment with ':' would be a scheme ("a:b" → a:); after "../" or a '/' it is a path again.
  ["/exams", "/a:b/c", "./a:b/c"],
  ["/x/y", "/a:b", "../a:b"],
  ["/exams", "/a/b:c", "a/b:c"],
];

describe("relativeReference: from the request's app path to the new item's", () => {
  it.each(REFERENCES)("%s → %s is %s", (from, to, reference) => {
    expect(relativeReference(from, to)).toBe(reference);
  });

  it.each(["", "/dev", "/v1/prod"])("each resolves to the target below the prefix %j, as a client resolves it", (prefix) => {
    for (const [from, to, reference] of REFERENCES) {
      expect(new URL(reference, `https://api.example.com${prefix}${from}`).pathname, `${from} → ${to}`).toBe(prefix + to);
    }
  });
});

// The middleware alone, through each source's real event: what each deployment's client sees.
const created = router()
  .use(relativeLocation())
  .post("/things", () => json({}, { status: 201, headers: { location: "/things/t1" } }))
  .post("/things/:id/parts", () => json({}, { status: 201, headers: { location: "/parts/p1" } }))
  .get("/elsewhere", () => json({}, { status: 200, headers: { location: "https://other.example/x" } }));

const DEPLOYMENTS: Array<[what: string, source: EventSource, base: string, init: { stage?: string }, basePath?: string]> = [
  ["REST API, stage dev", "apigw-v1", "https://id.execute-api.us-east-1.amazonaws.com/dev", { stage: "dev" }],
  ["REST API behind a custom domain, base path v1", "apigw-v1", "https://api.example.com/v1", { stage: "prod" }, "/v1"],
  ["HTTP API, $default stage (no prefix)", "http-api-v2", "https://id.execute-api.us-east-1.amazonaws.com", {}],
  ["HTTP API, stage beta (a path prefix)", "http-api-v2", "https://id.execute-api.us-east-1.amazonaws.com/beta", { stage: "beta" }],
  ["HTTP API payload 1.0, $default stage", "http-api-v1", "https://id.execute-api.us-east-1.amazonaws.com", {}],
  ["HTTP API payload 1.0, stage beta", "http-api-v1", "https://id.execute-api.us-east-1.amazonaws.com/beta", { stage: "beta" }],
  ["Function URL (no prefix)", "function-url", "https://abcdefghijklmnopqrstuvwxyz0123.lambda-url.us-east-1.on.aws", {}],
  ["ALB, multi-value headers (no prefix)", "alb-multi", "https://alb.example.com", {}],
  ["ALB, single-value headers (no prefix)", "alb", "https://alb.example.com", {}],
];

describe.each(DEPLOYMENTS)("relativeLocation behind %s", (_what, source, base, init, basePath) => {
  const handler = handle(created, basePath ? { basePath } : {});
  // The path the client requests, with the base path a custom domain maps (the stage of a REST API is not in its event's path).
  const sent = async (path: string) => invoke(handler, { source, method: "POST", path: `${basePath ?? ""}${path}`, ...init });

  it.each([
    ["/things", "/things/t1"],
    ["/things/", "/things/t1"],
    ["/things/t1/parts", "/parts/p1"],
    ["/things/t1/parts/", "/parts/p1"],
  ])("POST %s: Location resolves to %s below the prefix", async (path, target) => {
    const res = await sent(path);
    expect(res.status).toBe(201);
    expect(new URL(res.headers["location"]!, base + path).href).toBe(base + target);
  });

  it("a Location that is a full URL is left alone", async () => {
    const res = await invoke(handler, { source, method: "GET", path: `${basePath ?? ""}/elsewhere`, ...init });
    expect(res.headers["location"]).toBe("https://other.example/x");
  });
});

describe("ExamBuddy through a REST API stage: every 201's Location, resolved, is the new item", () => {
  const STAGE_URL = "https://id.execute-api.us-east-1.amazonaws.com/dev";
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi("location");
  });
  afterAll(() => api.drop());

  // What the REST API's client sends: the stage in the URL, not in the event's path.
  const rest = (method: string, path: string, init: CallInit = {}) => api.call(method, path, { ...init, source: "apigw-v1", stage: "dev" });
  /** The app path a Location leads to from `requestPath`; it must stay inside the stage. */
  function followed(location: string | undefined, requestPath: string): string {
    expect(location, "Location").toBeTypeOf("string");
    const resolved = new URL(location!, STAGE_URL + requestPath).href;
    expect(resolved.startsWith(STAGE_URL + "/"), `${location} from ${requestPath} resolved to ${resolved}`).toBe(true);
    return resolved.slice(STAGE_URL.length);
  }

  it.each(["/exams", "/exams/"])("POST %s: the exam", async (path) => {
    const res = await rest("POST", path, { as: teacher, body: { title: "Located", durationMinutes: 30 } });
    expect(res.status).toBe(201);
    const read = await rest("GET", followed(res.headers["location"], path), { as: teacher });
    expect(read).toMatchObject({ status: 200, body: res.body });
  });

  it("POST /exams/{examId}/questions: the question", async () => {
    const { examId } = await api.draft("Questions");
    const path = `/exams/${examId}/questions`;
    const res = await rest("POST", path, { as: teacher, body: question(1) });
    expect(res.status).toBe(201);
    const read = await rest("GET", followed(res.headers["location"], path), { as: teacher });
    expect(read).toMatchObject({ status: 200, body: res.body });
  });

  it("POST /exams/{examId}/files: the file, once its upload is complete", async () => {
    const { examId } = await api.draft("Files");
    const path = `/exams/${examId}/files`;
    const res = await rest("POST", path, { as: teacher, body: { fileName: "paper.pdf", contentType: "application/pdf", size: 2048 } });
    expect(res.status).toBe(201);
    expect((await fetch(res.body.upload.url, { method: "PUT", headers: res.body.upload.headers, body: pdfBytes() })).status).toBe(200);
    expect((await rest("POST", `${path}/${res.body.file.fileId}/complete`, { as: teacher })).status).toBe(200);
    const read = await rest("GET", followed(res.headers["location"], path), { as: teacher });
    expect(read).toMatchObject({ status: 200, body: { file: { fileId: res.body.file.fileId, status: "ready" } } });
  });

  it("POST /exams/{examId}/attempts: the attempt", async () => {
    const { examId } = await api.draft("Attempts");
    expect((await rest("POST", `/exams/${examId}/questions`, { as: teacher, body: question(1) })).status).toBe(201);
    expect((await rest("POST", `/exams/${examId}/publish`, { as: teacher })).status).toBe(200);
    const path = `/exams/${examId}/attempts`;
    const res = await rest("POST", path, { as: student });
    expect(res.status).toBe(201);
    const read = await rest("GET", followed(res.headers["location"], path), { as: student });
    expect(read).toMatchObject({ status: 200, body: { attemptId: res.body.attemptId } });
  });

  it("an Idempotency-Key stores the app path; the replay's Location resolves like the first", async () => {
    const key = `located-${Date.now()}`;
    const init = { as: teacher, body: { title: "Once", durationMinutes: 5 }, headers: { "idempotency-key": key } };
    const first = await rest("POST", "/exams", init);
    const replay = await rest("POST", "/exams", init);
    expect(replay).toMatchObject({ status: 201, headers: { "idempotent-replayed": "true" }, body: first.body });
    const target = `/exams/${first.body.examId}`;
    expect(followed(replay.headers["location"], "/exams")).toBe(target);
    // What is stored names no request's position: each replay is made relative to its own request.
    const stored = await api.db.get({ TableName: api.store.tableName, Key: idempotencyKey(String(teacher["sub"]), key), ConsistentRead: true });
    expect(stored.Item?.["response"]).toMatchObject({ headers: { location: target } });
  });
});

// `npm start` (src/dev/local-api.ts) serves the app through this dev server: local URLs carry no stage.
describe("ExamBuddy through the dev server: a Location resolves against the URL fetched", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi("location-dev");
  });
  afterAll(() => api.drop());
  afterEach(() => void vi.unstubAllEnvs());

  it.each<[DevSource, string | undefined]>([
    ["http", undefined],
    ["http", "beta"],
    ["rest", "dev"],
    ["alb", undefined],
  ])("--source %s --stage %s", async (source, stage) => {
    // How the app verifies the dev server's signed ALB sign-in (local-api.ts sets the same).
    vi.stubEnv("ALB_ARN", DEV_ALB_ARN);
    vi.stubEnv("ALB_OIDC_PUBLIC_KEY", ALB_OIDC_PUBLIC_KEY);
    const handler = handle(createApp({ services: () => ({ store: api.store, files: api.files }) }));
    const server = await startDevServer({ source, port: 0, log: () => undefined, getHandler: async () => ({ handler, cold: false }), ...(stage ? { stage } : {}) });
    try {
      const authorization = "Bearer dev.teacher.t-dev";
      const res = await fetch(`${server.url}/exams`, { method: "POST", headers: { authorization, "content-type": "application/json" }, body: JSON.stringify({ title: "Local", durationMinutes: 5 }) });
      expect(res.status).toBe(201);
      const exam = (await res.json()) as { examId: string };
      const resolved = new URL(res.headers.get("location")!, res.url);
      expect(resolved.href).toBe(`${server.url}/exams/${exam.examId}`);
      const read = await fetch(resolved, { headers: { authorization } });
      expect(read.status).toBe(200);
      expect(await read.json()).toMatchObject({ examId: exam.examId });
    } finally {
      await server.close();
    }
  });
});
