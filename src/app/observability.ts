// One JSON line per request, which is also a CloudWatch Embedded Metric Format document (Latency, and
// ColdStart on the first request of an execution environment): no SDK, no agent, just stdout.
import { logJson, type HttpRequest, type Middleware } from "lambdalith";

export const METRICS_NAMESPACE = "ExamBuddy";

/** Where the app's log lines go: `createApp`'s `log` option (default: `logJson`, one JSON line on stdout). */
export type Log = (entry: Record<string, unknown>) => void;

/**
 * An error as log fields, as `logJson(entry, err)` writes them: a custom {@link Log} gets the same line.
 * @example log({ level: "warn", message: "not recorded", ...errorFields(err) })
 */
export function errorFields(err: unknown): Record<string, unknown> {
  const known = err instanceof Error;
  return { errorName: known ? err.name : typeof err, errorMessage: known ? err.message : String(err), stack: known ? err.stack : undefined };
}

// True until the first request of this process has been logged (a module-level fact, not request state).
let cold = true;

/** For tests: make the next request count as a cold start again. */
export function resetColdStart(): void {
  cold = true;
}

/**
 * Access log + EMF metrics. Register it first, so it times and logs everything (404s, preflights, errors).
 * @example app.use(requestLog({ service: "exambuddy" }))
 */
export function requestLog(options: {
  service: string;
  stage?: string | undefined;
  now?: () => number;
  log?: Log;
  /** Who acted, read after the request ran (authentication sets it): `{ userId, role }`. Never a token. */
  who?: (req: HttpRequest) => { userId: string; role: string | null } | undefined;
}): Middleware {
  // process.hrtime: the `performance` global loads perf_hooks on first touch (cold start).
  const now = options.now ?? (() => Number(process.hrtime.bigint()) / 1e6);
  const log = options.log ?? logJson;
  return async (req, next) => {
    const coldStart = cold;
    cold = false;
    const started = now();
    const res = await next();
    const durationMs = Math.round((now() - started) * 100) / 100;
    const metrics = [{ Name: "Latency", Unit: "Milliseconds" }];
    if (coldStart) metrics.push({ Name: "ColdStart", Unit: "Count" });
    const who = options.who?.(req);
    log({
      level: res.status >= 500 ? "error" : "info",
      message: "request",
      requestId: req.requestId,
      // Lambda's invocation id: on Managed Instances one process serves several at once, lines interleave.
      lambdaRequestId: req.context?.awsRequestId,
      method: req.method,
      route: req.route ?? null,
      path: req.route ? undefined : req.path,
      status: res.status,
      durationMs,
      coldStart,
      source: req.source,
      userId: who?.userId ?? null,
      role: who?.role ?? null,
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [{ Namespace: METRICS_NAMESPACE, Dimensions: [["Service"]], Metrics: metrics }],
      },
      Service: options.service,
      Stage: options.stage,
      Latency: durationMs,
      ...(coldStart ? { ColdStart: 1 } : {}),
    });
    return res;
  };
}
