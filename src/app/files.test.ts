// Pre-signed uploads and downloads against a real (local) S3: s3rver from test/global-setup.ts.
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { HttpError } from "lambdalith";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestBucket, useLocalAws } from "../../test/local-aws.ts";
import { contentDisposition, createFiles, createUpload, downloadUrl, hasMagic, headObject, MAGIC, MAGIC_BYTES, pendingKey, promoteUpload, readyKey, type Files } from "./files.ts";
import { FILE_TYPES, type FileType } from "./schemas.ts";
import { newId } from "./ids.ts";
import { createS3, type S3 } from "./s3-sdk.ts";

let files: Files;
beforeAll(async () => {
  useLocalAws();
  files = createFiles({ bucket: await createTestBucket("files") });
});

describe("pre-signed PUT URL (unit)", () => {
  it("carries no checksum parameters, signs content-type and content-length, expires in 5 minutes", async () => {
    // A regional endpoint, as in production: nothing is sent, the URL is only computed.
    const s3 = createS3({ endpoint: "https://s3.us-east-1.amazonaws.com" });
    const raw = await s3.presignPut({ bucket: "b", key: "pending/E/F", contentType: "application/pdf", size: 1234, expiresIn: 300 });
    const url = new URL(raw);
    const names = [...url.searchParams.keys()].map((k) => k.toLowerCase());
    expect(names.filter((k) => k.startsWith("x-amz-checksum-"))).toEqual([]);
    expect(names).not.toContain("x-amz-sdk-checksum-algorithm");
    expect(url.searchParams.get("X-Amz-SignedHeaders")!.split(";")).toEqual(["content-length", "content-type", "host"]);
    expect(url.searchParams.get("X-Amz-Expires")).toBe("300");
    expect(url.pathname).toBe("/b/pending/E/F");
  });

  it("through createUpload: server-generated key under pending/, never the file name", async () => {
    const examId = newId();
    const up = await createUpload(files, { examId, contentType: "image/png", size: 10 });
    expect(up.key).toBe(pendingKey(examId, up.fileId));
    expect(up.headers).toEqual({ "content-type": "image/png" });
    const url = new URL(up.url);
    expect([...url.searchParams.keys()].some((k) => /checksum/i.test(k))).toBe(false);
    expect(url.searchParams.get("X-Amz-SignedHeaders")).toContain("content-type");
  });
});

