import { HttpError } from "lambdalith";
import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { guard, isAwsError, mapStoreError } from "./errors.ts";

const awsError = (name: string) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: 400, requestId: "r" } });

describe("mapStoreError", () => {
  it("maps a failed condition to 409", () => {
    const e = mapStoreError(awsError("ConditionalCheckFailedException"));
    expect(e).toBeInstanceOf(HttpError);
    expect((e as HttpError).status).toBe(409);
  });

  it.each(["ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"])("maps %s to 503 with retry-after", (name) => {
    const e = mapStoreError(awsError(name)) as HttpError;
    expect(e.status).toBe(503);
    expect(e.headers).toEqual({ "retry-after": "1" });
  });

  it("passes HttpErrors and other errors through unchanged", async () => {
    const http = new HttpError(404, "x");
    expect(mapStoreError(http)).toBe(http);
    const other = awsError("ResourceNotFoundException");
    expect(mapStoreError(other)).toBe(other);
    expect(isAwsError(other)).toBe(true);
    expect(isAwsError(new Error("bug"))).toBe(false);
    await expect(guard(() => Promise.reject(other))).rejects.toBe(other);
    await expect(guard(() => Promise.reject(awsError("ThrottlingException")))).rejects.toMatchObject({ status: 503 });
  });
});

describe("cursors", () => {
  const shape = { names: ["PK", "SK"], partition: ["PK", "EXAM#1"], sort: ["SK", "FILE#"] } as const;
  it("round-trips a key", () => {
    const key = { PK: "EXAM#1", SK: "FILE#2" };
    expect(decodeCursor(encodeCursor(key)!, { ...shape, names: [...shape.names], partition: [...shape.partition], sort: [...shape.sort] })).toEqual(key);
    expect(encodeCursor(undefined)).toBeNull();
  });
  it("rejects anything else with a 400", () => {
    const s = { names: ["PK", "SK"], partition: ["PK", "EXAM#1"] as [string, string], sort: ["SK", "FILE#"] as [string, string] };
    for (const c of ["%%%", "e30", encodeCursor({ PK: "EXAM#2", SK: "FILE#2" })!, encodeCursor({ PK: "EXAM#1", SK: "Q#2" })!, "x".repeat(3000)]) {
      expect(() => decodeCursor(c, s)).toThrow(HttpError);
    }
    expect(decodeCursor(undefined, s)).toBeUndefined();
  });
  it("measures a key value in UTF-8 bytes, as DynamoDB limits it (1,024 for a sort key): 700 × é is 1,400 bytes, a 400 (was: sent, a 502 on AWS)", () => {
    const s = { names: ["PK", "SK"], partition: ["PK", "EXAM#1"] as [string, string], sort: ["SK", "FILE#"] as [string, string] };
    expect(() => decodeCursor(encodeCursor({ PK: "EXAM#1", SK: "FILE#" + "é".repeat(700) })!, s)).toThrow(HttpError);
    expect(decodeCursor(encodeCursor({ PK: "EXAM#1", SK: "FILE#" + "e".repeat(1000) })!, s)).toMatchObject({ PK: "EXAM#1" });
  });
});
