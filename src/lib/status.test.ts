import { describe, expect, it } from "vitest";
import { STATUS_TEXT, statusText } from "./status.ts";

// RFC 9110 §15's reason phrases (413 and 422 renamed from RFC 7231's "Payload Too Large" and "Unprocessable Entity").
const RFC_9110: Record<number, string> = {
  200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 206: "Partial Content",
  301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified", 307: "Temporary Redirect", 308: "Permanent Redirect",
  400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 409: "Conflict", 410: "Gone",
  412: "Precondition Failed", 413: "Content Too Large", 414: "URI Too Long", 415: "Unsupported Media Type", 422: "Unprocessable Content",
  500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
};
// RFC 6585's.
const RFC_6585: Record<number, string> = { 428: "Precondition Required", 429: "Too Many Requests" };

describe("statusText", () => {
  it("every phrase in the table is the RFC's", () => {
    for (const [code, phrase] of Object.entries(STATUS_TEXT)) expect(phrase, code).toBe(RFC_9110[Number(code)] ?? RFC_6585[Number(code)]);
  });

  it("has every status the library answers with and the ones an ALB's statusDescription was found missing (206, 410, 501, 504), 428 and 429", () => {
    const needed = [200, 204, 206, 304, 400, 401, 404, 405, 410, 413, 414, 415, 422, 428, 429, 500, 501, 502, 503, 504, 308, 307, 303, 302, 301];
    for (const code of needed) expect(STATUS_TEXT[code], String(code)).toBeDefined();
  });

  it("is 'Unknown' for a code outside the table", () => {
    expect(statusText(418)).toBe("Unknown");
    expect(statusText(404)).toBe("Not Found");
  });
});
