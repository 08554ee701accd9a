// node:crypto costs ~7 ms to load (measured: bench cold, ExamBuddy /health). Only creating ids and checking
// ALB signatures need it, so it loads on first use, never at module load.
import { createRequire } from "node:module";

const load = createRequire(import.meta.url);
let crypto: typeof import("node:crypto") | undefined;

/**
 * node:crypto, loaded on the first call.
 * @example nodeCrypto().randomBytes(16)
 */
export function nodeCrypto(): typeof import("node:crypto") {
  return (crypto ??= load("node:crypto") as typeof import("node:crypto"));
}
