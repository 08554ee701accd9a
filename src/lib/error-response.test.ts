import { afterEach, describe, expect, it, vi } from "vitest";
import { testRequest } from "../router/test-request.ts";
import { answerError, errorResponse } from "./error-response.ts";
import { HttpError } from "./error.ts";
import { text } from "./response.ts";

afterEach(() => vi.restoreAllMocks());

// Log lines written while running `fn`, parsed.
async function logged<T>(fn: () => Promise<T>): Promise<[T, Record<string, unknown>[]]> {
  const lines: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((line) => (lines.push(String(line)), true));
  const out = await fn();
  return [out, lines.map((line) => JSON.parse(line))];
}

const cycle: Record<string, unknown> = {};
cycle["self"] = cycle;
const messageThrows = new Error("x");
Object.defineProperty(messageThrows, "message", {
  get() {
    throw new Error("message getter");
  },
});
// What a handler can throw that the problem JSON or the log line cannot read.
const UNREADABLE: [string, unknown][] = [
  ["an HttpError with a BigInt extension", new HttpError(409, "taken", { version: 1n })],
  ["an HttpError with a circular extension", new HttpError(409, "taken", { cycle })],
  ["an HttpError with an extension whose toJSON throws", new HttpError(409, "taken", { at: { toJSON: () => { throw new Error("toJSON"); } } })],
  ["a null-prototype object", Object.create(null)],
  ["an object whose toString throws", { toString: () => { throw new Error("toString"); } }],
  ["a Proxy that throws on every read", new Proxy({}, { get: () => { throw new Error("get trap"); }, getPrototypeOf: () => { throw new Error("prototype trap"); } })],
  ["an Error whose message getter throws", messageThrows],
];

describe("errorResponse: anything thrown becomes a response, never a rejection", () => {
  it.each(UNREADABLE)("%s → a logged 500 problem with the request id and route (was: errorResponse rejected, so Lambda reported an invocation error and API Gateway a bare 502)", async (_name, thrown) => {
    const req = testRequest("GET", "/exams/e-1");
    req.route = "/exams/:examId";
    const [res, lines] = await logged(() => errorResponse(thrown, req));
    expect(res.status).toBe(500);
    expect(res.headers?.["content-type"]).toBe("application/problem+json");
    expect(JSON.parse(res.body as string)).toMatchObject({ status: 500, requestId: "req-test" });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "error", message: "unhandled error", requestId: "req-test", route: "/exams/:examId" });
  });
  it.each(UNREADABLE)("%s thrown by onError too", async (_name, thrown) => {
    const [res] = await logged(() =>
      errorResponse(new Error("first"), testRequest("GET", "/"), () => {
        throw thrown;
      }),
    );
    expect(res.status).toBe(500);
  });
  it("the exported errorResponse takes no pass-on switch: an onError that answers nothing gets the default problem whatever a caller passes after it (was: a truthy fourth argument, the router's internal switch for groups, made it reject)", async () => {
    const call = errorResponse as (...args: unknown[]) => ReturnType<typeof errorResponse>;
    const [res] = await logged(() => call(new HttpError(404, "No exam e-1"), testRequest("GET", "/"), () => undefined, true));
    expect(res.status).toBe(404);
  });
  it("an unserializable HttpError's log line says why: the JSON error", async () => {
    const [, lines] = await logged(() => errorResponse(new HttpError(409, "taken", { version: 1n }), testRequest("GET", "/")));
    expect(lines[0]).toMatchObject({ errorName: "TypeError", errorMessage: expect.stringContaining("BigInt") });
  });
});

describe("errorResponse: what is logged", () => {
  const req = () => Object.assign(testRequest("GET", "/exams/e-1"), { route: "/exams/:examId" });
  it.each([500, 502, 503, 504])("a thrown %i HttpError is answered as it says and logged once, with the route and request id (was: no log line: 5xx in API Gateway's metrics and nothing in the log)", async (status) => {
    const [res, lines] = await logged(() => errorResponse(new HttpError(status, "Busy", { headers: { "retry-after": "1" } }), req()));
    expect(res).toMatchObject({ status, headers: { "retry-after": "1" } });
    expect(JSON.parse(res.body as string)).toMatchObject({ status, detail: "Busy", requestId: "req-test" });
    expect(lines).toEqual([expect.objectContaining({ level: "error", message: "unhandled error", requestId: "req-test", route: "/exams/:examId", errorName: "HttpError", errorMessage: "Busy" })]);
  });
  it.each([400, 404, 409, 422, 429, 499])("a thrown %i HttpError is the client's: answered, not logged", async (status) => {
    const [res, lines] = await logged(() => errorResponse(new HttpError(status), req()));
    expect(res.status).toBe(status);
    expect(lines).toEqual([]);
  });
  it("a 5xx onError answered is onError's to log: no line of ours", async () => {
    const [res, lines] = await logged(() => errorResponse(new HttpError(503), req(), () => text("busy", 503)));
    expect(res.status).toBe(503);
    expect(lines).toEqual([]);
  });
});

// Found by hand mutation testing: onError's contract, piece by piece.
describe("errorResponse: what onError's answer means", () => {
  it("onError returning null is \"not mine\", as undefined is: the HttpError's own problem answers", async () => {
    const res = await errorResponse(new HttpError(409, "taken"), testRequest("GET", "/x"), () => null);
    expect(res).toMatchObject({ status: 409, headers: { "content-type": "application/problem+json" } });
  });
  it("plain data from onError keeps the error's status: the HttpError's, else 500; a response keeps its own", async () => {
    const [quiet] = await logged(async () => [await errorResponse(new HttpError(409, "taken"), testRequest("GET", "/x"), () => ({ retry: true })), await errorResponse(new Error("boom"), testRequest("GET", "/x"), () => "oops"), await errorResponse(new HttpError(409, "taken"), testRequest("GET", "/x"), () => text("mine", 418))]);
    const [data, string, own] = quiet;
    expect(data).toMatchObject({ status: 409, body: '{"retry":true}' });
    expect(string).toMatchObject({ status: 500, body: "oops" });
    expect(own).toMatchObject({ status: 418, body: "mine" });
  });
  it("an onError that throws: what it threw is answered, not the original error", async () => {
    const [res] = await logged(() => errorResponse(new Error("boom"), testRequest("GET", "/x"), () => { throw new HttpError(429, "slow down"); }));
    expect(res.status).toBe(429);
  });
  it("answerError's passOn (a group's onError): what onError leaves rejects, for the enclosing onError", async () => {
    const err = new HttpError(409, "taken");
    await expect(answerError(err, testRequest("GET", "/x"), () => undefined, true)).rejects.toBe(err);
    const inner = new HttpError(429, "slow down");
    await expect(answerError(err, testRequest("GET", "/x"), () => { throw inner; }, true)).rejects.toBe(inner);
    expect((await answerError(err, testRequest("GET", "/x"), () => text("mine"), true)).body).toBe("mine");
  });
});
