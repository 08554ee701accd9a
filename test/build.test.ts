// The deployable artifact itself: scripts/build.mjs output, imported and invoked like Lambda would.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createEvent } from "lambdalith";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestTable, useLocalAws } from "./local-aws.ts";

type Built = Awaited<ReturnType<typeof import("../scripts/build.mjs").buildApp>>;
let dir: string;
let built: Built;
let table: Awaited<ReturnType<typeof createTestTable>>;

beforeAll(async () => {
  useLocalAws();
  table = await createTestTable("bundle");
  // The bundle reads these on its first request that needs a service (as on Lambda).
  process.env["TABLE_NAME"] = table.tableName;
  process.env["BUCKET_NAME"] = "bundle-bucket";
  dir = await mkdtemp(join(tmpdir(), "exambuddy-build-"));
  const { buildApp } = await import("../scripts/build.mjs");
  built = await buildApp({ out: dir, quiet: true });
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await table.drop();
});

describe("the built bundle", () => {
  it("is ESM with the handler in index.mjs and every file .mjs", () => {
    const names = built.files.map((f) => f.file);
    expect(names).toContain("index.mjs");
    for (const n of names) expect(n).toMatch(/^(index|chunks\/[\w-]+)\.mjs$/);
  });

  it("never loads the AWS SDK at start: SDK code sits only in chunks reached through import()", () => {
    const index = built.files.find((f) => f.file === "index.mjs")!;
    const eager = new Set<string>(["index.mjs"]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const f of built.files) {
        if (!eager.has(f.file)) continue;
        for (const s of f.staticImports) if (!eager.has(s)) (eager.add(s), (grew = true));
      }
    }
    for (const f of built.files.filter((x) => eager.has(x.file))) {
      expect(f.inputs.filter((i) => i.includes("@aws-sdk/") || i.includes("@smithy/")), f.file).toEqual([]);
    }
    expect(index.inputs.some((i) => i.endsWith("src/app/index.ts"))).toBe(true);
  });

  it("ships the OpenAPI document as data in a chunk only GET /openapi.json loads, and none of what builds it", () => {
    const eager = new Set<string>(["index.mjs"]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const f of built.files) if (eager.has(f.file)) for (const s of f.staticImports) if (!eager.has(s)) (eager.add(s), (grew = true));
    }
    const builder = (i: string) => i.includes("src/openapi/") || i.includes("@valibot/to-json-schema") || /src\/app\/(openapi-document|responses)\.ts$/.test(i);
    expect(built.files.flatMap((f) => f.inputs.filter(builder))).toEqual([]);
    const prebuilt = built.files.filter((f) => f.inputs.some((i) => i.startsWith("prebuilt-openapi:")));
    expect(prebuilt.map((f) => eager.has(f.file))).toEqual([false]);
  });

  it("serves GET /openapi.json without a token: the same document the app builds at run time", async () => {
    const { handler } = await import(pathToFileURL(join(dir, "index.mjs")).href);
    const res = await handler(createEvent("http-api-v2", { method: "GET", path: "/openapi.json" }), { awsRequestId: "build-test" });
    expect(res.statusCode).toBe(200);
    const health = await handler(createEvent("http-api-v2", { method: "GET", path: "/health" }), { awsRequestId: "build-test" });
    const { version } = JSON.parse(health.body);
    const { createApp } = await import("../src/app/app.ts");
    const { examBuddyOpenApi } = await import("../src/app/openapi-document.ts");
    const services = () => {
      throw new Error("unused");
    };
    expect(JSON.parse(res.body)).toEqual(examBuddyOpenApi(createApp({ services, version }), version));
  });

  it("takes the commit from EXAMBUDDY_COMMIT where there is no repository (sam build copies the sources without .git; was: the version alone)", async () => {
    const other = await mkdtemp(join(tmpdir(), "exambuddy-build-commit-"));
    process.env["EXAMBUDDY_COMMIT"] = "c0ffee1";
    try {
      const { buildApp } = await import("../scripts/build.mjs");
      await buildApp({ out: other, quiet: true });
      const { readFile } = await import("node:fs/promises");
      expect(await readFile(join(other, "index.mjs"), "utf8")).toMatch(/"\d+\.\d+\.\d+\+c0ffee1"/);
    } finally {
      delete process.env["EXAMBUDDY_COMMIT"];
      await rm(other, { recursive: true, force: true });
    }
  }, 60_000);

  it("exports a handler nodejs24.x accepts: at most (event, context), as the runtime refuses callback-style handlers", async () => {
    // The Node.js 24 runtime interface client loads a handler with `argsNum: handler.length` and throws
    // CallbackHandlerDeprecatedError when `argsNum >= 3 && !streaming` ("AWS Lambda has removed support for
    // callback-based function handlers starting with Node.js 24").
    const { handler } = await import(pathToFileURL(join(dir, "index.mjs")).href);
    expect(handler.length).toBeLessThan(3);
  });

  it("writes the source maps the template's NODE_OPTIONS=--enable-source-maps makes Node read, next to each file", async () => {
    const { readFile } = await import("node:fs/promises");
    const { loadTemplate } = await import("../src/dev/cfn.ts");
    const nodeOptions = loadTemplate().Resources["ExamBuddyFunction"]!.Properties.Environment.Variables.NODE_OPTIONS;
    expect(nodeOptions).toContain("--enable-source-maps");
    for (const f of built.files) {
      const name = f.file.split("/").pop()!;
      expect(await readFile(join(dir, f.file), "utf8"), f.file).toMatch(new RegExp(`//# sourceMappingURL=${name.replace(/\./g, "\\.")}\.map\n?$`));
      expect(JSON.parse(await readFile(join(dir, `${f.file}.map`), "utf8")).version, f.file).toBe(3);
    }
  });

  it("answers GET /health through an HTTP API event", async () => {
    const { handler } = await import(pathToFileURL(join(dir, "index.mjs")).href);
    expect(typeof handler).toBe("function");
    const res = await handler(createEvent("http-api-v2", { method: "GET", path: "/health" }), { awsRequestId: "build-test" });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ status: "ok", version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it("serves DynamoDB-backed routes against the stand-ins (REST event, Cognito claims)", async () => {
    const { handler } = await import(pathToFileURL(join(dir, "index.mjs")).href);
    const auth = { sub: "t-bundle", "cognito:groups": "teacher" };
    const created = await handler(createEvent("apigw-v1", { method: "POST", path: "/exams", headers: { "content-type": "application/json" }, body: JSON.stringify({ title: "Built", durationMinutes: 10 }), auth }), { awsRequestId: "b" });
    expect(created.statusCode).toBe(201);
    const list = await handler(createEvent("apigw-v1", { method: "GET", path: "/exams", auth }), { awsRequestId: "b" });
    expect(list.statusCode).toBe(200);
    expect(JSON.parse(list.body).items.map((e: { title: string }) => e.title)).toEqual(["Built"]);
  });
});

