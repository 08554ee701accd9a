// `Idempotency-Key` on the POSTs that create something (exams, questions, file uploads), so a client that
// retries after a timeout or a dropped connection gets the first answer again instead of a duplicate
// (IETF draft-ietf-httpapi-idempotency-key-header). The key is scoped to the caller; its fingerprint is the
// method, path and body bytes. Replays carry `idempotent-replayed: true`. The other POSTs are idempotent by
// design: publish, submit and complete return the stored state on a repeat, and starting an attempt while
// one is open answers 409 with its `attemptId`.
import { HttpError, RESPONSE, type HttpResponse, type Middleware } from "lambdalith";
import { user } from "./auth.ts";
import type { GetServices } from "./context.ts";
import { utf8Length } from "./limits.ts";
import { nodeCrypto } from "./node-crypto.ts";
import { errorFields, type Log } from "./observability.ts";
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from "./store/lazy.ts";
import type { StoredResponse } from "./store/idempotency.ts";

/** A key is 1–255 visible ASCII characters, optionally sent as a quoted structured-field string. */
export const IDEMPOTENCY_KEY = /^"?([\x21\x23-\x7e]{1,255})"?$/;
/** Replayed headers: what a creating POST answers with besides its body. */
const KEPT_HEADERS = ["content-type", "location", "etag"];
/** Larger responses are not stored (the item must stay far below DynamoDB's 400 KB); none of ours come close. */
const MAX_STORED_BODY = 300_000;

/**
 * Runs the route once per `Idempotency-Key`: a repeat with the same body gets the stored response, the same
 * key with another body a 422, a repeat while the first still runs a 409 (retry after a second). Responses
 * below 500 are stored for a day; a 5xx gives the key back so the retry runs again. Without the header the
 * route runs as usual. A key that cannot be recorded is a warning on `log` (the app's, like every other line).
 * @example app.post("/exams", { body: ExamCreate }, idempotent(services, log), handler)
 */
export function idempotent(services: GetServices, log: Log): Middleware {
  return async (req, next) => {
    const header = req.headers["idempotency-key"];
    if (header === undefined) return next();
    const match = IDEMPOTENCY_KEY.exec(header.trim());
    if (!match) throw new HttpError(400, "Idempotency-Key must be 1 to 255 visible ASCII characters");
    const key = match[1]!;
    const sub = user(req).sub;
    // The path as the router reads it: one trailing slash ignored, so a retry through "/exams/" replays "/exams"
    // (and a path without one hashes as it always did: keys recorded before stay valid).
    const path = req.path.length > 1 && req.path.endsWith("/") ? req.path.slice(0, -1) : req.path;
    const hash = nodeCrypto().createHash("sha256").update(`${req.method} ${path}\n`).update(req.bytes()).digest("base64url");
    const { store } = services();
    const claim = await claimIdempotencyKey(store, { sub, key, fingerprint: hash });
    if (claim.state === "mismatch") throw new HttpError(422, "This Idempotency-Key was used for another request; use a new key for a new request");
    if (claim.state === "in-progress") {
      throw new HttpError(409, "A request with this Idempotency-Key is still being processed; retry shortly", { headers: { "retry-after": "1" } });
    }
    if (claim.state === "done") return replay(claim.response);
    const res = await next();
    const stored = storable(res);
    // Best effort: the answer stands whatever happens to the key. A 201 turned into a 503 because the key
    // could not be completed would be retried, and the retry would create a second resource (the key's
    // lease expires and the request runs again).
    await (stored === undefined ? releaseIdempotencyKey(store, { sub, key, fingerprint: hash }) : completeIdempotencyKey(store, { sub, key, fingerprint: hash, response: stored })).catch(
      (err: unknown) => log({ level: "warn", message: "idempotency key not recorded", requestId: req.requestId, status: res.status, ...errorFields(err) }),
    );
    return res;
  };
}

function storable(res: HttpResponse): StoredResponse | undefined {
  if (res.status >= 500 || typeof (res.body ?? "") !== "string") return undefined;
  const body = (res.body ?? "") as string;
  if (utf8Length(body) > MAX_STORED_BODY) return undefined;
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = res.headers?.[name];
    if (typeof value === "string") headers[name] = value;
  }
  return { status: res.status, headers, body };
}

function replay(stored: StoredResponse): HttpResponse {
  return { [RESPONSE]: true, status: stored.status, headers: { ...stored.headers, "idempotent-replayed": "true" }, body: stored.body };
}
