// ExamBuddy as a lambdalith router: middleware (request log + EMF, CORS, authentication, relative Location),
// then the routes.
import { cors, HttpError, logJson, problem, router, validate, type HttpRequest, type Router } from "lambdalith";
import { authenticate, caller } from "./auth.ts";
import type { GetServices } from "./context.ts";
import { relativeLocation } from "./location.ts";
import { requestLog, type Log } from "./observability.ts";
import { attemptRoutes } from "./routes/attempts.ts";
import { examRoutes } from "./routes/exams.ts";
import { exportRoutes } from "./routes/exports.ts";
import { fileRoutes } from "./routes/files.ts";
import { meRoutes } from "./routes/me.ts";
import { openApiRoutes } from "./routes/openapi.ts";
import { questionRoutes } from "./routes/questions.ts";
import { isAwsError, type AwsError } from "./store/errors.ts";

export interface AppOptions {
  services: GetServices;
  stage?: string | undefined;
  version?: string | undefined;
  /** Origins for CORS on sources API Gateway doesn't answer preflights for (Function URL, REST, ALB). */
  corsOrigins?: string[] | "*";
  /** Where log lines go (default: one JSON line on stdout). */
  log?: Log;
  /** The app client ids API Gateway tokens must be issued for (JWT_AUDIENCE); empty or unset checks none. */
  audiences?: readonly string[];
}

/**
 * The whole API. Nothing here touches AWS until a route calls the store or S3.
 * @example export const handler = handle(createApp({ services }))
 */
export function createApp(options: AppOptions): Router {
  const stage = options.stage ?? "local";
  const version = options.version ?? "dev";
  const log = options.log ?? logJson;
  const app = router({ validate })
    .use(
      requestLog({
        service: "exambuddy",
        stage,
        log,
        who: (req) => {
          const who = caller(req);
          return who && { userId: who.sub, role: who.role ?? null };
        },
      }),
    )
    .use(
      cors({
        origin: options.corsOrigins ?? "*",
        allowHeaders: ["authorization", "content-type", "if-match", "idempotency-key"],
        exposeHeaders: ["etag", "location", "retry-after", "x-request-id", "idempotent-replayed"],
        maxAge: 600,
      }),
    )
    .use(authenticate(["/health", "/openapi.json"], { log, audiences: options.audiences ?? [] }))
    // Routes name a new item by its app path; the client gets it relative to its own URL (stage included).
    .use(relativeLocation())
    .onError((err, req) => {
      // A throttled call, mapped to a 503 (store/errors.ts), keeps the AWS error as its cause: logged, not sent.
      const cause = err instanceof HttpError && err.status >= 500 ? err.cause : undefined;
      if (isAwsError(cause)) logAwsError(log, req, cause, 503);
      if (err instanceof HttpError) return problem(err, req.requestId);
      if (isAwsError(err)) {
        // A backing service failed in a way with no HTTP meaning: 502, details in the log only.
        logAwsError(log, req, err, 502);
        return problem(new HttpError(502, "A backing service failed. Quote the request id when reporting it."), req.requestId);
      }
      throw err; // the library logs it with its stack and answers 500
    });

  app.get("/health", { summary: "Liveness: touches no AWS service", tags: ["meta"], security: [] }, () => ({ status: "ok", stage, version }));
  meRoutes(app, options.services);
  examRoutes(app, options.services, log);
  questionRoutes(app, options.services, log);
  attemptRoutes(app, options.services);
  fileRoutes(app, options.services, log);
  exportRoutes(app, options.services, log);
  openApiRoutes(app, version);
  return app;
}

// What an operator needs to find the failed call: the AWS error, its request id and status, and ours.
function logAwsError(log: Log, req: HttpRequest, err: AwsError, status: number): void {
  log({
    level: "error",
    message: "AWS error",
    requestId: req.requestId,
    method: req.method,
    route: req.route,
    status,
    errorName: err.name,
    errorMessage: err.message,
    awsRequestId: err.$metadata.requestId,
    awsStatus: err.$metadata.httpStatusCode,
    stack: err.stack,
  });
}
