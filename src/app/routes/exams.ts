import { empty, HttpError, json, type Router } from "lambdalith";
import { requireRole, user } from "../auth.ts";
import { etag, expectedVersion, ownExam, publicExam, readableExam, versioned, type GetServices } from "../context.ts";
import { deleteCopies, deleteExamObjects } from "../files.ts";
import { bodyLimit, ownsExam, role } from "../guards.ts";
import { idempotent } from "../idempotency.ts";
import type { Log } from "../observability.ts";
import { BODY_LIMITS } from "../limits.ts";
import { ExamCreate, ExamListQuery, ExamParams, ExamPatch, IfMatchHeaders } from "../schemas.ts";
import { createExam, deleteExam, listPublishedExams, listTeacherExams, publishExam, updateExam } from "../store/lazy.ts";

const tags = ["exams"];

// Routes with a body run role → body size and JSON → ownership (→ idempotency key) as middleware, before the
// router validates the body (guards.ts).

export function examRoutes(app: Router, services: GetServices, log: Log): void {
  app.post(
    "/exams",
    { body: ExamCreate, summary: "Create a draft exam (teachers)", tags },
    role("teacher"),
    bodyLimit(BODY_LIMITS.exam),
    idempotent(services, log),
    async (req, { body }) => {
      const exam = await createExam(services().store, user(req).sub, body);
      return json(exam, { status: 201, headers: { location: `/exams/${exam.examId}`, etag: etag(exam.version) } });
    },
  );

  app.get("/exams", { query: ExamListQuery, summary: "Teachers: their exams (by status); students: published exams", tags }, async (req, { query }) => {
    const who = user(req);
    const { store } = services();
    if (who.role === "teacher") {
      return listTeacherExams(store, who.sub, { limit: query.limit, cursor: query.cursor, status: query.status });
    }
    if (query.status === "draft") throw new HttpError(403, "Only teachers see drafts");
    return listPublishedExams(store, { limit: query.limit, cursor: query.cursor });
  });

  app.get("/exams/:examId", { params: ExamParams, summary: "One exam", tags }, async (req, { params }) => {
    const { exam, owner } = await readableExam(services().store, user(req), params.examId);
    return json(owner ? exam : publicExam(exam), { headers: { etag: etag(exam.version) } });
  });

  app.patch(
    "/exams/:examId",
    { params: ExamParams, body: ExamPatch, headers: IfMatchHeaders, summary: "Change a draft (If-Match or version required)", tags },
    role("teacher"),
    bodyLimit(BODY_LIMITS.exam),
    ownsExam(services),
    async (req, { params, body, headers }) => {
      const { version, viaIfMatch } = expectedVersion(headers["if-match"], body.version, true);
      const exam = await versioned(viaIfMatch, () =>
        updateExam(services().store, {
          examId: params.examId,
          teacherId: user(req).sub,
          changes: { title: body.title, description: body.description, durationMinutes: body.durationMinutes, maxAttempts: body.maxAttempts },
          expectedVersion: version,
        }),
      );
      return json(exam, { headers: { etag: etag(exam.version) } });
    },
  );

  app.delete("/exams/:examId", { params: ExamParams, headers: IfMatchHeaders, summary: "Delete a draft with its questions and files", tags }, async (req, { params, headers }) => {
    const who = requireRole(req, "teacher");
    const { store, files } = services();
    // ownExam() does not see an exam whose delete stopped half-way, and the next DELETE must finish it:
    // past its 404, deleteExam decides (its condition requires this teacher), and anything but finishing
    // stays a 404 (another teacher's draft is not revealed).
    const hidden = await ownExam(store, who, params.examId).then(
      () => false,
      (err: unknown) => {
        if (err instanceof HttpError && err.status === 404) return true;
        throw err;
      },
    );
    const { version, viaIfMatch } = expectedVersion(headers["if-match"], undefined, false);
    try {
      await versioned(viaIfMatch, () =>
        deleteExam(store, {
          examId: params.examId,
          teacherId: who.sub,
          expectedVersion: version,
          // The objects go first: if S3 fails, the file records are still there for the next DELETE to retry.
          beforeChildren: (fileIds) => deleteExamObjects(files, params.examId, fileIds),
        }),
      );
    } catch (err) {
      if (hidden && err instanceof HttpError && err.status < 500) throw new HttpError(404, `No exam ${params.examId}`);
      throw err;
    }
    return empty(204);
  });

  app.post("/exams/:examId/publish", { params: ExamParams, headers: IfMatchHeaders, summary: "Publish a draft (≥ 1 question); then read-only", tags }, async (req, { params, headers }) => {
    const who = requireRole(req, "teacher");
    const { store, files } = services();
    await ownExam(store, who, params.examId);
    const { version, viaIfMatch } = expectedVersion(headers["if-match"], undefined, false);
    const exam = await versioned(viaIfMatch, () =>
      publishExam(store, {
        examId: params.examId,
        teacherId: who.sub,
        expectedVersion: version,
        // A file sealed while pending never becomes ready: a files/ copy a stopped complete left is named by nothing.
        afterSeal: (fileIds) => deleteCopies(files, params.examId, fileIds),
      }),
    );
    return json(exam, { headers: { etag: etag(exam.version) } });
  });
}
