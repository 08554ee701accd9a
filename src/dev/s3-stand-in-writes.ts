import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

/** What s3rver 3.7.1's filesystem store takes and gives in `putObject` (see its lib/stores/filesystem.js). */
export interface S3rverStore {
  getResourcePath(bucket: string, key: string, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5: string): Promise<void>;
  putObject(object: { bucket: string; key: string; content: NodeJS.ReadableStream | Buffer; metadata: Record<string, string> }): Promise<{ size: number; md5: string }>;
}

/**
 * Makes s3rver answer a PUT only once the object's bytes are on disk. Its store resolves when its hashing
 * stage has seen the last byte, before its file stream wrote them (or even opened the file), and a HEAD or
 * GET reads the size from the file: on a loaded machine, complete()'s HeadObject read "0 bytes" of an upload
 * that had answered 200. AWS answers a PUT once the object is stored.
 * @example waitForObjectWrites(s3rver.store)
 */
export function waitForObjectWrites(store: S3rverStore): void {
  store.putObject = async function putObject(object) {
    const path = this.getResourcePath(object.bucket, object.key, "object");
    await mkdir(dirname(path), { recursive: true });
    const md5 = createHash("md5");
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        md5.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    const content = Buffer.isBuffer(object.content) ? [object.content] : object.content;
    await pipeline(content, measure, createWriteStream(path));
    const digest = md5.digest("hex");
    await this.putMetadata(object.bucket, object.key, object.metadata, digest);
    return { size, md5: digest };
  };
}
