import { HttpError } from "lambdalith";
import { newId } from "../ids.ts";
import { DEFAULT_MAX_ATTEMPTS, MAX_FILES, MAX_QUESTIONS } from "../limits.ts";
import type { ExamCreate, ExamStatus } from "../schemas.ts";
import { iso, type Store } from "./client.ts";
import { guard, isConditionFailed, LIMIT_REACHED, notFound, readOnly, staleVersion } from "./errors.ts";
import { examGsi1Sk, examKey, type Key, examPk, FILE_PREFIX, GSI1, PUBLISHED_PK, publishedKey, QUESTION_PREFIX, strip, teacherPk } from "./keys.ts";
import { GSI1_CURSOR, queryAll, queryPage, TABLE_CURSOR } from "./query.ts";
import { publishedFields } from "./published.ts";
import type { Exam, Page, PageOptions, PublishedExam } from "./types.ts";

/** Stored while a draft's children are being removed; such an exam is gone for every reader. */
const DELETING = "deleting";
/** Stored while a publish seals the exam's questions and files; the exam is read-only, and not yet listed. */
const PUBLISHING = "publishing";

async function readExamItem(store: Store, examId: string): Promise<Record<string, unknown> | undefined> {
  const db = await store.db();
  const out = await db.get({ TableName: store.tableName, Key: examKey(examId), ConsistentRead: true });
  return out.Item;
}

/** The exam, or null if there is none (or it is being deleted). Includes drafts: callers authorize. */
export async function getExam(store: Store, examId: string): Promise<Exam | null> {
  return guard(async () => {
    const item = await readExamItem(store, examId);
    return item && item["status"] !== DELETING ? strip<Exam>(item) : null;
  });
}

/**
 * Why a conditional write on an exam failed, as the HttpError to answer with: 404 (none), 403 (not the
 * caller's), 409 read-only (published), 409 stale version; `allowDeleting` treats a half-deleted draft as a draft.
 */
async function examConflict(
  store: Store,
  examId: string,
  teacherId: string,
  expectedVersion: number | undefined,
  allowDeleting = false,
  adding?: "question" | "file",
): Promise<HttpError> {
  const item = await readExamItem(store, examId);
  if (!item || (item["status"] === DELETING && !allowDeleting)) return notFound("exam", examId);
  if (item["teacherId"] !== teacherId) return new HttpError(403, "Only the exam's teacher may change it");
  if (item["status"] === "published" || item["status"] === PUBLISHING) return readOnly();
  if (expectedVersion !== undefined && item["version"] !== expectedVersion) return staleVersion("exam", item["version"] as number);
  if (adding === "question" && (item["questionCount"] as number) >= MAX_QUESTIONS) {
    return new HttpError(409, `An exam has at most ${MAX_QUESTIONS} questions`, { type: LIMIT_REACHED, limit: MAX_QUESTIONS });
  }
  if (adding === "file" && ((item["fileSeq"] as number | undefined) ?? 0) >= MAX_FILES) {
    return new HttpError(409, `An exam has at most ${MAX_FILES} files`, { type: LIMIT_REACHED, limit: MAX_FILES });
  }
  return new HttpError(409, "The exam was changed concurrently; retry");
}

export async function createExam(store: Store, teacherId: string, input: Omit<ExamCreate, "maxAttempts"> & { maxAttempts?: number | undefined }): Promise<Exam> {
  return guard(async () => {
    const now = store.now();
    const examId = newId(now);
    const exam: Exam = {
      examId,
      teacherId,
      title: input.title,
      description: input.description,
      durationMinutes: input.durationMinutes,
      maxAttempts: input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      status: "draft",
      version: 1,
      questionCount: 0,
      createdAt: iso(now),
      updatedAt: iso(now),
    };
    const db = await store.db();
    await db.put({
      TableName: store.tableName,
      Item: { ...examKey(examId), GSI1PK: teacherPk(teacherId), GSI1SK: examGsi1Sk("draft", examId), type: "exam", questionSeq: 0, ...exam },
      ConditionExpression: "attribute_not_exists(PK)",
    });
    return exam;
  });
}

