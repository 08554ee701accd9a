import { describe, expect, it } from "vitest";
import { claimlessNotice, devClaims, devTokenHint } from "./dev-auth.ts";

describe("dev tokens", () => {
  it.each([
    ["Bearer dev.teacher.t-1", undefined],
    ["Bearer dev.student.s_2", undefined],
    ["Bearer dev.Teacher.t-1", /is not a dev token: expected Bearer dev.<role>.<userId>/],
    ["Bearer dev.teacher", /is not a dev token/],
    ["Bearer dev.teacher.t 1", /is not a dev token/],
    ["garbage", /is not a dev token/],
    ["Bearer dev.admin.x", /role "admin": ExamBuddy knows teacher and student/],
    [undefined, undefined],
  ] as const)("%s → the dev server's hint %s (was: a bare 401 and no word why)", (authorization, hint) => {
    const got = devTokenHint(authorization);
    if (hint === undefined) expect(got).toBeUndefined();
    else expect(got).toMatch(hint);
  });
  it("a good token's claims carry the role where the app reads it", () => {
    expect(devClaims("Bearer dev.teacher.t-1")).toMatchObject({ sub: "t-1", "cognito:groups": "[teacher]" });
  });
  it.each([
    ["url", /Function URL \(AuthType AWS_IAM\)/],
    ["lattice", /VPC Lattice forwards no token claims/],
    ["lattice-v1", /VPC Lattice/],
    ["edge", /CloudFront verifies no tokens/],
    ["edge-origin", /CloudFront verifies no tokens/],
  ] as const)("--source %s says dev tokens cannot sign in (was: the banner offered them for lattice and edge)", (source, notice) => {
    expect(claimlessNotice(source)).toMatch(notice);
  });
  it.each(["http", "http-v1", "rest", "alb", "alb-single"])("--source %s converts dev tokens: no notice", (source) => {
    expect(claimlessNotice(source)).toBeUndefined();
  });
});
