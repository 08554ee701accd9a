// AWS errors → HTTP errors. The store lets only HttpErrors and unknown AWS/SDK errors escape; the app
// answers the latter with 502 and the request id (and logs them).
import { HttpError } from "lambdalith";

const THROTTLING = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  "TooManyRequestsException",
  "SlowDown",
]);

/** Seconds a client should wait after a throttled call (the SDK has already retried with backoff). */
export const RETRY_AFTER_SECONDS = 1;

function errorName(err: unknown): string | undefined {
  if (err === null || typeof err !== "object") return undefined;
  const e = err as { name?: unknown; code?: unknown; Code?: unknown };
  const name = typeof e.name === "string" ? e.name : typeof e.code === "string" ? e.code : e.Code;
  return typeof name === "string" ? name : undefined;
}

/** A conditional write's condition did not hold. */
export function isConditionFailed(err: unknown): boolean {
  return errorName(err) === "ConditionalCheckFailedException";
}

export function isThrottling(err: unknown): boolean {
  const name = errorName(err);
  return name !== undefined && THROTTLING.has(name);
}

/** An error from the AWS SDK: it carries `$metadata`. */
export type AwsError = Error & { name: string; $metadata: { httpStatusCode?: number; requestId?: string } };

/** An error from the AWS SDK (it carries `$metadata`), as opposed to a bug of ours. */
export function isAwsError(err: unknown): err is AwsError {
  return err instanceof Error && typeof (err as { $metadata?: unknown }).$metadata === "object";
}

/**
 * A write DynamoDB refused for the 400 KB item limit ("Item size has exceeded the maximum allowed size",
 * "Item size to update has exceeded …"). The caps in limits.ts keep every write under it; this is the
 * backstop that makes a write that still got through a 413, never a 502.
 */
export function isItemTooLarge(err: unknown): boolean {
  return errorName(err) === "ValidationException" && /item size/i.test((err as Error).message ?? "");
}

/**
 * The HttpError for an AWS error, or the error itself when there is no HTTP meaning for it:
 * conditional check failed → 409, throttling → 503 with `retry-after`, an item over DynamoDB's size limit →
 * 413, anything else unchanged.
 * @example throw mapStoreError(err)
 */
export function mapStoreError(err: unknown, conflictDetail = "The item was changed or already exists"): unknown {
  if (err instanceof HttpError) return err;
  if (isConditionFailed(err)) return new HttpError(409, conflictDetail, { type: CONFLICT });
  if (isItemTooLarge(err)) return new HttpError(413, "This change would make the stored record larger than the database allows.");
  if (isThrottling(err)) {
    // SlowDown is S3's: not "the database".
    const busy = new HttpError(503, "The service is busy; retry shortly", { headers: { "retry-after": String(RETRY_AFTER_SECONDS) } });
    // Kept for the log (app.ts's onError): which call was throttled. An own property of the error, never an
    // option, which would make it a member of the problem sent to the client.
    return Object.assign(busy, { cause: err });
  }
  return err;
}

/** Runs a store operation and maps whatever AWS error escapes it. */
export async function guard<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw mapStoreError(err);
  }
}

// Problem `type`s the client can branch on (RFC 9457 recommends URIs; these are stable tags).
export const CONFLICT = "tag:exambuddy,2026:conflict";
export const STALE_VERSION = "tag:exambuddy,2026:stale-version";
export const READ_ONLY = "tag:exambuddy,2026:read-only";
export const LIMIT_REACHED = "tag:exambuddy,2026:limit-reached";

/** A published (or publishing) exam and everything in it is read-only. */
export const readOnly = (detail = "Published exams are read-only") => new HttpError(409, detail, { type: READ_ONLY });

export const notFound = (what: string, id: string) => new HttpError(404, `No ${what} ${id}`);

/** A version mismatch: the caller's copy is stale; `currentVersion` tells it what to re-read. */
export function staleVersion(what: string, currentVersion: number): HttpError {
  return new HttpError(409, `The ${what} was changed (now version ${currentVersion}); re-read it and retry`, {
    type: STALE_VERSION,
    currentVersion,
  });
}
