// Every store operation the routes call, in one module that `lazy.ts` loads on the first request needing
// DynamoDB: /health and requests failing validation never load (or parse) it.
export { createExam, deleteExam, getExam, listPublishedExams, listTeacherExams, publishExam, updateExam } from "./exams.ts";
export { ensureUser, updateUser } from "./users.ts";
export { attemptSummary, examAttemptPages, getAttempt, gradeIfExpired, listExamAttempts, saveAnswers, startAttempt, submitAttempt } from "./attempts.ts";
export { addQuestion, deleteQuestion, getQuestion, listQuestions, replaceQuestion } from "./questions.ts";
export { createFileRecord, deleteFile, getFileRecord, listFiles, markFileReady } from "./files.ts";
export { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from "./idempotency.ts";
