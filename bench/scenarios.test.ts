import { describe, expect, it } from "vitest";
import { defaultAdapters } from "../src/adapters/default-adapters.ts";
import { detectAdapter } from "../src/adapters/detect.ts";
import { answers, scenarios } from "./scenarios.ts";

describe("the peers group's scenarios", () => {
  it.each(scenarios.map((s) => [s.name, s] as const))("%s names the event source its event comes from (each source is timed in its own processes)", (_, s) => {
    expect(detectAdapter(s.event, defaultAdapters)?.name).toBe(s.source);
  });

  it("answers() checks status and the parsed JSON body", () => {
    const s = scenarios.find((x) => x.name === "HTTP API POST JSON")!;
    expect(answers(s, { statusCode: 201, body: '{"minutes":30,"title":"Algebra","id":"exam-1"}' })).toBe(true);
    expect(answers(s, { statusCode: 201, body: '{"minutes":31,"title":"Algebra","id":"exam-1"}' })).toBe(false);
    expect(answers(s, { statusCode: 200, body: '{"minutes":30,"title":"Algebra","id":"exam-1"}' })).toBe(false);
  });
});
