import { HttpError, json, type Router } from "lambdalith";
import { requireRole, user } from "../auth.ts";
import { readableExam, type GetServices } from "../context.ts";
import { checkAnswers, grade, publicQuestion } from "../grading.ts";
import { attemptOf, bodyLimit, ownsAttempt, role, unprocessable } from "../guards.ts";
import { answerSheetBytes, BODY_LIMITS, MAX_ANSWER_SHEET_BYTES } from "../limits.ts";
import { AnswersInput, AttemptParams, ExamParams, PageQuery } from "../schemas.ts";
import { getAttempt, listExamAttempts, saveAnswers, startAttempt, submitAttempt } from "../store/lazy.ts";
import type { Store } from "../store/client.ts";
import { listQuestions } from "../store/lazy.ts";
import type { Attempt } from "../store/types.ts";

const tags = ["attempts"];

// Attempts only exist for published exams, whose questions are the sealed ones (publishExam).
const examQuestions = (store: Store, examId: string) => listQuestions(store, examId, { sealedOnly: true });

const grader = (store: Store) => async (attempt: Attempt) => grade(await examQuestions(store, attempt.examId), attempt.answers);

/** The attempt, readable by its student and by the exam's teacher; 404 for everyone else. */
async function visibleAttempt(store: Store, attemptId: string, sub: string): Promise<Attempt> {
  const attempt = await getAttempt(store, attemptId);
  if (!attempt || (attempt.studentId !== sub && attempt.teacherId !== sub)) throw new HttpError(404, `No attempt ${attemptId}`);
  return attempt;
}

export function attemptRoutes(app: Router, services: GetServices): void {
  app.post("/exams/:examId/attempts", { params: ExamParams, summary: "Start an attempt (students; one open at a time, maxAttempts in all)", tags }, async (req, { params }) => {
    const who = requireRole(req, "student");
    const { store } = services();
    const { exam } = await readableExam(store, who, params.examId);
    const attempt = await startAttempt(store, { exam, studentId: who.sub, gradeExpired: grader(store) });
    const questions = (await examQuestions(store, exam.examId)).map(publicQuestion);
    return json({ ...attempt, questions }, { status: 201, headers: { location: `/attempts/${attempt.attemptId}` } });
  });

  app.put(
    "/attempts/:attemptId/answers",
    { params: AttemptParams, body: AnswersInput, summary: "Save the answer sheet (idempotent)", tags },
    role("student"),
    bodyLimit(BODY_LIMITS.answers),
    ownsAttempt(services),
    async (req, { params, body }) => {
      const { store } = services();
      const errors = checkAnswers(await examQuestions(store, attemptOf(req).examId), body.answers);
      if (errors.length > 0) throw unprocessable("The answer sheet", errors);
      // Sized as DynamoDB sizes it (UTF-8): with the largest graded result on top, the attempt item stays
      // under the 400 KB limit, so the sheet can always be submitted and graded (limits.ts, its test).
      const bytes = answerSheetBytes(body.answers);
      if (bytes > MAX_ANSWER_SHEET_BYTES) {
        throw new HttpError(413, `The answer sheet takes ${bytes} bytes (UTF-8); at most ${MAX_ANSWER_SHEET_BYTES} are stored.`, { limit: MAX_ANSWER_SHEET_BYTES, size: bytes });
      }
      return saveAnswers(store, { attemptId: params.attemptId, studentId: user(req).sub, answers: body.answers });
    },
  );

  app.post("/attempts/:attemptId/submit", { params: AttemptParams, summary: "Submit and grade (exactly once)", tags }, async (req, { params }) => {
    const who = requireRole(req, "student");
    const { store } = services();
    const attempt = await getAttempt(store, params.attemptId);
    if (!attempt || attempt.studentId !== who.sub) throw new HttpError(404, `No attempt ${params.attemptId}`);
    const { attempt: submitted } = await submitAttempt(store, { attemptId: params.attemptId, studentId: who.sub, grade: grader(store) });
    return submitted;
  });

  app.get("/attempts/:attemptId", { params: AttemptParams, summary: "One attempt (its student or the exam's teacher)", tags }, async (req, { params }) => {
    return visibleAttempt(services().store, params.attemptId, user(req).sub);
  });

  app.get("/exams/:examId/attempts", { params: ExamParams, query: PageQuery, summary: "Teacher: all results; student: their own attempts", tags }, async (req, { params, query }) => {
    const who = user(req);
    const { store } = services();
    const { owner } = await readableExam(store, who, params.examId);
    if (!owner && who.role !== "student") throw new HttpError(403, "Only the exam's teacher sees its results");
    return listExamAttempts(store, params.examId, { limit: query.limit, cursor: query.cursor, studentId: owner ? undefined : who.sub });
  });
}
