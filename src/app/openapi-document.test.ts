// ExamBuddy's /openapi.json against the app itself: a valid OpenAPI 3.1 document, every route in it, the
// request schemas giving valibot's verdict on sample payloads, and every response of a real end-to-end run
// (dynalite + s3rver) matching both the documented JSON Schema and the route's valibot response schema.
import { validate as validateOpenApi } from "@readme/openapi-parser";
import { Ajv2020 } from "ajv/dist/2020.js";
import { createEvent, handle, type OpenApiDocument, type RouteInfo, type StandardSchemaV1 } from "lambdalith";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestBucket, createTestTable } from "../../test/local-aws.ts";
import { createApp } from "./app.ts";
import { createFiles } from "./files.ts";
import { newId } from "./ids.ts";
import { MAX_PAGE_SIZE } from "./schemas.ts";
import { examBuddyOpenApi } from "./openapi-document.ts";
import { MIDDLEWARE_HEADERS, RESPONSES } from "./responses.ts";
import { createStore } from "./store/index.ts";

type Json = Record<string, any>;
const ajv = new Ajv2020({ allErrors: true, strict: true });
const services = () => {
  throw new Error("documentation touches no service");
};
const app = createApp({ services, version: "1.2.3" });
const routes = app.routes();
const document = examBuddyOpenApi(app, "1.2.3");
const template = (path: string) => path.replace(/:(\w+)/g, "{$1}");
const operation = (method: string, path: string): Json => (document.paths[template(path)] as Json | undefined)?.[method.toLowerCase()];
const route = (method: string, path: string): RouteInfo => routes.find((r) => r.method === method && r.path === path)!;
const accepts = (schema: Json, value: unknown) => ajv.validate(schema, value) as boolean;
const valibotAccepts = (schema: StandardSchemaV1, value: unknown) => {
  const result = schema["~standard"].validate(value);
  if (result instanceof Promise) throw new Error("ExamBuddy's schemas are synchronous");
  return result.issues === undefined;
};

