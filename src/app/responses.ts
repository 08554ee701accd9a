// What ExamBuddy's routes answer with, as valibot schemas, and which route answers what (RESPONSES):
// documentation only, read by openapi-document.ts when /openapi.json is built; nothing validates a
// response at run time. Not in the routes' own options, because route options are built by every cold
// start: ~4.5 KB here (schemas and the valibot they use) cost /health about 0.5 ms of import
// (bench/cold.ts runner, min of 120 interleaved runs). Beside schemas.ts, which holds what the API accepts.
import type { RouteOptions, RouteResponse, StandardSchemaV1 } from "lambdalith";
import * as v from "valibot";
import { IDEMPOTENCY_KEY } from "./idempotency.ts";
import { MAX_FILES, MAX_QUESTIONS } from "./limits.ts";
import { RESULTS_COLUMNS } from "./routes/exports.ts";
import { AnswerValue, ExamStatuses, FILE_TYPES, QuestionInput, QuestionKinds, Roles } from "./schemas.ts";

const Timestamp = v.pipe(v.string(), v.description("ISO 8601, UTC"));
const Count = v.pipe(v.number(), v.integer(), v.minValue(0));
const Version = v.pipe(v.number(), v.integer(), v.minValue(1));
/** The cursor of the next page (`?cursor=`), or null on the last one. */
const Next = v.nullable(v.pipe(v.string(), v.description("Pass as ?cursor= for the next page; null on the last page")));

/** `GET /health` */
export const Health = v.object({ status: v.literal("ok"), stage: v.string(), version: v.string() });

/** `GET /openapi.json`: the document itself, its top level (openapi() writes the rest). */
export const OpenApiDocument = v.looseObject({
  openapi: v.literal("3.1.0"),
  info: v.looseObject({ title: v.string(), version: v.string() }),
  paths: v.record(v.string(), v.looseObject({})),
  components: v.looseObject({}),
});

/** `Idempotency-Key` on the POSTs that create something (idempotency.ts). */
const IdempotencyKeyHeader = {
  "idempotency-key": v.optional(
    v.pipe(
      v.string(),
      v.regex(IDEMPOTENCY_KEY),
      v.description("Retrying with the same key and body replays the first answer (idempotent-replayed: true) for a day; another body is a 422"),
    ),
  ),
};

