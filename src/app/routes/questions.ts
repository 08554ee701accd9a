import { empty, HttpError, json, type Router } from "lambdalith";
import { getDotPath } from "valibot";
import { requireRole, user } from "../auth.ts";
import { etag, expectedVersion, ownExam, readableExam, versioned, type GetServices } from "../context.ts";
import { publicQuestion } from "../grading.ts";
import { bodyLimit, ownsExam, role, unprocessable } from "../guards.ts";
import { idempotent } from "../idempotency.ts";
import type { Log } from "../observability.ts";
import { BODY_LIMITS } from "../limits.ts";
import { applyQuestionPatch, ExamParams, IfMatchHeaders, QuestionInput, QuestionParams, QuestionPatch } from "../schemas.ts";
import { addQuestion, deleteQuestion, getQuestion, listQuestions, replaceQuestion } from "../store/lazy.ts";
import type { Question } from "../store/types.ts";

const tags = ["questions"];

/** The question's own fields (its answer key included), as QuestionInput. */
function inputOf(q: Question): QuestionInput {
  const { questionId: _q, examId: _e, position: _p, version: _v, createdAt: _c, updatedAt: _u, ...input } = q;
  return input as QuestionInput;
}

export function questionRoutes(app: Router, services: GetServices, log: Log): void {
  app.post(
    "/exams/:examId/questions",
    { params: ExamParams, body: QuestionInput, summary: "Add a question to a draft", tags },
    role("teacher"),
    bodyLimit(BODY_LIMITS.question),
    ownsExam(services),
    idempotent(services, log),
    async (req, { params, body }) => {
      const q = await addQuestion(services().store, { examId: params.examId, teacherId: user(req).sub, input: body });
      return json(q, { status: 201, headers: { location: `/exams/${params.examId}/questions/${q.questionId}`, etag: etag(q.version) } });
    },
  );

  app.get("/exams/:examId/questions", { params: ExamParams, summary: "Questions in order (students: without answer keys)", tags }, async (req, { params }) => {
    const { store } = services();
    const { exam, owner } = await readableExam(store, user(req), params.examId);
    const questions = await listQuestions(store, params.examId, { sealedOnly: exam.status === "published" });
    return { items: owner ? questions : questions.map(publicQuestion) };
  });

  // What a created question's Location names. A published exam's question is one publishing sealed (as in
  // the list); a student never sees its answer key.
  app.get("/exams/:examId/questions/:questionId", { params: QuestionParams, summary: "One question (students: without its answer key)", tags }, async (req, { params }) => {
    const { store } = services();
    const { exam, owner } = await readableExam(store, user(req), params.examId);
    const q =
      exam.status === "published"
        ? (await listQuestions(store, params.examId, { sealedOnly: true })).find((each) => each.questionId === params.questionId)
        : await getQuestion(store, params.examId, params.questionId);
    if (!q) throw new HttpError(404, `No question ${params.questionId}`);
    return owner ? json(q, { headers: { etag: etag(q.version) } }) : publicQuestion(q);
  });

  app.patch(
    "/exams/:examId/questions/:questionId",
    { params: QuestionParams, body: QuestionPatch, headers: IfMatchHeaders, summary: "Change a question of a draft", tags },
    role("teacher"),
    bodyLimit(BODY_LIMITS.question),
    ownsExam(services),
    async (req, { params, body, headers }) => {
      const { store } = services();
      const { version, viaIfMatch } = expectedVersion(headers["if-match"], body.version, false);
      const current = await getQuestion(store, params.examId, params.questionId);
      if (!current) throw new HttpError(404, `No question ${params.questionId}`);
      const merged = applyQuestionPatch(inputOf(current), body);
      if (!merged.success) {
        throw unprocessable(
          "The changed question",
          merged.issues.map((i) => ({ path: ["body", getDotPath(i)].filter(Boolean).join("."), message: i.message })),
        );
      }
      const q = await versioned(viaIfMatch, () =>
        replaceQuestion(store, { examId: params.examId, teacherId: user(req).sub, questionId: params.questionId, next: merged.output, expectedVersion: version ?? current.version }),
      );
      return json(q, { headers: { etag: etag(q.version) } });
    },
  );

  app.delete("/exams/:examId/questions/:questionId", { params: QuestionParams, headers: IfMatchHeaders, summary: "Remove a question from a draft", tags }, async (req, { params, headers }) => {
    const who = requireRole(req, "teacher");
    const { store } = services();
    await ownExam(store, who, params.examId);
    // If-Match optional, as for DELETE /exams/{id}: with it, only that version is removed (else 412).
    const { version, viaIfMatch } = expectedVersion(headers["if-match"], undefined, false);
    await versioned(viaIfMatch, () => deleteQuestion(store, { examId: params.examId, teacherId: who.sub, questionId: params.questionId, expectedVersion: version }));
    return empty(204);
  });
}
