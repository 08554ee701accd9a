// The records the store keeps (without their key attributes). Timestamps are ISO-8601 UTC strings.
import type { AnswerValue, ExamStatus, FileType, QuestionInput, Role } from "../schemas.ts";

export interface User {
  sub: string;
  email: string | undefined;
  role: Role | undefined;
  displayName: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Exam {
  examId: string;
  teacherId: string;
  title: string;
  description: string;
  durationMinutes: number;
  /** Attempts a student may start (1 = no retakes). Exams stored before this field existed count as 1. */
  maxAttempts: number;
  /** `publishing` while a publish seals the questions and files (then `published`); only the owner sees it. */
  status: ExamStatus | "publishing";
  version: number;
  /** Maintained by question writes; publishing needs at least one. */
  questionCount: number;
  createdAt: string;
  updatedAt: string;
  publishedAt?: string;
}

/** What students see in `GET /exams`: published exams never change, so this copy never goes stale. */
export type PublishedExam = Pick<Exam, "examId" | "teacherId" | "title" | "description" | "durationMinutes" | "maxAttempts" | "questionCount" | "publishedAt">;

/** A question with its answer key (`correct` / `accepted`); strip them before showing it to a student. */
export type Question = QuestionInput & {
  questionId: string;
  examId: string;
  /** Creation order within the exam (from the exam's question counter). */
  position: number;
  version: number;
  createdAt: string;
  updatedAt: string;
};

/** What the API shows. `starting` is stored only until the attempt's lock is taken, and never shown. */
export type AttemptStatus = "open" | "submitted";

export interface QuestionResult {
  questionId: string;
  points: number;
  earned: number;
  correct: boolean;
}

export interface AttemptResult {
  score: number;
  maxScore: number;
  questions: QuestionResult[];
}

/**
 * How a submitted attempt ended: `student`, its student's submit before the deadline; `deadline`, time ran
 * out first (graded with the sheet saved by then, at the first read, late submit or next start after it).
 */
export type SubmittedBy = "student" | "deadline";

export interface Attempt {
  attemptId: string;
  examId: string;
  studentId: string;
  /** The exam's teacher, copied at start so reads can be authorized without reading the exam. */
  teacherId: string;
  status: AttemptStatus | "starting";
  answers: Record<string, AnswerValue>;
  version: number;
  startedAt: string;
  /** Answers are refused from this instant on. */
  deadline: string;
  updatedAt: string;
  /** When it was submitted; the deadline for one that ran out of time (`submittedBy: "deadline"`). */
  submittedAt?: string;
  /** Absent on attempts submitted before it was recorded. */
  submittedBy?: SubmittedBy;
  result?: AttemptResult;
}

export type FileStatus = "pending" | "ready";

export interface FileRecord {
  fileId: string;
  examId: string;
  fileName: string;
  contentType: FileType;
  size: number;
  status: FileStatus;
  /** The S3 key: `pending/<examId>/<fileId>` until completed, then `files/<examId>/<fileId>`. */
  key: string;
  uploadedBy: string;
  createdAt: string;
  updatedAt: string;
  etag?: string;
}

/** One page of a listing; `next` is an opaque cursor for the following page, or null at the end. */
export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface PageOptions {
  limit: number;
  cursor?: string | undefined;
}
