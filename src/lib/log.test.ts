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

describe("logJson: thrown values that are no Error, and entries JSON can't hold (mutation testing, round 4)", () => {
  const logged = (entry: Record<string, unknown>, ...error: unknown[]) => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((line) => (lines.push(String(line)), true));
    logJson(entry, ...(error as [unknown]));
    vi.restoreAllMocks();
    return lines.map((line) => JSON.parse(line));
  };

  it.each([
    ["null", null, "object", "null"],
    ["0", 0, "number", "0"],
    ["an empty string", "", "string", ""],
    ["false", false, "boolean", "false"],
    ["a string", "boom", "string", "boom"],
  ])("a thrown %s is logged with its type and text", (_name, error, errorName, errorMessage) => {
    expect(logged({ level: "error", message: "m" }, error)).toEqual([{ level: "error", message: "m", errorName, errorMessage }]);
  });

  it("no error given: the entry alone", () => {
    expect(logged({ level: "info", message: "m" })).toEqual([{ level: "info", message: "m" }]);
  });

  it("an entry JSON can't hold (a BigInt message, a cycle) is its level and message as text, flagged unserializable", () => {
    const cycle: Record<string, unknown> = {};
    cycle["self"] = cycle;
    expect(logged({ level: "warn", message: 10n, cycle })).toEqual([{ level: "warn", message: "10", unserializable: true }]);
  });
});
