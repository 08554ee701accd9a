// The maps and values createEvent writes into events (query maps, header maps, HTTP API's decoded path, API
// Gateway's times), kept apart from events.ts so that it holds one idea: which source sends which fields.
import { safeDecode } from "../lib/decode.ts";
import { parseQuery } from "../lib/query.ts";

// HTTP API hands the function a decoded path, which ends at a decoded "?" (an encoded `%3F` in the path is lost
// with everything after it, and a `%2F` is a "/" like any other).
export function httpApiPath(path: string): string {
  const decoded = safeDecode(path);
  return decoded.slice(0, (decoded + "?").indexOf("?"));
}

// On the API's own execute-api host, a named stage is the first segment of the path HTTP API delivers.
export function stagePrefix(stage: string): string {
  return stage === "$default" ? "" : "/" + stage;
}

// A payload 1.0 identity with no IAM caller (AWS's example and the captures): every field present, null.
export const NO_IDENTITY = {
  accessKey: null,
  accountId: null,
  caller: null,
  cognitoAuthenticationProvider: null,
  cognitoAuthenticationType: null,
  cognitoIdentityId: null,
  cognitoIdentityPoolId: null,
  principalOrgId: null,
  user: null,
  userArn: null,
};

// The event's maps are keyed by request text: a `constructor` header or a `__proto__` query key is a key like
// any other (in a plain object one reads an inherited value, the other cannot be assigned at all).
export function emptyMap<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}

export function encodeQuery(query: Record<string, string | string[]>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) for (const one of typeof v === "string" ? [v] : v) parts.push(encodeURIComponent(k) + "=" + encodeURIComponent(one));
  return parts.join("&");
}

// HTTP API's own `queryStringParameters`: decoded, duplicates comma-joined (which is why we never read it).
export function commaJoined(rawQuery: string): Record<string, string> {
  const out: Record<string, string> = emptyMap();
  for (const [k, vs] of Object.entries(decodedQuery(rawQuery))) out[k] = vs.join(",");
  return out;
}

export function decodedQuery(rawQuery: string): Record<string, string[]> {
  const out: Record<string, string[]> = emptyMap();
  parseQuery(rawQuery, (key, value) => (out[key] ??= []).push(value as string));
  return out;
}

export function lastValues(headers: Array<[string, string]>): Record<string, string> {
  const out: Record<string, string> = emptyMap();
  for (const [name, value] of headers) out[name] = value;
  return out;
}

export function allValues(headers: Array<[string, string]>): Record<string, string[]> {
  const out: Record<string, string[]> = emptyMap();
  for (const [name, value] of headers) (out[name] ??= []).push(value);
  return out;
}

export function lastOf(all: Record<string, string[]>): Record<string, string> {
  const out: Record<string, string> = emptyMap();
  for (const [k, vs] of Object.entries(all)) out[k] = vs[vs.length - 1]!;
  return out;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

// API Gateway's request time: "12/Sep/2026:09:14:27 +0000" (the common log format), always UTC.
export function clfTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}
