// Idempotency keys (IETF draft-ietf-httpapi-idempotency-key-header): one item per caller and key,
// IDEM#<sub> / <key>, claimed with a conditional put before the request runs and completed with the response
// it produced. The table's TTL removes it a day later (`expiresAt`, epoch seconds; DynamoDB deletes expired
// items lazily, so an expired one still present counts as absent).
import { iso, type Store } from "./client.ts";
import { guard, isConditionFailed } from "./errors.ts";
import { idempotencyKey } from "./keys.ts";

/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
/** A claim older than this (the function's timeout is 10 s) belongs to a request that died: it may be retaken. */
export const IDEMPOTENCY_LEASE_MS = 30_000;

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type Claim =
  | { state: "claimed" }
  | { state: "done"; response: StoredResponse }
  | { state: "in-progress" }
  | { state: "mismatch" };

/**
 * Claims `key` for a request with this `fingerprint`: `claimed` (run it), `done` (it ran: replay the stored
 * response), `in-progress` (another request holds it) or `mismatch` (the key was used for another request).
 */
export async function claimIdempotencyKey(store: Store, args: { sub: string; key: string; fingerprint: string }): Promise<Claim> {
  return guard(async () => {
    const db = await store.db();
    const now = store.now();
    const Key = idempotencyKey(args.sub, args.key);
    try {
      await db.put({
        TableName: store.tableName,
        Item: {
          ...Key,
          type: "idempotency",
          status: "pending",
          fingerprint: args.fingerprint,
          lockedUntil: now + IDEMPOTENCY_LEASE_MS,
          expiresAt: Math.floor(now / 1000) + IDEMPOTENCY_TTL_SECONDS,
          createdAt: iso(now),
        },
        ConditionExpression: "attribute_not_exists(PK) OR expiresAt < :nowSeconds OR (#status = :pending AND lockedUntil < :now AND fingerprint = :fp)",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":nowSeconds": Math.floor(now / 1000), ":pending": "pending", ":now": now, ":fp": args.fingerprint },
      });
      return { state: "claimed" };
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
    const item = (await db.get({ TableName: store.tableName, Key, ConsistentRead: true })).Item;
    if (!item) return { state: "in-progress" }; // removed meanwhile by a failed request: the client retries
    if (item["fingerprint"] !== args.fingerprint) return { state: "mismatch" };
    if (item["status"] === "done") return { state: "done", response: item["response"] as StoredResponse };
    return { state: "in-progress" };
  });
}

/** Stores the response of the request that holds the claim. */
export async function completeIdempotencyKey(store: Store, args: { sub: string; key: string; fingerprint: string; response: StoredResponse }): Promise<void> {
  return guard(async () => {
    const db = await store.db();
    await db
      .update({
        TableName: store.tableName,
        Key: idempotencyKey(args.sub, args.key),
        UpdateExpression: "SET #status = :done, #response = :response",
        ConditionExpression: "#status = :pending AND fingerprint = :fp",
        ExpressionAttributeNames: { "#status": "status", "#response": "response" },
        ExpressionAttributeValues: { ":done": "done", ":pending": "pending", ":fp": args.fingerprint, ":response": args.response },
      })
      .catch((err: unknown) => (isConditionFailed(err) ? undefined : Promise.reject(err)));
  });
}

/** Gives the key back (the request failed on the server's side: a retry should run it again). */
export async function releaseIdempotencyKey(store: Store, args: { sub: string; key: string; fingerprint: string }): Promise<void> {
  return guard(async () => {
    const db = await store.db();
    await db
      .delete({
        TableName: store.tableName,
        Key: idempotencyKey(args.sub, args.key),
        ConditionExpression: "#status = :pending AND fingerprint = :fp",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":pending": "pending", ":fp": args.fingerprint },
      })
      .catch((err: unknown) => (isConditionFailed(err) ? undefined : Promise.reject(err)));
  });
}
