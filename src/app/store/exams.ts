import { HttpError } from "lambdalith";
import { newId } from "../ids.ts";
import type { ExamCreate, ExamStatus } from "../schemas.ts";
import { iso, type Store } from "./client.ts";
import { guard, isConditionFailed, notFound, READ_ONLY, staleVersion } from "./errors.ts";
import { examGsi1Sk, examKey, examPk, GSI1, PUBLISHED_PK, publishedKey, strip, teacherPk } from "./keys.ts";
import { GSI1_CURSOR, queryAll, queryPage, TABLE_CURSOR } from "./query.ts";
import { publishedFields } from "./published.ts";
import type { Exam, Page, PageOptions, PublishedExam } from "./types.ts";

/** Stored while a draft's children are being removed; such an exam is gone for every reader. */
const DELETING = "deleting";

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
async function examConflict(store: Store, examId: string, teacherId: string, expectedVersion: number | undefined, allowDeleting = false): Promise<HttpError> {
  const item = await readExamItem(store, examId);
  if (!item || (item["status"] === DELETING && !allowDeleting)) return notFound("exam", examId);
  if (item["teacherId"] !== teacherId) return new HttpError(403, "Only the exam's teacher may change it");
  if (item["status"] === "published") return new HttpError(409, "Published exams are read-only", { type: READ_ONLY });
  if (expectedVersion !== undefined && item["version"] !== expectedVersion) return staleVersion("exam", item["version"] as number);
  return new HttpError(409, "The exam was changed concurrently; retry");
}

export async function createExam(store: Store, teacherId: string, input: ExamCreate): Promise<Exam> {
  return guard(async () => {
    const now = store.now();
    const examId = newId(now);
    const exam: Exam = {
      examId,
      teacherId,
      title: input.title,
      description: input.description,
      durationMinutes: input.durationMinutes,
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
    for (const field of ["title", "description", "durationMinutes"] as const) {
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
  args: { examId: string; teacherId: string; sets: string[]; names: Record<string, string>; values: Record<string, unknown>; condition: string; expectedVersion?: number | undefined },
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
    throw await examConflict(store, examId, teacherId, args.expectedVersion);
  }
}

function publishedCopy(exam: Exam): Record<string, unknown> {
  return { ...publishedKey(exam.publishedAt!, exam.examId), type: "published", ...publishedFields(exam) };
}

/**
 * Publishes a draft that has at least one question; from then on the exam and its questions are read-only.
 * Publishing a published exam returns it unchanged (and re-writes the students' listing entry, which
 * repairs a publish interrupted between its two writes).
 */
export async function publishExam(store: Store, args: { examId: string; teacherId: string; expectedVersion?: number | undefined }): Promise<Exam> {
  const { examId, teacherId, expectedVersion } = args;
  return guard(async () => {
    const db = await store.db();
    const now = iso(store.now());
    const values: Record<string, unknown> = {
      ":draft": "draft",
      ":published": "published",
      ":teacher": teacherId,
      ":one": 1,
      ":now": now,
      ":gsi1sk": examGsi1Sk("published", examId),
    };
    let condition = "attribute_exists(PK) AND #teacher = :teacher AND #status = :draft AND #count >= :one";
    if (expectedVersion !== undefined) {
      condition += " AND #v = :expected";
      values[":expected"] = expectedVersion;
    }
    let exam: Exam;
    try {
      const out = await db.update({
        TableName: store.tableName,
        Key: examKey(examId),
        UpdateExpression: "SET #status = :published, #publishedAt = :now, #updated = :now, #v = #v + :one, GSI1SK = :gsi1sk",
        ConditionExpression: condition,
        ExpressionAttributeNames: { "#status": "status", "#teacher": "teacherId", "#count": "questionCount", "#v": "version", "#updated": "updatedAt", "#publishedAt": "publishedAt" },
        ExpressionAttributeValues: values,
        ReturnValues: "ALL_NEW",
      });
      exam = strip<Exam>(out.Attributes!);
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      const item = await readExamItem(store, examId);
      if (item && item["status"] === "published" && item["teacherId"] === teacherId) {
        exam = strip<Exam>(item);
      } else if (item && item["status"] === "draft" && item["teacherId"] === teacherId && !((item["questionCount"] as number) >= 1)) {
        throw new HttpError(409, "An exam needs at least one question to be published");
      } else {
        throw await examConflict(store, examId, teacherId, expectedVersion);
      }
    }
    await db.put({ TableName: store.tableName, Item: publishedCopy(exam) });
    return exam;
  });
}

/**
 * Deletes a draft with its questions and file records (published exams can't be deleted: 409).
 * The exam is first marked `deleting` (hidden from every listing and read, and closed to question writes),
 * then its children go, then the exam item; a DELETE interrupted half-way is completed by the next one.
 * @returns the S3 keys of the exam's files (the objects themselves are left to the caller)
 */
export async function deleteExam(store: Store, args: { examId: string; teacherId: string; expectedVersion?: number | undefined }): Promise<{ fileKeys: string[] }> {
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
      ProjectionExpression: "PK, SK, #key",
      ExpressionAttributeNames: { "#key": "key" },
    });
    const fileKeys: string[] = [];
    const doomed = children.filter((c) => c["SK"] !== "EXAM");
    for (const c of doomed) if (typeof c["key"] === "string") fileKeys.push(c["key"]);
    for (let i = 0; i < doomed.length; i += 10) {
      await Promise.all(doomed.slice(i, i + 10).map((c) => db.delete({ TableName: store.tableName, Key: { PK: c["PK"], SK: c["SK"] } })));
    }
    await db.delete({
      TableName: store.tableName,
      Key: examKey(examId),
      ConditionExpression: "#status = :deleting",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":deleting": DELETING },
    });
    return { fileKeys };
  });
}

/** A teacher's exams, newest first, optionally only one status (drafts, then published, without it). */
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
 * Admits a change to a draft's questions or files: one conditional write on the exam item (the exam
 * exists, is the teacher's, is still a draft), adjusting the question counter. Publishing conditions on the
 * same item, so a change admitted here was admitted before the exam was published.
 * @returns the exam after the change (its `questionSeq` orders new questions)
 */
export async function admitExamChange(store: Store, args: { examId: string; teacherId: string; questionDelta?: -1 | 0 | 1 }): Promise<Exam & { questionSeq: number }> {
  const delta = args.questionDelta ?? 0;
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
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
    sets.push("#seq = if_not_exists(#seq, :zero) + :one");
  }
  if (delta === -1) {
    values[":zero"] = 0;
    condition = " AND #count > :zero";
  }
  const item = await updateDraft(store, { examId: args.examId, teacherId: args.teacherId, sets, names, values, condition });
  return { ...strip<Exam>(item), questionSeq: Number(item["questionSeq"] ?? 0) };
}
