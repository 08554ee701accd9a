// ExamBuddy as deployed (scripts/build.mjs, the build `sam build` runs) for the size and cold groups.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { buildApp } from "../scripts/build.mjs";
import { createEvent } from "../src/index.ts";

const here = fileURLToPath(new URL(".", import.meta.url));

/** Builds ExamBuddy into bench/.build/exambuddy; returns the handler file, what a cold start reads, and the rest. */
export async function buildExamBuddy(): Promise<{ entry: string; initial: { min: number; gzip: number }; chunks: { min: number; gzip: number; files: number } }> {
  const { out, files } = await buildApp({ out: join(here, ".build/exambuddy"), quiet: true });
  const size = async (file: string) => {
    const bytes = await readFile(join(out, file));
    return { min: bytes.byteLength, gzip: gzipSync(bytes, { level: 9 }).byteLength };
  };
  // What a cold start reads: index.mjs and every chunk it imports statically (shared code lands there).
  const byName = new Map(files.map((f) => [f.file, f]));
  const initialFiles = new Set<string>();
  const visit = (file: string) => {
    if (initialFiles.has(file)) return;
    initialFiles.add(file);
    for (const dep of byName.get(file)?.staticImports ?? []) visit(dep);
  };
  visit("index.mjs");
  const initial = { min: 0, gzip: 0 };
  for (const file of initialFiles) {
    const s = await size(file);
    initial.min += s.min;
    initial.gzip += s.gzip;
  }
  let min = 0;
  let gzip = 0;
  const lazy = files.filter((f) => !initialFiles.has(f.file) && f.file.endsWith(".mjs"));
  for (const f of lazy) {
    const s = await size(f.file);
    min += s.min;
    gzip += s.gzip;
  }
  return { entry: join(out, "index.mjs"), initial, chunks: { min, gzip, files: lazy.length } };
}

/** `GET /health`: no token, touches no AWS service. */
export const healthEvent = createEvent("http-api-v2", { path: "/health", headers: { host: "api.example.com" }, requestId: "cold-health" });

/** `GET /me` as a signed-in teacher: the first DynamoDB-backed call (loads the SDK, creates the profile). */
export const meEvent = createEvent("http-api-v2", {
  path: "/me",
  headers: { host: "api.example.com", authorization: "Bearer x" },
  auth: { sub: "bench-teacher", email: "bench@example.com", "cognito:groups": "[teacher]" },
  requestId: "cold-me",
});
