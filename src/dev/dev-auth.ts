// The local stand-in for API Gateway's JWT authorizer. `Authorization: Bearer dev.<role>.<userId>` becomes
// verified claims in the event, exactly where API Gateway puts them; the app never learns about dev tokens.

const DEV_TOKEN = /^Bearer\s+dev\.([a-z][a-z0-9_-]{0,31})\.([A-Za-z0-9_-]{1,64})$/;

/**
 * Claims for a dev token, or `undefined` when the header is absent or not a dev token (then the request
 * arrives unauthenticated, as it would through a real authorizer that rejected nothing it could verify).
 * @example devClaims("Bearer dev.teacher.t-1") // { sub: "t-1", email: "t-1@exambuddy.test", ... }
 */
export function devClaims(authorization: string | undefined): Record<string, string> | undefined {
  if (authorization === undefined) return undefined;
  const match = DEV_TOKEN.exec(authorization.trim());
  if (match === null) return undefined;
  const [, role, userId] = match as unknown as [string, string, string];
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: userId,
    email: `${userId}@exambuddy.test`,
    name: userId,
    // HTTP API's JWT authorizer renders array claims as "[a b]"; we send the same shape.
    "cognito:groups": `[${role}]`,
    "custom:role": role,
    iss: "https://dev.exambuddy.local",
    aud: "exambuddy-dev",
    iat: String(now),
    exp: String(now + 3600),
  };
}