export interface ExamChanges {
  title?: string | undefined;
  description?: string | undefined;
  durationMinutes?: number | undefined;
  maxAttempts?: number | undefined;
}

/**
 * Changes a draft. With `expectedVersion` the write happens only if the stored version still is that one
 * (two writers with the same version: exactly one wins, the other gets a 409 stale-version and nothing of
 * it is written).
 */
export async function updateExam(store: Store, args: { examId: string; teacherId: string; changes: ExamChanges; expectedVersion?: number | undefined }): Promise<Exam> {
  const { examId, teacherId, changes, expectedVersion } = args;
  return guard(async () => {
    const names: Record<string, string> = { "#v": "version" };
    const values: Record<string, unknown> = { ":one": 1 };
    const sets = ["#v = #v + :one"];
    for (const field of ["title", "description", "durationMinutes", "maxAttempts"] as const) {
      if (changes[field] === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = changes[field];
      sets.push(`#${field} = :${field}`);
    }
    let condition = "";
    if (expectedVersion !== undefined) {
      condition = " AND #v = :expected";
      values[":expected"] = expectedVersion;
    }
    return strip<Exam>(await updateDraft(store, { examId, teacherId, sets, names, values, condition, expectedVersion }));
  });
}

/**
 * The one conditional write every change to a draft goes through: `SET updatedAt` plus `sets`, only if the
 * exam exists, is the teacher's and is still a draft (plus `condition`). A failed condition becomes the
 * precise conflict (404, 403, read-only, stale version).
 * @example await updateDraft(store, { examId, teacherId, sets: [], names: {}, values: {}, condition: "" })
 */
async function updateDraft(
  store: Store,
  args: {
    examId: string;
    teacherId: string;
    sets: string[];
    names: Record<string, string>;
    values: Record<string, unknown>;
    condition: string;
    expectedVersion?: number | undefined;
    adding?: "question" | "file";
  },
): Promise<Record<string, unknown>> {
  const { examId, teacherId } = args;
  const db = await store.db();
  try {
    const out = await db.update({
      TableName: store.tableName,
      Key: examKey(examId),
      UpdateExpression: `SET ${["#updated = :now", ...args.sets].join(", ")}`,
      ConditionExpression: `attribute_exists(PK) AND #teacher = :teacher AND #status = :draft${args.condition}`,
      ExpressionAttributeNames: { ...args.names, "#status": "status", "#teacher": "teacherId", "#updated": "updatedAt" },
      ExpressionAttributeValues: { ...args.values, ":draft": "draft", ":teacher": teacherId, ":now": iso(store.now()) },
      ReturnValues: "ALL_NEW",
    });
    return out.Attributes!;
  } catch (err) {
    if (!isConditionFailed(err)) throw err;
    throw await examConflict(store, examId, teacherId, args.expectedVersion, false, args.adding);
  }
}

function publishedCopy(exam: Exam): Record<string, unknown> {
  return { ...publishedKey(exam.publishedAt!, exam.examId), type: "published", ...publishedFields(exam) };
}

/**
 * Sets `sealed` on each item that still exists; question and file writes are conditioned on
 * `attribute_not_exists(sealed)`, so each one lands either before its item's seal (and is part of what is
 * published) or not at all.
 * @returns the sealed items as the seal left them (one deleted meanwhile is not there); a sealed item no
 *   longer changes, so its `status` is final
 */
async function sealAll(store: Store, keys: Array<{ PK: unknown; SK: unknown }>): Promise<Array<Record<string, unknown>>> {
  const db = await store.db();
  const sealed: Array<Record<string, unknown>> = [];
  for (let i = 0; i < keys.length; i += 10) {
    const done = await Promise.all(
      keys.slice(i, i + 10).map((key) =>
        db
          .update({
            TableName: store.tableName,
            Key: { PK: key.PK, SK: key.SK },
            UpdateExpression: "SET sealed = :true",
            ConditionExpression: "attribute_exists(PK)",
            ExpressionAttributeValues: { ":true": true },
            ReturnValues: "ALL_NEW",
          })
          .then(
            (out) => [out.Attributes ?? {}],
            (err: unknown) => (isConditionFailed(err) ? [] : Promise.reject(err)),
          ),
      ),
    );
    sealed.push(...done.flat());
  }
  return sealed;
}

async function childKeys(store: Store, examId: string, prefix: string): Promise<Array<{ PK: unknown; SK: unknown }>> {
  return queryAll<{ PK: unknown; SK: unknown }>(store, {
    KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
    ExpressionAttributeValues: { ":pk": examPk(examId), ":prefix": prefix },
    ProjectionExpression: "PK, SK",
    ConsistentRead: true,
  });
}

/**
 * Publishes a draft that has at least one question; from then on the exam and its questions are read-only.
 * Three writes make sure no question or file changes after `publishedAt` (no transactions, see docs):
 * 1. draft → `publishing` on the exam item: from here on no question or file change is admitted (they all
 *    go through a conditional write on the exam item that requires `draft`);
 * 2. every question and file item gets `sealed`: a change admitted before step 1 but landing later is
 *    refused by its own item's condition, and a question added that late stays unsealed, which readers of
 *    a published exam ignore;
 * 3. `publishing` → `published` with `publishedAt` (after every seal) and the count of sealed questions.
 * Between 2 and 3, `afterSeal` gets the ids of the files sealed while not ready (the caller removes their
 * files/ copies, which no record will ever name).
 * An interrupted publish leaves `publishing`, which the next publish resumes. Publishing a published exam
 * returns it unchanged (and re-writes the students' listing entry, which repairs an interrupted step 4).
 */
export async function publishExam(
  store: Store,
  args: { examId: string; teacherId: string; expectedVersion?: number | undefined; afterSeal?: ((unreadyFileIds: string[]) => Promise<void>) | undefined },
): Promise<Exam> {
  const { examId, teacherId, expectedVersion } = args;
  return guard(async () => {
    const db = await store.db();
    const values: Record<string, unknown> = { ":draft": "draft", ":publishing": PUBLISHING, ":teacher": teacherId, ":one": 1 };
    let fromDraft = "#status = :draft AND #count >= :one";
    if (expectedVersion !== undefined) {
      fromDraft += " AND #v = :expected";
      values[":expected"] = expectedVersion;
    }
    try {
      await db.update({
        TableName: store.tableName,
        Key: examKey(examId),
        // A new status is a new representation, so a new version (an owner may read it while it lasts).
        UpdateExpression: "SET #status = :publishing, #v = #v + :one",
        ConditionExpression: `attribute_exists(PK) AND #teacher = :teacher AND ((${fromDraft}) OR #status = :publishing)`,
        ExpressionAttributeNames: { "#status": "status", "#teacher": "teacherId", "#count": "questionCount", "#v": "version" },
        ExpressionAttributeValues: values,
      });
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      const item = await readExamItem(store, examId);
      if (item && item["status"] === "published" && item["teacherId"] === teacherId) {
        const exam = strip<Exam>(item);
        await db.put({ TableName: store.tableName, Item: publishedCopy(exam) });
        return exam;
      }
      if (item && item["status"] === "draft" && item["teacherId"] === teacherId && !((item["questionCount"] as number) >= 1)) {
        throw new HttpError(409, "An exam needs at least one question to be published");
      }
      throw await examConflict(store, examId, teacherId, expectedVersion);
    }

    const questions = (await sealAll(store, await childKeys(store, examId, QUESTION_PREFIX))).length;
    if (questions === 0) {
      // Every question was deleted while the publish began: back to a draft (nothing is sealed yet).
      await db
        .update({
          TableName: store.tableName,
          Key: examKey(examId),
          UpdateExpression: "SET #status = :draft, #v = #v + :one",
          ConditionExpression: "#status = :publishing",
          ExpressionAttributeNames: { "#status": "status", "#v": "version" },
          ExpressionAttributeValues: { ":draft": "draft", ":publishing": PUBLISHING, ":one": 1 },
        })
        .catch((err: unknown) => (isConditionFailed(err) ? undefined : Promise.reject(err)));
      throw new HttpError(409, "An exam needs at least one question to be published");
    }
    const files = await sealAll(store, await childKeys(store, examId, FILE_PREFIX));
    // Sealed while not ready, a record never becomes ready: a files/ copy made for it (a complete that stopped
    // between its copy and the ready mark) is named by nothing, and a published exam is never deleted.
    // Before `published`: if this fails, the exam stays `publishing` and the retry removes them.
    const unready = files.filter((f) => f["status"] !== "ready").map((f) => String(f["fileId"]));
    if (args.afterSeal && unready.length > 0) await args.afterSeal(unready);

    let exam: Exam;
    const now = iso(store.now());
    try {
      const out = await db.update({
        TableName: store.tableName,
        Key: examKey(examId),
        UpdateExpression: "SET #status = :published, #publishedAt = :now, #updated = :now, #v = #v + :one, #count = :count, GSI1SK = :gsi1sk",
        ConditionExpression: "#status = :publishing AND #teacher = :teacher",
        ExpressionAttributeNames: { "#status": "status", "#teacher": "teacherId", "#count": "questionCount", "#v": "version", "#updated": "updatedAt", "#publishedAt": "publishedAt" },
        ExpressionAttributeValues: {
          ":published": "published",
          ":publishing": PUBLISHING,
          ":teacher": teacherId,
          ":now": now,
          ":one": 1,
          ":count": questions,
          ":gsi1sk": examGsi1Sk("published", examId),
        },
        ReturnValues: "ALL_NEW",
      });
      exam = strip<Exam>(out.Attributes!);
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      // A parallel publish finished first.
      const item = await readExamItem(store, examId);
      if (!item || item["status"] !== "published") throw new HttpError(409, "The exam was changed concurrently; retry");
      exam = strip<Exam>(item);
    }
    await db.put({ TableName: store.tableName, Item: publishedCopy(exam) });
    return exam;
  });
}

/**
 * Deletes a draft with its questions and file records (published exams can't be deleted: 409).
 * The exam is first marked `deleting` (hidden from every listing and read, and closed to question writes),
 * then its children go, then the exam item; a DELETE interrupted half-way is completed by the next one.
 * `beforeChildren` gets the ids of the exam's files before any record is removed (the caller deletes their
 * S3 objects there: if that fails, the records, and so the ids, are still there for the next DELETE).
 * @returns the ids of the exam's files
 */
export async function deleteExam(
  store: Store,
  args: { examId: string; teacherId: string; expectedVersion?: number | undefined; beforeChildren?: ((fileIds: string[]) => Promise<void>) | undefined },
): Promise<{ fileIds: string[] }> {
  const { examId, teacherId, expectedVersion } = args;
  return guard(async () => {
    const db = await store.db();
    const values: Record<string, unknown> = { ":draft": "draft", ":deleting": DELETING, ":teacher": teacherId };
    let condition = "attribute_exists(PK) AND #teacher = :teacher AND (#status = :draft OR #status = :deleting)";
    if (expectedVersion !== undefined) {
      condition += " AND (#v = :expected OR #status = :deleting)";
      values[":expected"] = expectedVersion;
    }
    try {
      await db.update({
        TableName: store.tableName,
        Key: examKey(examId),
        UpdateExpression: "SET #status = :deleting REMOVE GSI1PK, GSI1SK",
        ConditionExpression: condition,
        ExpressionAttributeNames: { "#status": "status", "#teacher": "teacherId", ...(expectedVersion !== undefined ? { "#v": "version" } : {}) },
        ExpressionAttributeValues: values,
      });
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      throw await examConflict(store, examId, teacherId, expectedVersion, true);
    }
    const children = await queryAll(store, {
      KeyConditionExpression: "PK = :pk",
      ExpressionAttributeValues: { ":pk": examPk(examId) },
      ProjectionExpression: "PK, SK",
      ConsistentRead: true,
    });
    const doomed = children.filter((c) => c["SK"] !== "EXAM");
    const fileIds = doomed.map((c) => String(c["SK"])).filter((sk) => sk.startsWith(FILE_PREFIX)).map((sk) => sk.slice(FILE_PREFIX.length));
    if (args.beforeChildren) await args.beforeChildren(fileIds);
    for (let i = 0; i < doomed.length; i += 10) {
      await Promise.all(doomed.slice(i, i + 10).map((c) => db.delete({ TableName: store.tableName, Key: { PK: c["PK"], SK: c["SK"] } })));
    }
    try {
      await db.delete({
        TableName: store.tableName,
        Key: examKey(examId),
        ConditionExpression: "#status = :deleting",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":deleting": DELETING },
      });
    } catch (err) {
      // A second DELETE of the same exam (a client's retry after a timeout) ran to its end meanwhile: the
      // exam is gone, which is what this one was for (it answered 409 "changed").
      if (!isConditionFailed(err)) throw err;
      if (await readExamItem(store, examId)) throw err;
    }
    return { fileIds };
  });
}

