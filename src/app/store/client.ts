import type { Db } from "./sdk.ts";

/** What every store function needs: the table, and the DynamoDB client (created on first use). */
export interface Store {
  readonly tableName: string;
  db(): Promise<Db>;
  /** The clock (ms since the epoch); tests may pin it. */
  now(): number;
}

// A lazy singleton per process: one client (and one connection pool) for every request and table.
// Only the client is shared; no per-request state lives at module scope.
let shared: Promise<Db> | undefined;

function loadDb(): Promise<Db> {
  if (shared === undefined) {
    const loading = import("./sdk.ts").then((m) => m.createDb());
    // A failed load (should not happen) is retried on the next call rather than cached forever.
    loading.catch(() => {
      if (shared === loading) shared = undefined;
    });
    shared = loading;
  }
  return shared;
}

/**
 * A store on one table. Creating it touches no AWS code; the SDK is imported on the first query.
 * @example const store = createStore({ tableName: process.env.TABLE_NAME! })
 */
export function createStore(options: { tableName: string; db?: () => Promise<Db>; now?: () => number }): Store {
  if (!options.tableName) throw new TypeError("createStore: tableName is required");
  return { tableName: options.tableName, db: options.db ?? loadDb, now: options.now ?? Date.now };
}

/** The store named by `TABLE_NAME` (as the SAM template sets it). */
export function storeFromEnv(env: Record<string, string | undefined> = process.env): Store {
  const tableName = env["TABLE_NAME"];
  if (!tableName) throw new Error("TABLE_NAME is not set");
  return createStore({ tableName });
}

export const iso = (ms: number): string => new Date(ms).toISOString();
