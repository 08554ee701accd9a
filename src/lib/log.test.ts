import { afterEach, describe, expect, it, vi } from "vitest";
import { logJson } from "./log.ts";

afterEach(() => vi.restoreAllMocks());

describe("logJson", () => {
  it.each([
    ["a null-prototype object", Object.create(null)],
    ["an object whose toString throws", { toString: () => { throw new Error("toString"); } }],
    ["a Proxy that throws on every read", new Proxy({}, { get: () => { throw new Error("get trap"); }, getPrototypeOf: () => { throw new Error("prototype trap"); } })],
  ])("an error it cannot read (%s) is left out, the entry's fields logged (was: logJson threw, and nothing was logged)", (_name, error) => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((line) => (lines.push(String(line)), true));
    expect(() => logJson({ level: "error", message: "unhandled error", requestId: "req-1", route: "/a" }, error)).not.toThrow();
    expect(lines.map((line) => JSON.parse(line))).toEqual([{ level: "error", message: "unhandled error", requestId: "req-1", route: "/a" }]);
  });
  it("an Error is logged with its name, message and stack", () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((line) => (lines.push(String(line)), true));
    logJson({ level: "error", message: "m" }, new RangeError("r"));
    expect(JSON.parse(lines[0]!)).toMatchObject({ errorName: "RangeError", errorMessage: "r", stack: expect.stringContaining("RangeError: r") });
  });
});