/** A teacher's exams, optionally only one status; without it, published ones first, then drafts, each newest first (the sort key is `<status>#<id>`, read descending). */
export async function listTeacherExams(store: Store, teacherId: string, options: PageOptions & { status?: ExamStatus | undefined }): Promise<Page<Exam>> {
  return guard(async () => {
    const pk = teacherPk(teacherId);
    const prefix = options.status ? `${options.status}#` : "";
    return queryPage(
      store,
      {
        IndexName: GSI1,
        KeyConditionExpression: prefix ? "GSI1PK = :pk AND begins_with(GSI1SK, :prefix)" : "GSI1PK = :pk",
        ExpressionAttributeValues: prefix ? { ":pk": pk, ":prefix": prefix } : { ":pk": pk },
        ScanIndexForward: false,
      },
      { names: GSI1_CURSOR, partition: ["GSI1PK", pk], sort: ["GSI1SK", prefix] },
      options,
      (item) => strip<Exam>(item),
    );
  });
}

/** Every published exam, most recently published first (what students may browse). */
export async function listPublishedExams(store: Store, options: PageOptions): Promise<Page<PublishedExam>> {
  return guard(() =>
    queryPage(
      store,
      { KeyConditionExpression: "PK = :pk", ExpressionAttributeValues: { ":pk": PUBLISHED_PK }, ScanIndexForward: false },
      { names: TABLE_CURSOR, partition: ["PK", PUBLISHED_PK], sort: ["SK", ""] },
      options,
      (item) => strip<PublishedExam>(item),
    ),
  );
}

