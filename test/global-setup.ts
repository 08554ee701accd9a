// vitest globalSetup: one in-memory DynamoDB (dynalite) and one S3 (s3rver on a temp dir) for the whole run,
// on 127.0.0.1 with OS-assigned ports. Test files make their own table and bucket (random names), so files
// run in parallel against the same two servers. See /work/shared/research/local-aws.md.
import { mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    s3Endpoint: string;
  }
}

/** What both stand-ins accept; s3rver rejects any other access key id. */
export const LOCAL_AWS_ENV = {
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "S3RVER",
  AWS_SECRET_ACCESS_KEY: "S3RVER",
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
} as const;

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server | undefined): Promise<void> {
  if (server === undefined || !server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [{ default: dynalite }, { default: S3rver }] = await Promise.all([import("dynalite"), import("s3rver")]);

  const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const directory = await mkdtemp(join(tmpdir(), "exambuddy-s3-"));
  const s3 = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory, resetOnClose: true });

  let dynamoPort: number;
  let s3Port: number;
  try {
    [dynamoPort, { port: s3Port }] = await Promise.all([listen(dynamo), s3.run()]);
  } catch (err) {
    await close(dynamo);
    await close(s3.httpServer);
    await rm(directory, { recursive: true, force: true });
    throw err;
  }

  const dynamoEndpoint = `http://127.0.0.1:${dynamoPort}`;
  const s3Endpoint = `http://127.0.0.1:${s3Port}`;
  project.provide("dynamoEndpoint", dynamoEndpoint);
  project.provide("s3Endpoint", s3Endpoint);
  // Workers are started after this and inherit the environment; the SDK reads these by itself.
  Object.assign(process.env, LOCAL_AWS_ENV, { AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint, AWS_ENDPOINT_URL_S3: s3Endpoint });

  return async () => {
    await Promise.all([close(dynamo), close(s3.httpServer)]);
    await rm(directory, { recursive: true, force: true });
  };
}
