import { describe, expect, it } from "vitest";
import { alb, createEvent, handle, text } from "../index.ts";
import { cookieHeaderName } from "./alb.ts";

const ctx = { awsRequestId: "lambda-request-id" };
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
