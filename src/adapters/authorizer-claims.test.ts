import { afterEach, describe, expect, it } from "vitest";
import { cognitoAuthorizerClaims } from "./authorizer-claims.ts";

describe("cognitoAuthorizerClaims: REST's Cognito authorizer writes exp and iat as Java's Date.toString() in UTC (edges mutation testing left unpinned)", () => {
  const tz = process.env.TZ;
  afterEach(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  it("every field is two digits: a day of the month below 10 is zero-padded (\"Sat Sep 05 03:04:05 UTC 2026\", dd as in Java's \"EEE MMM dd HH:mm:ss zzz yyyy\")", () => {
    const exp = Date.UTC(2026, 8, 5, 3, 4, 5) / 1000;
    expect(cognitoAuthorizerClaims({ exp }).exp).toBe("Sat Sep 05 03:04:05 UTC 2026");
  });

  it("the time is UTC whatever the machine's time zone (a developer's laptop in Kolkata writes what Lambda writes)", () => {
    process.env.TZ = "Asia/Kolkata";
    const exp = Date.UTC(2026, 8, 12, 22, 14, 27) / 1000;
    // Guard: the zone change took effect, so a local-time reading would differ here.
    expect(new Date(exp * 1000).getHours()).not.toBe(22);
    expect(cognitoAuthorizerClaims({ exp, iat: exp }).iat).toBe("Sat Sep 12 22:14:27 UTC 2026");
  });
});
