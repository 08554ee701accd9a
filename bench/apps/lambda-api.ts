import lambdaApi from "lambda-api";

// lambda-api's default export is createAPI (its ESM build, which esbuild picks); its types describe a
// namespace, hence the cast.
const createAPI = lambdaApi as unknown as (options?: object) => any;
const api = createAPI();
// ALB hands the query over as the client sent it, percent-encoded (it never decodes), and lambda-api decodes
// it only in ALB's multi-value mode: an app behind an ALB decodes it itself (a form value: "+" is a space).
const query = (req: any, key: string): string | null => {
  const value = req.query[key];
  if (value === undefined) return null;
  return req.interface === "alb" ? decodeURIComponent(value.replace(/\+/g, " ")) : value;
};
api.get("/health", (_req: any, res: any) => res.json({ status: "ok" }));
api.get("/exams/:examId", (req: any, res: any) => res.json({ examId: req.params.examId, q: query(req, "q") }));
api.post("/exams", (req: any, res: any) => res.status(201).json({ id: "exam-1", ...req.body }));

export const handler = async (event: any, context: any) => api.run(event, context);
