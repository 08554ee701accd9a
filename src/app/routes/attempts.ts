import { HttpError, json, type Router } from "lambdalith";
import { requireRole, user } from "../auth.ts";
import { readableExam, type GetServices } from "../context.ts";
import { checkAnswers, grade, publicQuestion } from "../grading.ts";
import { AnswersInput, AttemptParams, ExamParams, PageQuery } from "../schemas.ts";
import { getAttempt, listExamAttempts, saveAnswers, startAttempt, submitAttempt } from "../store/lazy.ts";
import type { Store } from "../store/client.ts";
import { listQuestions } from "../store/lazy.ts";
import type { Attempt } from "../store/types.ts";

const grader = (store: Store) => async (attempt: Attempt) => grade(await listQuestions(store, attempt.examId), attempt.answers);

/** The attempt, readable by its student and by the exam's teacher; 404 for everyone else. */
async function visibleAttempt(store: Store, attemptId: string, sub: string): Promise<Attempt> {
  const attempt = await getAttempt(store, attemptId);
  if (!attempt || (attempt.studentId !== sub && attempt.teacherId !== sub)) throw new HttpError(404, `No attempt ${attemptId}`);
  return attempt;
}

export function attemptRoutes(app: Router, services: GetServices): void {
  app.post("/exams/:examId/attempts", { params: ExamParams, summary: "Start an attempt (students; one open at a time)" }, async (req, { params }) => {
    const who = requireRole(req, "student");
    const { store } = services();
    const { exam } = await readableExam(store, who, params.examId);
    const attempt = await startAttempt(store, { exam, studentId: who.sub, gradeExpired: grader(store) });
    const questions = (await listQuestions(store, exam.examId)).map(publicQuestion);
    return json({ ...attempt, questions }, { status: 201, headers: { location: `/attempts/${attempt.attemptId}` } });
  });

  app.put("/attempts/:attemptId/answers", { params: AttemptParams, body: AnswersInput, summary: "Save the answer sheet (idempotent)" }, async (req, { params, body }) => {
    const who = requireRole(req, "student");
    const { store } = services();
    const attempt = await getAttempt(store, params.attemptId);
    if (!attempt || attempt.studentId !== who.sub) throw new HttpError(404, `No attempt ${params.attemptId}`);
    const errors = checkAnswers(await listQuestions(store, attempt.examId), body.answers);
    if (errors.length > 0) throw new HttpError(422, `The answer sheet has ${errors.length} invalid value${errors.length === 1 ? "" : "s"}.`, { errors });
    return saveAnswers(store, { attemptId: params.attemptId, studentId: who.sub, answers: body.answers });
  });

  app.post("/attempts/:attemptId/submit", { params: AttemptParams, summary: "Submit and grade (exactly once)" }, async (req, { params }) => {
    const who = requireRole(req, "student");
    const { store } = services();
    const attempt = await getAttempt(store, params.attemptId);
    if (!attempt || attempt.studentId !== who.sub) throw new HttpError(404, `No attempt ${params.attemptId}`);
    const { attempt: submitted } = await submitAttempt(store, { attemptId: params.attemptId, studentId: who.sub, grade: grader(store) });
    return submitted;
  });

  app.get("/attempts/:attemptId", { params: AttemptParams, summary: "One attempt (its student or the exam's teacher)" }, async (req, { params }) => {
    return visibleAttempt(services().store, params.attemptId, user(req).sub);
  });

  app.get("/exams/:examId/attempts", { params: ExamParams, query: PageQuery, summary: "Teacher: all results; student: their own attempts" }, async (req, { params, query }) => {
    const who = user(req);
    const { store } = services();
    const { owner } = await readableExam(store, who, params.examId);
    if (!owner && who.role !== "student") throw new HttpError(403, "Only the exam's teacher sees its results");
    return listExamAttempts(store, params.examId, { limit: query.limit, cursor: query.cursor, studentId: owner ? undefined : who.sub });
  });
}
