import middy from "@middy/core";
import httpRouterHandler from "@middy/http-router";
import httpJsonBodyParser from "@middy/http-json-body-parser";

// ALB hands the query over as the client sent it, percent-encoded (it never decodes), and middy passes it on
// as is: a middy app behind an ALB decodes it itself (a form value: "+" is a space), as raw does.
const query = (event: any, key: string): string | null => {
  const value = event.queryStringParameters?.[key];
  if (value === undefined) return null;
  return event.requestContext?.elb ? decodeURIComponent(value.replace(/\+/g, " ")) : value;
};
const json = (statusCode: number, data: unknown) => ({ statusCode, headers: { "content-type": "application/json" }, body: JSON.stringify(data) });

// A route with no middleware is a plain handler (http-router calls any function): wrapping it in its own
// middy() would make middy pay for a second instance per request that its users need not.
const routes = [
  { method: "GET", path: "/health", handler: async () => json(200, { status: "ok" }) },
  {
    method: "GET",
    path: "/exams/{examId}",
    handler: async (event: any) => json(200, { examId: event.pathParameters.examId, q: query(event, "q") }),
  },
  {
    method: "POST",
    path: "/exams",
    handler: middy()
      .use(httpJsonBodyParser())
      .handler(async (event: any) => json(201, { id: "exam-1", ...event.body })),
  },
] as const;

export const handler = middy().handler(httpRouterHandler({ routes: routes as any, notFoundResponse: () => json(404, { message: "Not Found" }) }) as any);
