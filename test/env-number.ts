// How the fuzz and property tests read their knobs from the environment. `Number("lots")` is NaN, a loop up
// to NaN never runs, and such a test passes having checked nothing: a value that is not a whole number in
// range fails the test file at once, naming the variable.

/**
 * A whole number from the environment variable `name`, or `fallback` when it is unset or empty; anything
 * else (`lots`, `1.5`, below `min`) throws naming the variable.
 * @example const RUNS = wholeNumberFromEnv("FUZZ_N", 200, { min: 1 })
 */
export function wholeNumberFromEnv(name: string, fallback: number, { min = Number.MIN_SAFE_INTEGER }: { min?: number } = {}): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`${name} must be a whole number${min > Number.MIN_SAFE_INTEGER ? ` of at least ${min}` : ""}; got "${raw}"`);
  return value;
}
