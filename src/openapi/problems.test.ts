// The problem+json schemas the document publishes are a promise about bodies the library really sends: a
// client generating types from them must accept every problem it gets and may rely on what they require.
import { Ajv2020 } from "ajv/dist/2020.js";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { HttpError, problem } from "../lib/error.ts";
import { router } from "../router/router.ts";
import { testRequest } from "../router/test-request.ts";
import { validate } from "../router/validate.ts";
import { PROBLEM_SCHEMA, VALIDATION_PROBLEM_SCHEMA } from "./problems.ts";

const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema(PROBLEM_SCHEMA, "#/components/schemas/Problem");
const isProblem = ajv.compile(PROBLEM_SCHEMA);
const isValidationProblem = ajv.compile(VALIDATION_PROBLEM_SCHEMA);
const bodyOf = (res: { body?: string | Uint8Array | undefined }) => JSON.parse(String(res.body)) as Record<string, unknown>;

describe("the documented problem schemas", () => {
  it("accept every problem an HttpError sends, 400 to 599, a status without a phrase (418, 451: no title) too (was: title required, so a 451 broke the documented contract)", () => {
    const refused: string[] = [];
    for (let status = 400; status < 600; status++) {
      for (const body of [bodyOf(problem(new HttpError(status), undefined)), bodyOf(problem(new HttpError(status, "why", { type: "https://exambuddy.app/problems/x", limit: 3 }), "req-1"))]) {
        if (!isProblem(body)) refused.push(`${status}: ${ajv.errorsText(isProblem.errors)}`);
      }
    }
    expect(refused).toEqual([]);
  });

  it("accept the router's own 400, 404 and 415 and validate()'s 422 (every issue listed, more counting the rest)", async () => {
    const app = router({ validate }).post("/exams/:examId", { body: v.object({ tags: v.array(v.string()) }) }, () => 1);
    const notFound = await app.handle(testRequest("GET", "/nowhere"));
    const malformed = await app.handle(testRequest("POST", "/exams/e-1", { headers: { "content-type": "application/json" }, body: "{" }));
    const notJson = await app.handle(testRequest("POST", "/exams/e-1", { headers: { "content-type": "text/plain" }, body: "x" }));
    const invalid = await app.handle(testRequest("POST", "/exams/e-1", { headers: { "content-type": "application/json" }, body: JSON.stringify({ tags: Array(25).fill(1) }) }));
    expect([notFound.status, malformed.status, notJson.status, invalid.status]).toEqual([404, 400, 415, 422]);
    for (const res of [notFound, malformed, notJson]) expect(isProblem(bodyOf(res))).toBe(true);
    const validation = bodyOf(invalid);
    expect(validation["more"]).toBe(5);
    expect(isValidationProblem(validation)).toBe(true);
  });

  it.each<[string, Record<string, unknown>]>([
    ["no type", { title: "Not Found", status: 404 }],
    ["no status", { type: "about:blank", title: "Not Found" }],
    ["a status below 400", { type: "about:blank", title: "Found", status: 302 }],
    ["a status above 599", { type: "about:blank", status: 600 }],
    ["a status that is no integer", { type: "about:blank", status: 404.5 }],
    ["a detail that is no string", { type: "about:blank", status: 404, detail: 5 }],
    ["a requestId that is no string", { type: "about:blank", status: 404, requestId: 5 }],
    ["a title that is no string", { type: "about:blank", status: 404, title: null }],
  ])("refuse a problem with %s", (_, body) => {
    expect(isProblem(body)).toBe(false);
    expect(isValidationProblem(body)).toBe(false);
  });

  it.each<[string, Record<string, unknown>]>([
    ["an issue without a message", { errors: [{ path: "body.title" }] }],
    ["an issue without a path", { errors: [{ message: "Invalid type" }] }],
    ["more: 0 (more counts violations beyond the listed ones, so at least 1)", { errors: [], more: 0 }],
    ["errors that is no list", { errors: { path: "body", message: "x" } }],
  ])("refuse a validation problem with %s", (_, extra) => {
    expect(isValidationProblem({ type: "about:blank", title: "Unprocessable Content", status: 422, ...extra })).toBe(false);
  });

  it("a 422 a handler throws without errors is a validation problem too", () => {
    expect(isValidationProblem(bodyOf(problem(new HttpError(422, "Closed exam"), "req-1")))).toBe(true);
  });
});
