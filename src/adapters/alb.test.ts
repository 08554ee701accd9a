import { afterEach, describe, expect, it, vi } from "vitest";
import { alb, binary, createEvent, handle, text } from "../index.ts";
import { cookieHeaderName } from "./alb.ts";

const ctx = { awsRequestId: "lambda-request-id" };
afterEach(() => void vi.restoreAllMocks());
const single = (over: Record<string, unknown> = {}) => ({ ...createEvent("alb", { method: "GET", path: "/exams" }), ...over });
const multi = (over: Record<string, unknown> = {}) => ({ ...createEvent("alb-multi", { method: "GET", path: "/exams" }), ...over });

describe("Application Load Balancer", () => {
  it("decodes query names and values the ALB left encoded (+ is a space)", () => {
    const req = alb.request(single({ queryStringParameters: { q: "a%20b+c", "k%20ey": "v", bad: "%E0%A4%A" } }) as never, ctx, {});
    expect({ ...req.query }).toEqual({ q: "a b c", "k ey": "v", bad: "%E0%A4%A" });
    expect(req.rawQuery).toBe("q=a%20b+c&k%20ey=v&bad=%E0%A4%A");
  });

  it("multi-value mode: every query value and header value", () => {
    const req = alb.request(
      multi({ multiValueQueryStringParameters: { tag: ["a", "b%2Bc"] }, multiValueHeaders: { accept: ["a", "b"], "x-forwarded-for": ["198.51.100.7"] } }) as never,
      ctx,
      {},
    );
    expect({ ...req.queryAll }).toEqual({ tag: ["a", "b+c"] });
    expect(req.headers["accept"]).toBe("a, b");
  });

  it("sourceIp is the LAST x-forwarded-for entry (the first is client-controlled)", () => {
    expect(alb.request(single({ headers: { "x-forwarded-for": "6.6.6.6, 203.0.113.7" } }) as never, ctx, {}).sourceIp).toBe("203.0.113.7");
    expect(alb.request(multi({ multiValueHeaders: { "x-forwarded-for": ["6.6.6.6", "10.0.0.1, 203.0.113.8"] } }) as never, ctx, {}).sourceIp).toBe("203.0.113.8");
    expect(alb.request(single({ headers: {} }) as never, ctx, {}).sourceIp).toBe("");
  });

  it("GET bodies arrive as '' and mean no body; requestId falls back to the Lambda request id", () => {
    const req = alb.request(single() as never, ctx, {});
    expect(req.bytes().length).toBe(0);
    expect(req.requestId).toBe("lambda-request-id");
    expect(req.stage).toBeUndefined();
    expect(req.auth).toBeUndefined();
  });

  it("multi-value mode is answered with multiValueHeaders only, statusDescription always", async () => {
    const cookies = ["a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT", "b=2"];
    const result = await handle(() => text("x", { status: 201, cookies }))(multi(), ctx);
    expect(result).toEqual({
      statusCode: 201,
      statusDescription: "201 Created",
      multiValueHeaders: { "content-type": ["text/plain; charset=utf-8"], "x-request-id": ["lambda-request-id"], "set-cookie": cookies },
      body: "x",
      isBase64Encoded: false,
    });
  });

  it("single-value mode keeps every Set-Cookie by case-varying the header name, never comma-joining", async () => {
    const cookies = ["a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT", "b=2", "c=3"];
    const result = (await handle(() => text("x", { cookies }))(single(), ctx)) as { headers: Record<string, string> };
    expect(result).not.toHaveProperty("multiValueHeaders");
    expect(result).toMatchObject({ statusCode: 200, statusDescription: "200 OK" });
    const sent = Object.entries(result.headers).filter(([k]) => k.toLowerCase() === "set-cookie");
    expect(sent).toEqual([["set-cookie", cookies[0]], ["Set-cookie", cookies[1]], ["sEt-cookie", cookies[2]]]);
  });

  it("single-value mode: Set-Cookie beyond the 512 case variants of the name is a logged 500 naming the fix, never dropped unseen (was: the 513th on silently lost)", async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (lines.push(String(chunk)), true));
    const cookies = Array.from({ length: 513 }, (_, i) => `c${i}=1`);
    const result = await handle(() => text("x", { cookies }))(single(), ctx);
    expect(result).toMatchObject({ statusCode: 500, statusDescription: "500 Internal Server Error" });
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: "error", errorMessage: expect.stringMatching(/over 512 Set-Cookie.*multi-value mode/) });
    // 512 fit, and multi-value mode takes any number.
    expect(await handle(() => text("x", { cookies: cookies.slice(0, 512) }))(single(), ctx)).toMatchObject({ statusCode: 200 });
    expect((await handle(() => text("x", { cookies }))(multi(), ctx)).multiValueHeaders["set-cookie"]).toEqual(cookies);
  });

  it("single-value mode: a repeated query key or header reaches the function as one value, as the ALB sends it; multi-value mode delivers every one", () => {
    // createEvent builds what the ALB sends in each mode (single-value: one string per name).
    const one = createEvent("alb", { path: "/exams?tag=a&tag=b", headers: { accept: ["text/html", "application/json"] } }) as { queryStringParameters: Record<string, string> };
    expect(Object.values(one.queryStringParameters)).toEqual(["b"]);
    const req = alb.request(one as never, ctx, {});
    expect([{ ...req.queryAll }, req.headersAll["accept"]!.length]).toEqual([{ tag: ["b"] }, 1]);
    const all = alb.request(createEvent("alb-multi", { path: "/exams?tag=a&tag=b", headers: { accept: ["text/html", "application/json"] } }) as never, ctx, {});
    expect([{ ...all.queryAll }, all.headersAll["accept"]]).toEqual([{ tag: ["a", "b"] }, ["text/html", "application/json"]]);
  });

  it("a binary body is measured against the 1 MB limit as sent, base64 (4/3 larger): 800 KiB of bytes is a logged 500, not an ALB 502", async () => {
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const bytes = new Uint8Array(800 * 1024);
    expect(await handle(() => binary(bytes, "application/octet-stream"))(single(), ctx)).toMatchObject({ statusCode: 500 });
    expect(await handle(() => binary(bytes.subarray(0, 700 * 1024), "application/octet-stream"))(multi(), ctx)).toMatchObject({ statusCode: 200, isBase64Encoded: true });
  });

  it("cookie header name variants are distinct", () => {
    const names = new Set(Array.from({ length: 512 }, (_, i) => cookieHeaderName(i)));
    expect(names.size).toBe(512);
    for (const n of names) expect(n.toLowerCase()).toBe("set-cookie");
  });

  it("statusDescription for an unusual status", async () => {
    expect(await handle(() => text("x", 599))(single(), ctx)).toMatchObject({ statusDescription: "599 Unknown" });
  });

  it.each([
    [206, "206 Partial Content"],
    [410, "410 Gone"],
    [501, "501 Not Implemented"],
    [504, "504 Gateway Timeout"],
  ])("statusDescription %s is %s: code and reason phrase, as the ALB requires (was: Unknown)", async (status, description) => {
    expect(await handle(() => text("x", status))(multi(), ctx)).toMatchObject({ statusDescription: description });
  });

  it("createEvent sends a body as the ALB does: as is for text/*, JSON, JavaScript and XML, base64 for any other type (a form post)", () => {
    const form = createEvent("alb", { method: "POST", path: "/login", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "user=alice&pass=p%40ss+word" });
    expect(form).toMatchObject({ body: Buffer.from("user=alice&pass=p%40ss+word").toString("base64"), isBase64Encoded: true });
    for (const type of ["text/csv; charset=utf-8", "application/json", "application/xml", "application/javascript"]) {
      expect(createEvent("alb-multi", { method: "POST", path: "/", headers: { "content-type": type }, body: "a,b" }), type).toMatchObject({ body: "a,b", isBase64Encoded: false });
    }
    // Either way the request reads the same text.
    expect(alb.request(form as never, ctx, {}).text()).toBe("user=alice&pass=p%40ss+word");
  });
});

// Found by hand mutation testing.
describe("Application Load Balancer: edges", () => {
  it("multi-value mode: a header given several values is sent as each value, and no set-cookie list without cookies", async () => {
    const result = await handle(() => text("x", { headers: { vary: ["Origin", "Accept"] } }))(multi(), ctx);
    expect(result.multiValueHeaders.vary).toEqual(["Origin", "Accept"]);
    expect(result.multiValueHeaders).not.toHaveProperty("set-cookie");
  });
  it("rawQuery keeps a flag without '=' as it came", () => {
    expect(alb.request(single({ queryStringParameters: { flag: "", a: "1" } }) as never, ctx, {}).rawQuery).toBe("flag&a=1");
  });
  it("a query value that is not a string is a 400 naming it", async () => {
    const result = await handle((req) => text(req.query["a"] ?? ""))(single({ queryStringParameters: { a: 5 } }), ctx);
    expect(result.statusCode).toBe(400);
    expect(result.body).toContain("query a");
  });
});
