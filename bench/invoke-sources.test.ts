import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { invokeSourceOf, statusOf } from "./invoke-sources.ts";

const files = readdirSync(new URL("../events/", import.meta.url)).filter((f) => f.endsWith(".json"));

describe("the invoke group's event sources", () => {
  it.each(files.map((f) => [f]))("%s is timed, in its source's process (was: the 15 Lambda@Edge and VPC Lattice events were skipped while the group claimed every events/*.json)", (file) => {
    expect(invokeSourceOf(file)).toBeDefined();
  });

  it("an ALB multi-value event is its own source, not plain ALB's", () => {
    expect(invokeSourceOf("alb-multi-cookie.json")?.prefix).toBe("alb-multi-");
    expect(invokeSourceOf("alb-get-query-not-decoded.json")?.prefix).toBe("alb-");
  });

  it("reads the status of every source's result (Lambda@Edge answers it as a string)", () => {
    expect(statusOf({ statusCode: 200 })).toBe(200);
    expect(statusOf({ status: "200", statusDescription: "OK" })).toBe(200);
    expect(statusOf(undefined)).toBeUndefined();
  });
});
