import { describe, expect, it } from "vitest";
import { parseCookies, setCookie } from "./cookies.ts";

describe("parseCookies", () => {
  it("parses pairs, first duplicate wins, quotes and escapes", () => {
    const c = parseCookies('a=1; b="two words"; a=3; c=%20x; bad=%E0%A4%A; novalue; =x; __proto__=p');
    for (const k of ["toString", "constructor", "hasOwnProperty", "__proto__"]) expect(k in c && !Object.hasOwn(c, k), k).toBe(false);
    expect({ ...c }).toEqual({ a: "1", b: "two words", c: " x", bad: "%E0%A4%A", ["__proto__"]: "p" });
  });
  it("a malformed escape is kept and the valid ones decoded: caf%C3%A9% is café% (was: caf%C3%A9%)", () => {
    expect(parseCookies("c=caf%C3%A9%; d=100%25")).toEqual({ c: "café%", d: "100%" });
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
  it.each([
    [{ sameSite: "Lax; Domain=evil.example" }, "SameSite=Lax; Domain=evil.example, an injected attribute", /sameSite/],
    [{ sameSite: "Lax\r\nX: 1" }, "sent with its CR LF", /sameSite/],
    [{ sameSite: "lax" }, "SameSite=lax", /sameSite/],
    [{ expires: "2026-10-21" }, "TypeError: options.expires.getTime is not a function", /^setCookie: expires/],
  ])("rejects a JavaScript caller's %j naming the field (was: %s)", (options, _was, message) => {
    expect(() => setCookie("a", "x", options as never)).toThrow(message);
  });
  it("maxAge is whole seconds in digits: 3600.7 is Max-Age=3600, 0 is Max-Age=0, 1e21 and Infinity throw naming maxAge (was: Max-Age=1e+21, which browsers ignore)", () => {
    expect(setCookie("a", "1", { maxAge: 3600.7 })).toBe("a=1; Max-Age=3600");
    expect(setCookie("a", "1", { maxAge: 0 })).toBe("a=1; Max-Age=0");
    expect(() => setCookie("a", "1", { maxAge: 1e21 })).toThrow(/maxAge/);
    expect(() => setCookie("a", "1", { maxAge: Infinity })).toThrow(/maxAge/);
  });
});
