import { describe, expect, it } from "vitest";
import { BENCH_ENV, benchEnvProblem, PEER_SOURCES, selectedGroups } from "./options.ts";
import { scenarios } from "./scenarios.ts";

describe("npm run bench's options", () => {
  it("PEERS_SOURCES accepts exactly the sources the peers scenarios cover", () => {
    expect([...PEER_SOURCES].sort()).toEqual([...new Set(scenarios.map((s) => s.source))].sort());
    expect(benchEnvProblem({ PEERS_SOURCES: "alb,function-url" })).toBeUndefined();
  });

  it("every documented default passes its own check (the help cannot advertise a value it refuses)", () => {
    for (const [name, { fallback }] of Object.entries(BENCH_ENV)) if (fallback !== "every source") expect(benchEnvProblem({ [name]: fallback }), name).toBeUndefined();
  });

  it("refuses values a group would turn into NaN or an empty run, naming the variable", () => {
    expect(benchEnvProblem({ INVOKE_BATCH: "2e3" })).toBe('INVOKE_BATCH must be a whole number above 0; got "2e3"');
    expect(benchEnvProblem({ SOAK_INVOCATIONS: "0" })).toMatch(/^SOAK_INVOCATIONS must be a whole number above 0/);
    expect(benchEnvProblem({ PEERS_BATCH_MS: "" })).toMatch(/^PEERS_BATCH_MS must be a number above 0/);
    expect(benchEnvProblem({ PATH: "anything" })).toBeUndefined();
  });

  it("no group named runs them all, in order; an unknown one is named", () => {
    expect(selectedGroups([])).toEqual({ groups: ["size", "cold", "invoke", "router", "peers", "validation", "soak"] });
    expect(selectedGroups(["soak", "size"])).toEqual({ groups: ["soak", "size"] });
    expect(selectedGroups(["Size"])).toEqual({ problem: 'unknown group "Size"; groups: size, cold, invoke, router, peers, validation, soak' });
  });
});
