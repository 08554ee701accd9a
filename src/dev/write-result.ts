import { statusText } from "../index.ts";

/** A Lambda result turned back into what the client receives. */
export interface HttpReply {
  status: number;
  headers: Array<[string, string]>;
  body: Uint8Array;
}

/**
 * What API Gateway (or the ALB, or a Function URL) sends to the client for a Lambda result: status,
 * headers (several Set-Cookie from `cookies[]`, `multiValueHeaders` or case-varied names), and the body,
 * base64-decoded when flagged. A malformed result is a 502, as AWS answers it.
 * @example fromResult({ statusCode: 200, body: "hi" })
 */
export function fromResult(result: unknown): HttpReply {
  if (result === null || typeof result !== "object" || typeof (result as { statusCode?: unknown }).statusCode !== "number") {
    return { status: 502, headers: [["content-type", "application/json"]], body: Buffer.from('{"message":"Internal Server Error: malformed Lambda proxy response"}') };
  }
  const r = result as { statusCode: number; headers?: Record<string, string>; multiValueHeaders?: Record<string, string[]>; cookies?: string[]; body?: string; isBase64Encoded?: boolean };
  const headers: Array<[string, string]> = [];
  const multi = r.multiValueHeaders ?? {};
  const seen = new Set(Object.keys(multi).map((k) => k.toLowerCase()));
  for (const [name, values] of Object.entries(multi)) for (const v of values) headers.push([name.toLowerCase(), String(v)]);
  for (const [name, value] of Object.entries(r.headers ?? {})) if (!seen.has(name.toLowerCase()) || name.toLowerCase() === "set-cookie") headers.push([name.toLowerCase(), String(value)]);
  for (const cookie of r.cookies ?? []) headers.push(["set-cookie", cookie]);
  const body = r.body === undefined || r.body === null ? new Uint8Array(0) : r.isBase64Encoded ? Buffer.from(r.body, "base64") : Buffer.from(r.body, "utf8");
  return { status: r.statusCode, headers, body };
}

/**
 * The status line text the dev server logs.
 * @example statusLine(404) // "404 Not Found"
 */
export function statusLine(status: number): string {
  return `${status} ${statusText(status)}`;
}
