#!/usr/bin/env node
// npm test, npm run test:properties and npm run typecheck: answer --help, and check the arguments passed on
// to vitest before any work, so a mistyped option costs a second, not a build and a type-check followed by
// vitest's stack trace.
//
//   node scripts/test.mjs suite|properties|typecheck [arguments for vitest, or for tsc]
import { spawnSync } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const vitest = join(root, "node_modules/vitest/vitest.mjs");
const tsc = join(root, "node_modules/typescript/bin/tsc");
const PROPERTY_TEST = "src/adapters/round-trip.property.test.ts";

const HELP = {
  suite: `
npm test -- [file filters] [vitest options]    the whole suite, as CI runs it

  builds dist/ (npm run build:lib), type-checks (tsc --noEmit -p .), then runs vitest run with the arguments
  given: e.g. npm test -- src/lib (files whose path contains src/lib), -t "name" (tests whose name matches;
  a value that starts with - goes after =, as vitest reads it: -t=-name).
  The local DynamoDB and S3 stand-ins start by themselves. npx vitest run --help lists vitest's options;
  npx vitest run <filter> skips the build and the type-check.
  -h, --help      this text
`,
  properties: `
npm run test:properties -- [vitest options]    the adapters' round-trip property test, ${PROPERTY_TEST}

  PROPERTY_RUNS   runs per property (default 20000 here; npm test runs 200)
  PROPERTY_SEED, PROPERTY_PATH   replay a failure with the seed and path fast-check reported
  Other arguments go to vitest run (npx vitest run --help lists them).
  -h, --help      this text
`,
  typecheck: `
npm run typecheck -- [tsc options]    tsc --noEmit -p . alone: the library, the app, tests and scripts

  Other arguments go to tsc (e.g. --pretty false); npx tsc --help lists them.
  -h, --help      this text
`,
};

// One line, never a stack: the message says what to change.
function fail(command, message, code = 2) {
  console.error(`${command}: ${message}`);
  process.exit(code);
}

/**
 * vitest's own option names (long ones camelCased, as vitest reads them; short ones as letters), from its help,
 * and those among them that take a value (`-t, --testNamePattern <pattern>`: long names in full, dots kept).
 */
export function vitestOptions() {
  const help = spawnSync(process.execPath, [vitest, "run", "--help", "--expand-help"], { encoding: "utf8" }).stdout ?? "";
  const long = new Set();
  const short = new Set();
  const takesValue = new Set();
  for (const [, letter, name, value] of help.matchAll(/^\s+(?:-(\w), )?--([\w.-]+)( <)?/gm)) {
    if (letter) short.add(letter);
    long.add(camelCase(name.split(".")[0]));
    if (value) for (const spelled of [letter && `-${letter}`, `--${camelCase(name)}`]) if (spelled) takesValue.add(spelled);
  }
  return { long, short, takesValue };
}

const camelCase = (name) => name.replace(/-(\w)/g, (_, c) => c.toUpperCase());

/**
 * The first argument vitest would refuse as an unknown option (`--reporter=x` is `--reporter`; `--no-color`
 * negates `--color`; `--coverage.enabled` belongs to `--coverage`), or undefined.
 * @example unknownOption(["src/lib", "--nonsense"], vitestOptions()) // "--nonsense"
 */
export function unknownOption(args, known) {
  return firstUnknown(args, known)?.option;
}

// The unknown option and the index of the argument it is in.
function firstUnknown(args, known) {
  for (const [index, arg] of args.entries()) {
    const found = (option) => ({ option, index });
    if (arg === "--") return undefined;
    if (!arg.startsWith("-") || arg === "-") continue;
    const option = arg.split("=")[0];
    if (option.startsWith("--")) {
      const name = camelCase(option.slice(2).split(".")[0]);
      const negated = /^no[A-Z]/.test(name) ? name[2].toLowerCase() + name.slice(3) : undefined;
      if (!known.long.has(name) && !(negated && known.long.has(negated))) return found(option);
    } else {
      const letter = [...option.slice(1)].find((l) => !known.short.has(l));
      if (letter !== undefined) return found(`-${letter}`);
    }
  }
  return undefined;
}

