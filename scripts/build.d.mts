// Types of scripts/build.mjs for the TypeScript tests that import it.
export declare const FUNCTIONS: Record<"ExamBuddyFunction" | "ExamBuddyStreamFunction", { entry: string; file: string; out: string }>;
export declare const ENTRY: string;
export declare const HANDLER_FILE: string;
/** esbuild's target for the deployed bundles (`node24` for `Runtime: nodejs24.x`). */
export declare const RUNTIME_TARGET: string;

export interface BuiltFile {
  /** Path relative to the output directory: `index.mjs`, `chunks/sdk-XXXX.mjs`. */
  file: string;
  bytes: number;
  staticImports: string[];
  dynamicImports: string[];
  inputs: string[];
}

export declare function buildApp(options?: {
  out?: string | undefined;
  function?: "ExamBuddyFunction" | "ExamBuddyStreamFunction";
  sdk?: "bundle" | "external";
  minify?: boolean;
  metafile?: boolean;
  quiet?: boolean;
}): Promise<{ out: string; files: BuiltFile[] }>;
