import { afterEach, describe, expect, it } from "vitest";
import { wholeNumberFromEnv } from "./env-number.ts";

describe("wholeNumberFromEnv: a fuzz knob that is no number fails instead of running nothing", () => {
  const NAME = "ENV_NUMBER_TEST_KNOB";
  afterEach(() => void delete process.env[NAME]);

  it("unset or empty is the default; a whole number is taken, hex and a negative seed too", () => {
    expect(wholeNumberFromEnv(NAME, 200)).toBe(200);
    process.env[NAME] = "";
    expect(wholeNumberFromEnv(NAME, 200)).toBe(200);
    for (const [raw, value] of [["20", 20], [" 7 ", 7], ["0x5eed1", 0x5eed1], ["-3", -3]] as const) {
      process.env[NAME] = raw;
      expect(wholeNumberFromEnv(NAME, 200), raw).toBe(value);
    }
  });

  it("throws naming the variable for what is not a whole number, or is below the minimum (was: NaN, and a loop that never ran)", () => {
    for (const raw of ["lots", "1.5", "NaN", "Infinity", "1e400", "12abc"]) {
      process.env[NAME] = raw;
      expect(() => wholeNumberFromEnv(NAME, 200), raw).toThrow(`${NAME} must be a whole number; got "${raw}"`);
    }
    process.env[NAME] = "0";
    expect(() => wholeNumberFromEnv(NAME, 200, { min: 1 })).toThrow(`${NAME} must be a whole number of at least 1; got "0"`);
  });
});
