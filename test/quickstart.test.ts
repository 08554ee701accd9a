// The README quickstart, step for step, over real HTTP against `npm start`'s stack (in-memory stand-ins,
// port 0): a newcomer's path from nothing to a graded attempt and a downloaded PDF. Run once per event
// source the dev server can imitate with a sign-in, so every such adapter carries the whole flow: behind the
// ALB sources the dev token becomes an ALB-signed x-amzn-oidc-data that the app verifies. A Function URL
// (AWS_IAM), VPC Lattice and Lambda@Edge forward no token claims, as deployed, so a signed-in flow cannot run
// there: the last test checks that a dev token gets no further than /health.
import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_ALB_ARN, DEV_ALB_KID, signAlbOidcData } from "../src/dev/alb-oidc.ts";
import { devClaims } from "../src/dev/dev-auth.ts";
import { startLocalApi, type LocalApi } from "../src/dev/local-api.ts";

const TEACHER = "Bearer dev.teacher.t-1";
const STUDENT = "Bearer dev.student.s-1";

async function call(base: string, method: string, path: string, auth: string | undefined, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, {
    method,
    headers: { ...(auth ? { authorization: auth } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get("content-type"), body: text ? JSON.parse(text) : undefined };
}

// npm start's stack for one source, up for the describe block that calls it.
function localApiFor(source: "http" | "rest" | "alb" | "alb-single" | "url" | "lattice"): { readonly api: LocalApi } {
  const held = {} as { api: LocalApi };
  beforeAll(async () => {
    held.api = await startLocalApi({ source, port: 0, log: () => {} });
  }, 60_000);
  afterAll(() => held.api?.close());
  return held;
}

describe.each(["http", "rest", "alb", "alb-single"] as const)("README quickstart with --source %s", (source) => {
  const stack = localApiFor(source);

  it("goes from an empty stack to a graded attempt and a downloaded PDF", async () => {
    const base = stack.api.url;
    expect(await call(base, "GET", "/health", undefined)).toMatchObject({ status: 200, body: { status: "ok" } });

    // 1. A teacher creates an exam and adds one question of each kind.
    const exam = (await call(base, "POST", "/exams", TEACHER, { title: "Capitals", durationMinutes: 30 })).body;
    expect(exam).toMatchObject({ status: "draft", version: 1 });
    const single = (await call(base, "POST", `/exams/${exam.examId}/questions`, TEACHER, { kind: "single", text: "Capital of France?", choices: ["Lyon", "Paris"], correct: 1 })).body;
    const multiple = (await call(base, "POST", `/exams/${exam.examId}/questions`, TEACHER, { kind: "multiple", text: "Which are capitals?", choices: ["Berlin", "Munich", "Rome"], correct: [0, 2], points: 2 })).body;
    const free = (await call(base, "POST", `/exams/${exam.examId}/questions`, TEACHER, { kind: "text", text: "Capital of Japan?", accepted: ["Tokyo"], points: 3 })).body;

    // 2. The teacher attaches a PDF: pre-signed PUT straight to S3 (what `curl -T` does), then complete.
    const pdf = new Uint8Array(Buffer.from("%PDF-1.4\n" + "x".repeat(20_000) + "\n%%EOF\n"));
    const started = await call(base, "POST", `/exams/${exam.examId}/files`, TEACHER, { fileName: "syllabus.pdf", contentType: "application/pdf", size: pdf.byteLength });
    expect(started.status).toBe(201);
    const put = await fetch(started.body.upload.url, { method: "PUT", headers: { "content-type": "application/pdf" }, body: pdf });
    expect(put.status).toBe(200);
    expect((await call(base, "POST", `/exams/${exam.examId}/files/${started.body.file.fileId}/complete`, TEACHER)).body).toMatchObject({ status: "ready" });

    // 3. Publish (If-Match carries the version the teacher last saw).
    const current = (await call(base, "GET", `/exams/${exam.examId}`, TEACHER)).body;
    expect((await call(base, "POST", `/exams/${exam.examId}/publish`, TEACHER, undefined, { "if-match": `"${current.version}"` })).body).toMatchObject({ status: "published" });

    // 4. A student starts an attempt, answers, submits, and reads the score.
    const attempt = (await call(base, "POST", `/exams/${exam.examId}/attempts`, STUDENT)).body;
    expect(JSON.stringify(attempt)).not.toMatch(/"correct"|"accepted"/);
    const answers = { [single.questionId]: 1, [multiple.questionId]: [0, 2], [free.questionId]: " tokyo " };
    expect((await call(base, "PUT", `/attempts/${attempt.attemptId}/answers`, STUDENT, { answers })).status).toBe(200);
    expect((await call(base, "POST", `/attempts/${attempt.attemptId}/submit`, STUDENT)).body).toMatchObject({ status: "submitted", result: { score: 6, maxScore: 6 } });
    expect((await call(base, "GET", `/attempts/${attempt.attemptId}`, STUDENT)).body).toMatchObject({ result: { score: 6 } });

    // 5. The student downloads the PDF through its pre-signed GET URL: the same bytes.
    const link = (await call(base, "GET", `/exams/${exam.examId}/files/${started.body.file.fileId}`, STUDENT)).body;
    const got = await fetch(link.url);
    expect(got.status).toBe(200);
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(pdf);
  }, 60_000);

  it("answers malformed requests with the app's problem+json, never a crash", async () => {
    const base = stack.api.url;
    const badJson = await fetch(`${base}/exams`, { method: "POST", headers: { authorization: TEACHER, "content-type": "application/json" }, body: "{nope" });
    expect(badJson.status).toBe(400);
    expect(badJson.headers.get("content-type")).toBe("application/problem+json");
    expect(await call(base, "GET", "/no/such/route", TEACHER)).toMatchObject({ status: 404, type: "application/problem+json" });
    const huge = await call(base, "GET", "/health", undefined, undefined, { "x-padding": "p".repeat(40_000) });
    expect(huge.status).toBe(200);
    expect(await call(base, "GET", "/health", undefined)).toMatchObject({ status: 200 });
  });

  it("never takes identity from x-amzn-oidc-* headers a client sends (the ALB overwrites them; other sources ignore them)", async () => {
    const base = stack.api.url;
    // A forger's key, but every header field right: the dev server drops it before the app sees it, and the
    // app would reject its signature anyway.
    const forger = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey;
    const forged = signAlbOidcData(devClaims(TEACHER)!, { albArn: DEV_ALB_ARN, kid: DEV_ALB_KID, privateKey: forger });
    const headers = { "x-amzn-oidc-data": forged, "x-amzn-oidc-identity": "t-1", "x-amzn-oidc-accesstoken": "x" };
    const res = await call(base, "GET", "/me", undefined, undefined, headers);
    expect(res).toMatchObject({ status: 401, type: "application/problem+json" });
    // Even one signed with the dev key itself is dropped: only the "ALB" (the dev server) sets these.
    const wellSigned = signAlbOidcData(devClaims(TEACHER)!, { albArn: DEV_ALB_ARN, kid: DEV_ALB_KID });
    expect((await call(base, "GET", "/me", undefined, undefined, { "x-amzn-oidc-data": wellSigned })).status).toBe(401);
    // With a dev sign-in, the identity is the signed-in one, never the forged one.
    expect(await call(base, "GET", "/me", STUDENT, undefined, headers)).toMatchObject({ status: 200, body: { sub: "s-1", role: "student" } });
  });
});

describe.each(["url", "lattice"] as const)("--source %s forwards no token claims, as deployed", (source) => {
  const stack = localApiFor(source);

  it("a dev token signs nobody in: /me is a 401 problem, /health a 200 (was, for lattice: the token's claims stood in for the caller)", async () => {
    expect(await call(stack.api.url, "GET", "/me", TEACHER)).toMatchObject({ status: 401, type: "application/problem+json" });
    expect((await call(stack.api.url, "GET", "/health", undefined)).status).toBe(200);
  });
});

