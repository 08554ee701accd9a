// Types of scripts/test.mjs for the TypeScript tests that import it.
export interface VitestOptions {
  /** Long option names, camelCased, without their dotted parts (`coverage` for `--coverage.enabled`). */
  long: Set<string>;
  /** Short options' letters. */
  short: Set<string>;
  /** The options that take a value, as spelled: `-t`, `--testNamePattern`, `--coverage.include`. */
  takesValue: Set<string>;
}
export declare function vitestOptions(): VitestOptions;
export declare function unknownOption(args: string[], known: VitestOptions): string | undefined;
export declare function optionRefusal(args: string[], known: VitestOptions): string | undefined;
