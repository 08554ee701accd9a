// The floor: what a careful hand-written handler costs, for every source, without any library.
const JSON_TYPE = "application/json";

function queryValue(event: any, key: string): string | null {
  if (typeof event.rawQueryString === "string") {
    for (const pair of event.rawQueryString.split("&")) {
      const eq = pair.indexOf("=");
      if ((eq === -1 ? pair : pair.slice(0, eq)) === key) return eq === -1 ? "" : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, " "));
    }
    return null;
  }
  const v = event.multiValueQueryStringParameters?.[key]?.[0] ?? event.queryStringParameters?.[key];
  if (v === undefined || v === null) return null;
  return event.requestContext?.elb ? decodeURIComponent(v.replace(/\+/g, " ")) : v;
}

function reply(event: any, statusCode: number, body: string) {
  const res: any = { statusCode, headers: { "content-type": JSON_TYPE }, body, isBase64Encoded: false };
  if (event.requestContext?.elb) {
    res.statusDescription = statusCode === 200 ? "200 OK" : statusCode === 201 ? "201 Created" : "404 Not Found";
    if (event.multiValueHeaders) {
      res.multiValueHeaders = { "content-type": [JSON_TYPE] };
      delete res.headers;
    }
  }
  return res;
}

export const handler = async (event: any) => {
  const method = event.requestContext?.http?.method ?? event.httpMethod;
  const path: string = event.rawPath ?? event.path;
  if (method === "GET" && path === "/health") return reply(event, 200, '{"status":"ok"}');
  if (method === "GET" && path.startsWith("/exams/") && path.indexOf("/", 7) === -1 && path.length > 7) {
    return reply(event, 200, JSON.stringify({ examId: decodeURIComponent(path.slice(7)), q: queryValue(event, "q") }));
  }
  if (method === "POST" && path === "/exams") {
    const text = event.isBase64Encoded ? Buffer.from(event.body, "base64").toString("utf8") : event.body;
    return reply(event, 201, JSON.stringify({ id: "exam-1", ...JSON.parse(text) }));
  }
  return reply(event, 404, '{"message":"Not Found"}');
};