describe("ExamBuddy's OpenAPI document", () => {
  it("is valid OpenAPI 3.1 (@readme/openapi-parser, offline) and converts every schema without a warning", async () => {
    const write = vi.spyOn(process.stdout, "write");
    const fresh = examBuddyOpenApi(app, "1.2.3");
    expect(write.mock.calls.map(([line]) => String(line)).filter((line) => line.includes('"warn"'))).toEqual([]);
    write.mockRestore();
    const result = await validateOpenApi(structuredClone(fresh) as never, { resolve: { external: false } });
    expect(result.valid ? [] : result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it("has every route of app.routes() with its method, and nothing else", () => {
    expect(routes.length).toBeGreaterThan(20);
    for (const r of routes) expect(operation(r.method, r.path), `${r.method} ${r.path}`).toBeDefined();
    const documented = Object.values(document.paths).reduce((n, item) => n + Object.keys(item).length, 0);
    expect(documented).toBe(routes.length);
  });

  it("documents each route: summary, tags, a success response, parameters for its path", () => {
    for (const r of routes) {
      const op = operation(r.method, r.path);
      expect(op["summary"], `${r.method} ${r.path}`).toEqual(expect.any(String));
      expect(op["tags"], `${r.method} ${r.path}`).toEqual([expect.any(String)]);
      const success = Object.keys(op["responses"]).filter((s) => /^2/.test(s));
      expect(success, `${r.method} ${r.path}`).toHaveLength(1);
      // Every success with a JSON body has its schema (204 has none; /openapi.json is the document itself;
      // results.csv is text/csv).
      if (success[0] !== "204" && r.path !== "/openapi.json" && !r.path.endsWith(".csv")) expect(op["responses"][success[0]!].content?.["application/json"]?.schema, `${r.method} ${r.path}`).toBeDefined();
    }
  });

  it("every route that takes If-Match documents its 412 and its 409 (stale or read-only)", () => {
    const conditional = routes.filter((r) => operation(r.method, r.path)["parameters"]?.some((p: Json) => p["in"] === "header" && p["name"] === "if-match"));
    expect(conditional.length).toBeGreaterThan(5);
    const missing = conditional.flatMap((r) => ["409", "412"].filter((s) => !operation(r.method, r.path)["responses"][s]).map((s) => `${r.method} ${r.path} ${s}`));
    expect(missing).toEqual([]);
  });

  it("RESPONSES documents every route, and names no route that doesn't exist", () => {
    expect(Object.keys(RESPONSES).sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
  });

  it("the headers middleware reads (Idempotency-Key) are documented on routes that exist, as optional header parameters", () => {
    for (const key of Object.keys(MIDDLEWARE_HEADERS)) {
      const [method, path] = key.split(" ") as [string, string];
      expect(route(method, path), key).toBeDefined();
      expect(operation(method, path)["parameters"], key).toContainEqual(expect.objectContaining({ name: "idempotency-key", in: "header", required: false }));
    }
  });

  it("puts the bearer JWT on every route but /health and /openapi.json", () => {
    expect(document.components.securitySchemes).toEqual({ bearer: expect.objectContaining({ type: "http", scheme: "bearer", bearerFormat: "JWT" }) });
    expect(document.security).toEqual([{ bearer: [] }]);
    for (const r of routes) {
      const op = operation(r.method, r.path);
      const isPublic = r.path === "/health" || r.path === "/openapi.json";
      expect(op["security"], r.path).toEqual(isPublic ? [] : undefined);
      // The problem+json of every 401, with the WWW-Authenticate auth.ts sends (was: the shared component, without it).
      expect(op["responses"]["401"], r.path).toEqual(
        isPublic ? undefined : expect.objectContaining({ headers: { "WWW-Authenticate": expect.objectContaining({ required: true }) }, content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } }),
      );
    }
  });
});

// [method, route, where, sample, valid?]: JSON Schema and valibot must agree.
const ID = newId();
const single = { kind: "single", text: "2 + 2?", points: 2, choices: ["3", "4"], correct: 1 };
const agreeing: Array<[string, string, "params" | "query" | "headers" | "body", unknown, boolean]> = [
  ["POST", "/exams", "body", { title: "Algebra", durationMinutes: 30 }, true],
  ["POST", "/exams", "body", { title: "Algebra", description: "Chapter 1", durationMinutes: 1440 }, true],
  ["POST", "/exams", "body", { title: "Algebra", durationMinutes: 30, maxAttempts: 3 }, true],
  ["POST", "/exams", "body", { title: "Algebra", durationMinutes: 30, maxAttempts: 0 }, false],
  ["POST", "/exams", "body", { title: "Algebra", durationMinutes: 0 }, false],
  ["POST", "/exams", "body", { title: "Algebra", durationMinutes: 1441 }, false],
  ["POST", "/exams", "body", { title: "Algebra", durationMinutes: 30.5 }, false],
  ["POST", "/exams", "body", { title: "", durationMinutes: 30 }, false],
  ["POST", "/exams", "body", { title: "x".repeat(201), durationMinutes: 30 }, false],
  ["POST", "/exams", "body", { title: "bell\u0007", durationMinutes: 30 }, false],
  ["POST", "/exams", "body", { durationMinutes: 30 }, false],
  ["POST", "/exams", "body", [], false],
  ["PATCH", "/exams/:examId", "body", { title: "Renamed", version: 3 }, true],
  ["PATCH", "/exams/:examId", "body", { durationMinutes: 2000 }, false],
  ["PATCH", "/exams/:examId", "body", { title: "Renamed", version: 0 }, false],
  ["POST", "/exams/:examId/questions", "body", single, true],
  ["POST", "/exams/:examId/questions", "body", { kind: "multiple", text: "Primes?", choices: ["2", "4", "5"], correct: [0, 2] }, true],
  ["POST", "/exams/:examId/questions", "body", { kind: "text", text: "Capital of France?", accepted: ["Paris"] }, true],
  ["POST", "/exams/:examId/questions", "body", { ...single, kind: "essay" }, false],
  ["POST", "/exams/:examId/questions", "body", { ...single, choices: ["only"] }, false],
  ["POST", "/exams/:examId/questions", "body", { ...single, correct: 20 }, false],
  ["POST", "/exams/:examId/questions", "body", { kind: "text", text: "Capital?", accepted: [] }, false],
  ["POST", "/exams/:examId/questions", "body", { ...single, points: 1001 }, false],
  ["POST", "/exams/:examId/questions", "body", { kind: "text", text: "Capital?", accepted: ["Paris"], choices: ["Paris", "Lyon"] }, false],
  ["POST", "/exams/:examId/questions", "body", { ...single, accepted: ["4"] }, false],
  ["PATCH", "/exams/:examId/questions/:questionId", "body", { text: "3 + 3?" }, true],
  ["PATCH", "/exams/:examId/questions/:questionId", "body", { points: -1 }, false],
  ["PATCH", "/exams/:examId/questions/:questionId", "body", { kind: "essay" }, false],
  ["PUT", "/attempts/:attemptId/answers", "body", { answers: { [ID]: 1, [newId()]: [0, 2], [newId()]: "Paris" } }, true],
  ["PUT", "/attempts/:attemptId/answers", "body", { answers: {} }, true],
  ["PUT", "/attempts/:attemptId/answers", "body", { answers: { "not-an-id": 1 } }, false],
  ["PUT", "/attempts/:attemptId/answers", "body", { answers: { [ID]: 20 } }, false],
  ["PUT", "/attempts/:attemptId/answers", "body", { answers: { [ID]: true } }, false],
  ["PUT", "/attempts/:attemptId/answers", "body", {}, false],
  ["POST", "/exams/:examId/files", "body", { fileName: "notes.pdf", contentType: "application/pdf", size: 1024 }, true],
  ["POST", "/exams/:examId/files", "body", { fileName: "a.exe", contentType: "application/x-msdownload", size: 10 }, false],
  ["POST", "/exams/:examId/files", "body", { fileName: "big.pdf", contentType: "application/pdf", size: 10 * 1024 * 1024 + 1 }, false],
  ["POST", "/exams/:examId/files", "body", { fileName: "empty.png", contentType: "image/png", size: 0 }, false],
  ["PATCH", "/me", "body", { displayName: "Ada" }, true],
  ["PATCH", "/me", "body", { displayName: "" }, false],
  ["PATCH", "/me", "body", { displayName: "Ada", version: "2" }, false],
  ["GET", "/exams", "query", {}, true],
  ["GET", "/exams", "query", { status: "draft", limit: "5", cursor: "abc_-1" }, true],
  ["GET", "/exams", "query", { status: "archived" }, false],
  ["GET", "/exams", "query", { limit: "five" }, false],
  ["GET", "/exams", "query", { cursor: "a b" }, false],
  ["GET", "/exams/:examId/files", "query", { limit: "100" }, true],
  ["GET", "/exams/:examId", "params", { examId: ID }, true],
  ["GET", "/exams/:examId", "params", { examId: "e-1" }, false],
  ["GET", "/exams/:examId/files/:fileId", "params", { examId: ID, fileId: "nope" }, false],
  ["PATCH", "/exams/:examId", "headers", { "if-match": '"3"' }, true],
  ["PATCH", "/exams/:examId", "headers", { "if-match": 'W/"12"' }, true],
  ["PATCH", "/exams/:examId", "headers", { "if-match": "abc" }, false],
  ["PATCH", "/exams/:examId", "headers", { "if-match": '"abc"' }, true],
  ["PATCH", "/exams/:examId", "headers", { "if-match": '"3", "4"' }, false],
  ["PATCH", "/exams/:examId", "headers", {}, true],
];

// What JSON Schema cannot say (valibot's trim, check, partialCheck and transform are documented without
// them, and schemas.ts's caps, a check before the schema they guard): here valibot refuses what the
// document allows. Listed so that a change either way is seen.
const jsonSchemaCannotSay: Array<[string, string, "query" | "body", unknown, string]> = [
  ["POST", "/exams", "body", { title: "   ", durationMinutes: 30 }, "trim, then minLength"],
  ["PATCH", "/exams/:examId", "body", {}, "check: at least one field"],
  ["POST", "/exams/:examId/questions", "body", { ...single, choices: ["4", "4"] }, "check: distinct choices"],
  ["POST", "/exams/:examId/questions", "body", { ...single, correct: 5 }, "partialCheck: correct < choices.length"],
  ["GET", "/exams", "query", { limit: "500" }, "transform(Number), then maxValue"],
  ["POST", "/exams/:examId/questions", "body", { ...single, choices: Array.from({ length: 21 }, (_, i) => `c${i}`) }, "a cap counted before validation: at most 20 choices"],
];

// The schema the document gives one location: the body's, or the parameters' as one object.
function documentedSchema(method: string, path: string, where: "params" | "query" | "headers" | "body"): Json {
  const op = operation(method, path);
  if (where === "body") return op["requestBody"].content["application/json"].schema;
  const place = { params: "path", query: "query", headers: "header" }[where];
  const parameters = (op["parameters"] as Json[]).filter((p) => p["in"] === place);
  return { type: "object", properties: Object.fromEntries(parameters.map((p) => [p["name"], p["schema"]])), required: parameters.filter((p) => p["required"]).map((p) => p["name"]) };
}

describe("request schemas: the document and valibot give the same verdict", () => {
  it.each(agreeing)("%s %s %s %j → valid: %s", (method, path, where, sample, valid) => {
    const schema = route(method, path).schemas[where]!;
    expect(valibotAccepts(schema, sample), "valibot").toBe(valid);
    expect(accepts(documentedSchema(method, path, where), sample), `JSON Schema: ${ajv.errorsText()}`).toBe(valid);
  });

  it.each(jsonSchemaCannotSay)("%s %s %s %j: valibot refuses, the document allows (%s)", (method, path, where, sample) => {
    expect(valibotAccepts(route(method, path).schemas[where]!, sample)).toBe(false);
    expect(accepts(documentedSchema(method, path, where), sample)).toBe(true);
  });

  it("what the document cannot say as JSON Schema it says in words: ?limit's bounds, checked after Number() (was: a pattern allowing 0 and 9999)", () => {
    const limits = routes.flatMap((r) => ((operation(r.method, r.path)["parameters"] ?? []) as Json[]).filter((p) => p["in"] === "query" && p["name"] === "limit"));
    expect(limits.length).toBeGreaterThan(0);
    for (const limit of limits) expect(limit["schema"]["description"]).toBe(`Items per page, 1 to ${MAX_PAGE_SIZE}`);
  });

  it("requestBody.required follows the schema: every ExamBuddy body is required", () => {
    for (const r of routes.filter((x) => x.schemas.body)) expect(operation(r.method, r.path)["requestBody"].required, r.path).toBe(true);
  });
});

describe("responses of a real run match the document and the valibot response schemas", () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let handler: ReturnType<typeof handle>;
  const checked = new Set<string>();
  const docAjv = new Ajv2020({ allErrors: true, strict: false });
  docAjv.addSchema(document, "doc");

  beforeAll(async () => {
    table = await createTestTable("openapi");
    const store = createStore({ tableName: table.tableName });
    const files = createFiles({ bucket: await createTestBucket("openapi") });
    handler = handle(createApp({ services: () => ({ store, files }), stage: "test", version: "1.2.3", log: () => undefined }));
  });
  afterAll(() => table.drop());

  // Calls the API, then checks the answer: its status is documented for the route, and its JSON body
  // satisfies the documented schema and the route's own valibot schema.
  async function call(method: string, path: string, url: string, init: { as?: Json; body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; body: any }> {
    const body = init.body === undefined ? undefined : JSON.stringify(init.body);
    const event = createEvent("http-api-v2", { method, path: url, headers: { ...(body ? { "content-type": "application/json" } : {}), ...init.headers }, ...(body ? { body } : {}), ...(init.as ? { auth: init.as } : {}) });
    const res = await handler(event, { awsRequestId: "openapi-test" });
    const parsed = res.body ? JSON.parse(res.body) : undefined;
    const status = String(res.statusCode);
    const documented = operation(method, path)["responses"][status] as Json | undefined;
    expect(documented, `${method} ${path} answered ${status}, which the document doesn't list`).toBeDefined();
    // A problem response (a shared component, or an error status the route describes): its body satisfies
    // the problem schema.
    const response = documented!["$ref"] ? (docAjv.getSchema(`doc${documented!["$ref"]}`)!.schema as Json) : documented!;
    const content = response["content"]?.["application/problem+json"]?.schema;
    if (content) {
      expect(res.headers?.["content-type"]).toBe("application/problem+json");
      expect(docAjv.validate({ $ref: `doc${content["$ref"]}` }, parsed), `${method} ${path} ${status}: ${docAjv.errorsText()}\n${JSON.stringify(parsed)}`).toBe(true);
    } else if (documented!["content"]) {
      expect(accepts(documented!["content"]["application/json"].schema, parsed), `${method} ${path} ${status}: ${ajv.errorsText()}\n${JSON.stringify(parsed)}`).toBe(true);
      const given = RESPONSES[`${method} ${path}`]![status]!;
      expect(valibotAccepts("~standard" in given ? given : given.schema!, parsed), `${method} ${path} ${status} (valibot)`).toBe(true);
      checked.add(`${method} ${path}`);
    }
    return { status: res.statusCode, body: parsed };
  }

  it("every documented response body is met by what the API sends", async () => {
    const teacher = { sub: "t-ada", email: "ada@example.com", "cognito:groups": "[teacher]" };
    const student = { sub: "s-cy", "cognito:groups": "[student]" };

    expect((await call("GET", "/health", "/health")).status).toBe(200);
    expect((await call("GET", "/openapi.json", "/openapi.json")).body).toEqual(JSON.parse(JSON.stringify(document)));
    expect((await call("GET", "/me", "/me")).status).toBe(401);
    expect((await call("GET", "/me", "/me", { as: teacher })).status).toBe(200);
    expect((await call("PATCH", "/me", "/me", { as: teacher, body: { displayName: "Ada L." } })).status).toBe(200);

    const exam = (await call("POST", "/exams", "/exams", { as: teacher, body: { title: "Algebra", durationMinutes: 30 } })).body;
    const e = `/exams/${exam.examId}`;
    expect((await call("POST", "/exams", "/exams", { as: teacher, body: { title: "", durationMinutes: 0 } })).status).toBe(422);
    expect((await call("GET", "/exams/:examId", `/exams/${newId()}`, { as: teacher })).status).toBe(404);
    expect((await call("PATCH", "/exams/:examId", e, { as: teacher, headers: { "if-match": `"${exam.version}"` }, body: { description: "Chapter 1" } })).status).toBe(200);
    expect((await call("PATCH", "/exams/:examId", e, { as: teacher, headers: { "if-match": '"1"' }, body: { title: "Stale" } })).status).toBe(412);
    const q = (await call("POST", "/exams/:examId/questions", `${e}/questions`, { as: teacher, body: single })).body;
    await call("POST", "/exams/:examId/questions", `${e}/questions`, { as: teacher, body: { kind: "multiple", text: "Primes?", choices: ["2", "4", "5"], correct: [0, 2] } });
    await call("POST", "/exams/:examId/questions", `${e}/questions`, { as: teacher, body: { kind: "text", text: "Capital of France?", accepted: ["Paris"] } });
    const extra = (await call("POST", "/exams/:examId/questions", `${e}/questions`, { as: teacher, body: { ...single, text: "Extra" } })).body;
    expect((await call("PATCH", "/exams/:examId/questions/:questionId", `${e}/questions/${q.questionId}`, { as: teacher, body: { points: 3 } })).status).toBe(200);
    expect((await call("DELETE", "/exams/:examId/questions/:questionId", `${e}/questions/${extra.questionId}`, { as: teacher, headers: { "if-match": '"9"' } })).status).toBe(412);
    expect((await call("DELETE", "/exams/:examId/questions/:questionId", `${e}/questions/${extra.questionId}`, { as: teacher })).status).toBe(204);
    await call("GET", "/exams/:examId/questions", `${e}/questions`, { as: teacher });
    expect((await call("GET", "/exams/:examId/questions/:questionId", `${e}/questions/${q.questionId}`, { as: teacher })).body).toMatchObject({ questionId: q.questionId, points: 3 });
    await call("GET", "/exams/:examId", e, { as: teacher });
    await call("GET", "/exams", "/exams?status=draft", { as: teacher });

    // The upload is checked for what it declares: a PDF starts with %PDF-.
    const bytes = new Uint8Array(1000).fill(32);
    bytes.set(new TextEncoder().encode("%PDF-1.7\n"));
    const started = (await call("POST", "/exams/:examId/files", `${e}/files`, { as: teacher, body: { fileName: "notes.pdf", contentType: "application/pdf", size: bytes.length } })).body;
    expect((await call("POST", "/exams/:examId/files/:fileId/complete", `${e}/files/${started.file.fileId}/complete`, { as: teacher })).status).toBe(409);
    expect((await fetch(started.upload.url, { method: "PUT", headers: started.upload.headers, body: bytes })).status).toBe(200);
    expect((await call("POST", "/exams/:examId/files/:fileId/complete", `${e}/files/${started.file.fileId}/complete`, { as: teacher })).status).toBe(200);
    await call("GET", "/exams/:examId/files", `${e}/files`, { as: teacher });
    expect((await call("GET", "/exams/:examId/files/:fileId", `${e}/files/${started.file.fileId}`, { as: teacher })).status).toBe(200);
    const spare = (await call("POST", "/exams/:examId/files", `${e}/files`, { as: teacher, body: { fileName: "spare.pdf", contentType: "application/pdf", size: 10 } })).body;
    const spareFile = `${e}/files/${spare.file.fileId}`;
    expect((await call("DELETE", "/exams/:examId/files/:fileId", spareFile, { as: teacher, headers: { "if-match": '"1"' } })).status).toBe(412);
    expect((await call("DELETE", "/exams/:examId/files/:fileId", spareFile, { as: teacher })).status).toBe(204);
    expect((await call("DELETE", "/exams/:examId/files/:fileId", spareFile, { as: teacher })).status).toBe(404);

    const current = (await call("GET", "/exams/:examId", e, { as: teacher })).body;
    expect((await call("POST", "/exams/:examId/publish", `${e}/publish`, { as: teacher, headers: { "if-match": `"${current.version}"` } })).status).toBe(200);

    expect((await call("POST", "/exams", "/exams", { as: student, body: { title: "Mine", durationMinutes: 5 } })).status).toBe(403);
    await call("GET", "/exams", "/exams", { as: student });
    await call("GET", "/exams/:examId", e, { as: student });
    await call("GET", "/exams/:examId/questions", `${e}/questions`, { as: student });
    expect((await call("GET", "/exams/:examId/questions/:questionId", `${e}/questions/${q.questionId}`, { as: student })).body).not.toHaveProperty("correct");
    expect((await call("GET", "/exams/:examId/questions/:questionId", `${e}/questions/${extra.questionId}`, { as: student })).status).toBe(404);
    const attempt = (await call("POST", "/exams/:examId/attempts", `${e}/attempts`, { as: student })).body;
    expect(attempt.questions, JSON.stringify(attempt)).toHaveLength(3);
    const [first, second, third] = attempt.questions;
    const answers = { [first.questionId]: 1, [second.questionId]: [0, 2], [third.questionId]: "Paris" };
    expect((await call("PUT", "/attempts/:attemptId/answers", `/attempts/${attempt.attemptId}/answers`, { as: student, body: { answers } })).status).toBe(200);
    const submitted = (await call("POST", "/attempts/:attemptId/submit", `/attempts/${attempt.attemptId}/submit`, { as: student })).body;
    expect(submitted.result).toMatchObject({ score: 5, maxScore: 5 });
    await call("GET", "/attempts/:attemptId", `/attempts/${attempt.attemptId}`, { as: student });
    await call("GET", "/exams/:examId/attempts", `${e}/attempts`, { as: student });
    await call("GET", "/exams/:examId/attempts", `${e}/attempts`, { as: teacher });

    const doomed = (await call("POST", "/exams", "/exams", { as: teacher, body: { title: "Doomed", durationMinutes: 5 } })).body;
    expect((await call("DELETE", "/exams/:examId", `/exams/${doomed.examId}`, { as: teacher, headers: { "if-match": '"1"' } })).status).toBe(204);

    // Every documented success body was met at least once.
    const withBodies = routes.filter((r) => Object.entries(operation(r.method, r.path)["responses"]).some(([status, res]: [string, any]) => /^2/.test(status) && res.content?.["application/json"]?.schema)).map((r) => `${r.method} ${r.path}`);
    expect([...checked].sort()).toEqual(withBodies.sort());
  });

  it("a body outside the documented shape fails both: the document and valibot reject the same sample", () => {
    const exam = { examId: ID, teacherId: "t", title: "T", description: "", durationMinutes: 5, maxAttempts: 1, questionCount: 0, status: "archived", version: 1, createdAt: "x", updatedAt: "x" };
    const schema = operation("POST", "/exams")["responses"]["201"].content["application/json"].schema;
    const created = RESPONSES["POST /exams"]!["201"]!;
    const given = "~standard" in created ? created : created.schema!;
    expect([accepts(schema, exam), valibotAccepts(given, exam)]).toEqual([false, false]);
    expect([accepts(schema, { ...exam, status: "draft" }), valibotAccepts(given, { ...exam, status: "draft" })]).toEqual([true, true]);
  });
});

// Keep the type import honest: the document served is the OpenApiDocument openapi() returns.
const _typed: OpenApiDocument = document;
void _typed;
