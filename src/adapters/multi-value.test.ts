import { describe, expect, it } from "vitest";
import { multiValueMaps } from "./multi-value.ts";

// Every value handed to put, in order.
function read(multi: unknown, single: unknown): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  multiValueMaps(multi, single, "multiValueHeaders", "headers", (name, value) => out.push([name, value]));
  return out;
}

// REST sends both maps with the same names; an ALB target group one of them; the console's test events nulls.
describe("multiValueMaps", () => {
  it.each([
    ["both maps, the same names: each value once", { a: ["1", "2"] }, { a: "2" }, [["a", "1"], ["a", "2"]]],
    ["a name only in the single-value map is read", { a: ["1"] }, { b: "3" }, [["a", "1"], ["b", "3"]]],
    ["a null in the single-value map is no value", null, { a: null, b: "2" }, [["b", "2"]]],
    ["a null list in the multi-value map leaves the single value", { a: null }, { a: "1" }, [["a", "1"]]],
    ["a name like an Object.prototype key is the event's", {}, { toString: "t" }, [["toString", "t"]]],
  ])("%s", (_name, multi, single, expected) => {
    expect(read(multi, single)).toEqual(expected);
  });
});
