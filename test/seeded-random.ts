// Seeded randomness for the fuzz tests (src/adapters/fuzz.test.ts, src/router/router.fuzz.test.ts,
// src/app/model.fuzz.test.ts): a run is replayed exactly from the seed it prints.

/**
 * mulberry32: a small, fast 32-bit generator, uniform in [0, 1).
 * @example const next = mulberry32(7); next() // the same number on every run
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The choices a fuzz makes, all from one seed.
 * @example const rng = new Rng(7); rng.pick(["GET", "POST"]); rng.chance(0.1); rng.weighted([["a", 3], ["b", 1]])
 */
export class Rng {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** One of the entries, each as likely as its weight. */
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let r = this.next() * total;
    for (const [value, weight] of entries) if ((r -= weight) < 0) return value;
    return entries[entries.length - 1]![0];
  }
}