/** `GET /me`, `PATCH /me`: the stored profile; role and email from the current token. */
export const Profile = v.object({
  sub: v.string(),
  email: v.nullable(v.string()),
  role: v.nullable(v.picklist(Roles)),
  displayName: v.string(),
  version: Version,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const publishedEntries = {
  examId: v.string(),
  teacherId: v.string(),
  title: v.string(),
  description: v.string(),
  durationMinutes: Count,
  maxAttempts: v.pipe(v.number(), v.integer(), v.minValue(1), v.description("Attempts a student may start (1 = no retakes)")),
  questionCount: Count,
  publishedAt: Timestamp,
};

/** What anyone may see of a published exam (student listings). */
export const PublishedExam = v.object(publishedEntries);

/** The whole exam, as its teacher sees it. */
export const Exam = v.object({
  ...publishedEntries,
  // "publishing" while a publish seals the questions and files; only the owner sees it.
  status: v.picklist([...ExamStatuses, "publishing"]),
  version: Version,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  publishedAt: v.optional(Timestamp),
});

/** `GET /exams/:examId`: the whole exam for its teacher, the published view for everyone else. */
export const ExamView = v.union([Exam, v.object({ ...publishedEntries, status: v.literal("published") })]);

/** `GET /exams` */
export const ExamPage = v.object({ items: v.array(v.union([Exam, PublishedExam])), next: Next });

const questionMeta = { questionId: v.string(), examId: v.string(), position: Count };

/** A question with its answer key (its teacher's view). */
export const Question = v.intersect([QuestionInput, v.object({ ...questionMeta, version: Version, createdAt: Timestamp, updatedAt: Timestamp })]);

/** A question without its answer key (students). */
export const PublicQuestion = v.object({ ...questionMeta, kind: v.picklist(QuestionKinds), text: v.string(), points: Count, choices: v.optional(v.array(v.string())) });

/** `GET /exams/:examId/questions` */
export const QuestionList = v.object({ items: v.array(v.union([Question, PublicQuestion])) });

const attemptEntries = {
  attemptId: v.string(),
  examId: v.string(),
  studentId: v.string(),
  teacherId: v.string(),
  status: v.picklist(["open", "submitted"]),
  answers: v.record(v.string(), AnswerValue),
  version: Version,
  startedAt: Timestamp,
  deadline: v.pipe(Timestamp, v.description("Answers are refused from this instant on")),
  updatedAt: Timestamp,
  submittedAt: v.optional(v.pipe(Timestamp, v.description("When it was submitted; its deadline when time ran out first (submittedBy: deadline)"))),
  submittedBy: v.optional(
    v.pipe(v.picklist(["student", "deadline"]), v.description("student: submitted before the deadline; deadline: time ran out first, graded with the answers saved by then")),
  ),
  result: v.optional(
    v.object({
      score: v.number(),
      maxScore: v.number(),
      questions: v.array(v.object({ questionId: v.string(), points: v.number(), earned: v.number(), correct: v.boolean() })),
    }),
  ),
};

/** An attempt: its answer sheet and, once submitted, its result. */
export const Attempt = v.object(attemptEntries);

/** `POST /exams/:examId/attempts`: the attempt and the questions to answer. */
export const StartedAttempt = v.object({ ...attemptEntries, questions: v.array(PublicQuestion) });

/** `GET /exams/:examId/attempts` */
export const AttemptPage = v.object({ items: v.array(Attempt), next: Next });

/** A file's record (its S3 key is never shown). */
export const FileRecord = v.object({
  fileId: v.string(),
  examId: v.string(),
  fileName: v.string(),
  contentType: v.picklist(FILE_TYPES),
  size: Count,
  status: v.picklist(["pending", "ready"]),
  uploadedBy: v.string(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  etag: v.optional(v.string()),
});

/** `POST /exams/:examId/files`: PUT the bytes to `upload.url` with `upload.headers`, then complete. */
export const StartedUpload = v.object({
  file: FileRecord,
  upload: v.object({ url: v.string(), method: v.literal("PUT"), headers: v.record(v.string(), v.string()), expiresAt: Timestamp }),
});

/** `GET /exams/:examId/files` */
export const FilePage = v.object({ items: v.array(FileRecord), next: Next });

/** `GET /exams/:examId/files/:fileId` */
export const DownloadLink = v.object({ url: v.string(), expiresAt: Timestamp, file: FileRecord });

// The headers the routes send beside their bodies (routes/*.ts, store/errors.ts, idempotency.ts, auth.ts).
type Headers = NonNullable<RouteResponse["headers"]>;
/** Reads and writes of a versioned item (exam, question, profile): its version, for If-Match. */
const ETAG: Headers = { ETag: { description: 'The version as a strong entity tag ("3"): send it back as If-Match', schema: v.pipe(v.string(), v.regex(/^"\d+"$/)), required: true } };
/** A creating POST's 201: where the new item is read, relative to the request's URL (location.ts). */
const LOCATION: Headers = {
  Location: {
    description: "Where the new item is read (GET it for its current state): a reference relative to this request's URL, e.g. exams/{examId} from POST /exams or ../../attempts/{attemptId} from POST /exams/{examId}/attempts. Resolve it against the URL requested (new URL(location, requestUrl)): the API's prefix (the REST API's stage) is kept",
    // A relative-path reference (RFC 3986 §4.2): no leading '/', no scheme.
    schema: v.pipe(v.string(), v.regex(/^(?:\.{1,2}\/|[^/:]+(?:\/|$))/)),
    required: true,
  },
};
const RETRY_AFTER = { description: "Seconds to wait before retrying", schema: v.pipe(v.string(), v.regex(/^\d+$/)) };
/** A stored answer to a POST with an Idempotency-Key, sent again (idempotency.ts: any status below 500). */
const REPLAYED: Headers = { "Idempotent-Replayed": { description: "true: the stored answer to an earlier request with this Idempotency-Key, replayed", schema: v.literal("true") } };
const created = (schema: StandardSchemaV1, headers: Headers): RouteResponse => ({ description: "Created", schema, headers });
const withEtag = (schema: StandardSchemaV1): RouteResponse => ({ description: "OK", schema, headers: ETAG });

// Refusals and conflicts the app answers with: problem+json bodies, which openapi() documents for an error
// status given without a schema.
const FORBIDDEN = { 403: { description: "Not allowed for the caller's role, or not the exam's teacher" } };
const TOO_LARGE = { 413: { description: "The body is over this route's size limit" } };
const VERSIONED = {
  409: { description: "The version sent is stale, or the item's state forbids the change (a published exam is read-only)" },
  412: { description: "If-Match names a stale version, or an entity tag that is no version" },
};
/** Every route that reads DynamoDB or S3: the app's answers when they fail (app.ts, store/errors.ts). */
const BACKING = {
  502: { description: "A backing service (DynamoDB, S3) failed; quote requestId when reporting it" },
  503: { description: "A backing service is throttling, or (behind an ALB) the sign-in could not be checked: retry after Retry-After seconds", headers: { "Retry-After": { ...RETRY_AFTER, required: true } } },
};
const MALFORMED_JSON = { 400: { description: "Malformed JSON body, or If-Match and the body's version disagree" } };
const MALFORMED_CURSOR = { 400: { description: "A cursor that is not the `next` of a previous page, or a malformed %-escape in the path" } };
const IDEMPOTENT = {
  400: { description: "Malformed JSON body, or an Idempotency-Key that is not 1 to 255 visible ASCII characters" },
  422: { description: "Invalid input (every violation in `errors`), or an Idempotency-Key already used for another request", headers: REPLAYED },
};
const readOnly = (what: string) => `The exam is published (read-only), ${what}, or a request with this Idempotency-Key is still running (retry after Retry-After)`;
/** The 409 of a POST taking an Idempotency-Key: Retry-After when the first request with the key still runs. */
const conflict = (description: string): RouteResponse => ({ description, headers: { "Retry-After": RETRY_AFTER, ...REPLAYED } });

/** Every route but the public ones: auth.ts's 401 names the scheme to sign in with. */
export const SIGNED_IN: NonNullable<RouteOptions["responses"]> = {
  401: { description: "Missing or invalid credentials (no verified token, or one issued for another app client)", headers: { "WWW-Authenticate": { description: 'Bearer, with error="invalid_token" for a token of another app client', required: true } } },
};

/** API Gateway's own answer body (its throttle's 429 is `{"message":"Too Many Requests"}`), not a problem of ours. */
const GatewayMessage = v.object({ message: v.string() });

/**
 * What API Gateway answers for every route before the function sees the request: template.yaml throttles
 * every route of both APIs (ThrottleRateLimit, ThrottleBurstLimit).
 */
export const GATEWAY_RESPONSES: NonNullable<RouteOptions["responses"]> = {
  429: { description: "API Gateway's throttle (the stack's ThrottleRateLimit and ThrottleBurstLimit): retry with backoff", schema: GatewayMessage },
};

/** Each route's responses by `"METHOD /pattern"`, as `responses` in route options would give them. */
export const RESPONSES: Record<string, NonNullable<RouteOptions["responses"]>> = {
  "GET /health": { 200: Health },
  "GET /openapi.json": { 200: { description: "This document (OpenAPI 3.1)", schema: OpenApiDocument } },
  "GET /me": { 200: withEtag(Profile), ...BACKING },
  "PATCH /me": { 200: withEtag(Profile), ...MALFORMED_JSON, ...TOO_LARGE, ...VERSIONED, ...BACKING },
  "POST /exams": { 201: created(Exam, { ...LOCATION, ...ETAG, ...REPLAYED }), ...IDEMPOTENT, ...FORBIDDEN, ...TOO_LARGE, 409: conflict("A request with this Idempotency-Key is still running (retry after Retry-After)"), ...BACKING },
  "GET /exams": { 200: ExamPage, 400: { description: "A cursor that is not the `next` of a previous page" }, 403: { description: "Only teachers see drafts" }, ...BACKING },
  "GET /exams/:examId": { 200: withEtag(ExamView), ...BACKING },
  "PATCH /exams/:examId": { 200: withEtag(Exam), ...MALFORMED_JSON, ...FORBIDDEN, ...TOO_LARGE, ...VERSIONED, 428: { description: "Neither If-Match nor version was sent" }, ...BACKING },
  "DELETE /exams/:examId": { 204: { description: "Deleted" }, ...FORBIDDEN, ...VERSIONED, ...BACKING },
  "POST /exams/:examId/publish": { 200: withEtag(Exam), ...FORBIDDEN, 409: { description: "The exam has no question, or was changed concurrently" }, 412: VERSIONED[412], ...BACKING },
  "POST /exams/:examId/questions": { 201: created(Question, { ...LOCATION, ...ETAG, ...REPLAYED }), ...IDEMPOTENT, ...FORBIDDEN, ...TOO_LARGE, 409: conflict(readOnly(`has its ${MAX_QUESTIONS} questions`)), ...BACKING },
  "GET /exams/:examId/questions": { 200: QuestionList, ...BACKING },
  "GET /exams/:examId/questions/:questionId": {
    200: { description: "OK", schema: v.union([Question, PublicQuestion]), headers: { ETag: { ...ETAG["ETag"], description: "Its version, for If-Match: to the exam's teacher only", required: false } } },
    ...BACKING,
  },
  "PATCH /exams/:examId/questions/:questionId": { 200: withEtag(Question), ...MALFORMED_JSON, ...FORBIDDEN, ...TOO_LARGE, ...VERSIONED, ...BACKING },
  "DELETE /exams/:examId/questions/:questionId": { 204: { description: "Removed" }, ...FORBIDDEN, ...VERSIONED, ...BACKING },
  "POST /exams/:examId/attempts": { 201: created(StartedAttempt, LOCATION), 403: { description: "Only students start attempts" }, 409: { description: "An attempt is already open, or none is left (maxAttempts)" }, ...BACKING },
  "PUT /attempts/:attemptId/answers": { 200: Attempt, 403: { description: "Only students answer" }, ...TOO_LARGE, 409: { description: "Submitted, or past the deadline" }, ...BACKING },
  "POST /attempts/:attemptId/submit": { 200: Attempt, 403: { description: "Only students submit" }, 409: { description: "The attempt kept changing while it was graded; retry (a submitted attempt answers 200 with its result)" }, ...BACKING },
  "GET /attempts/:attemptId": { 200: Attempt, ...BACKING },
  "GET /exams/:examId/attempts": { 200: AttemptPage, ...MALFORMED_CURSOR, 403: { description: "Only the exam's teacher sees its results" }, ...BACKING },
  "POST /exams/:examId/files": { 201: created(StartedUpload, { ...LOCATION, ...REPLAYED }), ...IDEMPOTENT, ...FORBIDDEN, ...TOO_LARGE, 409: conflict(readOnly(`has its ${MAX_FILES} files`)), ...BACKING },
  "POST /exams/:examId/files/:fileId/complete": {
    200: FileRecord,
    ...FORBIDDEN,
    409: { description: "Not uploaded yet, or the exam was published" },
    422: { description: "Invalid input, or the uploaded file is not what was declared (size, type, its first bytes)" },
    ...BACKING,
  },
  "DELETE /exams/:examId/files/:fileId": {
    204: { description: "Removed, with its objects" },
    ...FORBIDDEN,
    409: { description: "The exam is published (or publishing): read-only" },
    412: { description: "If-Match names an entity tag: files have no version, only * matches" },
    ...BACKING,
  },
  "GET /exams/:examId/files": { 200: FilePage, ...MALFORMED_CURSOR, ...BACKING },
  "GET /exams/:examId/results.csv": {
    200: {
      description: `One row per attempt under a header row (${RESULTS_COLUMNS.join(", ")}), streamed. Only the streaming REST API (StreamApiUrl) serves it`,
      content: { "text/csv": { schema: v.pipe(v.string(), v.description("RFC 4180 CSV, UTF-8")) } },
      headers: { "Content-Disposition": { description: 'attachment; filename="results-{examId}.csv"', required: true } },
    },
    ...FORBIDDEN,
    404: { description: "No such exam, or asked of the buffered API, which cannot stream it" },
    ...BACKING,
  },
  "GET /exams/:examId/files/:fileId": { 200: DownloadLink, 409: { description: "The upload has not been completed yet" }, ...BACKING },
};

/**
 * Request headers routes read in their middleware rather than through a headers schema (which would validate
 * them a second time), by `"METHOD /pattern"`: documented as if the route's headers schema listed them.
 */
export const MIDDLEWARE_HEADERS: Record<string, Record<string, v.GenericSchema>> = {
  "POST /exams": IdempotencyKeyHeader,
  "POST /exams/:examId/questions": IdempotencyKeyHeader,
  "POST /exams/:examId/files": IdempotencyKeyHeader,
};
