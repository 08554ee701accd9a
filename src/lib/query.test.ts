import { describe, expect, it, vi } from "vitest";
import { dict } from "./dict.ts";
import { buildQuery, parseQuery } from "./query.ts";

// Every decoded pair, collected per key in a map that inherits nothing (as the request model does).
function parse(raw: string): Record<string, string[]> {
  const out: Record<string, string[]> = dict();
  parseQuery(raw, (key, value) => (out[key] ??= []).push(value as string));
  return out;
}

describe("parseQuery", () => {
  it.each([
    ["", {}],
    ["a=1", { a: ["1"] }],
    ["a=1&a=2&b=3", { a: ["1", "2"], b: ["3"] }],
    ["flag", { flag: [""] }],
    ["flag=&x", { flag: [""], x: [""] }],
    ["q=a+b%20c", { q: ["a b c"] }],
    ["plus=%2B", { plus: ["+"] }],
    ["bad=%E0%A4%A&ok=%41", { bad: ["%E0%A4%A"], ok: ["A"] }],
    ["a=1&&b=2&", { a: ["1"], b: ["2"] }],
    ["e=x=y", { e: ["x=y"] }],
    ["k%20ey=v", { "k ey": ["v"] }],
    // The first "=" is in a later pair: it belongs to that pair only.
    ["a&b&c=1=2&=x", { a: [""], b: [""], c: ["1=2"], "": ["x"] }],
  ])("%j", (raw, expected) => {
    const out = parse(raw);
    for (const k of ["toString", "constructor", "hasOwnProperty", "__proto__"]) expect(k in out && !Object.hasOwn(out, k), k).toBe(false);
    expect({ ...out }).toEqual(expected);
  });

  it("reads a long query in one pass, however its pairs look", () => {
    // 100,000 bare keys then one "=": a search for "=" from every pair would scan the rest each time.
    let calls = 0;
    const raw = "a&".repeat(100_000) + "z=1";
    const indexOf = vi.spyOn(String.prototype, "indexOf");
    parseQuery(raw, () => void calls++);
    const scanned = indexOf.mock.calls.length;
    indexOf.mockRestore();
    expect(calls).toBe(100_001);
    expect(scanned).toBeLessThanOrEqual(100_001 + 2);
  });

  it("a malformed escape is kept and every valid one beside it decoded: 50%25%20off%20100%+today is \"50% off 100% today\" (was: the valid escapes left encoded)", () => {
    expect(parse("q=50%25%20off%20100%+today")).toEqual({ q: ["50% off 100% today"] });
    // Bytes that are not UTF-8 stay as received, the rest decoded.
    expect(parse("q=%ED%A0%80+%C3%A9")).toEqual({ q: ["%ED%A0%80 é"] });
  });

  it("keeps __proto__ as an ordinary key, not a prototype", () => {
    const out = parse("__proto__=x&constructor=y");
    expect(Object.keys(out)).toEqual(["__proto__", "constructor"]);
    expect(out["__proto__"]).toEqual(["x"]);
    expect(out["toString"]).toBeUndefined();
  });
});

describe("buildQuery", () => {
  it("re-encodes decoded values so they round-trip", () => {
    const all = { path: ["/book/{bookId}/"], tag: ["日本語", "a&b=c"], e: ["b%40r"] };
    const raw = buildQuery(all);
    expect(raw).toBe("path=%2Fbook%2F%7BbookId%7D%2F&tag=%E6%97%A5%E6%9C%AC%E8%AA%9E&tag=a%26b%3Dc&e=b%2540r");
    expect({ ...parse(raw) }).toEqual(all);
  });
});

// Found by hand mutation testing.
describe("query edges", () => {
  it("every + in a component is a space, not only the first", () => {
    expect(parse("q=a+b+c&k+1+2=v")).toEqual({ q: ["a b c"], "k 1 2": ["v"] });
  });
  it("buildQuery: a lone surrogate in a key becomes U+FFFD instead of throwing", () => {
    expect(buildQuery({ "k\ud800": ["v\udc00"] })).toBe("k%EF%BF%BD=v%EF%BF%BD");
  });
});
