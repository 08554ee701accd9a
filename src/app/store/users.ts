import type { Role } from "../schemas.ts";
import { iso, type Store } from "./client.ts";
import { guard, isConditionFailed, notFound, staleVersion } from "./errors.ts";
import { strip, userKey } from "./keys.ts";
import type { User } from "./types.ts";

export async function getUser(store: Store, sub: string): Promise<User | null> {
  return guard(async () => {
    const db = await store.db();
    const out = await db.get({ TableName: store.tableName, Key: userKey(sub), ConsistentRead: true });
    return out.Item ? strip<User>(out.Item) : null;
  });
}

// The same characters the displayName schema refuses (schemas.ts HIDDEN_IN_LABEL), plus other controls.
// eslint-disable-next-line no-control-regex
const HIDDEN = /[\u0000-\u001F\u007F-\u009F\u061C\u180E\u200B-\u200F\u2028\u2029\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/**
 * The first display name, from the token's `name` (a user may set it to anything), else the part of the
 * email before `@`: with line breaks, bidi controls and invisible characters removed, and at most 100 characters.
 */
export function defaultDisplayName(claims: { name?: string | undefined; email?: string | undefined }): string {
  for (const candidate of [claims.name, claims.email?.split("@")[0]]) {
    // 100 UTF-16 units, as the schema counts them (PATCH /me refuses more), never half a surrogate pair.
    let clean = (candidate ?? "").replace(HIDDEN, "").trim().slice(0, 100);
    if (/[\uD800-\uDBFF]$/.test(clean)) clean = clean.slice(0, -1);
    clean = clean.trim();
    if (clean) return clean;
  }
  return "User";
}

/**
 * The caller's profile, created from the verified claims on first call (`attribute_not_exists`; a
 * concurrent first call simply reads the winner's item).
 */
export async function ensureUser(store: Store, claims: { sub: string; email?: string | undefined; role?: Role | undefined; name?: string | undefined }): Promise<User> {
  return guard(async () => {
    const existing = await getUser(store, claims.sub);
    if (existing) return existing;
    const now = iso(store.now());
    const user: User = {
      sub: claims.sub,
      email: claims.email,
      role: claims.role,
      displayName: defaultDisplayName(claims),
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    const db = await store.db();
    try {
      await db.put({
        TableName: store.tableName,
        Item: { ...userKey(claims.sub), type: "user", ...user },
        ConditionExpression: "attribute_not_exists(PK)",
      });
      return user;
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      const winner = await getUser(store, claims.sub);
      if (!winner) throw err;
      return winner;
    }
  });
}

/** `PATCH /me`; with `expectedVersion`, a stale copy is a 409 and nothing is written. */
export async function updateUser(store: Store, sub: string, changes: { displayName: string }, expectedVersion?: number): Promise<User> {
  return guard(async () => {
    const db = await store.db();
    const names: Record<string, string> = { "#dn": "displayName", "#v": "version", "#u": "updatedAt" };
    const values: Record<string, unknown> = { ":dn": changes.displayName, ":one": 1, ":now": iso(store.now()) };
    let condition = "attribute_exists(PK)";
    if (expectedVersion !== undefined) {
      condition += " AND #v = :expected";
      values[":expected"] = expectedVersion;
    }
    try {
      const out = await db.update({
        TableName: store.tableName,
        Key: userKey(sub),
        UpdateExpression: "SET #dn = :dn, #u = :now, #v = #v + :one",
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: "ALL_NEW",
      });
      return strip<User>(out.Attributes!);
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      const current = await getUser(store, sub);
      if (!current) throw notFound("user", sub);
      throw staleVersion("profile", current.version);
    }
  });
}
