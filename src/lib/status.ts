// Our own reason phrases: importing node:http for STATUS_CODES costs tens of ms of cold start. The codes
// apps commonly send only (every byte ships in every bundle). For another, statusText says "Unknown" and a
// problem has no title. An ALB's statusDescription needs the phrase, hence 206/410/501/504 too (a review
// found "410 Unknown").
/** The reason phrases by status; a status it lacks has none (HttpError leaves such a problem's title out). */
export const STATUS_TEXT: Record<number, string> = {
  200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 206: "Partial Content",
  301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified", 307: "Temporary Redirect", 308: "Permanent Redirect",
  400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 409: "Conflict", 410: "Gone",
  412: "Precondition Failed", 413: "Content Too Large", 414: "URI Too Long", 415: "Unsupported Media Type", 422: "Unprocessable Content",
  428: "Precondition Required", 429: "Too Many Requests", 500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
};

/**
 * The reason phrase for a status code, `"Unknown"` for codes outside our table.
 * @example statusText(404) // "Not Found"
 */
export function statusText(status: number): string {
  return STATUS_TEXT[status] ?? "Unknown";
}
