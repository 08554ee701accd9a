import { validate as validateOpenApi } from "@readme/openapi-parser";
import { toStandardJsonSchema } from "@valibot/to-json-schema";
import * as v from "valibot";
import { afterEach, describe, expect, it, vi } from "vitest";
import { HttpError } from "../lib/error.ts";
import { router } from "../router/router.ts";
import type { StandardSchemaV1 } from "../router/standard-schema.ts";
import { testRequest } from "../router/test-request.ts";
import { validate } from "../router/validate.ts";
import { openapi, type OpenApiOptions } from "./openapi.ts";

const doc = toStandardJsonSchema;
const info = { title: "Test API", version: "1.0.0" };
const bearer = { security: [{ bearer: [] }], securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } };
const Exam = doc(v.object({ examId: v.string(), title: v.string() }));

// A Standard Schema with no JSON Schema converter, and one whose converter throws.
const bare: StandardSchemaV1 = { "~standard": { version: 1, vendor: "hand", validate: (value) => ({ value }) } };
const broken = { "~standard": { ...bare["~standard"], jsonSchema: { input: () => { throw new Error("no JSON Schema for this"); }, output: () => ({}) } } };

const small = () =>
  router({ validate })
    .get("/health", { summary: "Liveness", tags: ["ops"], security: [] }, () => "ok")
    .get("/exams/:examId", { params: doc(v.object({ examId: v.pipe(v.string(), v.regex(/^e-\d+$/)) })), tags: ["exams"], operationId: "getExam", responses: { 200: Exam } }, () => ({}))
    .get("/exams/:examId/files/:fileId", () => ({}))
    .post("/exams", { body: doc(v.object({ title: v.string() })), responses: { 201: { description: "The new exam", schema: Exam }, 409: { description: "Taken" } } }, () => ({}))
    .put("/drafts", { body: doc(v.optional(v.object({ title: v.string() }))) }, () => ({}))
    .get("/files/*", () => ({}))
    .all("/echo", { summary: "Echo", operationId: "echo" }, () => ({}))
    .get("/echo", { summary: "Echo by GET" }, () => ({}));

const silent: Pick<OpenApiOptions, "onWarnings"> = { onWarnings: () => undefined };

afterEach(() => vi.restoreAllMocks());

