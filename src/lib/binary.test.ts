import { describe, expect, it } from "vitest";
import { defaultIsBinary } from "./binary.ts";

describe("defaultIsBinary", () => {
  it.each([
    ["text/plain; charset=utf-8", undefined, false],
    ["text/html", undefined, false],
    ["application/json", undefined, false],
    ["application/problem+json", undefined, false],
    ["application/vnd.api+json; charset=utf-8", undefined, false],
    ["application/xml", undefined, false],
    ["image/svg+xml", undefined, false],
    ["application/javascript", undefined, false],
    ["application/x-www-form-urlencoded", undefined, false],
    [undefined, undefined, false],
    ["application/json", "identity", false],
    ["application/json", "gzip", true],
    ["text/html", "br", true],
    ["application/pdf", undefined, true],
    ["application/zip", undefined, true],
    ["application/octet-stream", undefined, true],
    ["image/png", undefined, true],
    ["application/jsonx", undefined, true],
    // Pinned by hand mutation testing: each row below let a mutant of binary.ts pass every other test.
    ["application/graphql", undefined, false],
    ["application/x-ndjson", undefined, false],
    ["application/sql", undefined, false],
    ["application/toml", undefined, false],
    ["Application/YAML", undefined, false],
    ["application/json", " Identity ", false],
    // JSON and XML are text through the `[/+](json|xml)` branch alone, in any case, with parameters, and as a prefix of a longer name.
    ["APPLICATION/JSON; charset=utf-8", undefined, false],
    ["Application/Xml; charset=utf-8", undefined, false],
    ["application/json-seq", undefined, false],
    ["application/xml-dtd", undefined, false],
  ])("%s with encoding %s → %s", (type, encoding, expected) => {
    expect(defaultIsBinary(type, encoding)).toBe(expected);
  });
});

describe("defaultIsBinary on hostile types", () => {
  it("leading blanks are skipped, and a padded type costs linear time (was: quadratic, 0.6 s for 40,000 spaces)", () => {
    expect(defaultIsBinary("  text/csv", undefined)).toBe(false);
    expect(defaultIsBinary("\tapplication/vnd.api+json", undefined)).toBe(false);
    const started = performance.now();
    expect(defaultIsBinary(" ".repeat(200_000) + "x", undefined)).toBe(true);
    // Quadratic would take minutes at this length, linear about a millisecond: the bound is loose on purpose.
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
