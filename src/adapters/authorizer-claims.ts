// Verified claims as each API Gateway authorizer hands them to the function, for createEvent: a test writes a
// JWT payload (arrays, numbers, booleans), but no authorizer delivers those types, and an app that reads
// `claims.exp` as a number or `claims["cognito:groups"]` as an array passes its tests and fails deployed.

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

// REST's Cognito authorizer writes the token's times as "Sat Sep 12 10:14:27 UTC 2026" (AWS's "Integrating
// Amazon Cognito user pools with API Gateway" example and our captured event).
function cognitoTime(seconds: number): string {
  const d = new Date(seconds * 1000);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

// Only the types the authorizers are seen to convert: what they do with a nested object is not documented, so
// one is passed on as given.
function mapScalars(claims: Record<string, unknown>, convert: (name: string, value: string | number | boolean | unknown[]) => string): Record<string, unknown> {
  // A claim named `__proto__` is a claim like any other (createEvent's JSON round trip makes the map plain).
  const out: Record<string, unknown> = Object.create(null);
  for (const [name, value] of Object.entries(claims)) {
    const scalar = typeof value === "number" || typeof value === "boolean" || Array.isArray(value);
    out[name] = scalar ? convert(name, value as number | boolean | unknown[]) : value;
  }
  return out;
}

/**
 * HTTP API's JWT authorizer: every claim a string, an array flattened to `"[a b]"` (events/http-api-v2-jwt-claims.json).
 * @example jwtAuthorizerClaims({ "cognito:groups": ["teacher", "admin"], exp: 1789208067 }) // { "cognito:groups": "[teacher admin]", exp: "1789208067" }
 */
export function jwtAuthorizerClaims(claims: Record<string, unknown>): Record<string, unknown> {
  return mapScalars(claims, (_name, value) => (Array.isArray(value) ? `[${value.join(" ")}]` : String(value)));
}

/**
 * REST's Cognito user pool authorizer: every claim a string, a list comma-joined, `exp` and `iat` as dates
 * (events/apigw-v1-cognito-claims.json).
 * @example cognitoAuthorizerClaims({ "cognito:groups": ["teacher", "admin"], exp: 1789208067 }) // { "cognito:groups": "teacher,admin", exp: "Sat Sep 12 10:14:27 UTC 2026" }
 */
export function cognitoAuthorizerClaims(claims: Record<string, unknown>): Record<string, unknown> {
  return mapScalars(claims, (name, value) => (Array.isArray(value) ? value.join(",") : typeof value === "number" && (name === "exp" || name === "iat") ? cognitoTime(value) : String(value)));
}
