import { empty, HttpError, json, type Router } from "lambdalith";
import { requireRole, user } from "../auth.ts";
import { etag, expectedVersion, ownExam, publicExam, readableExam, versioned, type GetServices } from "../context.ts";
import { ExamCreate, ExamListQuery, ExamParams, ExamPatch, IfMatchHeaders } from "../schemas.ts";
import { createExam, deleteExam, listPublishedExams, listTeacherExams, publishExam, updateExam } from "../store/lazy.ts";

export function examRoutes(app: Router, services: GetServices): void {
  app.post("/exams", { body: ExamCreate, summary: "Create a draft exam (teachers)" }, async (req, { body }) => {
    const who = requireRole(req, "teacher");
    const exam = await createExam(services().store, who.sub, body);
    return json(exam, { status: 201, headers: { location: `/exams/${exam.examId}`, etag: etag(exam.version) } });
  });

  app.get("/exams", { query: ExamListQuery, summary: "Teachers: their exams (by status); students: published exams" }, async (req, { query }) => {
    const who = user(req);
    const { store } = services();
    if (who.role === "teacher") {
      return listTeacherExams(store, who.sub, { limit: query.limit, cursor: query.cursor, status: query.status });
    }
    if (query.status === "draft") throw new HttpError(403, "Only teachers see drafts");
    return listPublishedExams(store, { limit: query.limit, cursor: query.cursor });
  });

  app.get("/exams/:examId", { params: ExamParams, summary: "One exam" }, async (req, { params }) => {
    const { exam, owner } = await readableExam(services().store, user(req), params.examId);
    return json(owner ? exam : publicExam(exam), { headers: { etag: etag(exam.version) } });
  });

  app.patch(
    "/exams/:examId",
    { params: ExamParams, body: ExamPatch, headers: IfMatchHeaders, summary: "Change a draft (If-Match or version required)" },
    async (req, { params, body, headers }) => {
      const who = requireRole(req, "teacher");
      const { version, viaIfMatch } = expectedVersion(headers["if-match"], body.version, true);
      const { store } = services();
      await ownExam(store, who, params.examId);
      const exam = await versioned(viaIfMatch, () =>
        updateExam(store, {
          examId: params.examId,
          teacherId: who.sub,
          changes: { title: body.title, description: body.description, durationMinutes: body.durationMinutes },
          expectedVersion: version,
        }),
      );
      return json(exam, { headers: { etag: etag(exam.version) } });
    },
  );

  app.delete("/exams/:examId", { params: ExamParams, headers: IfMatchHeaders, summary: "Delete a draft and its questions" }, async (req, { params, headers }) => {
    const who = requireRole(req, "teacher");
    const { store } = services();
    await ownExam(store, who, params.examId);
    const { version, viaIfMatch } = expectedVersion(headers["if-match"], undefined, false);
    await versioned(viaIfMatch, () => deleteExam(store, { examId: params.examId, teacherId: who.sub, expectedVersion: version }));
    return empty(204);
  });

  app.post("/exams/:examId/publish", { params: ExamParams, headers: IfMatchHeaders, summary: "Publish a draft (≥ 1 question); then read-only" }, async (req, { params, headers }) => {
    const who = requireRole(req, "teacher");
    const { store } = services();
    await ownExam(store, who, params.examId);
    const { version, viaIfMatch } = expectedVersion(headers["if-match"], undefined, false);
    const exam = await versioned(viaIfMatch, () => publishExam(store, { examId: params.examId, teacherId: who.sub, expectedVersion: version }));
    return json(exam, { headers: { etag: etag(exam.version) } });
  });
}