describe("the built streaming bundle (ExamBuddyStreamFunction)", () => {
  it("exports a handler the runtime invokes with a response stream, and streams through a REST event", async () => {
    const { installAwsLambdaGlobal, invokeStreaming, isStreamingHandler } = await import("../src/dev/lambda-runtime.ts");
    const { buildApp } = await import("../scripts/build.mjs");
    const out = await mkdtemp(join(tmpdir(), "exambuddy-stream-build-"));
    // The runtime sets the global before it loads the handler's module.
    const uninstall = installAwsLambdaGlobal();
    try {
      const streamBuilt = await buildApp({ out, function: "ExamBuddyStreamFunction", quiet: true });
      expect(streamBuilt.files.map((f) => f.file)).toContain("stream.mjs");
      const { handler } = await import(pathToFileURL(join(out, "stream.mjs")).href);
      expect(isStreamingHandler(handler)).toBe(true);
      const health = await invokeStreaming(handler, createEvent("apigw-v1", { path: "/health" }));
      expect(health.prelude?.statusCode).toBe(200);
      expect(JSON.parse(health.body.toString())).toMatchObject({ status: "ok" });
      const anonymous = await invokeStreaming(handler, createEvent("apigw-v1", { path: "/exams/01JAAAAAAAAAAAAAAAAAAAAAAA/results.csv" }));
      expect(anonymous.prelude?.statusCode).toBe(401);
    } finally {
      uninstall();
      await rm(out, { recursive: true, force: true });
    }
  }, 60_000);
});