describe("openapi()", () => {
  it("is a valid OpenAPI 3.1 document (checked offline by @readme/openapi-parser)", async () => {
    const document = openapi(small(), { info, servers: [{ url: "https://api.example.com" }], ...bearer });
    expect(document.openapi).toBe("3.1.0");
    const result = await validateOpenApi(structuredClone(document) as never, { resolve: { external: false } });
    expect(result.valid ? [] : result.errors).toEqual([]);
  });

  it("a call a JavaScript caller got wrong names the argument (was: 'app.routes is not a function', '\"undefined\" is not valid JSON')", () => {
    const info = { title: "t", version: "1" };
    expect(() => openapi({} as never, { info })).toThrow("openapi(app, options): app is a router (it has routes())");
    expect(() => openapi(undefined as never, { info })).toThrow("app is a router");
    for (const options of [undefined, {}, { info: { title: "t" } }, { info: { title: "t", version: 1 } }]) {
      expect(() => openapi(router(), options as never)).toThrow("openapi(app, options): options.info needs a title and a version (strings)");
    }
    expect(openapi(router(), { info }).info).toEqual(info);
  });

  it("the validator does catch a broken document (so a pass above means something)", async () => {
    const document = openapi(small(), { info, ...bearer }) as unknown as { paths: Record<string, Record<string, { parameters?: unknown[] }>> };
    document.paths["/exams/{examId}"]!["get"]!.parameters = [];
    const result = await validateOpenApi(structuredClone(document) as never, { resolve: { external: false } });
    expect(result.valid).toBe(false);
  });

  it("/exams/:examId → /exams/{examId}: every {name} a required path parameter, schema or not", () => {
    const { paths } = openapi(small(), { info });
    expect(paths["/exams/{examId}"]!["get"]!.parameters).toEqual([{ name: "examId", in: "path", required: true, schema: { type: "string", pattern: "^e-\\d+$" } }]);
    expect(paths["/exams/{examId}/files/{fileId}"]!["get"]!.parameters).toEqual([
      { name: "examId", in: "path", required: true, schema: { type: "string" } },
      { name: "fileId", in: "path", required: true, schema: { type: "string" } },
    ]);
  });

  it("a trailing * is one path parameter spanning segments ('/files/*' matches '/files' and '/files/a/b')", () => {
    const [parameter] = openapi(small(), { info }).paths["/files/{*}"]!["get"]!.parameters!;
    expect(parameter).toMatchObject({ name: "*", in: "path", required: true, schema: { type: "string" } });
    expect(parameter!["description"]).toMatch(/segments/);
  });

  it("all() is each standard method; a method's own route keeps its own operation, and GET's answers HEAD (was: all()'s HEAD documented)", () => {
    const echo = openapi(small(), { info }).paths["/echo"]!;
    // The router answers HEAD with the GET route, as for any GET route, whose HEAD is not listed either.
    expect(Object.keys(echo).sort()).toEqual(["delete", "get", "options", "patch", "post", "put", "trace"]);
    expect(Object.keys(openapi(router().all("/any", () => 1), { info }).paths["/any"]!).sort()).toEqual(["delete", "get", "head", "options", "patch", "post", "put", "trace"]);
    expect(echo["get"]!.summary).toBe("Echo by GET");
    expect(echo["get"]!.operationId).toBeUndefined();
    expect(echo["post"]).toMatchObject({ summary: "Echo", operationId: "echo_post" });
  });

  it("all() is documented under each method of OpenAPI's path item that the router answers it for (was: TRACE answered, not documented)", async () => {
    const app = router().all("/any", () => 1);
    const documented = Object.keys(openapi(app, { info }).paths["/any"]!).sort();
    const answered: string[] = [];
    for (const method of ["get", "put", "post", "delete", "options", "head", "patch", "trace"]) if ((await app.handle(testRequest(method.toUpperCase(), "/any"))).status === 200) answered.push(method);
    expect(documented).toEqual(answered.sort());
  });

  it("responses: a bare schema gets its status's description; { description, schema? } as given (an error without a schema as problem+json); none → 200 OK", () => {
    const { paths } = openapi(small(), { info });
    expect(paths["/exams/{examId}"]!["get"]!.responses["200"]).toEqual({
      description: "OK",
      content: { "application/json": { schema: { type: "object", properties: { examId: { type: "string" }, title: { type: "string" } }, required: ["examId", "title"] } } },
    });
    const post = paths["/exams"]!["post"]!.responses;
    expect(post["201"]).toMatchObject({ description: "The new exam", content: { "application/json": { schema: { type: "object" } } } });
    expect(post["409"]).toEqual({ description: "Taken", content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } });
    expect(post["200"]).toBeUndefined();
    expect(paths["/health"]!["get"]!.responses["200"]).toEqual({ description: "OK" });
  });

  it("requestBody: JSON, required when the schema refuses an empty body (validate() passes undefined)", () => {
    const { paths } = openapi(small(), { info });
    expect(paths["/exams"]!["post"]!.requestBody).toEqual({ required: true, content: { "application/json": { schema: { type: "object", properties: { title: { type: "string" } }, required: ["title"] } } } });
    expect(paths["/drafts"]!["put"]!.requestBody).toMatchObject({ required: false });
  });

  it("query and header parameters come from their object schemas; Authorization and Content-Type are left to OpenAPI", () => {
    const app = router({ validate }).get(
      "/exams",
      {
        query: doc(v.object({ limit: v.optional(v.string(), "20"), status: v.picklist(["draft", "published"]) })),
        headers: doc(v.object({ "if-match": v.optional(v.string()), authorization: v.string(), "content-type": v.optional(v.string()) })),
      },
      () => [],
    );
    expect(openapi(app, { info }).paths["/exams"]!["get"]!.parameters).toEqual([
      { name: "limit", in: "query", required: false, schema: { type: "string", default: "20" } },
      { name: "status", in: "query", required: true, schema: { type: "string", enum: ["draft", "published"] } },
      { name: "if-match", in: "header", required: false, schema: { type: "string" } },
    ]);
  });

  it("problem+json responses are described once in components and referenced where they can occur; never 405", () => {
    const document = openapi(small(), { info, ...bearer });
    const refs = (path: string, method: string) =>
      Object.fromEntries(Object.entries(document.paths[path]![method]!.responses).filter(([, r]) => "$ref" in r).map(([status, r]) => [status, r["$ref"]]));
    // Public, no schemas, no params: only the 500 can happen.
    expect(refs("/health", "get")).toEqual({ "500": "#/components/responses/InternalServerError" });
    // Body schema: malformed JSON 400, 415, 422; secured: 401; no path params: no 404.
    expect(Object.keys(refs("/exams", "post"))).toEqual(["400", "401", "415", "422", "500"]);
    // Path params: 400 (malformed escape) and 404; no schemas → no 422.
    expect(Object.keys(refs("/exams/{examId}/files/{fileId}", "get"))).toEqual(["400", "401", "404", "500"]);
    expect(Object.keys(document.components.responses)).toEqual(["BadRequest", "Unauthorized", "NotFound", "UnsupportedMediaType", "ValidationFailed", "InternalServerError"]);
    expect(document.components.responses["ValidationFailed"]).toEqual({ description: expect.any(String), content: { "application/problem+json": { schema: { $ref: "#/components/schemas/ValidationProblem" } } } });
    expect(JSON.stringify(document)).not.toContain('"405"');
    expect(document.components.securitySchemes).toEqual(bearer.securitySchemes);
    expect(document.security).toEqual([{ bearer: [] }]);
    expect(document.paths["/health"]!["get"]!.security).toEqual([]);
  });

  it("only the problem responses some operation uses are in components", () => {
    const document = openapi(router().get("/health", () => "ok"), { info });
    expect(Object.keys(document.components.responses)).toEqual(["InternalServerError"]);
  });

  it("a schema without the converter is {} and named in a warning, never a crash", () => {
    const warnings: string[][] = [];
    const app = router({ validate }).post("/exams/:examId", { params: bare, body: bare }, () => ({}));
    const op = openapi(app, { info, onWarnings: (w) => warnings.push(w) }).paths["/exams/{examId}"]!["post"]!;
    expect(op.requestBody).toEqual({ required: false, content: { "application/json": { schema: {} } } });
    expect(op.parameters).toEqual([{ name: "examId", in: "path", required: true, schema: { type: "string" } }]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toEqual([expect.stringMatching(/^POST \/exams\/\{examId\} params: .*no Standard JSON Schema converter/), expect.stringMatching(/^POST \/exams\/\{examId\} body: /)]);
  });

  it("a converter that throws is {} and its message goes into the warning", () => {
    const warnings: string[] = [];
    const app = router({ validate }).put("/exams", { body: broken }, () => ({}));
    const op = openapi(app, { info, onWarnings: (w) => warnings.push(...w) }).paths["/exams"]!["put"]!;
    expect(op.requestBody!["content"]).toEqual({ "application/json": { schema: {} } });
    expect(warnings).toEqual([expect.stringContaining("PUT /exams body: converting the schema failed (no JSON Schema for this)")]);
  });

  it("by default the warnings are one logJson line", () => {
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    openapi(router({ validate }).put("/a", { body: bare, query: bare }, () => ({})), { info });
    expect(write).toHaveBeenCalledTimes(1);
    const line = JSON.parse(String(write.mock.calls[0]![0]));
    expect(line).toMatchObject({ level: "warn", warnings: [expect.stringContaining("PUT /a query"), expect.stringContaining("PUT /a body")] });
  });

  it("the default log line does not call every warning a schema documented as {} (was: so for a left-out route or response too)", () => {
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    openapi(router().get("/a/:id", () => 1).get("/a/*", () => 1), { info });
    const line = JSON.parse(String(write.mock.calls[0]![0]));
    expect(line.warnings).toEqual([expect.stringContaining("GET /a/* is not documented")]);
    expect(line.message).not.toMatch(/schemas/);
  });

  it("libraryOptions reach the converter: valibot's trim converts only with errorMode 'ignore'", () => {
    const app = router({ validate }).post("/exams", { body: doc(v.object({ title: v.pipe(v.string(), v.trim(), v.minLength(1)) })) }, () => ({}));
    const warnings: string[] = [];
    const strict = openapi(app, { info, onWarnings: (w) => warnings.push(...w) });
    expect(strict.paths["/exams"]!["post"]!.requestBody!["content"]).toEqual({ "application/json": { schema: {} } });
    expect(warnings[0]).toMatch(/trim/);
    const lenient = openapi(app, { info, libraryOptions: { errorMode: "ignore" }, ...silent });
    expect(lenient.paths["/exams"]!["post"]!.requestBody!["content"]).toEqual({ "application/json": { schema: { type: "object", properties: { title: { type: "string", minLength: 1 } }, required: ["title"] } } });
  });

  it("$defs move to components.schemas and their references follow (a recursive schema stays valid)", async () => {
    const tree = {
      "~standard": {
        ...bare["~standard"],
        jsonSchema: {
          input: () => ({ $schema: "https://json-schema.org/draft/2020-12/schema", $ref: "#/$defs/Node", $defs: { Node: { type: "object", properties: { children: { type: "array", items: { $ref: "#/$defs/Node" } } } } } }),
          output: () => ({}),
        },
      },
    };
    const document = openapi(router({ validate }).post("/trees", { body: tree }, () => ({})), { info });
    expect(document.paths["/trees"]!["post"]!.requestBody!["content"]).toEqual({ "application/json": { schema: { $ref: "#/components/schemas/Node" } } });
    expect(document.components.schemas["Node"]).toEqual({ type: "object", properties: { children: { type: "array", items: { $ref: "#/components/schemas/Node" } } } });
    const result = await validateOpenApi(structuredClone(document) as never, { resolve: { external: false } });
    expect(result.valid ? [] : result.errors).toEqual([]);
  });

  it("is deterministic: the same app gives the same JSON, byte for byte", () => {
    const app = small();
    expect(JSON.stringify(openapi(app, { info, ...bearer }))).toBe(JSON.stringify(openapi(app, { info, ...bearer })));
    expect(JSON.stringify(openapi(small(), { info, ...bearer }))).toBe(JSON.stringify(openapi(app, { info, ...bearer })));
  });

  it("never changes the app, and the document shares no object with it", async () => {
    const app = small();
    const before = JSON.stringify(app.routes());
    const document = openapi(app, { info, ...bearer });
    expect(JSON.stringify(app.routes())).toBe(before);
    document.paths["/health"]!["get"]!.tags!.push("changed");
    document.paths["/health"]!["get"]!.security!.push({ bearer: [] });
    document.security!.push({ other: [] });
    expect(JSON.stringify(app.routes())).toBe(before);
    expect(bearer.security).toEqual([{ bearer: [] }]);
    expect(openapi(app, { info, ...bearer }).paths["/health"]!["get"]!.tags).toEqual(["ops"]);
  });

  it("mounted groups are documented under their prefix", () => {
    const app = router().route("/v1", router().get("/users/:id", () => ({})));
    expect(Object.keys(openapi(app, { info }).paths)).toEqual(["/v1/users/{id}"]);
  });

  describe("documents what it is given, whatever the converters do (review of 2026-12-01)", () => {
    const hand = (input: () => unknown, validate: (value: unknown) => unknown = (value) => ({ value })) =>
      ({ "~standard": { version: 1, vendor: "hand", validate, jsonSchema: { input, output: () => ({}) } } }) as unknown as StandardSchemaV1;
    const valid = async (document: unknown) => {
      const result = await validateOpenApi(structuredClone(document) as never, { resolve: { external: false } });
      return result.valid ? [] : result.errors;
    };

    it("a validate that throws on an empty body, or a converter that gives null, undefined or a string, is documented with a warning, never a crash (was: TypeError)", async () => {
      const warnings: string[] = [];
      const app = router({ validate })
        .post("/a", { body: hand(() => ({ type: "object" }), (value) => ({ value: (value as { title: string }).title })) }, () => 1)
        .post("/b", { body: hand(() => null) }, () => 1)
        .post("/c", { body: hand(() => undefined) }, () => 1)
        .post("/d", { body: hand(() => "x") }, () => 1)
        .post("/e", { body: hand(() => true) }, () => 1);
      const document = openapi(app, { info, onWarnings: (w) => warnings.push(...w) });
      expect(document.paths["/a"]!["post"]!.requestBody).toMatchObject({ required: true });
      for (const path of ["/b", "/c", "/d", "/e"]) expect(document.paths[path]!["post"]!.requestBody!["content"]).toEqual({ "application/json": { schema: {} } });
      expect(warnings).toHaveLength(4);
      expect(await valid(document)).toEqual([]);
    });

    it("two schemas' definitions of one name (valibot's \"0\" for each recursive schema) stay two components, each route pointing at its own (was: the second route documented with the first's)", async () => {
      type Folder = { name: string; folders: Folder[] };
      const Folder: v.GenericSchema<Folder> = v.object({ name: v.string(), folders: v.array(v.lazy(() => Folder)) });
      type Expr = { op: "+" | "-"; args: Array<number | Expr> };
      const Expr: v.GenericSchema<Expr> = v.object({ op: v.picklist(["+", "-"]), args: v.array(v.union([v.number(), v.lazy(() => Expr)])) });
      const document = openapi(router({ validate }).post("/folders", { body: doc(Folder) }, () => 1).post("/formulas", { body: doc(Expr) }, () => 1).post("/again", { body: doc(Folder) }, () => 1), { info, ...silent });
      const ref = (path: string) => JSON.stringify(document.paths[path]!["post"]!.requestBody);
      const folder = ref("/folders").match(/components\/schemas\/([^"]+)"/)![1]!;
      const formula = ref("/formulas").match(/components\/schemas\/([^"]+)"/)![1]!;
      expect(folder).not.toBe(formula);
      expect(document.components.schemas[folder]).toMatchObject({ properties: { name: { type: "string" } } });
      expect(document.components.schemas[formula]).toMatchObject({ properties: { op: { type: "string" } } });
      // The same schema again shares its definitions.
      expect(ref("/again")).toBe(ref("/folders"));
      expect(await valid(document)).toEqual([]);
    });

    it("a definition named Problem or ValidationProblem never replaces the problem+json schemas (was: every error response described as an exam question)", async () => {
      const Problem = v.object({ question: v.string(), points: v.number() });
      const document = openapi(router({ validate }).post("/exams", { body: doc(v.object({ problems: v.array(Problem) })) }, () => 1), { info, libraryOptions: { definitions: { Problem } }, ...silent });
      expect(document.components.schemas["Problem"]).toMatchObject({ properties: { status: { type: "integer" } } });
      expect(JSON.stringify(document.paths["/exams"]!["post"]!.requestBody)).toContain("#/components/schemas/Problem_2");
      expect(document.components.schemas["Problem_2"]).toMatchObject({ properties: { question: { type: "string" } } });
      expect(await valid(document)).toEqual([]);
    });

    it("a reference to the schema's own root (\"#\", \"#/properties/a\") points at a component of it, and definition names become valid component names (was: the document's root; an invalid document)", async () => {
      const tree = hand(() => ({ $schema: "https://json-schema.org/draft/2020-12/schema", type: "object", properties: { a: { type: "string" }, b: { $ref: "#/properties/a" }, children: { type: "array", items: { $ref: "#" } } } }));
      const spaced = hand(() => ({ $ref: "#/$defs/Exam%20Input", $defs: { "Exam Input": { type: "object", properties: { title: { type: "string" } } } } }));
      const document = openapi(router({ validate }).post("/trees", { body: tree }, () => 1).post("/exams", { body: spaced }, () => 1), { info, ...silent });
      expect(document.paths["/trees"]!["post"]!.requestBody!["content"]).toEqual({ "application/json": { schema: { $ref: "#/components/schemas/POST_trees_body" } } });
      expect(document.components.schemas["POST_trees_body"]).toMatchObject({ properties: { b: { $ref: "#/components/schemas/POST_trees_body/properties/a" }, children: { items: { $ref: "#/components/schemas/POST_trees_body" } } } });
      expect(document.paths["/exams"]!["post"]!.requestBody!["content"]).toEqual({ "application/json": { schema: { $ref: "#/components/schemas/Exam_Input" } } });
      expect(await valid(document)).toEqual([]);
    });

    it("operation ids stay unique: a group mounted twice, all()'s suffixes meeting another id (was: an invalid document)", async () => {
      const warnings: string[] = [];
      const users = router().get("/users/:id", { operationId: "getUser" }, () => 1);
      const app = router().route("/v1", users).route("/v2", users).all("/a", { operationId: "echo" }, () => 1).get("/b", { operationId: "echo_get" }, () => 1);
      const document = openapi(app, { info, onWarnings: (w) => warnings.push(...w) });
      const ids = Object.values(document.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
      expect(new Set(ids).size).toBe(ids.length);
      expect(document.paths["/v2/users/{id}"]!["get"]!.operationId).toBe("getUser_2");
      expect(warnings).toEqual([expect.stringContaining('"getUser" is taken'), expect.stringContaining('"echo_get" is taken')]);
      expect(await valid(document)).toEqual([]);
    });

    it("one path item per path: /exams/:examId and /exams/:id are one path, documented under the first spelling with a warning (was: two templates OpenAPI forbids)", () => {
      const warnings: string[] = [];
      const document = openapi(router().get("/exams/:examId", () => 1).delete("/exams/:id", () => 1), { info, onWarnings: (w) => warnings.push(...w) });
      expect(Object.keys(document.paths)).toEqual(["/exams/{examId}"]);
      expect(Object.keys(document.paths["/exams/{examId}"]!).sort()).toEqual(["delete", "get"]);
      expect(warnings).toEqual(["DELETE /exams/:id is documented under /exams/{examId}: the same path with other parameter names"]);
    });

    it("a query schema the converter gives as one root reference still lists its parameters; a headers schema with upper-case names is named in a warning (was: no parameters; silence)", () => {
      const warnings: string[] = [];
      const Paging = v.object({ cursor: v.string() });
      const app = router({ validate })
        .get("/exams", { query: doc(Paging) }, () => 1)
        .get("/tenants", { headers: doc(v.object({ "X-Tenant": v.string() })) }, () => 1);
      const document = openapi(app, { info, libraryOptions: { definitions: { Paging } }, onWarnings: (w) => warnings.push(...w) });
      expect(document.paths["/exams"]!["get"]!.parameters).toEqual([{ name: "cursor", in: "query", required: true, schema: { type: "string" } }]);
      expect(warnings).toEqual([expect.stringContaining("X-Tenant never match (req.headers names are lower case)")]);
    });
  });
});

// Warnings gathered instead of logged, and a document's errors under the OpenAPI 3.1 schema.
const collect = () => {
  const warnings: string[] = [];
  return { warnings, options: { info, onWarnings: (w: string[]) => warnings.push(...w) } };
};
const valid = async (document: unknown) => {
  const result = await validateOpenApi(structuredClone(document) as never, { resolve: { external: false } });
  return result.valid ? [] : result.errors;
};

describe("what the router and the adapters really do, documented (review of 2026-12-01, third pass)", () => {

  it('status keys: "2xx" is the range 2XX, "Default" is default; a key that is no status is left out with a warning (was: an invalid document)', async () => {
    const { warnings, options } = collect();
    const app = router().get("/r", { responses: { "2xx": { description: "Some success" }, Default: { description: "Else" }, 600: { description: "No such status" }, ok: { description: "Not a status" } } }, () => 1);
    const document = openapi(app, options);
    expect(Object.keys(document.paths["/r"]!["get"]!.responses)).toEqual(["500", "2XX", "default"]);
    expect(warnings).toEqual([expect.stringContaining("GET /r response 600"), expect.stringContaining("GET /r response ok")]);
    expect(await valid(document)).toEqual([]);
  });

  it("a 204, 205, 304 or 1XX response has no content, as the adapters send none (to-result.ts); a schema given for one is named in a warning (was: documented as a JSON body)", () => {
    const { warnings, options } = collect();
    const Exam = doc(v.object({ examId: v.string() }));
    const app = router().delete("/exams/:examId", { responses: { 204: Exam, 304: { description: "Unchanged", schema: Exam }, 200: Exam } }, () => 1);
    const { responses } = openapi(app, options).paths["/exams/{examId}"]!["delete"]!;
    expect(responses["204"]).toEqual({ description: "No Content" });
    expect(responses["304"]).toEqual({ description: "Unchanged" });
    expect(responses["200"]!["content"]).toBeDefined();
    expect(warnings).toEqual([expect.stringContaining("DELETE /exams/{examId} response 204"), expect.stringContaining("DELETE /exams/{examId} response 304")]);
  });

  it("a HEAD operation's responses have no content: HEAD answers carry no body (was: all()'s HEAD documented with the JSON body)", () => {
    const app = router().all("/echo", { responses: { 200: doc(v.object({ a: v.string() })) } }, () => 1);
    const { paths } = openapi(app, { info, ...silent });
    expect(paths["/echo"]!["head"]!.responses["200"]).toEqual({ description: "OK" });
    // Its problems too (was: a reference to the shared problem+json response).
    expect(paths["/echo"]!["head"]!.responses["500"]).toEqual({ description: expect.any(String) });
    expect(paths["/echo"]!["get"]!.responses["200"]!["content"]).toBeDefined();
  });

  it("GET /a/:id and GET /a/* are one OpenAPI path with one GET: the second is named in a warning as not documented (was: dropped, the warning saying it was documented)", () => {
    const { warnings, options } = collect();
    const document = openapi(router().get("/a/:id", { summary: "One" }, () => 1).get("/a/*", { summary: "Many" }, () => 1).delete("/a/*", () => 1), options);
    expect(Object.keys(document.paths)).toEqual(["/a/{id}"]);
    expect(document.paths["/a/{id}"]!["get"]!.summary).toBe("One");
    expect(warnings).toEqual([expect.stringMatching(/^GET \/a\/\* is not documented: .*\/a\/\{id\}/), "DELETE /a/* is documented under /a/{id}: the same path with other parameter names"]);
  });

  it("all(\"/a/:id\") and all(\"/a/*\"): the second, with no method left to document, is named as not documented (was: dropped, the warning saying it was documented under /a/{id})", () => {
    const { warnings, options } = collect();
    const document = openapi(router().all("/a/:id", () => 1).all("/a/*", () => 1), options);
    expect(Object.keys(document.paths["/a/{id}"]!)).toHaveLength(8);
    expect(warnings).toEqual([expect.stringMatching(/^ALL \/a\/\* is not documented: /)]);
  });

  it("a route documented under another spelling of its path keeps its params schema, by position (was: its params documented as plain strings)", () => {
    const app = router({ validate }).get("/exams/:examId", () => 1).delete("/exams/:id", { params: doc(v.object({ id: v.pipe(v.string(), v.regex(/^e-\d+$/)) })) }, () => 1);
    const { paths } = openapi(app, { info, ...silent });
    expect(paths["/exams/{examId}"]!["delete"]!.parameters).toEqual([{ name: "examId", in: "path", required: true, schema: { type: "string", pattern: "^e-\\d+$" } }]);
  });

  it("a params schema naming a parameter the path does not have is named in a warning: no request carries it (was: silence, and every request a 422)", () => {
    const { warnings, options } = collect();
    const app = router({ validate }).get("/exams/:examId", { params: doc(v.object({ examId: v.string(), tenant: v.string() })) }, () => 1);
    expect(openapi(app, options).paths["/exams/{examId}"]!["get"]!.parameters).toEqual([{ name: "examId", in: "path", required: true, schema: { type: "string" } }]);
    expect(warnings).toEqual([expect.stringMatching(/^GET \/exams\/\{examId\} params: tenant is not in the path/)]);
  });

  it("an object query parameter, and an array or object header parameter, is named in a warning: validate() hands a query schema strings or lists of strings and a headers schema one string per name; an array query parameter is what ?tag=a&tag=b validates as (OpenAPI's default form style)", async () => {
    const app = router({ validate }).get("/exams", { query: doc(v.object({ tag: v.optional(v.array(v.string())), page: v.optional(v.object({ size: v.string() })), q: v.optional(v.string()) })), headers: doc(v.object({ "x-ids": v.optional(v.array(v.string())) })) }, () => 1);
    // What the router does with such schemas: a repeated query key validates as a list; a header never does.
    expect((await app.handle(testRequest("GET", "/exams?tag=a&tag=b"))).status).toBe(200);
    expect((await app.handle(testRequest("GET", "/exams", { headers: { "x-ids": "a" } }))).status).toBe(422);
    const { warnings, options } = collect();
    expect(openapi(app, options).paths["/exams"]!["get"]!.parameters!.map((p) => p["name"])).toEqual(["tag", "page", "q", "x-ids"]);
    // tag too, since the review of array query parameters below: ?tag=a alone is refused.
    expect(warnings).toEqual([expect.stringMatching(/^GET \/exams query tag: /), expect.stringMatching(/^GET \/exams query page: /), expect.stringMatching(/^GET \/exams headers x-ids: /)]);
  });

  it("a security requirement naming no scheme of securitySchemes is named in a warning (OpenAPI: each name MUST be a declared scheme; was: silence)", () => {
    const { warnings, options } = collect();
    const app = router().get("/a", { security: [{ apiKey: [] }] }, () => 1).get("/b", { security: [{}] }, () => 1).get("/c", () => 1);
    openapi(app, { ...options, security: [{ bearer: [] }, { oauth: ["read"] }], securitySchemes: { bearer: { type: "http", scheme: "bearer" } } });
    expect(warnings).toEqual([expect.stringMatching(/^security: .*oauth/), expect.stringMatching(/^GET \/a security: .*apiKey/)]);
  });

  it("a schema whose ~standard or converter getter throws is {} and named in a warning, never a crash (was: the getter's error thrown out of openapi())", () => {
    const { warnings, options } = collect();
    const trap = { "~standard": { version: 1, vendor: "hand", validate: (value: unknown) => ({ value }), get jsonSchema(): never { throw new Error("getter says no"); } } } as unknown as StandardSchemaV1;
    // And a converter giving a property schema of null, which listing the parameters reads.
    const nullish = { "~standard": { version: 1, vendor: "hand", validate: (value: unknown) => ({ value }), jsonSchema: { input: () => ({ type: "object", properties: { q: null } }), output: () => ({}) } } } as unknown as StandardSchemaV1;
    const document = openapi(router({ validate }).get("/a", { query: nullish, responses: { 200: trap } }, () => 1), options);
    expect(document.paths["/a"]!["get"]!.responses["200"]).toEqual({ description: "OK", content: { "application/json": { schema: {} } } });
    expect(document.paths["/a"]!["get"]!.parameters).toEqual([{ name: "q", in: "query", required: false, schema: null }]);
    expect(warnings).toEqual([expect.stringContaining("getter says no")]);
  });
});

describe("a user's contract review of 2026-12-01: what an answer really carries", () => {
  it("an error status a route describes without a schema is documented as the problem+json HttpError sends (ValidationProblem for 422), not as an answer without a body (was: { description } alone)", async () => {
    const Exam = doc(v.object({ examId: v.string() }));
    const app = router({ validate }).patch(
      "/exams/:examId",
      { body: Exam, responses: { 200: Exam, 409: { description: "Taken" }, 412: { description: "Stale" }, "4XX": { description: "Other refusals" }, 422: { description: "Invalid" }, 503: { description: "Busy" }, 418: { description: "Own body", schema: Exam } } },
      () => 1,
    );
    const document = openapi(app, { info, ...silent });
    const { responses } = document.paths["/exams/{examId}"]!["patch"]!;
    const problem = (name: string) => ({ "application/problem+json": { schema: { $ref: `#/components/schemas/${name}` } } });
    expect(responses["409"]).toEqual({ description: "Taken", content: problem("Problem") });
    expect(responses["412"]).toEqual({ description: "Stale", content: problem("Problem") });
    expect(responses["4XX"]).toEqual({ description: "Other refusals", content: problem("Problem") });
    expect(responses["422"]).toEqual({ description: "Invalid", content: problem("ValidationProblem") });
    expect(responses["503"]).toEqual({ description: "Busy", content: problem("Problem") });
    // A schema given is the route's own JSON body, as before.
    expect(responses["418"]!["content"]).toEqual({ "application/json": { schema: expect.objectContaining({ type: "object" }) } });
    expect(await validateOpenApi(structuredClone(document) as never, { resolve: { external: false } }).then((r) => (r.valid ? [] : r.errors))).toEqual([]);
    // What the route really sends for one of them: a problem+json body.
    const res = await router().get("/x", () => { throw new HttpError(409, "Taken"); }).handle(testRequest("GET", "/x"));
    expect([res.status, res.headers?.["content-type"]]).toEqual([409, "application/problem+json"]);
    // HEAD answers carry no body: a described error stays a description there.
    expect(openapi(router().head("/h", { responses: { 409: { description: "Taken" } } }, () => 1), { info }).paths["/h"]!["head"]!.responses["409"]).toEqual({ description: "Taken" });
  });
});

describe("a user's contract review of 2026-12-01: array query parameters", () => {
  it("an array query parameter that refuses one value is named in a warning: ?tag=a (a one-item list in OpenAPI's form style) reaches the schema as a string, a 422 (was: documented as a list of any length, silently)", async () => {
    const only = router({ validate }).get("/exams", { query: doc(v.object({ tag: v.optional(v.array(v.string())) })) }, () => 1);
    // What the router does: a key sent once is a string, so the one-item list a client sends is refused.
    expect((await only.handle(testRequest("GET", "/exams?tag=a&tag=b"))).status).toBe(200);
    expect((await only.handle(testRequest("GET", "/exams?tag=a"))).status).toBe(422);
    const warnings: string[] = [];
    openapi(only, { info, onWarnings: (w) => warnings.push(...w) });
    expect(warnings).toEqual([expect.stringMatching(/^GET \/exams query tag: .*\?tag=a.*string/)]);
    // The form README recommends (a string or a list) takes both, and is documented without a warning.
    const either = router({ validate }).get("/exams", { query: doc(v.object({ tag: v.optional(v.union([v.string(), v.array(v.string())])) })) }, () => 1);
    expect((await either.handle(testRequest("GET", "/exams?tag=a"))).status).toBe(200);
    const none: string[] = [];
    openapi(either, { info, onWarnings: (w) => none.push(...w) });
    expect(none).toEqual([]);
  });
});

describe("responses that are not JSON, and the headers they carry", () => {
  const Row = doc(v.object({ student: v.string(), score: v.number() }));

  it("content names a response's media types, a CSV export as text/csv (was: every body documented as application/json)", async () => {
    const app = router().get("/results.csv", { responses: { 200: { description: "One row per attempt", content: { "text/csv": {}, "application/vnd.exams+json": { schema: Row } } } } }, () => "a,b\n");
    const document = openapi(app, { info, ...silent });
    expect(document.paths["/results.csv"]!["get"]!.responses["200"]).toEqual({
      description: "One row per attempt",
      content: { "text/csv": {}, "application/vnd.exams+json": { schema: expect.objectContaining({ type: "object" }) } },
    });
    expect(await valid(document)).toEqual([]);
  });

  it("schema is the JSON body beside content's other types; content's own application/json wins over schema, with a warning", () => {
    const { warnings, options } = collect();
    const app = router()
      .get("/both", { responses: { 200: { description: "JSON or CSV", schema: Row, content: { "text/csv": {} } } } }, () => 1)
      .get("/twice", { responses: { 200: { description: "Twice", schema: Row, content: { "application/json": {} } } } }, () => 1);
    const { paths } = openapi(app, options);
    expect(Object.keys(paths["/both"]!["get"]!.responses["200"]!["content"] as object)).toEqual(["application/json", "text/csv"]);
    expect(paths["/twice"]!["get"]!.responses["200"]!["content"]).toEqual({ "application/json": {} });
    expect(warnings).toEqual([expect.stringMatching(/^GET \/twice response 200: .*application\/json/)]);
  });

  it("headers are OpenAPI Header Objects: description and required as given, the schema converted (a string when none is given)", async () => {
    const Version = doc(v.pipe(v.string(), v.regex(/^"\d+"$/)));
    const app = router().post(
      "/exams",
      { responses: { 201: { description: "Created", schema: Row, headers: { Location: { description: "The new exam", required: true }, ETag: { schema: Version, required: true }, "Idempotent-Replayed": { description: "A replay", required: false } } } } },
      () => 1,
    );
    const document = openapi(app, { info, ...silent });
    expect(document.paths["/exams"]!["post"]!.responses["201"]!["headers"]).toEqual({
      Location: { description: "The new exam", required: true, schema: { type: "string" } },
      ETag: { required: true, schema: { type: "string", pattern: '^"\\d+"$' } },
      "Idempotent-Replayed": { description: "A replay", schema: { type: "string" } },
    });
    expect(await valid(document)).toEqual([]);
  });

  it("an error status given headers but no body is still the problem+json HttpError sends, with its headers (Retry-After on a 503)", async () => {
    const app = router().get("/busy", { responses: { 503: { description: "Busy", headers: { "Retry-After": { description: "Seconds", required: true } } } } }, () => 1);
    const document = openapi(app, { info, ...silent });
    expect(document.paths["/busy"]!["get"]!.responses["503"]).toEqual({
      description: "Busy",
      headers: { "Retry-After": { description: "Seconds", required: true, schema: { type: "string" } } },
      content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
    });
    // An error status given content of its own is that content, not a problem.
    const own = openapi(router().get("/t", { responses: { 406: { description: "Only CSV", content: { "text/plain": {} } } } }, () => 1), { info, ...silent });
    expect(own.paths["/t"]!["get"]!.responses["406"]).toEqual({ description: "Only CSV", content: { "text/plain": {} } });
    expect(await valid(document)).toEqual([]);
  });

  it("a body-less answer (204, 304, HEAD) keeps its headers and loses its content, with a warning where one was given", () => {
    const { warnings, options } = collect();
    const app = router().all("/r", { responses: { 200: { description: "OK", content: { "text/csv": {} }, headers: { ETag: { required: true } } }, 304: { description: "Unchanged", content: { "text/csv": {} }, headers: { ETag: {} } } } }, () => 1);
    const { paths } = openapi(app, options);
    expect(paths["/r"]!["head"]!.responses["200"]).toEqual({ description: "OK", headers: { ETag: { required: true, schema: { type: "string" } } } });
    expect(paths["/r"]!["get"]!.responses["304"]).toEqual({ description: "Unchanged", headers: { ETag: { schema: { type: "string" } } } });
    expect(paths["/r"]!["get"]!.responses["200"]!["content"]).toEqual({ "text/csv": {} });
    // One warning per documented operation but HEAD, where no response has a body.
    expect(warnings.filter((w) => w.includes("response 304"))).toHaveLength(7);
    expect(warnings.every((w) => /response 304: sent without a body/.test(w))).toBe(true);
  });

  it("a media type that is not type/subtype, a header that is no field name, Content-Type (OpenAPI ignores it), or a name given twice in other case is left out with a warning naming the route, never a crash", async () => {
    const { warnings, options } = collect();
    const app = router().get(
      "/r",
      {
        responses: {
          200: {
            description: "OK",
            content: { csv: {}, "text/csv; charset=utf-8": {}, "text/ csv": {}, "*/*": {} },
            headers: { "Content-Type": {}, "X Bad": {}, ETag: {}, etag: {}, "": {}, "X-Null": null as never },
          },
        },
      },
      () => 1,
    );
    const document = openapi(app, options);
    const response = document.paths["/r"]!["get"]!.responses["200"]!;
    expect(Object.keys(response["content"] as object)).toEqual(["text/csv; charset=utf-8", "*/*"]);
    expect(response["headers"]).toEqual({ ETag: { schema: { type: "string" } }, "X-Null": { schema: { type: "string" } } });
    expect(warnings).toEqual([
      expect.stringMatching(/^GET \/r response 200: "csv" is not a media type/),
      expect.stringMatching(/^GET \/r response 200: "text\/ csv" is not a media type/),
      expect.stringMatching(/^GET \/r response 200 header Content-Type: /),
      expect.stringMatching(/^GET \/r response 200 header X Bad: /),
      expect.stringMatching(/^GET \/r response 200 header etag: .*ETag/),
      expect.stringMatching(/^GET \/r response 200 header : /),
    ]);
    expect(await valid(document)).toEqual([]);
    // null where an object belongs (plain JavaScript): nothing to document, never a TypeError.
    const nulls = openapi(router().get("/n", { responses: { 200: { description: "OK", schema: Row, content: null as never, headers: null as never } } }, () => 1), { info, ...silent });
    expect(nulls.paths["/n"]!["get"]!.responses["200"]).toEqual({ description: "OK", content: { "application/json": { schema: expect.objectContaining({ type: "object" }) } } });
  });
});

describe("edges no test pinned (mutation testing, round 4)", () => {
  // A schema whose converter gives exactly this JSON Schema (validate accepts anything unless given).
  const given = (jsonSchema: unknown, validate: (value: unknown) => unknown = (value) => ({ value })) =>
    ({ "~standard": { version: 1, vendor: "hand", validate, jsonSchema: { input: () => jsonSchema, output: () => jsonSchema } } }) as unknown as StandardSchemaV1;

  it.each([
    ["/", "/"],
    ["//", "/"],
    ["/a/", "/a"],
    ["/a/:x/b/:y/", "/a/{x}/b/{y}"],
  ])("route %s is documented under %s (one trailing slash ignored, as the router does)", (path, template) => {
    expect(Object.keys(openapi(router().get(path, () => 1), { info }).paths)).toEqual([template]);
  });

  it("two spellings of a path with two params are one path item, under the first (was: only the first param compared)", async () => {
    const { warnings, options } = collect();
    const document = openapi(router().get("/a/:x/b/:y", () => 1).put("/a/:p/b/:q", () => 1), options);
    expect(Object.keys(document.paths)).toEqual(["/a/{x}/b/{y}"]);
    expect(Object.keys(document.paths["/a/{x}/b/{y}"]!)).toEqual(["get", "put"]);
    expect(warnings).toEqual([expect.stringContaining("PUT /a/:p/b/:q is documented under /a/{x}/b/{y}")]);
    expect(await valid(document)).toEqual([]);
  });

  it("info, servers and securitySchemes are in the document as given, sharing no object with the options", () => {
    const options = { info: { title: "ExamBuddy", version: "1.0.0", description: "Exams" }, servers: [{ url: "https://api.exambuddy.app" }], ...bearer };
    const document = openapi(router().get("/a", () => 1), options);
    expect(document.info).toEqual(options.info);
    expect(document.servers).toEqual(options.servers);
    expect(document.components.securitySchemes).toEqual(options.securitySchemes);
    (document.info as Record<string, unknown>)["title"] = "changed";
    document.servers![0]!.url = "changed";
    document.components.securitySchemes!["bearer"]!["scheme"] = "changed";
    expect([options.info.title, options.servers[0]!.url, options.securitySchemes.bearer.scheme]).toEqual(["ExamBuddy", "https://api.exambuddy.app", "bearer"]);
    expect(openapi(router(), { info }).servers).toBeUndefined();
  });

  it("onWarnings is not called, and nothing is logged, when there is nothing to warn about", () => {
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const onWarnings = vi.fn();
    openapi(small(), { info, ...bearer, onWarnings });
    openapi(small(), { info, ...bearer });
    expect(onWarnings).not.toHaveBeenCalled();
    expect(write).not.toHaveBeenCalled();
  });

  it("summary and description as given; summary from a routes() row of another app object too; an operation without parameters has no parameters list", () => {
    const op = openapi(router().get("/a", { summary: "Sum", description: "Longer words" }, () => 1), { info }).paths["/a"]!["get"]!;
    expect(op).toMatchObject({ summary: "Sum", description: "Longer words" });
    expect(op).not.toHaveProperty("parameters");
    const custom = { routes: () => [{ method: "GET", path: "/b", schemas: {}, summary: "From routes()", options: {} }] };
    expect(openapi(custom, { info }).paths["/b"]!["get"]!.summary).toBe("From routes()");
  });

  it("Accept is left to OpenAPI among header parameters; a query parameter named accept, content-type or authorization is listed, and a camel-case query name draws no warning", () => {
    const { warnings, options } = collect();
    const app = router({ validate })
      .get("/h", { headers: doc(v.object({ accept: v.string(), "x-a": v.string() })) }, () => 1)
      .get("/q", { query: doc(v.object({ accept: v.string(), "content-type": v.string(), authorization: v.string(), pageSize: v.string() })) }, () => 1);
    const { paths } = openapi(app, options);
    expect(paths["/h"]!["get"]!.parameters!.map((p) => p["name"])).toEqual(["x-a"]);
    expect(paths["/q"]!["get"]!.parameters!.map((p) => p["name"])).toEqual(["accept", "content-type", "authorization", "pageSize"]);
    expect(warnings).toEqual([]);
  });

  it("a query schema that is no object schema is named in a warning; an empty one ({}) is not", () => {
    const { warnings, options } = collect();
    const app = router({ validate })
      .get("/s", { query: given({ type: "string" }) }, () => 1)
      .get("/any", { query: given({}) }, () => 1);
    const { paths } = openapi(app, options);
    expect(paths["/s"]!["get"]!.parameters).toBeUndefined();
    expect(paths["/any"]!["get"]!.parameters).toBeUndefined();
    expect(warnings).toEqual([expect.stringMatching(/^GET \/s query: not an object schema/)]);
  });

  it("a query property that is an object behind a reference is named in a warning as one given inline is", () => {
    const { warnings, options } = collect();
    const query = given({ type: "object", properties: { filter: { $ref: "#/$defs/Filter" } }, $defs: { Filter: { type: "object", properties: { a: { type: "string" } } } } });
    openapi(router({ validate }).get("/q", { query }, () => 1), options);
    expect(warnings).toEqual([expect.stringMatching(/^GET \/q query filter: validate\(\) sees a string or a list of strings per name, never an object/)]);
  });

  it("a body schema that validates asynchronously is documented as required (it can't answer here)", () => {
    const body = given({ type: "object" }, async (value) => ({ value }));
    expect(openapi(router({ validate }).post("/a", { body }, () => 1), { info }).paths["/a"]!["post"]!.requestBody).toMatchObject({ required: true });
  });

  it.each([
    ["text/csv/x", false],
    ["a b/c", false],
    ["text/csv x", false],
    ["text/plain ; charset=utf-8", true],
    ["text/plain;charset=utf-8", true],
  ])("content key %j is a media type: %s", (type, kept) => {
    const { warnings, options } = collect();
    const { responses } = openapi(router().get("/r", { responses: { 200: { description: "OK", content: { [type]: {} } } } }, () => 1), options).paths["/r"]!["get"]!;
    expect(responses["200"]!["content"]).toEqual(kept ? { [type]: {} } : undefined);
    expect(warnings).toHaveLength(kept ? 0 : 1);
  });

  it("a status key with more than three digits is left out with a warning", () => {
    const { warnings, options } = collect();
    const { responses } = openapi(router().get("/r", { responses: { 2000: { description: "No" }, "2XXX": { description: "No" } } }, () => 1), options).paths["/r"]!["get"]!;
    expect(Object.keys(responses)).toEqual(["200", "500"]);
    expect(warnings).toHaveLength(2);
  });

  it("a 205 or 1XX response has no content, a schema given for one named in a warning", () => {
    const { warnings, options } = collect();
    const Exam = doc(v.object({ examId: v.string() }));
    const { responses } = openapi(router().post("/r", { responses: { 205: Exam, 103: { description: "Early Hints", schema: Exam }, "1XX": { description: "Informational", content: { "text/plain": {} } } } }, () => 1), options).paths["/r"]!["post"]!;
    expect([responses["205"], responses["103"], responses["1XX"]]).toEqual([{ description: "Response" }, { description: "Early Hints" }, { description: "Informational" }]);
    expect(warnings).toHaveLength(3);
  });

  it("responses of only a 3XX or only default need no added 200; a bare schema under a range or default is described as 'Response'", () => {
    const Exam = doc(v.object({ examId: v.string() }));
    const app = router()
      .get("/moved", { responses: { 301: { description: "Moved" } } }, () => 1)
      .get("/any", { responses: { default: Exam } }, () => 1)
      .get("/range", { responses: { "2XX": Exam } }, () => 1);
    const { paths } = openapi(app, { info });
    expect(Object.keys(paths["/moved"]!["get"]!.responses)).toEqual(["301", "500"]);
    expect(Object.keys(paths["/any"]!["get"]!.responses)).toEqual(["500", "default"]);
    expect(paths["/any"]!["get"]!.responses["default"]!["description"]).toBe("Response");
    expect(paths["/range"]!["get"]!.responses["2XX"]!["description"]).toBe("Response");
  });

  it("a header's required is written only when it is true (a JavaScript caller's 'yes' is not a boolean OpenAPI takes)", () => {
    const headers = { "x-a": { required: "yes" as never }, "x-b": { required: false }, "x-c": { required: true } };
    const documented = openapi(router().get("/r", { responses: { 200: { description: "OK", headers } } }, () => 1), { info }).paths["/r"]!["get"]!.responses["200"]!["headers"];
    expect(documented).toEqual({ "x-a": { schema: { type: "string" } }, "x-b": { schema: { type: "string" } }, "x-c": { required: true, schema: { type: "string" } } });
  });
});
