import { HttpError } from "lambdalith";
import type { FileType } from "../schemas.ts";
import { iso, type Store } from "./client.ts";
import { guard, isConditionFailed, notFound, readOnly } from "./errors.ts";
import { admitExamChange, checkInChild, getExam } from "./exams.ts";
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
    await checkInFileRecord(store, args);
    return record;
  });
}

// A record written after a DELETE of the exam listed its children, or after a publish sealed the others, is
// taken back (checkInChild), its slot under the cap given back while the exam is still a draft.
function checkInFileRecord(store: Store, args: { examId: string; teacherId: string; fileId: string }): Promise<void> {
  const freeSlot = () => admitExamChange(store, { examId: args.examId, teacherId: args.teacherId, removingFile: true });
  return checkInChild(store, args.examId, fileKey(args.examId, args.fileId), freeSlot, () => readOnly("The exam was published: no file can be added"));
}

/**
 * The status a file record has from the moment its DELETE is committed until the record is gone: such a file
 * is gone for every reader, and complete can no longer make it ready (markFileReady requires `pending`).
 */
const DELETING = "deleting";

async function readFileItem(store: Store, examId: string, fileId: string): Promise<Record<string, unknown> | undefined> {
  const db = await store.db();
  return (await db.get({ TableName: store.tableName, Key: fileKey(examId, fileId), ConsistentRead: true })).Item;
}

/** The file, or null if there is none (or it is being deleted). */
export async function getFileRecord(store: Store, examId: string, fileId: string): Promise<FileRecord | null> {
  return guard(async () => {
    const item = await readFileItem(store, examId, fileId);
    return item && item["status"] !== DELETING ? strip<FileRecord>(item) : null;
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
      const item = await readFileItem(store, args.examId, args.fileId);
      if (!item || item["status"] === DELETING) throw notFound("file", args.fileId);
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
    const page = await queryPage(
      store,
      { KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)", ExpressionAttributeValues: { ":pk": pk, ":prefix": FILE_PREFIX } },
      { names: TABLE_CURSOR, partition: ["PK", pk], sort: ["SK", FILE_PREFIX] },
      options,
      (item) => strip<FileRecord>(item),
    );
    // A file being deleted is gone (its page is one shorter; the cursor is the query's, so none is skipped).
    return { ...page, items: page.items.filter((f) => (f.status as string) !== DELETING) };
  });
}

/** Refusal for a file that publishing sealed (or of an exam no longer a draft). */
const sealedFile = () => readOnly("The exam was published: its files are read-only");

/**
 * Removes a file from a draft, in an order that never loses a published file nor leaves an object no record
 * names (but under `pending/`, which the lifecycle rule expires):
 * 1. the change is admitted on the exam item (the teacher's draft; its version moves, as for any file change);
 * 2. the record is marked `deleting`, on the condition that publishing has not sealed it: a publish that
 *    began after step 1 either sealed it first (409 read-only, nothing removed) or finds it gone;
 * 3. `removeObjects` deletes its S3 objects (the caller's: files/ and pending/);
 * 4. the record is deleted: only one of two DELETEs does it, the other is a 404;
 * 5. that one gives the file's slot under the cap back (the count only ever errs high: a stricter cap).
 * A DELETE stopped after step 2 (S3 failed) is finished by the next one, whatever the exam became since: the
 * change was admitted while it was a draft. `ifMatchTag`: the request sent an entity tag, which no file has
 * (files are not versioned): a 412, after the 404 and 409 read-only checks, with nothing written.
 */
export async function deleteFile(
  store: Store,
  args: { examId: string; teacherId: string; fileId: string; ifMatchTag?: boolean; removeObjects: () => Promise<void> },
): Promise<void> {
  const { examId, teacherId, fileId } = args;
  return guard(async () => {
    const item = await readFileItem(store, examId, fileId);
    if (!item) throw notFound("file", fileId);
    const marked = item["status"] === DELETING;
    if (args.ifMatchTag) {
      const exam = marked ? undefined : await getExam(store, examId);
      if (exam === null) throw notFound("exam", examId);
      if (exam && (item["sealed"] === true || exam.status !== "draft")) throw sealedFile();
      throw new HttpError(412, "Files have no version: If-Match: * is the only entity tag that matches one", { title: "Precondition Failed" });
    }
    const db = await store.db();
    if (!marked) {
      if (item["sealed"] === true) throw sealedFile();
      await admitExamChange(store, { examId, teacherId });
      try {
        await db.update({
          TableName: store.tableName,
          Key: fileKey(examId, fileId),
          UpdateExpression: "SET #status = :deleting, #updated = :now",
          ConditionExpression: "attribute_exists(PK) AND attribute_not_exists(sealed)",
          ExpressionAttributeNames: { "#status": "status", "#updated": "updatedAt" },
          ExpressionAttributeValues: { ":deleting": DELETING, ":now": iso(store.now()) },
        });
      } catch (err) {
        if (!isConditionFailed(err)) throw err;
        if (!(await readFileItem(store, examId, fileId))) throw notFound("file", fileId);
        throw sealedFile();
      }
    }
    await args.removeObjects();
    try {
      await db.delete({ TableName: store.tableName, Key: fileKey(examId, fileId), ConditionExpression: "attribute_exists(PK)" });
    } catch (err) {
      // Another DELETE of this file removed the record first (and gave its slot back).
      if (isConditionFailed(err)) throw notFound("file", fileId);
      throw err;
    }
    await admitExamChange(store, { examId, teacherId, removingFile: true }).catch(() => undefined);
  });
}
