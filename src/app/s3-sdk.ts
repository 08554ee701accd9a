// The only module that imports the S3 SDK; files.ts loads it with `import()` on first use, so it lands in
// its own chunk and requests that never touch files never load it.
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";

export interface ObjectInfo {
  size: number;
  contentType: string | undefined;
  etag: string | undefined;
}

export interface S3 {
  presignPut(input: { bucket: string; key: string; contentType: string; size: number; expiresIn: number }): Promise<string>;
  presignGet(input: { bucket: string; key: string; expiresIn: number; contentDisposition?: string | undefined; contentType?: string | undefined }): Promise<string>;
  head(bucket: string, key: string): Promise<ObjectInfo | null>;
  /**
   * Copies an object; with `etag`, only that version of it (else {@link ObjectChanged}). With `contentType`,
   * the copy has that type and no other header of the source (Content-Encoding, Cache-Control, …).
   */
  copy(bucket: string, from: string, to: string, etag?: string | undefined, contentType?: string | undefined): Promise<void>;
  /** The first `length` bytes of an object (a ranged GET), or null if there is none; with `etag`, only that version's (else {@link ObjectChanged}). */
  readStart(bucket: string, key: string, length: number, etag?: string | undefined): Promise<Uint8Array | null>;
  /** Deletes an object (deleting a missing key succeeds, as on S3). */
  delete(bucket: string, key: string): Promise<void>;
}

/**
 * Thrown when an object is no longer the version a condition named (S3's 412 PreconditionFailed): it was
 * uploaded again in between.
 */
export class ObjectChanged extends Error {
  override name = "ObjectChanged";
}

// S3's answer to a failed If-Match / x-amz-copy-source-if-match.
function preconditionFailed(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === "PreconditionFailed" || e.$metadata?.httpStatusCode === 412;
}

/**
 * The S3 client: region, credentials and `AWS_ENDPOINT_URL_S3` come from the environment.
 * - `requestChecksumCalculation: "WHEN_REQUIRED"`: the SDK's default (since 3.729) puts the CRC32 of an
 *   empty body into pre-signed PUT URLs, and real S3 then rejects every upload to them.
 * - `forcePathStyle` only with an endpoint override (local stand-ins have no bucket subdomains).
 */
export function createS3(options: { endpoint?: string | undefined } = {}): S3 {
  const endpoint = options.endpoint ?? process.env["AWS_ENDPOINT_URL_S3"] ?? process.env["AWS_ENDPOINT_URL"];
  const client = new S3Client({
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
  });
  return {
    presignPut: ({ bucket, key, contentType, size, expiresIn }) =>
      getSignedUrl(client, new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: contentType, ContentLength: size }), {
        expiresIn,
        // Signed headers must be sent exactly: S3 refuses another type or size (403 SignatureDoesNotMatch).
        signableHeaders: new Set(["content-type", "content-length"]),
      }),
    presignGet: ({ bucket, key, expiresIn, contentDisposition, contentType }) =>
      getSignedUrl(
        client,
        new GetObjectCommand({ Bucket: bucket, Key: key, ResponseContentDisposition: contentDisposition, ResponseContentType: contentType }),
        { expiresIn },
      ),
    async head(bucket, key) {
      try {
        const out = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return { size: out.ContentLength ?? 0, contentType: out.ContentType, etag: out.ETag };
      } catch (err) {
        // 404 needs s3:ListBucket on the bucket; without it S3 answers a missing key with 403.
        const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
        if (e.name === "NotFound" || e.name === "NoSuchKey" || e.$metadata?.httpStatusCode === 404) return null;
        throw err;
      }
    },
    async readStart(bucket, key, length, etag) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${length - 1}`, IfMatch: etag }));
        const bytes = (await out.Body?.transformToByteArray()) ?? new Uint8Array(0);
        // A server that ignores Range sends the whole object: keep only what was asked for.
        return bytes.subarray(0, length);
      } catch (err) {
        const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
        if (e.name === "NoSuchKey" || e.name === "NotFound" || e.$metadata?.httpStatusCode === 404) return null;
        throw preconditionFailed(err) ? new ObjectChanged(`${key} changed`) : err;
      }
    },
    async delete(bucket, key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    async copy(bucket, from, to, etag, contentType) {
      try {
        // Our keys are ASCII ids, so CopySource needs no encoding (s3rver can't decode an encoded one).
        // REPLACE with only the type: the uploader may send any standard header unsigned (Content-Encoding:
        // gzip, Cache-Control, …), and S3 stores it with the object; COPY would serve it with every download.
        const metadata = contentType === undefined ? { MetadataDirective: "COPY" as const } : { MetadataDirective: "REPLACE" as const, ContentType: contentType };
        await client.send(new CopyObjectCommand({ Bucket: bucket, Key: to, CopySource: `${bucket}/${from}`, CopySourceIfMatch: etag, ...metadata }));
      } catch (err) {
        throw preconditionFailed(err) ? new ObjectChanged(`${from} changed`) : err;
      }
    },
  };
}
