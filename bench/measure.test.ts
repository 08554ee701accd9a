import { describe, expect, it } from "vitest";
import { perRoundRatios, quantile, relativeDifference, spread } from "./measure.ts";

describe("bench statistics", () => {
  it("a per-round ratio cancels a slow stretch that lands on both sides, where the ratio of medians does not", () => {
    // Ours is 1.5× raw in every round; the machine runs 2× slower in rounds 2–4, and that slow stretch
    // caught one more of raw's batches than ours (round 1: raw slow alone).
    const raw = [100, 200, 200, 200, 200, 100, 100];
    const ours = [150, 300, 300, 300, 150, 150, 150];
    expect(quantile(perRoundRatios(ours, raw), 0.5)).toBe(1.5);
    expect(quantile(ours, 0.5) / quantile(raw, 0.5)).toBe(0.75); // the ratio of medians says ours is faster
  });

  it("refuses rounds that do not pair up", () => {
    expect(() => perRoundRatios([1, 2], [1])).toThrow(/as many rounds/);
  });

  it("spread is the median with the quartiles around it, interpolated", () => {
    expect(spread([4, 1, 3, 2])).toEqual({ median: 2.5, p25: 1.75, p75: 3.25 });
    expect(spread([7])).toEqual({ median: 7, p25: 7, p75: 7 });
  });

  it("two measurements of one figure are compared relative to their mean, whichever comes first", () => {
    expect(relativeDifference(1.9, 2.1)).toBeCloseTo(0.1, 10);
    expect(relativeDifference(2.1, 1.9)).toBeCloseTo(0.1, 10);
  });
});
