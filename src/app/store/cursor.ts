// Opaque pagination cursors: base64url(JSON(LastEvaluatedKey)). A cursor is checked before it reaches
// DynamoDB (which would answer a foreign or malformed start key with a ValidationException → 502):
// the key names must be exactly the listing's, every value a short string, the partition the one being
// listed, and the sort key inside the listing's range.
import { HttpError } from "lambdalith";

export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  if (key === undefined || Object.keys(key).length === 0) return null;
  return Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
}

export interface CursorShape {
  /** Every attribute name the LastEvaluatedKey of this listing has. */
  names: readonly string[];
  /** The partition attribute and the partition value being listed. */
  partition: [name: string, value: string];
  /** The sort attribute and the prefix every key of the listing has. */
  sort: [name: string, prefix: string];
}

const malformed = () => new HttpError(400, "Malformed cursor: pass back the `next` value of the previous page unchanged");

export function decodeCursor(cursor: string | undefined, shape: CursorShape): Record<string, string> | undefined {
  if (cursor === undefined || cursor === "") return undefined;
  if (cursor.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw malformed();
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw malformed();
  }
  if (key === null || typeof key !== "object" || Array.isArray(key)) throw malformed();
  const entries = Object.entries(key);
  if (entries.length !== shape.names.length) throw malformed();
  for (const [name, value] of entries) {
    // DynamoDB limits a sort key to 1,024 bytes of UTF-8 (a partition key to 2,048; ours are short): "é"
    // is one unit of a string's length but two bytes there, and an oversized key is a ValidationException.
    if (!shape.names.includes(name) || typeof value !== "string" || value.length === 0 || Buffer.byteLength(value, "utf8") > 1024) throw malformed();
  }
  const k = key as Record<string, string>;
  if (k[shape.partition[0]] !== shape.partition[1]) throw malformed();
  if (!k[shape.sort[0]]!.startsWith(shape.sort[1])) throw malformed();
  return k;
}
