import { describe, expect, it } from "vitest";
import { parseCookies, setCookie } from "./cookies.ts";

describe("parseCookies", () => {
  it("parses pairs, first duplicate wins, quotes and escapes", () => {
    const c = parseCookies('a=1; b="two words"; a=3; c=%20x; bad=%E0%A4%A; novalue; =x; __proto__=p');
    for (const k of ["toString", "constructor", "hasOwnProperty", "__proto__"]) expect(k in c && !Object.hasOwn(c, k), k).toBe(false);
    expect({ ...c }).toEqual({ a: "1", b: "two words", c: " x", bad: "%E0%A4%A", ["__proto__"]: "p" });
  });
  it("handles a missing header", () => {
    expect({ ...parseCookies(undefined) }).toEqual({});
  });
});

describe("setCookie", () => {
  it("serializes attributes", () => {
    expect(
      setCookie("sid", "a b;c", { path: "/", domain: "example.com", maxAge: 60.7, httpOnly: true, secure: true, sameSite: "Lax", expires: new Date(Date.UTC(2026, 9, 21, 7, 28)) }),
    ).toBe("sid=a%20b%3Bc; Max-Age=60; Domain=example.com; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly; Secure; SameSite=Lax");
  });
  it("SameSite=None and Partitioned imply Secure", () => {
    expect(setCookie("a", "1", { sameSite: "None", partitioned: true })).toBe("a=1; Secure; SameSite=None; Partitioned");
  });
  it.each([
    ["bad name", "x", {}, /cookie name/],
    ["a", "x", { path: "/a;b" }, /invalid path/],
    ["a", "x", { domain: "a b" }, /invalid domain/],
    ["a", "x", { maxAge: Number.NaN }, /maxAge/],
    ["a", "x", { expires: new Date("nope") }, /expires/],
  ] as const)("rejects %j %j %j naming the field", (name, value, options, message) => {
    expect(() => setCookie(name, value, options)).toThrow(message);
  });
});