describe("upload → complete → download (s3rver)", () => {
  it("round-trips real bytes through the pre-signed URLs", async () => {
    const examId = newId();
    const bytes = randomBytes(256 * 1024);
    bytes.set([0x25, 0x50, 0x44, 0x46, 0x2d], 0); // %PDF-
    const up = await createUpload(files, { examId, contentType: "application/pdf", size: bytes.length });
    const put = await fetch(up.url, { method: "PUT", headers: up.headers, body: bytes });
    expect(put.status).toBe(200);

    const head = await headObject(files, up.key);
    expect(head).toMatchObject({ size: bytes.length, contentType: "application/pdf" });

    const done = await promoteUpload(files, { examId, fileId: up.fileId, contentType: "application/pdf", size: bytes.length });
    expect(done.key).toBe(readyKey(examId, up.fileId));
    // Completing again is harmless.
    expect((await promoteUpload(files, { examId, fileId: up.fileId, contentType: "application/pdf", size: bytes.length })).key).toBe(done.key);

    const { url } = await downloadUrl(files, { key: done.key, fileName: "Übung 1 \"final\".pdf", contentType: "application/pdf" });
    const got = await fetch(url);
    expect(got.status).toBe(200);
    expect(got.headers.get("content-type")).toBe("application/pdf");
    expect(got.headers.get("content-disposition")).toBe(contentDisposition("Übung 1 \"final\".pdf"));
    expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it("HeadObject of a missing key is null; completing before uploading is a 409", async () => {
    expect(await headObject(files, `pending/${newId()}/${newId()}`)).toBeNull();
    const err = await promoteUpload(files, { examId: newId(), fileId: newId(), contentType: "image/png", size: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(409);
  });

  it("refuses to complete an upload whose size or type differs from the declaration (422)", async () => {
    // s3rver does not check signatures, so it accepts these; real S3 would refuse the PUT itself (403).
    const examId = newId();
    const up = await createUpload(files, { examId, contentType: "image/png", size: 12 });
    expect((await fetch(up.url, { method: "PUT", headers: up.headers, body: new Uint8Array(10) })).status).toBe(200);
    const size = await promoteUpload(files, { examId, fileId: up.fileId, contentType: "image/png", size: 12 }).catch((e: unknown) => e);
    expect(size).toMatchObject({ status: 422 });

    const up2 = await createUpload(files, { examId, contentType: "image/png", size: 4 });
    expect((await fetch(up2.url, { method: "PUT", headers: { "content-type": "image/jpeg" }, body: new Uint8Array(4) })).status).toBe(200);
    const type = await promoteUpload(files, { examId, fileId: up2.fileId, contentType: "image/png", size: 4 }).catch((e: unknown) => e);
    expect(type).toMatchObject({ status: 422 });
  });
});

describe("issue 11: complete checks the first bytes against the declared type (ranged GET)", () => {
  let files: Files;
  beforeAll(async () => {
    files = createFiles({ bucket: await createTestBucket("magic") });
  });

  const upload = async (contentType: FileType, bytes: Uint8Array) => {
    const examId = newId();
    const up = await createUpload(files, { examId, contentType, size: bytes.length });
    expect((await fetch(up.url, { method: "PUT", headers: up.headers, body: bytes })).status).toBe(200);
    return promoteUpload(files, { examId, fileId: up.fileId, contentType, size: bytes.length }).catch((e: unknown) => e);
  };
  const withStart = (start: number[], size = 4096) => {
    const bytes = new Uint8Array(size).fill(0x41);
    bytes.set(start, 0);
    return bytes;
  };

  it("refuses a Windows executable (MZ…) declared as a PDF", async () => {
    const res = await upload("application/pdf", withStart([0x4d, 0x5a, 0x90, 0x00]));
    expect(res).toBeInstanceOf(HttpError);
    expect(res).toMatchObject({ status: 422, detail: "The uploaded bytes are not a PDF, as declared (application/pdf)" });
  });

  it("accepts each type's real signature and refuses the others' signatures", async () => {
    const signatures: Record<FileType, number[]> = {
      "application/pdf": [...MAGIC["application/pdf"]],
      "image/png": [...MAGIC["image/png"]],
      "image/jpeg": [...MAGIC["image/jpeg"], 0xe0],
    };
    for (const [type, start] of Object.entries(signatures) as [FileType, number[]][]) {
      expect(await upload(type, withStart(start)), type).toMatchObject({ key: expect.stringMatching(/^files\//) });
      for (const other of FILE_TYPES.filter((t) => t !== type)) {
        expect(await upload(other, withStart(start)), `${type} bytes as ${other}`).toMatchObject({ status: 422 });
      }
    }
    // Shorter than the signature: not that type.
    expect(await upload("image/png", new Uint8Array([0x89, 0x50]))).toMatchObject({ status: 422 });
  });

  it("reads only the first bytes of the object", async () => {
    const s3 = await files.s3();
    const examId = newId();
    const up = await createUpload(files, { examId, contentType: "application/pdf", size: 100_000 });
    await fetch(up.url, { method: "PUT", headers: up.headers, body: withStart([...MAGIC["application/pdf"]], 100_000) });
    const start = await s3.readStart(files.bucket, up.key, MAGIC_BYTES);
    expect(start).toHaveLength(MAGIC_BYTES);
    expect(hasMagic("application/pdf", start!)).toBe(true);
    expect(await s3.readStart(files.bucket, `pending/${newId()}/${newId()}`, MAGIC_BYTES)).toBeNull();
  });
});

describe("contentDisposition", () => {
  it("keeps the header ASCII, the name's other characters UTF-8 in filename*", () => {
    expect(contentDisposition("a.pdf")).toBe(`attachment; filename="a.pdf"; filename*=UTF-8''a.pdf`);
    expect(contentDisposition('x"y.png')).toBe(`attachment; filename="x_y.png"; filename*=UTF-8''x%22y.png`);
    expect(contentDisposition("é(1).jpg")).toBe(`attachment; filename="_(1).jpg"; filename*=UTF-8''%C3%A9%281%29.jpg`);
  });

  // RFC 6266 §4.3: a recipient strips path information from the name; the name sent must not be a path,
  // in either form (filename*'s %2F and %5C decode to "/" and "\\" too).
  it("sends a name with / or \\ with each one as _, in filename and filename* (was: a path, ../../etc/passwd.pdf)", () => {
    expect(contentDisposition("../../etc/passwd.pdf")).toBe(`attachment; filename=".._.._etc_passwd.pdf"; filename*=UTF-8''.._.._etc_passwd.pdf`);
    expect(contentDisposition('x"y\\z.png')).toBe(`attachment; filename="x_y_z.png"; filename*=UTF-8''x%22y_z.png`);
    expect(contentDisposition("Übung/2\\é.pdf")).toBe(`attachment; filename="_bung_2__.pdf"; filename*=UTF-8''%C3%9Cbung_2_%C3%A9.pdf`);
  });
});

describe("contentDisposition of a name stored before names had to be well-formed", () => {
  it("sends a lone surrogate as U+FFFD instead of throwing (was: URIError, every download of the file a 500)", () => {
    expect(contentDisposition("a\ud800.pdf")).toBe(`attachment; filename="a_.pdf"; filename*=UTF-8''a%EF%BF%BD.pdf`);
  });
});

describe("complete copies exactly the version it checked", () => {
  // s3rver ignores conditional headers (research/local-aws.md: it is lenient where S3 is strict), so the
  // race runs over an S3 that applies them as S3 does, on top of s3rver.
  const conditional = (s3: S3): S3 => {
    const current = async (bucket: string, key: string, etag: string | undefined) => {
      if (etag !== undefined && (await s3.head(bucket, key))?.etag !== etag) throw Object.assign(new Error(`${key} changed`), { name: "ObjectChanged" });
    };
    return {
      ...s3,
      readStart: async (bucket, key, length, etag) => (await current(bucket, key, etag), s3.readStart(bucket, key, length)),
      copy: async (bucket, from, to, etag, contentType) => {
        await beforeCopy?.();
        await current(bucket, from, etag);
        return s3.copy(bucket, from, to, undefined, contentType);
      },
    };
  };
  let beforeCopy: (() => Promise<void>) | undefined;

  it("an upload replaced between the check and the copy (same URL, size and type) is a 409, never published (was: the new bytes copied unchecked)", async () => {
    const bucket = await createTestBucket("race");
    const real = createS3({ endpoint: process.env["AWS_ENDPOINT_URL_S3"] });
    const racy = createFiles({ bucket, s3: async () => conditional(real) });
    const examId = newId();
    const size = 4096;
    const pdf = new Uint8Array(size).fill(0x41);
    pdf.set(MAGIC["application/pdf"], 0);
    const exe = new Uint8Array(size).fill(0x90);
    exe.set([0x4d, 0x5a], 0);
    const up = await createUpload(racy, { examId, contentType: "application/pdf", size });
    expect((await fetch(up.url, { method: "PUT", headers: up.headers, body: pdf })).status).toBe(200);
    beforeCopy = async () => {
      beforeCopy = undefined;
      expect((await fetch(up.url, { method: "PUT", headers: up.headers, body: exe })).status).toBe(200);
    };
    const raced = await promoteUpload(racy, { examId, fileId: up.fileId, contentType: "application/pdf", size }).catch((e: unknown) => e);
    expect(raced).toMatchObject({ status: 409, detail: "The file was uploaded again while it was being checked; complete it again" });
    expect(await real.head(bucket, readyKey(examId, up.fileId))).toBeNull();
    // Completing again checks what is there now.
    expect(await promoteUpload(racy, { examId, fileId: up.fileId, contentType: "application/pdf", size }).catch((e: unknown) => e)).toMatchObject({ status: 422 });
  });

  it("the S3 client sends the checked ETag as If-Match and x-amz-copy-source-if-match, and S3's 412 is ObjectChanged", async () => {
    const seen: Array<{ method: string; ifMatch?: string; copyIfMatch?: string; directive?: string; type?: string }> = [];
    const server = createServer((req, res) => {
      seen.push({
        method: req.method!,
        ifMatch: req.headers["if-match"] as string | undefined,
        copyIfMatch: req.headers["x-amz-copy-source-if-match"] as string | undefined,
        directive: req.headers["x-amz-metadata-directive"] as string | undefined,
        type: req.headers["content-type"],
      });
      req.resume();
      res.writeHead(412, { "content-type": "application/xml" }).end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const s3 = createS3({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
      await expect(s3.readStart("b", "pending/E/F", 8, '"v1"')).rejects.toMatchObject({ name: "ObjectChanged" });
      await expect(s3.copy("b", "pending/E/F", "files/E/F", '"v1"', "application/pdf")).rejects.toMatchObject({ name: "ObjectChanged" });
      // The copy replaces the upload's headers with the declared type alone.
      expect(seen).toEqual([
        { method: "GET", ifMatch: '"v1"', copyIfMatch: undefined, directive: undefined, type: undefined },
        { method: "PUT", ifMatch: undefined, copyIfMatch: '"v1"', directive: "REPLACE", type: "application/pdf" },
      ]);
    } finally {
      server.close();
    }
  });
});

describe("the longest download URL stays inside S3's request size limit", () => {
  // S3 refuses a request whose request line (the URL's path and query) and headers together exceed 8 KB
  // (400 RequestHeaderSectionTooLarge). The download URL carries the Content-Disposition, encoded twice
  // (filename*'s percent-encoding, then the query's): a 255-character CJK name (3 UTF-8 bytes per UTF-16
  // unit, the most bytes per character a name allows) is the longest. In Lambda the URL also carries
  // the role's session token (its size is not fixed; about 1.1–1.4 KB is usual), and a browser sends its own
  // headers (user agent, accept, client hints, sec-fetch; a cross-origin Referer is only the origin): 1 KiB allowed.
  const S3_HEADER_SECTION = 8192;
  const BROWSER_HEADERS = 1024;
  const names = { "255 CJK characters": `${"中".repeat(251)}.pdf`, "125 emoji": `${"😀".repeat(125)}.pdf`, "255 percent signs": `${"%".repeat(251)}.pdf`, "255 quotes": `${'"'.repeat(251)}.pdf` };

  it.each(Object.entries(names))("%s, with a 1,400-character session token: under 8 KB with a browser's headers", async (_, fileName) => {
    const saved = process.env["AWS_SESSION_TOKEN"];
    // A base64 token as STS issues them, its usual start included ('+' and '/' take three characters each in the query).
    const body = Buffer.from(Array.from({ length: 1100 }, (_, i) => (i * 37 + 11) % 256)).toString("base64");
    process.env["AWS_SESSION_TOKEN"] = `IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD${body}`.slice(0, 1400);
    try {
      // Path style: the bucket (63 characters, the longest allowed) in the path, which is the longer request line.
      const s3 = createS3({ endpoint: "https://s3.ap-southeast-2.amazonaws.com" });
      const url = new URL(await s3.presignGet({ bucket: "b".repeat(63), key: readyKey(newId(), newId()), expiresIn: 300, contentDisposition: contentDisposition(fileName), contentType: "application/pdf" }));
      expect(url.searchParams.get("X-Amz-Security-Token")).toHaveLength(1400);
      const requestLine = `GET ${url.pathname}${url.search} HTTP/1.1\r\n`;
      const host = `Host: ${url.host}\r\n`;
      expect(requestLine.length + host.length + BROWSER_HEADERS).toBeLessThan(S3_HEADER_SECTION);
    } finally {
      if (saved === undefined) delete process.env["AWS_SESSION_TOKEN"];
      else process.env["AWS_SESSION_TOKEN"] = saved;
    }
  });

  it("the 255-character CJK name: the URL's size as measured (what the docs state)", async () => {
    const s3 = createS3({ endpoint: "https://s3.ap-southeast-2.amazonaws.com" });
    const url = await s3.presignGet({ bucket: "b".repeat(63), key: readyKey(newId(), newId()), expiresIn: 300, contentDisposition: contentDisposition(names["255 CJK characters"]), contentType: "application/pdf" });
    // Without a session token; its own length (encoded) comes on top.
    expect(url.length).toBeGreaterThan(4600);
    expect(url.length).toBeLessThan(4800);
  });
});
