import { empty, HttpError, json, type Router } from "lambdalith";
import { requireRole, user } from "../auth.ts";
import { expectedVersion, ownExam, readableExam, type GetServices } from "../context.ts";
import { createUpload, deleteCopy, deleteExamObjects, downloadUrl, promoteUpload } from "../files.ts";
import { bodyLimit, ownsExam, role } from "../guards.ts";
import { idempotent } from "../idempotency.ts";
import type { Log } from "../observability.ts";
import { BODY_LIMITS } from "../limits.ts";
import { ExamParams, FileParams, FileUploadRequest, IfMatchHeaders, PageQuery } from "../schemas.ts";
import { guard, READ_ONLY, readOnly } from "../store/errors.ts";
import { createFileRecord, deleteFile, getExam, getFileRecord, listFiles, markFileReady } from "../store/lazy.ts";

const tags = ["files"];

// Downloads answer with JSON `{ url, expiresAt, file }` rather than a 302: an API client holding a bearer
// token would otherwise follow the redirect to S3 and S3 would reject the unexpected Authorization header.

export function fileRoutes(app: Router, services: GetServices, log: Log): void {
  app.post(
    "/exams/:examId/files",
    { params: ExamParams, body: FileUploadRequest, summary: "Start an upload: a pre-signed PUT URL (5 min)", tags },
    role("teacher"),
    bodyLimit(BODY_LIMITS.file),
    ownsExam(services),
    idempotent(services, log),
    async (req, { params, body }) => {
      const who = user(req);
      const { store, files } = services();
      const upload = await guard(() => createUpload(files, { examId: params.examId, contentType: body.contentType, size: body.size }));
      const file = await createFileRecord(store, {
        examId: params.examId,
        teacherId: who.sub,
        fileId: upload.fileId,
        key: upload.key,
        fileName: body.fileName,
        contentType: body.contentType,
        size: body.size,
      });
      const { key: _key, ...shown } = file;
      return json(
        { file: shown, upload: { url: upload.url, method: upload.method, headers: upload.headers, expiresAt: upload.expiresAt } },
        { status: 201, headers: { location: `/exams/${params.examId}/files/${file.fileId}` } },
      );
    },
  );

  app.post("/exams/:examId/files/:fileId/complete", { params: FileParams, summary: "Verify the upload (HeadObject) and mark it ready", tags }, async (req, { params }) => {
    const who = requireRole(req, "teacher");
    const { store, files } = services();
    await ownExam(store, who, params.examId);
    const record = await getFileRecord(store, params.examId, params.fileId);
    if (!record) throw new HttpError(404, `No file ${params.fileId}`);
    if (record.status === "ready") return hideKey(record);
    // Read after the record: if the exam is still a draft now, a publish can only start later, and it will
    // seal this record before it sets publishedAt, so markFileReady below lands before that or not at all.
    // Gone since ownExam (a DELETE of the draft began): a 404, as from every later step, not "published".
    const exam = await getExam(store, params.examId);
    if (!exam) throw new HttpError(404, `No exam ${params.examId}`);
    if (exam.status !== "draft") {
      // Published: every record was sealed first, so this pending one never becomes ready, and a files/ copy
      // a complete made for it (one that stopped before its ready mark, or whose copy landed after the
      // publish removed such copies) is named by nothing. Still `publishing`: the publish removes it.
      if (exam.status === "published") {
        // The record read above may have become ready since (a retry of this complete), before the publish
        // sealed it: its copy is then what students download. Sealed, its status is final: read it again.
        const sealed = await getFileRecord(store, params.examId, params.fileId);
        if (sealed?.status === "ready") return hideKey(sealed);
        await guard(() => deleteCopy(files, params.examId, params.fileId));
      }
      throw readOnly("The exam was published: this upload can no longer be completed");
    }
    try {
      const done = await guard(() => promoteUpload(files, { examId: params.examId, fileId: params.fileId, contentType: record.contentType, size: record.size }));
      const ready = await markFileReady(store, { examId: params.examId, fileId: params.fileId, key: done.key, etag: done.etag });
      // A DELETE of the draft that began after the check above removes the objects before the records, so
      // the copy may have landed after it: once the copy is there, an exam gone (or going) means discard it.
      if (!(await getExam(store, params.examId))) throw new HttpError(404, `No exam ${params.examId}`);
      return hideKey(ready);
    } catch (err) {
      throw await withoutStrayCopy(services, params, err);
    }
  });

  // A wrong file, or an upload whose URL expired (an Idempotency-Key replay returns that same URL), would
  // otherwise stay, and count against the cap, until its exam is deleted.
  app.delete(
    "/exams/:examId/files/:fileId",
    { params: FileParams, headers: IfMatchHeaders, summary: "Remove a file (pending or ready) from a draft, with its objects", tags },
    async (req, { params, headers }) => {
      const who = requireRole(req, "teacher");
      const { store, files } = services();
      await ownExam(store, who, params.examId);
      // If-Match optional, as for the other DELETEs; a file has no version, so only `*` matches (else 412).
      const { version } = expectedVersion(headers["if-match"], undefined, false);
      await deleteFile(store, {
        examId: params.examId,
        teacherId: who.sub,
        fileId: params.fileId,
        ifMatchTag: version !== undefined,
        // Both objects go before the record: if S3 fails, the record (hidden, marked deleting) still names them for the retry.
        removeObjects: () => deleteExamObjects(files, params.examId, [params.fileId]),
      });
      return empty(204);
    },
  );

  app.get("/exams/:examId/files", { params: ExamParams, query: PageQuery, summary: "An exam's files (students: ready ones)", tags }, async (req, { params, query }) => {
    const { store } = services();
    const { owner } = await readableExam(store, user(req), params.examId);
    const page = await listFiles(store, params.examId, { limit: query.limit, cursor: query.cursor });
    return { items: page.items.filter((f) => owner || f.status === "ready").map(hideKey), next: page.next };
  });

  app.get("/exams/:examId/files/:fileId", { params: FileParams, summary: "A pre-signed download URL (5 min), as JSON", tags }, async (req, { params }) => {
    const { store, files } = services();
    const { owner } = await readableExam(store, user(req), params.examId);
    const record = await getFileRecord(store, params.examId, params.fileId);
    if (!record || (!owner && record.status !== "ready")) throw new HttpError(404, `No file ${params.fileId}`);
    if (record.status !== "ready") throw new HttpError(409, "The upload has not been completed yet");
    const link = await guard(() => downloadUrl(files, { key: record.key, fileName: record.fileName, contentType: record.contentType }));
    return { ...link, file: hideKey(record) };
  });
}

