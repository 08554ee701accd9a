import { describe, expect, it } from "vitest";
import { harnessLoop, timedLoop } from "./timed-loop.ts";

const event = { rawPath: "/exams/e-42", body: "x" };
const reference = { statusCode: 200, body: '{"examId":"e-42"}', isBase64Encoded: false };

describe("the peers group's timed loop", () => {
  it("times every call and returns ns per call when each answer is the verified one", async () => {
    const seen: object[] = [];
    const loop = timedLoop("raw", async (e) => (seen.push(e as object), { ...reference }), event, {}, reference);
    expect(await loop(50)).toBeGreaterThan(0);
    expect(seen).toHaveLength(50);
  });

  it("gives each call its own copy of the event, so a handler that rewrites it (middy's body parser) cannot change the next call's", async () => {
    const bodies: unknown[] = [];
    const loop = timedLoop("middy", async (e: any) => (bodies.push(e.body), (e.body = { parsed: true }), { ...reference }), event, {}, reference);
    await loop(3);
    expect(bodies).toEqual(["x", "x", "x"]);
    expect(event.body).toBe("x");
  });

  it.each([
    ["another status", { ...reference, statusCode: 500 }],
    ["another body", { ...reference, body: '{"examId":"e-43"}' }],
    ["another encoding", { ...reference, isBase64Encoded: true }],
    ["no result at all", undefined],
  ])("fails the run when one call gives %s (a fast wrong answer is not fast)", async (_, wrong) => {
    let calls = 0;
    const loop = timedLoop("flaky", async () => (++calls === 7 ? wrong : { ...reference }), event, {}, reference);
    await expect(loop(10)).rejects.toThrow(/flaky: a different answer while timing/);
  });

  it("builds a separate function per loop, so no call site is shared between the handlers a process times", () => {
    const a = timedLoop("a", async () => reference, event, {}, reference);
    const b = timedLoop("b", async () => reference, event, {}, reference);
    expect(a).not.toBe(b);
  });

  it("times the harness alone with the same loop around a handler that returns the verified answer", async () => {
    expect(await harnessLoop("raw", event, {}, reference)(20)).toBeGreaterThan(0);
  });
});
