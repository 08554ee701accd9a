// Types of scripts/build.mjs for the TypeScript tests that import it.
export declare const ENTRY: string;
export declare const HANDLER_FILE: string;

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
  sdk?: "bundle" | "external";
  minify?: boolean;
  metafile?: boolean;
  quiet?: boolean;
}): Promise<{ out: string; files: BuiltFile[] }>;
