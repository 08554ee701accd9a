import type { QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import type { Store } from "./client.ts";
import { decodeCursor, encodeCursor, type CursorShape } from "./cursor.ts";
import type { Page, PageOptions } from "./types.ts";

type QueryInput = Omit<QueryCommandInput, "TableName" | "Limit" | "ExclusiveStartKey">;

/** One page of a query, with the cursor checked against the listing's shape (malformed → 400). */
export async function queryPage<T>(store: Store, input: QueryInput, shape: CursorShape, page: PageOptions, map: (item: Record<string, unknown>) => T): Promise<Page<T>> {
  const start = decodeCursor(page.cursor, shape);
  const db = await store.db();
  const out = await db.query({ ...input, TableName: store.tableName, Limit: page.limit, ExclusiveStartKey: start });
  return { items: (out.Items ?? []).map(map), next: encodeCursor(out.LastEvaluatedKey) };
}

/** Every item of a (small, bounded) query, following LastEvaluatedKey. */
export async function queryAll<T = Record<string, unknown>>(store: Store, input: QueryInput): Promise<T[]> {
  const db = await store.db();
  const items: T[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.query({ ...input, TableName: store.tableName, ExclusiveStartKey: start });
    items.push(...((out.Items ?? []) as T[]));
    start = out.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}

export const TABLE_CURSOR = ["PK", "SK"] as const;
export const GSI1_CURSOR = ["PK", "SK", "GSI1PK", "GSI1SK"] as const;
