// What `npm run bench` accepts: its groups, and the environment variables the groups read (each group reads
// its own; run.ts checks them all up front, so a typo fails in a second, not after minutes of measuring).

/** The groups, in the order a full run takes them, with what each measures (bench/README.md has the how). */
export const BENCH_GROUPS = {
  size: "bundle bytes, minified and gzip, per framework and adapter; the marginal cost of each feature",
  cold: "import + first call in a fresh process, Node 20 and 24; ExamBuddy's /health and GET /me",
  invoke: "ns per call for every events/*.json (Lattice and Edge through their opt-in adapters), one process per event source, Node 20 and 24",
  router: "the router-benchmark workload (12 routes, 7 requests) against rou3, hono, find-my-way, memoirist",
  peers: "the reference app per scenario against raw, middy, lambda-api, hono (× raw, Node 20 and 24); RSS",
  validation: "issue 11's worst validation requests against ExamBuddy (time and response size)",
  soak: "1,000,000 invocations in one process: heap after GC and active handles must not grow",
} as const;

export type BenchGroup = keyof typeof BENCH_GROUPS;

/** The event sources the peers scenarios cover (PEERS_SOURCES picks among them); see scenarios.ts. */
export const PEER_SOURCES = ["apigw-v1", "http-api-v2", "alb", "function-url"] as const;

type Check = (value: string) => string | undefined;
const wholeNumber: Check = (v) => (/^[1-9]\d*$/.test(v) ? undefined : "must be a whole number above 0");
const positive: Check = (v) => (/^\d*\.?\d+$/.test(v) && Number(v) > 0 ? undefined : "must be a number above 0");
const fraction: Check = (v) => (/^\d*\.?\d+$/.test(v) && Number(v) <= 1 ? undefined : "must be a number from 0 to 1");
const sourceList: Check = (v) => {
  const unknown = v.split(",").find((s) => !(PEER_SOURCES as readonly string[]).includes(s));
  return unknown === undefined ? undefined : `names "${unknown}"; sources: ${PEER_SOURCES.join(", ")}`;
};

/** Every environment variable a group reads: its default, what it sets, and the check of its value. */
export const BENCH_ENV: Record<string, { group: BenchGroup; fallback: string; what: string; check: Check }> = {
  COLD_RUNS: { group: "cold", fallback: "40", what: "rounds, each starting every bundle once", check: wholeNumber },
  INVOKE_ROUNDS: { group: "invoke", fallback: "15", what: "timed rounds per event", check: wholeNumber },
  INVOKE_BATCH: { group: "invoke", fallback: "2000", what: "calls per round (also the warm-up when set)", check: wholeNumber },
  PEERS_PASSES: { group: "peers", fallback: "6", what: "passes of fresh processes", check: wholeNumber },
  PEERS_ROUNDS: { group: "peers", fallback: "12", what: "rounds per pass", check: wholeNumber },
  PEERS_BATCH_MS: { group: "peers", fallback: "2", what: "least ms per timed batch", check: positive },
  PEERS_WARMUP: { group: "peers", fallback: "30000", what: "untimed calls per scenario first", check: wholeNumber },
  PEERS_SETTLE: { group: "peers", fallback: "0.25", what: "fraction of a batch run untimed before each pass", check: fraction },
  PEERS_COPIES: { group: "peers", fallback: "4", what: "processes each of raw, lambdalith and the A/A control", check: wholeNumber },
  PEERS_SOURCES: { group: "peers", fallback: "every source", what: `event sources to time, comma-separated (${PEER_SOURCES.join(", ")})`, check: sourceList },
  SOAK_INVOCATIONS: { group: "soak", fallback: "1000000", what: "invocations per Node", check: wholeNumber },
  SOAK_MAX_SLOPE: { group: "soak", fallback: "100000", what: "most heap growth allowed, bytes per 100k invocations", check: positive },
};

/**
 * The first problem with the bench variables set in `env`, as the line to print, or undefined.
 * @example benchEnvProblem({ COLD_RUNS: "many" }) // 'COLD_RUNS must be a whole number above 0; got "many"'
 */
export function benchEnvProblem(env: Record<string, string | undefined>): string | undefined {
  for (const [name, { check }] of Object.entries(BENCH_ENV)) {
    const value = env[name];
    if (value === undefined) continue;
    const problem = check(value);
    if (problem !== undefined) return problem.startsWith("names") ? `${name} ${problem}` : `${name} ${problem}; got "${value}"`;
  }
  return undefined;
}

/**
 * The groups named on the command line (all of them when none is), or the line refusing an unknown one.
 * @example selectedGroups(["size", "cold"]) // { groups: ["size", "cold"] }
 */
export function selectedGroups(asked: string[]): { groups: BenchGroup[] } | { problem: string } {
  const names = Object.keys(BENCH_GROUPS) as BenchGroup[];
  const unknown = asked.find((g) => !(names as string[]).includes(g));
  if (unknown !== undefined) return { problem: `unknown group "${unknown}"; groups: ${names.join(", ")}` };
  return { groups: asked.length ? (asked as BenchGroup[]) : names };
}

/** `npm run bench -- --help`: the groups, then the variables, each on its own line. */
export function benchHelp(): string {
  const pad = (s: string, n: number) => s.padEnd(n);
  const groups = Object.entries(BENCH_GROUPS).map(([g, what]) => `  ${pad(g, 12)}${what}`);
  const vars = Object.entries(BENCH_ENV).map(([name, v]) => `  ${pad(name, 18)}${pad(v.group, 7)}${v.what} (default ${v.fallback})`);
  return `
npm run bench -- [group...]     runs the benchmark groups (all of them, about 7 minutes, when none is named),
                                each in its own process; prints Markdown tables and updates
                                bench/results/latest.json (only the groups run) and bench/results/*.svg

Groups:
${groups.join("\n")}

Environment (smaller values for a smoke run; bench/README.md says what each measures and how):
${vars.join("\n")}

  -h, --help      this text

The first run installs bench/'s own dependencies (npm ci in bench/), and Node 24 into .ci/node24.
`;
}