/**
 * What a failed complete answers, once the `files/` copy it may have made is removed when no ready record
 * will ever name it (files/ has no lifecycle rule): the exam or the file was deleted meanwhile (404; a DELETE
 * may also have removed the upload before the copy, which failed as not uploaded), or the exam was published
 * with the file still pending (409 read-only: its sealed record never becomes ready). A 5xx keeps the copy
 * for the retry; another 4xx (type or size mismatch, not uploaded) made none.
 */
async function withoutStrayCopy(services: GetServices, params: { examId: string; fileId: string }, err: unknown): Promise<unknown> {
  if (!(err instanceof HttpError) || err.status >= 500) return err;
  const { store, files } = services();
  const examGone = (await getExam(store, params.examId)) === null;
  const fileGone = !examGone && (err.status === 404 || (await getFileRecord(store, params.examId, params.fileId)) === null);
  if (examGone || fileGone || err.type === READ_ONLY) await guard(() => deleteCopy(files, params.examId, params.fileId));
  if (examGone) return new HttpError(404, `No exam ${params.examId}`);
  return fileGone ? new HttpError(404, `No file ${params.fileId}`) : err;
}

function hideKey<T extends { key: string }>(record: T): Omit<T, "key"> {
  const { key: _key, ...rest } = record;
  return rest;
}
