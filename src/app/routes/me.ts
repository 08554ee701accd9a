import { json, type Router } from "lambdalith";
import { user } from "../auth.ts";
import { etag, expectedVersion, versioned, type GetServices } from "../context.ts";
import { bodyLimit } from "../guards.ts";
import { BODY_LIMITS } from "../limits.ts";
import { IfMatchHeaders, ProfilePatch } from "../schemas.ts";
import { ensureUser, updateUser } from "../store/lazy.ts";
import type { User } from "../store/types.ts";

const tags = ["me"];

// The profile is created from the verified claims on first call; role and email always come from the
// current token (the stored copies are informational).
function view(profile: User, who: ReturnType<typeof user>) {
  // From this token only: an access token carries no email, and a stored one may be stale.
  return { ...profile, role: who.role ?? null, email: who.email ?? null };
}

export function meRoutes(app: Router, services: GetServices): void {
  app.get("/me", { summary: "The caller's profile (created on first call)", tags }, async (req) => {
    const who = user(req);
    const profile = await ensureUser(services().store, who);
    return json(view(profile, who), { headers: { etag: etag(profile.version) } });
  });

  app.patch("/me", { body: ProfilePatch, headers: IfMatchHeaders, summary: "Change the display name", tags }, bodyLimit(BODY_LIMITS.profile), async (req, { body, headers }) => {
    const who = user(req);
    const { store } = services();
    const { version, viaIfMatch } = expectedVersion(headers["if-match"], body.version, false);
    await ensureUser(store, who);
    const profile = await versioned(viaIfMatch, () => updateUser(store, who.sub, { displayName: body.displayName }, version));
    return json(view(profile, who), { headers: { etag: etag(profile.version) } });
  });
}