/**
 * Deletes a question or file record an add wrote too late (its exam no longer a draft, or unreadable), unless a
 * publish sealed it (then it is part of the published exam). `gone`: a DELETE of it removed it first, and gave
 * its place under the cap back; the caller must not give it back again (the count would err low, a looser cap).
 */
async function takeBackItem(store: Store, key: Key): Promise<"taken" | "gone" | "sealed"> {
  const db = await store.db();
  try {
    const out = await db.delete({ TableName: store.tableName, Key: key, ConditionExpression: "attribute_not_exists(sealed)", ReturnValues: "ALL_OLD" });
    return out.Attributes ? "taken" : "gone";
  } catch (err) {
    if (isConditionFailed(err)) return "sealed";
    throw err;
  }
}

/**
 * After a question or file record's put, which `admitExamChange` admitted while the exam was a draft: keeps it if
 * the exam still is one, or if a publish sealed it (then it is part of the published exam). Otherwise (a DELETE of
 * the exam listed its children before the put, or a publish sealed the others first) it is taken back and counted
 * off with `countOff` (only when the take-back removed it: a DELETE that removed it first counted it off itself),
 * then 404 for a deleted exam or `published()`'s error. Unable to read the exam, it is taken back too and the read's
 * error rethrown: the client's retry of that 5xx must not leave a second record.
 * @example await checkInChild(store, examId, fileKey(examId, fileId), freeSlot, () => readOnly("…"))
 */
