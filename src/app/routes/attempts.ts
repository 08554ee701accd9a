import { HttpError, json, type Router } from "lambdalith";
import { requireRole, user } from "../auth.ts";
import { attemptGrader, examQuestions, inGradingBatches, questionsOnce, readableExam, type GetServices } from "../context.ts";
import { checkAnswers, publicQuestion } from "../grading.ts";
import { attemptOf, bodyLimit, ownsAttempt, role, unprocessable } from "../guards.ts";
import { answerSheetBytes, BODY_LIMITS, MAX_ANSWER_SHEET_BYTES } from "../limits.ts";
import { AnswersInput, AttemptParams, ExamParams, PageQuery } from "../schemas.ts";
import { getAttempt, gradeIfExpired, listExamAttempts, saveAnswers, startAttempt, submitAttempt } from "../store/lazy.ts";
import type { Store } from "../store/client.ts";
import type { Grader } from "../store/attempts.ts";
import type { Attempt } from "../store/types.ts";

const tags = ["attempts"];

/** The attempt, readable by its student and by the exam's teacher; 404 for everyone else. */
async function visibleAttempt(store: Store, attemptId: string, sub: string): Promise<Attempt> {
  const attempt = await getAttempt(store, attemptId);
  if (!attempt || (attempt.studentId !== sub && attempt.teacherId !== sub)) throw new HttpError(404, `No attempt ${attemptId}`);
  return attempt;
}

/**
 * The attempt as it stands: one left open past its deadline is graded first with its saved sheet (docs:
 * Attempts and retakes), so no reader sees an attempt that can no longer change as open and ungraded.
 */
const settled = async (store: Store, attempt: Attempt, grade: Grader): Promise<Attempt> => (await gradeIfExpired(store, attempt, grade)) ?? attempt;

export function attemptRoutes(app: Router, services: GetServices): void {
  app.post("/exams/:examId/attempts", { params: ExamParams, summary: "Start an attempt (students; one open at a time, maxAttempts in all)", tags }, async (req, { params }) => {
    const who = requireRole(req, "student");
    const { store } = services();
    const { exam } = await readableExam(store, who, params.examId);
    // One read of the questions for grading an expired attempt first and for the answer.
    const questionsOf = questionsOnce(store);
    const attempt = await startAttempt(store, { exam, studentId: who.sub, gradeExpired: attemptGrader(store, questionsOf) });
    const questions = (await questionsOf(exam.examId)).map(publicQuestion);
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
    const { attempt: submitted } = await submitAttempt(store, { attemptId: params.attemptId, studentId: who.sub, grade: attemptGrader(store) });
    return submitted;
  });

  app.get("/attempts/:attemptId", { params: AttemptParams, summary: "One attempt (its student or the exam's teacher)", tags }, async (req, { params }) => {
    const { store } = services();
    return settled(store, await visibleAttempt(store, params.attemptId, user(req).sub), attemptGrader(store));
  });

  app.get("/exams/:examId/attempts", { params: ExamParams, query: PageQuery, summary: "Teacher: all results; student: their own attempts", tags }, async (req, { params, query }) => {
    const who = user(req);
    const { store } = services();
    const { owner } = await readableExam(store, who, params.examId);
    if (!owner && who.role !== "student") throw new HttpError(403, "Only the exam's teacher sees its results");
    const page = await listExamAttempts(store, params.examId, { limit: query.limit, cursor: query.cursor, studentId: owner ? undefined : who.sub });
    // Only this page's expired attempts (at most `limit`, whose items a Query caps at 1 MB together), a few at
    // a time as the export grades them, against the questions read once.
    const grade = attemptGrader(store);
    return { items: await inGradingBatches(page.items, (attempt) => settled(store, attempt, grade)), next: page.next };
  });
}
