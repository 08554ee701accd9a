// GET /exams/{examId}/results.csv: every attempt's result as CSV, streamed one DynamoDB page at a time, so
// an exam with any number of attempts is exported in constant memory. Only a streaming handler can send it
// (src/app/stream.ts, its own function behind a REST API STREAM integration); the buffered function, which
// cannot, answers 404 and names the streaming API.
import { HttpError, type Router } from "lambdalith";
import { canStream, stream } from "lambdalith/stream";
import { requireRole } from "../auth.ts";
import { attemptGrader, inGradingBatches, ownExam, type GetServices } from "../context.ts";
import { csvRow } from "../csv.ts";
import type { Log } from "../observability.ts";
import { ExamParams } from "../schemas.ts";
import type { AttemptSummary } from "../store/attempts.ts";
import type { Store } from "../store/client.ts";

// The first four as they always were (a reader by position keeps working); then the score's scale and what
// tells one attempt from a retake of the same student.
export const RESULTS_COLUMNS = ["student", "status", "score", "submittedAt", "maxScore", "attemptId", "startedAt", "submittedBy"] as const;

const tags = ["exams"];

/**
 * What grading must leave of the invocation: once less is left, the rest of the export writes its attempts as
 * stored (one past its deadline still open; the next read or export grades it), so the file ends whole rather
 * than cut by the function's timeout. Rows alone stream far faster than gradings (no answer sheet is read).
 */
export const GRADING_RESERVE_MS = 20_000;

export function exportRoutes(app: Router, services: GetServices, log: Log): void {
  app.get("/exams/:examId/results.csv", { params: ExamParams, summary: "Owner: every attempt's result as CSV (streamed)", tags }, async (req, { params }) => {
    const who = requireRole(req, "teacher");
    const { store } = services();
    await ownExam(store, who, params.examId);
    if (!canStream(req)) throw new HttpError(404, "The results export is streamed: request it from the streaming REST API (the StreamApiUrl output).");
    // Tests and local runs may have no context: no deadline.
    const timeLeft = () => req.context?.getRemainingTimeInMillis?.() ?? Infinity;
    return stream(resultRows(store, params.examId, timeLeft, log), {
      headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="results-${params.examId}.csv"` },
    });
  });
}

// The header goes out with the first page, so a first query that fails (throttling: 503) is still a
// problem+json; after that, one chunk per page. An attempt whose time ran out is graded as its page goes
// out (docs: Attempts and retakes), against the exam's questions read once for the whole export, while
// more than GRADING_RESERVE_MS of the invocation is left.
async function* resultRows(store: Store, examId: string, timeLeft: () => number, log: Log): AsyncGenerator<string> {
  // The store's operations load with import() on first use (store/lazy.ts); a generator can't go through lazy().
  const { attemptSummary, examAttemptPages, gradeIfExpired } = await import("../store/ops.ts");
  const grade = attemptGrader(store);
  const settled = async (a: AttemptSummary) => {
    const graded = await gradeIfExpired(store, a, grade);
    return graded ? attemptSummary(graded) : a;
  };
  let header = csvRow(RESULTS_COLUMNS);
  let grading = true;
  for await (const page of examAttemptPages(store, examId)) {
    if (grading && !(timeLeft() > GRADING_RESERVE_MS)) {
      grading = false;
      log({ level: "warn", message: "results export: too little time left to grade; the rest of its expired attempts are written as stored", examId, timeLeftMs: timeLeft() });
    }
    // The page's projection holds no answer sheet; grading reads one whole, a few at a time (inGradingBatches).
    const rows = grading ? await inGradingBatches(page, settled) : page;
    yield header + rows.map((a) => csvRow([a.studentId, a.status, a.score, a.submittedAt, a.maxScore, a.attemptId, a.startedAt, a.submittedBy])).join("");
    header = "";
  }
}
