// Timing helpers shared by the benchmark groups: interleaved rounds, medians, answer checks.

/** One thing to time: an async or sync call, and a check of its answer run on every iteration. */
export interface Case {
  name: string;
  run: () => unknown;
  check: (answer: unknown) => boolean;
}

/** ns per call of every case: `rounds` interleaved rounds of `batch` calls each, median per case. */
export async function timeCases(cases: Case[], { rounds = 15, batch = 2000, warmup = 3000 } = {}): Promise<Map<string, number>> {
  for (const c of cases) {
    for (let i = 0; i < warmup; i++) if (!c.check(await c.run())) throw new Error(`${c.name}: wrong answer during warm-up`);
  }
  const samples = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  for (let r = 0; r < rounds; r++) {
    for (const c of cases) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < batch; i++) {
        const answer = await c.run();
        if (!c.check(answer)) throw new Error(`${c.name}: wrong answer in round ${r}`);
      }
      samples.get(c.name)!.push(Number(process.hrtime.bigint() - t0) / batch);
    }
  }
  return new Map([...samples].map(([name, s]) => [name, median(s)]));
}

/** The median of a list of numbers. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** A percentile (0–100) of a list of numbers, nearest rank. */
export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** A quantile (0–1) of a list of numbers, linearly interpolated between the two nearest ranks. */
export function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (at - lo);
}

/** A figure and how much it moved across rounds: the median and the quartiles around it. */
export interface Spread {
  median: number;
  p25: number;
  p75: number;
}

/** Median and quartiles (p25–p75) of a list of samples. */
export function spread(values: number[]): Spread {
  return { median: quantile(values, 0.5), p25: quantile(values, 0.25), p75: quantile(values, 0.75) };
}

/**
 * `a[i] ÷ b[i]` for every round i: a ratio between two things timed side by side in the same round, so a
 * slow stretch of the machine that lands on both cancels out (a ratio of two medians taken from different
 * moments does not).
 */
export function perRoundRatios(a: number[], b: number[]): number[] {
  if (a.length !== b.length) throw new Error(`per-round ratios need as many rounds on each side (${a.length} vs ${b.length})`);
  return a.map((x, i) => x / b[i]!);
}

/** How far apart two measurements of one figure are, relative to their mean: |a − b| ÷ ((a + b) / 2). */
export function relativeDifference(a: number, b: number): number {
  return Math.abs(a - b) / ((a + b) / 2);
}

/** A Markdown table. */
export function table(head: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}
