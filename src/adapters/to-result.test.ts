import { describe, expect, it } from "vitest";
import { createEvent, handle, text, type EventSource } from "../index.ts";
import { readResult } from "../testing/invoke.ts";

const ctx = { awsRequestId: "lambda-id" };

describe("toResult regressions (found by the round-trip properties)", () => {
  it.each(["apigw-v1", "http-api-v2", "function-url", "alb", "alb-multi"] as EventSource[])(
    "%s: a repeated response header named `constructor` is sent like any other (was: TypeError, a logged 500)",
    async (source) => {
      const app = handle(() => text("ok", { headers: { constructor: ["a", "b"], vary: ["Origin", "Accept"], toString: "t" } }));
      const result = await app(createEvent(source, { path: "/" }), ctx);
      expect(result.statusCode).toBe(200);
      const read = readResult(result, source);
      expect(read.headers["constructor"]).toBe("a, b");
      expect(read.headers["tostring"]).toBe("t");
      expect(read.headers["vary"]).toBe("Origin, Accept");
    },
  );

  it("alb-multi: a single header named `constructor` beside a repeated one keeps its own value (was: Object's constructor, dropped)", async () => {
    const app = handle(() => text("ok", { headers: { constructor: "c", vary: ["Origin", "Accept"] } }));
    const result = await app(createEvent("alb-multi", { path: "/" }), ctx);
    expect(result.multiValueHeaders["constructor"]).toEqual(["c"]);
    expect(result.multiValueHeaders["vary"]).toEqual(["Origin", "Accept"]);
  });
});
