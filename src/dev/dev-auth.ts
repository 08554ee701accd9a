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

/** The sources whose events never carry a dev token's claims, as deployed (see {@link claimlessNotice}). */
const CLAIMLESS: Record<string, string> = {
  url: "Function URL (AuthType AWS_IAM), as deployed: requests arrive signed by a local IAM identity and carry no\nuser claims",
  lattice: "VPC Lattice forwards no token claims (only the caller's network and, with IAM auth, its principal)",
  "lattice-v1": "VPC Lattice forwards no token claims (only the caller's network and, with IAM auth, its principal)",
  edge: "CloudFront verifies no tokens: a Lambda@Edge event carries no claims",
  "edge-origin": "CloudFront verifies no tokens: a Lambda@Edge event carries no claims",
};

/**
 * Why dev tokens do not work with a source, or undefined when they do.
 * @example claimlessNotice("edge") // "CloudFront verifies no tokens: …"
 */
export function claimlessNotice(source: string): string | undefined {
  return CLAIMLESS[source];
}

/**
 * A hint for the dev server's log when a request's Authorization is not a dev token the app can use, or
 * undefined (no header, or a good token).
 * @example devTokenHint("Bearer dev.Teacher.t-1") // "Authorization is not a dev token: …"
 */
export function devTokenHint(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const claims = devClaims(authorization);
  if (claims === undefined) return "Authorization is not a dev token: expected Bearer dev.<role>.<userId> (lower-case role; userId of letters, digits, _ and -), e.g. dev.teacher.t-1";
  const role = claims["custom:role"];
  return role === "teacher" || role === "student" ? undefined : `dev token role "${role}": ExamBuddy knows teacher and student, so this caller has no role`;
}
