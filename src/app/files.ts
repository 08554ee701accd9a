// Exam attachments live in S3 and never pass through Lambda (6 MB payload limit): the API hands out
// pre-signed URLs. Lifecycle of one file:
//   1. POST /exams/:examId/files → record `pending`, pre-signed PUT for `pending/<examId>/<fileId>`
//      (5 minutes; content-type and content-length signed, so the upload must match what was declared).
//   2. The browser PUTs the bytes.
//   3. POST …/files/:fileId/complete → HeadObject checks size and type, a ranged GET of the first bytes
//      checks they are what the type says (a PDF starts with %PDF-, …), CopyObject to
//      `files/<examId>/<fileId>` with the declared type and no other header the upload sent, record
//      `ready` with the new key. The bucket's lifecycle rule expires
//      everything under `pending/` after a day: abandoned uploads and the originals of completed ones.
//   4. GET …/files/:fileId → pre-signed GET (5 minutes) of the `files/` copy, as an attachment.
//   5. DELETE …/files/:fileId (a draft's) deletes its two objects, then its record (store/files.ts deleteFile);
//      deleting a draft deletes the objects of each of its file records.
// Keys are built only from server-generated ids: a client's file name never becomes a path.
import { HttpError } from "lambdalith";
import { newId } from "./ids.ts";
import type { FileType } from "./schemas.ts";
import type { ObjectInfo, S3 } from "./s3-sdk.ts";

export const UPLOAD_URL_SECONDS = 5 * 60;
export const DOWNLOAD_URL_SECONDS = 5 * 60;
export const PENDING_PREFIX = "pending/";
export const READY_PREFIX = "files/";

export const pendingKey = (examId: string, fileId: string) => `${PENDING_PREFIX}${examId}/${fileId}`;
export const readyKey = (examId: string, fileId: string) => `${READY_PREFIX}${examId}/${fileId}`;

export interface Files {
  readonly bucket: string;
  s3(): Promise<S3>;
}

// One client per process and endpoint, created on first use (lazy singleton; no per-request state).
const clients = new Map<string, Promise<S3>>();

/**
 * Files in one bucket; nothing is loaded until the first S3 call.
 * @example const files = createFiles({ bucket: process.env.BUCKET_NAME! })
 */
export function createFiles(options: { bucket: string; endpoint?: string | undefined; s3?: () => Promise<S3> }): Files {
  if (!options.bucket) throw new TypeError("createFiles: bucket is required");
  const endpoint = options.endpoint;
  const load =
    options.s3 ??
    (() => {
      const id = endpoint ?? "";
      let client = clients.get(id);
      if (client === undefined) {
        client = import("./s3-sdk.ts").then((m) => m.createS3({ endpoint }));
        client.catch(() => clients.delete(id));
        clients.set(id, client);
      }
      return client;
    });
  return { bucket: options.bucket, s3: load };
}

/** The files of the bucket named by `BUCKET_NAME` (as the SAM template sets it). */
export function filesFromEnv(env: Record<string, string | undefined> = process.env): Files {
  const bucket = env["BUCKET_NAME"];
  if (!bucket) throw new Error("BUCKET_NAME is not set");
  return createFiles({ bucket });
}

export interface Upload {
  fileId: string;
  key: string;
  /** PUT the bytes here with exactly `headers` (a browser sets content-length itself). */
  url: string;
  method: "PUT";
  headers: { "content-type": string };
  expiresAt: string;
}

/** A new file id, its pending key and a pre-signed PUT for exactly `size` bytes of `contentType`. */
export async function createUpload(files: Files, args: { examId: string; contentType: FileType; size: number; now?: number }): Promise<Upload> {
  const now = args.now ?? Date.now();
  const fileId = newId(now);
  const key = pendingKey(args.examId, fileId);
  const s3 = await files.s3();
  const url = await s3.presignPut({ bucket: files.bucket, key, contentType: args.contentType, size: args.size, expiresIn: UPLOAD_URL_SECONDS });
  return {
    fileId,
    key,
    url,
    method: "PUT",
    headers: { "content-type": args.contentType },
    expiresAt: new Date(now + UPLOAD_URL_SECONDS * 1000).toISOString(),
  };
}

/**
 * The first bytes of each accepted type (its "magic number"): the declared type must be what the bytes are,
 * so `setup.exe` (MZ…) declared as application/pdf is refused at complete.
 */
export const MAGIC: Record<FileType, readonly number[]> = {
  "application/pdf": [0x25, 0x50, 0x44, 0x46, 0x2d], // %PDF-
  "image/png": [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], // \x89PNG\r\n\x1a\n
  "image/jpeg": [0xff, 0xd8, 0xff], // SOI marker, then the first segment's marker
};

const TYPE_NAMES: Record<FileType, string> = { "application/pdf": "a PDF", "image/png": "a PNG image", "image/jpeg": "a JPEG image" };

/** How many bytes {@link promoteUpload} reads from the start of an upload. */
export const MAGIC_BYTES = Math.max(...Object.values(MAGIC).map((m) => m.length));

