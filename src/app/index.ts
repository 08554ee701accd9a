// ExamBuddy's Lambda entry. Module load does no I/O and imports no AWS SDK: the store and the S3 client
// load theirs with import() on first use, so /health and requests failing validation never load it.
import { handle } from "lambdalith";
import { createApp } from "./app.ts";
import type { Services } from "./context.ts";
import { filesFromEnv } from "./files.ts";
import { storeFromEnv } from "./store/client.ts";

let services: Services | undefined;

/** The app as deployed: services from TABLE_NAME / BUCKET_NAME, created on the first request needing them. */
export const app = createApp({
  services: () => (services ??= { store: storeFromEnv(), files: filesFromEnv() }),
  stage: process.env.STAGE,
  // Replaced at build time by scripts/build.mjs (package version + commit).
  version: process.env.EXAMBUDDY_VERSION,
  corsOrigins: origins(process.env.CORS_ALLOW_ORIGINS),
  // The template's JwtAudience: REST's Cognito authorizer does not check it, so the app does.
  audiences: listOf(process.env.JWT_AUDIENCE),
});

function origins(list: string | undefined): string[] | "*" {
  const parsed = listOf(list ?? "*");
  return parsed.length === 0 || parsed.includes("*") ? "*" : parsed;
}

function listOf(list: string | undefined): string[] {
  return (list ?? "").split(",").map((s) => s.trim()).filter(Boolean);
}

export const handler = handle(app);
