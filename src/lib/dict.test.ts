import { describe, expect, it } from "vitest";
import { dict } from "./dict.ts";

describe("dict", () => {
  it("inherits no keys", () => {
    const d = dict<string>();
    for (const k of ["toString", "constructor", "hasOwnProperty", "valueOf", "__proto__", "__defineGetter__"]) expect(k in d, k).toBe(false);
    expect(d["constructor"]).toBeUndefined();
  });
  it("keeps __proto__ and constructor as ordinary own keys", () => {
    const d = dict<string>();
    d["__proto__"] = "p";
    d["constructor"] = "c";
    expect(Object.keys(d)).toEqual(["__proto__", "constructor"]);
    expect(JSON.stringify(d)).toBe('{"__proto__":"p","constructor":"c"}');
    expect(Object.getPrototypeOf(Object.getPrototypeOf(d))).toBeNull();
    expect(dict()).not.toHaveProperty("__proto__", "p"); // no sharing between maps
  });
  it("cannot be polluted through its shared prototype", () => {
    const proto = Object.getPrototypeOf(dict());
    expect(Object.isFrozen(proto)).toBe(true);
    expect(() => {
      "use strict";
      proto.x = 1;
    }).toThrow();
  });
});
