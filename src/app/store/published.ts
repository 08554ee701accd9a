// Kept apart from exams.ts so that the public view (context.ts) does not pull the store into the cold start.
import type { Exam, PublishedExam } from "./types.ts";

/**
 * The part of a published exam anyone may see (and the listing copy stores).
 * @example publishedFields(exam).questionCount
 */
export function publishedFields(exam: Exam): PublishedExam {
  return {
    examId: exam.examId,
    teacherId: exam.teacherId,
    title: exam.title,
    description: exam.description,
    durationMinutes: exam.durationMinutes,
    maxAttempts: exam.maxAttempts ?? 1,
    questionCount: exam.questionCount,
    publishedAt: exam.publishedAt!,
  };
}
