import { newId } from "../ids.ts";
import type { QuestionInput } from "../schemas.ts";
import { iso, type Store } from "./client.ts";
import { guard, isConditionFailed, notFound, readOnly, staleVersion } from "./errors.ts";
import { admitExamChange, checkInChild } from "./exams.ts";
import { examPk, QUESTION_PREFIX, questionKey, strip } from "./keys.ts";
import { queryAll } from "./query.ts";
import type { Question } from "./types.ts";

// Every question write is first admitted by a conditional write on the exam item (admitExamChange): the
// exam is the caller's and still a draft. A write admitted just before a publish may still land after it
// began, so the write itself is also conditioned on its item not being `sealed` (publishExam seals every
// question before it sets publishedAt): nothing changes a question of a published exam, with no transaction.

export async function getQuestion(store: Store, examId: string, questionId: string): Promise<Question | null> {
  return guard(async () => {
    const db = await store.db();
    const out = await db.get({ TableName: store.tableName, Key: questionKey(examId, questionId), ConsistentRead: true });
    return out.Item ? strip<Question>(out.Item) : null;
  });
}

/**
 * The exam's questions in creation order, answer keys included. `sealedOnly` (for a published exam) leaves
 * out a question whose add was admitted before the publish but landed after it sealed the others. A publish
 * always seals at least one question, so a published exam without any sealed question was published before
 * sealing existed: all of its questions count.
 */
export async function listQuestions(store: Store, examId: string, options: { sealedOnly?: boolean } = {}): Promise<Question[]> {
  return guard(async () => {
    const items = await queryAll(store, {
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :q)",
      ExpressionAttributeValues: { ":pk": examPk(examId), ":q": QUESTION_PREFIX },
      ConsistentRead: true,
    });
    const sealedOnly = options.sealedOnly === true && items.some((i) => i["sealed"] === true);
    return items
      .filter((i) => !sealedOnly || i["sealed"] === true)
      .map((i) => strip<Question>(i))
      .sort((a, b) => a.position - b.position);
  });
}

/** Refusal for a write to a question that publishing sealed (or that belongs to an exam no longer a draft). */
const sealedQuestion = () => readOnly("The exam was published: its questions are read-only");

export async function addQuestion(store: Store, args: { examId: string; teacherId: string; input: QuestionInput }): Promise<Question> {
  const { examId, teacherId, input } = args;
  return guard(async () => {
    const exam = await admitExamChange(store, { examId, teacherId, questionDelta: 1 });
    const now = store.now();
    const question = {
      ...input,
      questionId: newId(now),
      examId,
      position: exam.questionSeq,
      version: 1,
      createdAt: iso(now),
      updatedAt: iso(now),
    } as Question;
    const db = await store.db();
    try {
      await db.put({
        TableName: store.tableName,
        Item: { ...questionKey(examId, question.questionId), type: "question", ...question },
        ConditionExpression: "attribute_not_exists(PK)",
      });
    } catch (err) {
      // Undo the count, best effort (the exam may have been published meanwhile; publishing recounts).
      await admitExamChange(store, { examId, teacherId, questionDelta: -1 }).catch(() => undefined);
      throw err;
    }
    // Admitted before a publish began but written after (the publish may not have seen it), or after a DELETE
    // of the draft listed its children: taken back unless the publish sealed it (then it is part of the exam).
    await checkInChild(store, examId, questionKey(examId, question.questionId), () => admitExamChange(store, { examId, teacherId, questionDelta: -1 }), sealedQuestion);
    return question;
  });
}

/**
 * Replaces a question of a draft with `next` (the patch already merged and validated). With
 * `expectedVersion` a stale copy is a 409 and nothing is written.
 */
export async function replaceQuestion(store: Store, args: { examId: string; teacherId: string; questionId: string; next: QuestionInput; expectedVersion?: number | undefined }): Promise<Question> {
  const { examId, teacherId, questionId, next, expectedVersion } = args;
  return guard(async () => {
    const current = await getQuestion(store, examId, questionId);
    if (!current) throw notFound("question", questionId);
    if (expectedVersion !== undefined && current.version !== expectedVersion) throw staleVersion("question", current.version);
    await admitExamChange(store, { examId, teacherId });
    const question = {
      ...next,
      questionId,
      examId,
      position: current.position,
      version: current.version + 1,
      createdAt: current.createdAt,
      updatedAt: iso(store.now()),
    } as Question;
    const db = await store.db();
    try {
      await db.put({
        TableName: store.tableName,
        Item: { ...questionKey(examId, questionId), type: "question", ...question },
        ConditionExpression: "attribute_exists(PK) AND #v = :v AND attribute_not_exists(sealed)",
        ExpressionAttributeNames: { "#v": "version" },
        ExpressionAttributeValues: { ":v": current.version },
      });
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      const now = (await db.get({ TableName: store.tableName, Key: questionKey(examId, questionId), ConsistentRead: true })).Item;
      if (!now) throw notFound("question", questionId);
      if (now["sealed"] === true) throw sealedQuestion();
      throw staleVersion("question", now["version"] as number);
    }
    return question;
  });
}

export async function deleteQuestion(store: Store, args: { examId: string; teacherId: string; questionId: string; expectedVersion?: number | undefined }): Promise<void> {
  const { examId, teacherId, questionId, expectedVersion } = args;
  return guard(async () => {
    const current = await getQuestion(store, examId, questionId);
    if (!current) throw notFound("question", questionId);
    // Stale before anything is written: admitting the change moves the exam's version (a refused DELETE did).
    if (expectedVersion !== undefined && current.version !== expectedVersion) throw staleVersion("question", current.version);
    // Admitted (a draft of this teacher), but counted down only once this request's delete has happened: two
    // DELETEs of one question each counting down first let a 101st question in (the loser's add-back was
    // refused at the cap).
    await admitExamChange(store, { examId, teacherId });
    const db = await store.db();
    try {
      await db.delete({
        TableName: store.tableName,
        Key: questionKey(examId, questionId),
        ConditionExpression: `attribute_exists(PK) AND attribute_not_exists(sealed)${expectedVersion === undefined ? "" : " AND version = :expected"}`,
        ...(expectedVersion === undefined ? {} : { ExpressionAttributeValues: { ":expected": expectedVersion } }),
      });
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      const current = await getQuestion(store, examId, questionId);
      if (!current) throw notFound("question", questionId);
      if (expectedVersion !== undefined && current.version !== expectedVersion) throw staleVersion("question", current.version);
      throw sealedQuestion();
    }
    // A publish that began meanwhile recounts its sealed questions; a count left one too high only makes
    // the cap stricter, never looser.
    await admitExamChange(store, { examId, teacherId, questionDelta: -1 }).catch(() => undefined);
  });
}
