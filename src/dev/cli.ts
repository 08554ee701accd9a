// What every dev command (`npm start`, `npm run seed`, `npm run invoke`) shares: argument parsing that
// answers --help, and errors as one line on stderr (never a stack), then exit code 1 (2 for bad usage).
import { parseArgs, type ParseArgsConfig } from "node:util";

/** An error whose message is already what the user should read; exits with `code`. */
export class CliError extends Error {
  constructor(message: string, readonly code = 1) {
    super(message);
  }
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * Parses `argv` strictly; `--help` prints `help` and exits 0; a mistake exits 2 naming it and `--help`.
 * @example const { values } = parseCli("npm run seed", HELP, { url: { type: "string" } })
 */
export function parseCli<O extends Options>(command: string, help: string, options: O, allowPositionals = false) {
  try {
    const parsed = parseArgs({ args: process.argv.slice(2), options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals, strict: true });
    if ((parsed.values as { help?: boolean }).help) {
      console.log(help.trim());
      process.exit(0);
    }
    return parsed as unknown as { values: { [K in keyof O]?: O[K]["type"] extends "boolean" ? boolean : string }; positionals: string[] };
  } catch (err) {
    // parseArgs' own messages are one line, but mention options as `'--x'` and suggest `--` tricks: keep the gist.
    const message = ((err as Error).message.split("\n")[0] ?? "").replace(/\. To specify a positional argument.*$/, "");
    fail(command, new CliError(`${message} (${command} -- --help lists what it accepts)`, 2));
  }
}

/**
 * Prints one line for `err` and exits: `npm start: port 3000 is already in use…`.
 * @example main().catch((err) => fail("npm start", err))
 */
export function fail(command: string, err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`${command}: ${message.replace(/\s*\n\s*/g, " ").trim()}`);
  process.exit(err instanceof CliError ? err.code : 1);
}
