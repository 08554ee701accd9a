import { HttpError } from "lambdalith";
import type { FileType } from "../schemas.ts";
import { iso, type Store } from "./client.ts";
import { guard, isConditionFailed, notFound, readOnly } from "./errors.ts";
import { admitExamChange } from "./exams.ts";
import { examPk, FILE_PREFIX, fileKey, strip } from "./keys.ts";
import { queryPage, TABLE_CURSOR } from "./query.ts";
import type { FileRecord, Page, PageOptions } from "./types.ts";

/**
 * Records an upload about to happen (status `pending`) on a draft exam of the teacher's. The id and the S3
 * key are the caller's (server-generated: see files.ts), never derived from the client's file name.
 */
export async function createFileRecord(
  store: Store,
  args: { examId: string; teacherId: string; fileId: string; key: string; fileName: string; contentType: FileType; size: number },
): Promise<FileRecord> {
  return guard(async () => {
    await admitExamChange(store, { examId: args.examId, teacherId: args.teacherId, addingFile: true });
    const now = iso(store.now());
    const record: FileRecord = {
      fileId: args.fileId,
      examId: args.examId,
      fileName: args.fileName,
      contentType: args.contentType,
      size: args.size,
      status: "pending",
      key: args.key,
      uploadedBy: args.teacherId,
      createdAt: now,
      updatedAt: now,
    };
    const db = await store.db();
    await db.put({
      TableName: store.tableName,
      Item: { ...fileKey(args.examId, args.fileId), type: "file", ...record },
      ConditionExpression: "attribute_not_exists(PK)",
    });
    return record;
  });
}

export async function getFileRecord(store: Store, examId: string, fileId: string): Promise<FileRecord | null> {
  return guard(async () => {
    const db = await store.db();
    const out = await db.get({ TableName: store.tableName, Key: fileKey(examId, fileId), ConsistentRead: true });
    return out.Item ? strip<FileRecord>(out.Item) : null;
  });
}

/**
 * pending → ready, with the object's final key; completing a ready file returns it unchanged (idempotent).
 * A record sealed by a publish stays as it was: a file pending when the exam was published never becomes
 * ready (409 read-only). The caller checks first that the exam is still a draft; the seal closes the race.
 */
export async function markFileReady(store: Store, args: { examId: string; fileId: string; key: string; etag?: string | undefined }): Promise<FileRecord> {
  return guard(async () => {
    const db = await store.db();
    try {
      const out = await db.update({
        TableName: store.tableName,
        Key: fileKey(args.examId, args.fileId),
        UpdateExpression: `SET #status = :ready, #key = :key, #updated = :now${args.etag ? ", #etag = :etag" : ""}`,
        ConditionExpression: "attribute_exists(PK) AND #status = :pending AND attribute_not_exists(sealed)",
        ExpressionAttributeNames: { "#status": "status", "#key": "key", "#updated": "updatedAt", ...(args.etag ? { "#etag": "etag" } : {}) },
        ExpressionAttributeValues: { ":ready": "ready", ":pending": "pending", ":key": args.key, ":now": iso(store.now()), ...(args.etag ? { ":etag": args.etag } : {}) },
        ReturnValues: "ALL_NEW",
      });
      return strip<FileRecord>(out.Attributes!);
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      const item = (await db.get({ TableName: store.tableName, Key: fileKey(args.examId, args.fileId), ConsistentRead: true })).Item;
      if (!item) throw notFound("file", args.fileId);
      if (item["status"] === "ready") return strip<FileRecord>(item);
      if (item["sealed"] === true) throw readOnly("The exam was published: this upload can no longer be completed");
      throw new HttpError(409, "The file was changed concurrently; retry");
    }
  });
}

/** An exam's files, oldest first (pending ones included: the caller filters for students). */
export async function listFiles(store: Store, examId: string, options: PageOptions): Promise<Page<FileRecord>> {
  return guard(async () => {
    const pk = examPk(examId);
    return queryPage(
      store,
      { KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)", ExpressionAttributeValues: { ":pk": pk, ":prefix": FILE_PREFIX } },
      { names: TABLE_CURSOR, partition: ["PK", pk], sort: ["SK", FILE_PREFIX] },
      options,
      (item) => strip<FileRecord>(item),
    );
  });
}
