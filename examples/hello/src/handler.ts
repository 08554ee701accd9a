// The smallest useful lambdalith function: two routes, every HTTP event source, one line to export.
import { handle, HttpError, json, router } from "lambdalith";

const app = router()
  .get("/", () => ({ hello: "world" }))
  .get("/hello/:name", (req) => json({ hello: req.params.name, from: req.source }))
  .post("/echo", (req) => {
    const body = req.json();
    if (typeof body !== "object" || body === null) throw new HttpError(422, "Send a JSON object");
    return json(body, 201);
  });

// API Gateway (REST or HTTP API), a Function URL or an ALB: the source is detected from the event.
export const handler = handle(app);
