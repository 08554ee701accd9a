import { createHandler, httpApiV2, json, router } from "../../src/index.ts";

const app = router()
  .get("/health", () => ({ status: "ok" }))
  .get("/exams/:examId", (req) => ({ examId: req.params.examId, q: req.query["q"] ?? null }))
  .post("/exams", (req) => json({ id: "exam-1", ...(req.json() as object) }, 201));

export const handler = createHandler(app, { adapters: [httpApiV2] });
