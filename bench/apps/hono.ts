import { Hono } from "hono";
import { handle } from "hono/aws-lambda";

const app = new Hono();
app.get("/health", (c) => c.json({ status: "ok" }));
app.get("/exams/:examId", (c) => c.json({ examId: c.req.param("examId"), q: c.req.query("q") ?? null }));
app.post("/exams", async (c) => c.json({ id: "exam-1", ...(await c.req.json()) }, 201));

export const handler = handle(app);
