// Identity comes only from verified claims, never from a header the client controls: what API Gateway's
// authorizer verified (`req.auth`), or, behind an Application Load Balancer (`req.source === "alb"`), the
// `x-amzn-oidc-data` JWT the ALB signed, verified in alb-identity.ts. HTTP API's JWT authorizer flattens array
// claims into strings ("[teacher admin]"); REST's Cognito authorizer gives plain strings ("teacher,admin") or
// arrays in tests: all are parsed here, whatever the source.
import { HttpError, type HttpRequest, type Middleware } from "lambdalith";
import { albIdentity, type AlbIdentity } from "./alb-identity.ts";
import type { Role } from "./schemas.ts";

export interface Identity {
  sub: string;
  email: string | undefined;
  name: string | undefined;
  role: Role | undefined;
}

/** The values of a list claim in any of the shapes authorizers deliver. */
export function claimList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== "string") return [];
  let s = value.trim();
  if (s.startsWith("[") && s.endsWith("]")) {
    const inner = s.slice(1, -1);
    // A JSON array ("[\"a\",\"b\"]") or HTTP API's "[a b]".
    try {
      const parsed = JSON.parse(s);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // not JSON
    }
    s = inner;
  }
  return s.split(/[\s,]+/).filter(Boolean);
}

const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);

/**
 * The role: `teacher` if the caller's groups (`cognito:groups`, or `groups` from another OIDC provider) name
 * it, else `student` if they name that, else none. Groups are set by an administrator. `custom:role` (and a
 * plain `role` claim) are never read: a Cognito user may change their own custom attributes unless the app
 * client's WriteAttributes leaves them out, and template.yaml creates no user pool client that does so
 * (docs/exambuddy.md, "Identity").
 */
export function roleOf(claims: Record<string, unknown>): Role | undefined {
  const groups = claimList(claims["cognito:groups"] ?? claims["groups"]);
  if (groups.includes("teacher")) return "teacher";
  if (groups.includes("student")) return "student";
  return undefined;
}

/** The identity in verified claims, or undefined without a `sub`. */
export function identityOf(claims: Record<string, unknown> | undefined): Identity | undefined {
  if (claims === undefined) return undefined;
  const sub = str(claims["sub"]);
  if (sub === undefined) return undefined;
  return { sub, email: str(claims["email"]), name: str(claims["name"]), role: roleOf(claims) };
}

/** The caller's identity from the authorizer's claims (`req.auth`), or undefined (IAM, ALB, no authorizer). */
export function identify(req: HttpRequest): Identity | undefined {
  return identityOf(req.auth);
}

const USER = "exambuddy.user";

export interface AuthenticateOptions {
  /** Reads ALB requests' `x-amzn-oidc-data` (default: {@link albIdentity} configured from the environment). */
  alb?: AlbIdentity;
  /** Where the default ALB reader logs rejected tokens. */
  log?: (entry: Record<string, unknown>) => void;
  /**
   * The app client ids an API Gateway token must be issued for (its `aud`, or an access token's `client_id`);
   * empty or unset checks none (local runs, tests). REST's Cognito authorizer accepts a token of any app client
   * of the user pool: only the HTTP API's JWT authorizer checks the audience itself.
   */
  audiences?: readonly string[];
}

/**
 * True when the claims name one of the audiences: an ID token's `aud` (a string, or a list in other
 * providers' tokens) or an access token's `client_id`.
 * @example issuedFor({ aud: "client-web" }, ["client-web"]) // true
 */
export function issuedFor(claims: Record<string, unknown>, audiences: readonly string[]): boolean {
  return [...claimList(claims["aud"]), ...claimList(claims["client_id"])].some((id) => audiences.includes(id));
}

/**
 * 401 for every request without verified claims, except the listed public paths; sets the identity
 * for {@link user}. API Gateway sources: the authorizer's claims only. ALB: the ALB-signed claims, verified
 * here (async: the ALB's public key may be fetched on first use).
 */
export function authenticate(publicPaths: readonly string[] = ["/health"], options: AuthenticateOptions = {}): Middleware {
  const alb = options.alb ?? albIdentity(options.log ? { log: options.log } : {});
  const audiences = options.audiences ?? [];
  return async (req, next) => {
    if (publicPaths.includes(req.path)) return next();
    if (req.auth !== undefined && audiences.length > 0 && !issuedFor(req.auth, audiences)) {
      throw new HttpError(401, "Sign in again: this token was issued for another app client of the user pool", { headers: { "www-authenticate": 'Bearer error="invalid_token"' } });
    }
    const who = identify(req) ?? (req.source === "alb" ? identityOf(await alb(req)) : undefined);
    if (who === undefined) {
      const detail = req.source === "alb" ? "Sign in: this API needs a user authenticated by the load balancer (x-amzn-oidc-data)" : "Sign in: this API needs a token verified by the API Gateway authorizer";
      throw new HttpError(401, detail, { headers: { "www-authenticate": "Bearer" } });
    }
    req.state[USER] = who;
    return next();
  };
}

/** The authenticated caller, or undefined before {@link authenticate} ran or when it refused (for the request log). */
export function caller(req: HttpRequest): Identity | undefined {
  return req.state[USER] as Identity | undefined;
}

/** The authenticated caller (routes run after {@link authenticate}). */
export function user(req: HttpRequest): Identity {
  const who = req.state[USER] as Identity | undefined;
  if (who === undefined) throw new HttpError(401, "Not authenticated");
  return who;
}

/** The caller, who must have `role` (403 otherwise). */
export function requireRole(req: HttpRequest, role: Role): Identity {
  const who = user(req);
  if (who.role !== role) throw new HttpError(403, `Only ${role}s may do this`);
  return who;
}
