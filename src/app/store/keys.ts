// The single-table layout: every key ExamBuddy writes is built here (see README "Data model").
//
//  item             PK                      SK                    GSI1PK              GSI1SK
//  user profile     USER#<sub>              PROFILE
//  open-attempt     USER#<studentId>        OPEN#<examId>                                               (lock: one open attempt per student+exam)
//  exam             EXAM#<examId>           EXAM                  TEACHER#<teacherId> <status>#<examId> (removed while deleting)
//  question         EXAM#<examId>           Q#<questionId>
//  file             EXAM#<examId>           FILE#<fileId>
//  published exam   PUBLISHED               <publishedAt>#<examId>                                      (immutable summary copy)
//  attempt          ATTEMPT#<attemptId>     ATTEMPT               EXAM#<examId>       ATTEMPT#<studentId>#<attemptId> (% and # of the id as %25, %23; GSI1 keys once open)
//  idempotency key  IDEM#<sub>              <Idempotency-Key>                                           (expires: TTL on expiresAt)

export const GSI1 = "GSI1";

export type Key = { PK: string; SK: string };

export const userKey = (sub: string): Key => ({ PK: `USER#${sub}`, SK: "PROFILE" });
export const openAttemptKey = (studentId: string, examId: string): Key => ({ PK: `USER#${studentId}`, SK: `OPEN#${examId}` });

export const examPk = (examId: string) => `EXAM#${examId}`;
export const examKey = (examId: string): Key => ({ PK: examPk(examId), SK: "EXAM" });
export const teacherPk = (teacherId: string) => `TEACHER#${teacherId}`;
export const examGsi1Sk = (status: string, examId: string) => `${status}#${examId}`;

export const QUESTION_PREFIX = "Q#";
export const questionKey = (examId: string, questionId: string): Key => ({ PK: examPk(examId), SK: `${QUESTION_PREFIX}${questionId}` });

export const FILE_PREFIX = "FILE#";
export const fileKey = (examId: string, fileId: string): Key => ({ PK: examPk(examId), SK: `${FILE_PREFIX}${fileId}` });

export const PUBLISHED_PK = "PUBLISHED";
export const publishedKey = (publishedAt: string, examId: string): Key => ({ PK: PUBLISHED_PK, SK: `${publishedAt}#${examId}` });

export const attemptKey = (attemptId: string): Key => ({ PK: `ATTEMPT#${attemptId}`, SK: "ATTEMPT" });
export const examAttemptsPk = (examId: string) => `EXAM#${examId}`;
export const ATTEMPT_PREFIX = "ATTEMPT#";
// A sub is opaque text and may hold "#": raw, "s"'s prefix "ATTEMPT#s#" also began "s#1"'s keys, so a
// student's listing read another's items (a filter dropped them, but its `next` cursor named one). With "%"
// and "#" escaped, a student's prefix holds their keys only; a Cognito sub (a UUID) is written unchanged.
const keyText = (text: string) => text.replace(/[%#]/g, (c) => (c === "%" ? "%25" : "%23"));
/** The prefix of one student's attempts at an exam in GSI1. */
export const studentAttemptsPrefix = (studentId: string) => `${ATTEMPT_PREFIX}${keyText(studentId)}#`;
export const attemptGsi1Sk = (studentId: string, attemptId: string) => `${studentAttemptsPrefix(studentId)}${attemptId}`;

export const idempotencyKey = (sub: string, key: string): Key => ({ PK: `IDEM#${sub}`, SK: key });

// Key attributes and bookkeeping the API never shows (`sealed`: set on questions and files by publish;
// `fileSeq`: the file records counted against the cap, those created less those deleted).
const KEY_ATTRIBUTES = ["PK", "SK", "GSI1PK", "GSI1SK", "type", "questionSeq", "fileSeq", "sealed"] as const;

/** A stored item without its key attributes: the record the API works with. */
export function strip<T>(item: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...item };
  for (const k of KEY_ATTRIBUTES) delete out[k];
  return out as T;
}