/**
 * Why vitest would refuse `args`, in one line, or undefined. An unknown option that is really the value of the
 * option before it (`-t "-foo"`) says how to pass it: vitest's parser (mri) takes the next argument as an
 * option's value only when it does not start with "-", so `-t -foo` is `-t` with no value, then -f, -o, -o;
 * `-t=-foo` is the pattern "-foo".
 * @example optionRefusal(["-t", "-foo"], vitestOptions()) // "Unknown option '-f' ('-foo' is read as options, not as the value of -t: write -t=-foo)"
 */
export function optionRefusal(args, known) {
  const unknown = firstUnknown(args, known);
  if (unknown === undefined) return undefined;
  const arg = args[unknown.index];
  const before = args[unknown.index - 1];
  const spelled = before === undefined || before.includes("=") ? undefined : before.startsWith("--") ? `--${camelCase(before.slice(2))}` : /^-\w+$/.test(before) ? `-${before.at(-1)}` : undefined;
  const valueOf = spelled !== undefined && known.takesValue.has(spelled) ? before : undefined;
  return `Unknown option '${unknown.option}'${valueOf === undefined ? "" : ` ('${arg}' is read as options, not as the value of ${valueOf}: write ${valueOf}=${arg})`}`;
}

/** Runs a step with the terminal; a failing step ends the run with its exit code (it has said why). */
function step(args, env = process.env) {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit", env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// Node names the main module by its real path; argv[1] is the path as typed. Compared as typed, a run through a
// symlinked directory took itself for an import, did nothing and exited 0: a CI that passed without a test.
const isMain = process.argv[1] !== undefined && existsSync(process.argv[1]) && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (isMain) {
  const [mode, ...args] = process.argv.slice(2);
  const command = { suite: "npm test", properties: "npm run test:properties", typecheck: "npm run typecheck" }[mode];
  if (command === undefined) fail("scripts/test.mjs", `the first argument must be suite, properties or typecheck; got ${JSON.stringify(mode ?? "")}`);
  if (args.includes("--help") || args.includes("-h")) {
    console.log(HELP[mode].trim());
    process.exit(0);
  }
  if (!existsSync(vitest) || !existsSync(tsc)) fail(command, "vitest or TypeScript is not installed; run npm ci first", 1);

  if (mode === "typecheck") {
    // tsc refuses its own unknown options in one line (TS5023).
    step([tsc, "--noEmit", "-p", ".", ...args]);
    process.exit(0);
  }
  const refusal = optionRefusal(args, vitestOptions());
  if (refusal !== undefined) fail(command, `${refusal} (${command} -- --help lists what it accepts)`);
  if (mode === "properties") {
    // The test turns each of these into a number: a typo would be NaN there, and fast-check would run nothing.
    const runs = process.env.PROPERTY_RUNS ?? "20000";
    if (!/^[1-9]\d*$/.test(runs)) fail(command, `PROPERTY_RUNS must be a whole number above 0; got "${runs}"`);
    const { PROPERTY_SEED: seed, PROPERTY_PATH: path } = process.env;
    if (seed !== undefined && !/^-?\d+$/.test(seed)) fail(command, `PROPERTY_SEED must be the whole number fast-check reported; got "${seed}"`);
    if (path !== undefined && !/^\d+(:\d+)*$/.test(path)) fail(command, `PROPERTY_PATH must be the path fast-check reported, like 3:0:1; got "${path}"`);
    step([vitest, "run", PROPERTY_TEST, ...args], { ...process.env, PROPERTY_RUNS: runs });
  } else {
    step([join(root, "scripts/build-lib.mjs")]);
    step([tsc, "--noEmit", "-p", "."]);
    step([vitest, "run", ...args]);
  }
}