export async function checkInChild(store: Store, examId: string, key: Key, countOff: () => Promise<unknown>, published: () => HttpError): Promise<void> {
  const takeBack = async () => {
    const taken = await takeBackItem(store, key);
    if (taken === "taken") await countOff().catch(() => undefined);
    return taken;
  };
  let exam: Exam | null;
  try {
    exam = await getExam(store, examId);
  } catch (err) {
    if ((await takeBack()) === "sealed") return;
    throw err;
  }
  if (exam?.status === "draft" || (await takeBack()) === "sealed") return;
  throw exam === null ? notFound("exam", examId) : published();
}

/**
 * Admits a change to a draft's questions or files: one conditional write on the exam item (the exam
 * exists, is the teacher's, is still a draft), adjusting the question counter or counting a new file
 * against its cap (409 limit-reached past either) or a removed one off it. Publishing conditions on the
 * same item, so a change admitted here was admitted before the exam was published.
 * @returns the exam after the change (its `questionSeq` orders new questions)
 */
export async function admitExamChange(
  store: Store,
  args: { examId: string; teacherId: string; questionDelta?: -1 | 0 | 1; addingFile?: boolean; removingFile?: boolean },
): Promise<Exam & { questionSeq: number }> {
  const delta = args.questionDelta ?? 0;
  // The exam's representation changes (updatedAt, questionCount): so does its version, the strong ETag.
  const names: Record<string, string> = { "#v": "version" };
  const values: Record<string, unknown> = { ":one": 1 };
  const sets: string[] = ["#v = #v + :one"];
  let condition = "";
  if (delta !== 0) {
    names["#count"] = "questionCount";
    values[":delta"] = delta;
    sets.push("#count = #count + :delta");
  }
  if (delta === 1) {
    names["#seq"] = "questionSeq";
    values[":one"] = 1;
    values[":zero"] = 0;
    values[":max"] = MAX_QUESTIONS;
    sets.push("#seq = if_not_exists(#seq, :zero) + :one");
    condition = " AND #count < :max";
  }
  if (delta === -1) {
    values[":zero"] = 0;
    condition = " AND #count > :zero";
  }
  if (args.addingFile) {
    // Bounded, so publish seals and DELETE removes every file in one invocation (limits.ts MAX_FILES).
    names["#files"] = "fileSeq";
    values[":zero"] = 0;
    values[":one"] = 1;
    values[":maxFiles"] = MAX_FILES;
    sets.push("#files = if_not_exists(#files, :zero) + :one");
    condition += " AND (attribute_not_exists(#files) OR #files < :maxFiles)";
  }
  if (args.removingFile) {
    // Once the file's record is gone (deleteFile): the slot it took is free again.
    names["#files"] = "fileSeq";
    values[":zero"] = 0;
    values[":one"] = 1;
    sets.push("#files = #files - :one");
    condition += " AND #files > :zero";
  }
  const item = await updateDraft(store, { examId: args.examId, teacherId: args.teacherId, sets, names, values, condition, adding: delta === 1 ? "question" : args.addingFile ? "file" : undefined });
  return { ...strip<Exam>(item), questionSeq: Number(item["questionSeq"] ?? 0) };
}
