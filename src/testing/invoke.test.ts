import { describe, expect, it } from "vitest";
import { binary, handle, json, router, setCookie, text } from "../index.ts";
import { invoke, readResult } from "./invoke.ts";

const app = router()
  .get("/exams/:examId", (req) => ({ examId: req.params.examId, q: req.query["q"] ?? null, source: req.source }))
  .post("/exams", (req) => json({ id: "e-1", ...(req.json() as object) }, { status: 201, cookies: [setCookie("a", "1"), setCookie("b", "2", { httpOnly: true })] }))
  .get("/pdf", () => binary(new Uint8Array([0x25, 0x50, 0x44, 0x46, 0xff]), "application/pdf"))
  .get("/vary", () => text("x", { headers: { vary: ["Origin", "Accept"] } }));

describe("invoke: an app or handler in one line, read back from the source's real result", () => {
  it.each(["http-api-v2", "apigw-v1", "function-url", "alb", "alb-multi"] as const)("%s: status, headers, cookies, JSON", async (source) => {
    const res = await invoke(app, { source, method: "POST", path: "/exams", json: { title: "Algebra" } });
    expect(res.status).toBe(201);
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(res.cookies).toEqual(["a=1", "b=2; HttpOnly"]);
    expect(res.json()).toEqual({ id: "e-1", title: "Algebra" });
    const get = await invoke(app, { source, path: "/exams/e%2042?q=a+b" });
    expect(get.json()).toEqual({ examId: "e 42", q: "a b", source: source === "alb-multi" ? "alb" : source });
  });
  it("binary bodies come back as bytes; repeated headers joined", async () => {
    const pdf = await invoke(app, { path: "/pdf", source: "apigw-v1" });
    expect([...pdf.bytes]).toEqual([0x25, 0x50, 0x44, 0x46, 0xff]);
    expect((await invoke(app, { path: "/vary", source: "apigw-v1" })).headers["vary"]).toBe("Origin, Accept");
    expect((await invoke(app, { path: "/vary", source: "alb-multi" })).headers["vary"]).toBe("Origin, Accept");
  });
  it("takes an exported Lambda handler as well as an app", async () => {
    const handler = handle((req) => text(`hi ${req.method}`));
    expect((await invoke(handler, { method: "PUT", path: "/" })).body).toBe("hi PUT");
  });
  it("result headers are plain objects: deepStrictEqual against a literal works in users' tests", async () => {
    const res = await invoke(app, { path: "/vary" });
    expect(Object.getPrototypeOf(res.result.headers)).toBe(Object.prototype);
    expect(res.result.headers).toStrictEqual({ "content-type": "text/plain; charset=utf-8", vary: "Origin, Accept", "x-request-id": res.headers["x-request-id"] });
  });
  it("refuses what is not an HTTP result", () => {
    expect(() => readResult({ ok: true })).toThrow(/not an HTTP result/);
  });
});
