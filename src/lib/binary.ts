import { JSON_TYPE, PROBLEM_TYPE } from "./response.ts";

// Text types we may send as a plain string; everything else travels as base64 so that PDFs, ZIPs and
// images arrive intact (the most common complaint in every peer's tracker).
// `[^;\s]`, not `[^;]`: overlapping the leading `\s*`, it made a blank-padded type cost quadratic time.
const TEXT_TYPE = /^\s*(?:text\/|application\/(?:javascript|ecmascript|x-www-form-urlencoded|graphql|x-ndjson|yaml|x-yaml|sql|toml)\b|[^;\s]*[/+](?:json|xml)\b)/i;

/**
 * Decides whether a string response body must be base64-encoded: true unless the content type is text and
 * the content encoding is absent or `identity` (compressed JSON is binary). A missing content type is text.
 * @example defaultIsBinary("application/pdf", undefined) // true
 * @example defaultIsBinary("application/json", "br") // true
 */
export function defaultIsBinary(contentType: string | undefined, contentEncoding: string | undefined): boolean {
  // The types our json() and problem() send are checked without the expression (bench: invoke, peers 404).
  return (!!contentEncoding && contentEncoding.trim().toLowerCase() !== "identity") || (!!contentType && contentType !== JSON_TYPE && contentType !== PROBLEM_TYPE && !TEXT_TYPE.test(contentType));
}
