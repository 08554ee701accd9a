// The one esbuild build every group measures: the size group counts these bytes, and the cold and peers
// groups time the same bytes (two sets of options let lambda-api's timed bundle keep license comments the
// size table left out). It is how an app is deployed: minified ESM for Node, tree-shaken.
import type { BuildOptions } from "esbuild";

export const DEPLOYED_BUILD = {
  bundle: true,
  minify: true,
  format: "esm",
  platform: "node",
  target: "node20",
  treeShaking: true,
  legalComments: "none",
  logLevel: "silent",
  // lambda-api loads the S3 SDK lazily, on first use; the Lambda runtime provides it, so it is not counted.
  external: ["@aws-sdk/*"],
} as const satisfies BuildOptions;
