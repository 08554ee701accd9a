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

describe("setCookie: what browsers would reject is added or refused (RFC 6265bis)", () => {
  it("a __Host- name gets Secure and Path=/ (was: __Host-sid=s, which every browser drops)", () => {
    expect(setCookie("__Host-sid", "s", { httpOnly: true })).toBe("__Host-sid=s; Path=/; HttpOnly; Secure");
    expect(setCookie("__host-sid", "s", { path: "/" })).toBe("__host-sid=s; Path=/; Secure");
  });
  it("a __Secure- name gets Secure, in any case of the prefix (was: __Secure-a=1)", () => {
    expect(setCookie("__Secure-a", "1")).toBe("__Secure-a=1; Secure");
    expect(setCookie("__SECURE-a", "1", { path: "/x" })).toBe("__SECURE-a=1; Path=/x; Secure");
  });
  it.each([
    ["__Host-sid", { domain: "example.com" }, /__Host- cookie has path "\/" and no domain/],
    ["__Host-sid", { path: "/app" }, /__Host- cookie has path "\/" and no domain/],
    ["__Secure-a", { secure: false }, /needs secure/],
    ["__Host-a", { secure: false }, /needs secure/],
  ] as const)("%s with %j throws naming what the browser needs (was: a cookie the browser drops)", (name, options, message) => {
    expect(() => setCookie(name, "1", options)).toThrow(message);
  });
  it.each([{ sameSite: "None", secure: false }, { partitioned: true, secure: false }] as const)("%j throws: the options contradict (was: Secure added, secure: false ignored)", (options) => {
    expect(() => setCookie("a", "1", options)).toThrow("setCookie: a needs secure (sameSite None, partitioned or its prefix), not secure: false");
  });
  it.each([
    [new Date(8.64e15), "Sat, 13 Sep 275760 00:00:00 GMT"],
    [new Date(Date.UTC(10000, 0, 1)), "Sat, 01 Jan 10000 00:00:00 GMT"],
    [new Date(Date.UTC(1600, 11, 31)), "Sun, 31 Dec 1600 00:00:00 GMT"],
  ])("expires %s throws naming expires (was: Expires=%s, which browsers cannot read: a session cookie)", (expires) => {
    expect(() => setCookie("a", "1", { expires })).toThrow(/^setCookie: expires must be a valid Date in the years 1601–9999/);
  });
  it("expires at the edges of four-digit years is kept", () => {
    expect(setCookie("a", "1", { expires: new Date(Date.UTC(9999, 11, 31, 23, 59, 59)) })).toBe("a=1; Expires=Fri, 31 Dec 9999 23:59:59 GMT");
    expect(setCookie("a", "1", { expires: new Date(Date.UTC(1601, 0, 1)) })).toBe("a=1; Expires=Mon, 01 Jan 1601 00:00:00 GMT");
  });
  it.each([
    [null, "Max-Age=0: the cookie deleted"],
    ["3600", "Max-Age=3600 from a string"],
  ])("a JavaScript caller's maxAge %j throws naming maxAge (was: %s)", (maxAge, _was) => {
    expect(() => setCookie("a", "1", { maxAge } as never)).toThrow(/^setCookie: maxAge/);
  });
  it("a value that is not a string throws naming the cookie (was: TypeError: value.toWellFormed is not a function)", () => {
    expect(() => setCookie("n", 5 as never)).toThrow("setCookie: the value of n is number, not a string");
  });
  it("a name and value over 4096 bytes encoded throw (was: sent, and dropped by the browser)", () => {
    expect(setCookie("a", "x".repeat(4095))).toHaveLength(4097);
    expect(() => setCookie("a", "x".repeat(4096))).toThrow(/setCookie: a is 4097 bytes encoded, over the 4096/);
    expect(() => setCookie("a", "é".repeat(700))).toThrow(/4096/);
  });
  it("a domain or path over 1024 characters throws, its message clipped (was: sent, and ignored by the browser)", () => {
    expect(() => setCookie("a", "1", { path: "/" + "p".repeat(1024) })).toThrow(/^setCookie: invalid path "\/p{99}…"$/);
  });
});

// Edges hand mutation testing found unpinned.
describe("setCookie: edges (RFC 6265 §4.1.1, RFC 6265bis §5.7)", () => {
  it("an empty name throws: a cookie-name is a token, one or more characters (was unpinned)", () => {
    expect(() => setCookie("", "x")).toThrow(/^setCookie: invalid cookie name ""/);
  });
  it("false options add nothing: httpOnly, secure and partitioned false on a plain cookie is the bare pair, never an error", () => {
    expect(setCookie("a", "1", { httpOnly: false, secure: false, partitioned: false })).toBe("a=1");
  });
  it.each(["domain", "path"] as const)("an empty %s throws naming it: an empty attribute value is ignored by the browser (RFC 6265 §5.2.3, §5.2.4), so it is a bad attribute", (field) => {
    expect(() => setCookie("a", "1", { [field]: "" })).toThrow(`setCookie: invalid ${field} ""`);
  });
  it("a path of exactly 1024 characters is kept: browsers ignore only an attribute value longer than 1024", () => {
    const path = "/" + "p".repeat(1023);
    expect(setCookie("a", "1", { path })).toBe(`a=1; Path=${path}`);
  });
});

// Found by hand mutation testing.
describe("cookie edges", () => {
  it("spaces around a value are not part of it (before the quotes come off)", () => {
    expect({ ...parseCookies('a=1 ; b= 2;c = "q" ') }).toEqual({ a: "1", b: "2", c: "q" });
  });
  it("a lone surrogate in a value becomes U+FFFD instead of throwing", () => {
    expect(setCookie("a", "x\ud800")).toBe("a=x%EF%BF%BD");
  });
});
