import { WriteStream } from "node:fs";
import { HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_AWS_ENV, startS3StandIn, type StandIn } from "./emulators.ts";

describe("the S3 stand-in", () => {
  let s3: StandIn;
  let client: S3Client;
  beforeAll(async () => {
    s3 = await startS3StandIn({ buckets: [{ name: "race" }] });
    client = new S3Client({
      endpoint: s3.endpoint,
      forcePathStyle: true,
      region: "us-east-1",
      credentials: { accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY },
      requestChecksumCalculation: "WHEN_REQUIRED",
    });
  });
  afterAll(() => s3.close());

  it("answers a PUT only once the object's bytes are on disk: a HEAD right after it sees the whole size, even on a slow disk", async () => {
    // s3rver resolves a PUT when its hashing stage has seen the last byte, before its file stream wrote them,
    // and a HEAD reads the size from the file: on a loaded machine complete() once read "0 bytes". A slow disk
    // (each write held 30 ms) makes that race certain.
    const write = WriteStream.prototype._write;
    WriteStream.prototype._write = function (this: WriteStream, ...args: Parameters<typeof write>) {
      setTimeout(() => write.apply(this, args), 30);
    };
    try {
      const body = new Uint8Array(20_000).fill(0x41);
      await client.send(new PutObjectCommand({ Bucket: "race", Key: "pending/e/f", Body: body, ContentType: "application/pdf" }));
      const head = await client.send(new HeadObjectCommand({ Bucket: "race", Key: "pending/e/f" }));
      expect(head.ContentLength).toBe(body.length);
    } finally {
      WriteStream.prototype._write = write;
    }
  });
});
