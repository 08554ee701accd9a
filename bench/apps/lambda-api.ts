import lambdaApi from "lambda-api";

// lambda-api is CommonJS (`module.exports = createAPI`); its types describe a namespace, hence the cast.
const createAPI = lambdaApi as unknown as (options?: object) => any;
const api = createAPI();
api.get("/health", (_req: any, res: any) => res.json({ status: "ok" }));
api.get("/exams/:examId", (req: any, res: any) => res.json({ examId: req.params.examId, q: req.query.q ?? null }));
api.post("/exams", (req: any, res: any) => res.status(201).json({ id: "exam-1", ...req.body }));

export const handler = async (event: any, context: any) => api.run(event, context);