/** Whether `bytes` start with the magic number of `type`. */
export function hasMagic(type: FileType, bytes: Uint8Array): boolean {
  const magic = MAGIC[type];
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

/** The object's size, type and ETag, or null if there is none. */
export async function headObject(files: Files, key: string): Promise<ObjectInfo | null> {
  return (await files.s3()).head(files.bucket, key);
}

/**
 * Checks the uploaded object against what was declared and copies it out of `pending/`.
 * Missing → 409 (not uploaded yet); another size or type, or bytes that are not of that type → 422.
 * @returns the ready key and the object's ETag
 */
export async function promoteUpload(files: Files, args: { examId: string; fileId: string; contentType: FileType; size: number }): Promise<{ key: string; etag: string | undefined }> {
  const from = pendingKey(args.examId, args.fileId);
  const to = readyKey(args.examId, args.fileId);
  const s3 = await files.s3();
  const info = await s3.head(files.bucket, from);
  if (info === null) {
    // Completed before? The copy is what counts.
    const done = await s3.head(files.bucket, to);
    if (done !== null && done.size === args.size) return { key: to, etag: done.etag };
    throw new HttpError(409, "The file has not been uploaded yet; PUT it to the upload URL first");
  }
  if (info.size !== args.size) throw new HttpError(422, `The uploaded file has ${info.size} bytes, not the declared ${args.size}`);
  const type = info.contentType?.split(";")[0]?.trim().toLowerCase();
  if (type !== args.contentType) throw new HttpError(422, `The uploaded file is ${type ?? "untyped"}, not the declared ${args.contentType}`);
  // The bytes checked and the bytes copied are the version HEAD saw: the upload URL stays valid for minutes,
  // and a second PUT between the check and the copy (same size, same type) would publish unchecked bytes.
  try {
    const start = await s3.readStart(files.bucket, from, MAGIC_BYTES, info.etag);
    if (start === null) throw new HttpError(409, "The file has not been uploaded yet; PUT it to the upload URL first");
    if (!hasMagic(args.contentType, start)) throw new HttpError(422, `The uploaded bytes are not ${TYPE_NAMES[args.contentType]}, as declared (${args.contentType})`);
    // Only the declared type goes with the copy: headers the PUT added unsigned stay behind (s3-sdk.ts).
    await s3.copy(files.bucket, from, to, info.etag, args.contentType);
  } catch (err) {
    // By name: s3-sdk.ts is loaded on first use (its own chunk), its class is not imported here.
    if (err instanceof Error && err.name === "ObjectChanged") throw new HttpError(409, "The file was uploaded again while it was being checked; complete it again");
    // Removed since HEAD saw it: its exam's DELETE removes the objects first (the route tells a 404 from this).
    if (isMissingObject(err)) throw new HttpError(409, "The upload is no longer there; start a new upload");
    throw err;
  }
  return { key: to, etag: info.etag };
}

// S3's answer for a key that is not there (CopyObject's source: 404 NoSuchKey).
function isMissingObject(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  return e?.name === "NoSuchKey" || e?.name === "NotFound" || e?.$metadata?.httpStatusCode === 404;
}

/** Deletes the `files/` copy of an upload that no ready record will name (its exam was deleted, or published with it pending). */
export async function deleteCopy(files: Files, examId: string, fileId: string): Promise<void> {
  await deleteCopies(files, examId, [fileId]);
}

/** Deletes the `files/` copies of these files of an exam (a publish sealed their records while not ready). */
export async function deleteCopies(files: Files, examId: string, fileIds: readonly string[]): Promise<void> {
  await deleteKeys(files, fileIds.map((id) => readyKey(examId, id)));
}

/**
 * Deletes the objects of these files of an exam: the copy under `files/` and the upload under `pending/`
 * (which the lifecycle rule would expire anyway).
 */
export async function deleteExamObjects(files: Files, examId: string, fileIds: readonly string[]): Promise<void> {
  await deleteKeys(files, fileIds.flatMap((id) => [readyKey(examId, id), pendingKey(examId, id)]));
}

// Ten at a time; no key, no S3 client loaded.
async function deleteKeys(files: Files, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  const s3 = await files.s3();
  for (let i = 0; i < keys.length; i += 10) await Promise.all(keys.slice(i, i + 10).map((key) => s3.delete(files.bucket, key)));
}

/** `attachment; filename="…"; filename*=UTF-8''…` with the name made safe for a header and as a file name. */
export function contentDisposition(fileName: string): string {
  // RFC 6266 §4.3: a recipient strips path information, so a name with "/" or "\\" must not read as a path
  // ("../../etc/passwd.pdf"), in either parameter: filename*'s %2F decodes to "/". The stored name is kept.
  // toWellFormed: a name stored before names had to be well-formed may hold a lone surrogate, on which
  // encodeURIComponent throws (every download of that file was a 500).
  const name = fileName.toWellFormed().replace(/[/\\]/g, "_");
  const ascii = name.replace(/[^\x20-\x7e]|"/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/** A pre-signed GET (5 minutes) that downloads the object under its original name. */
export async function downloadUrl(files: Files, args: { key: string; fileName: string; contentType: string }): Promise<{ url: string; expiresAt: string }> {
  const s3 = await files.s3();
  const url = await s3.presignGet({
    bucket: files.bucket,
    key: args.key,
    expiresIn: DOWNLOAD_URL_SECONDS,
    contentDisposition: contentDisposition(args.fileName),
    contentType: args.contentType,
  });
  return { url, expiresAt: new Date(Date.now() + DOWNLOAD_URL_SECONDS * 1000).toISOString() };
}
