// vitest globalSetup: one in-memory DynamoDB (dynalite) and one S3 (s3rver on a temp dir) for the whole run,
// on 127.0.0.1 with OS-assigned ports, started by the same module `npm start` uses. Test files make their own
// table and bucket (random names), so files run in parallel against the same two servers.
import type { TestProject } from "vitest/node";
import { LOCAL_AWS_ENV, startEmulators } from "../src/dev/emulators.ts";

export { LOCAL_AWS_ENV };

declare module "vitest" {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    s3Endpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const aws = await startEmulators();
  project.provide("dynamoEndpoint", aws.dynamoEndpoint);
  project.provide("s3Endpoint", aws.s3Endpoint);
  // Workers are started after this and inherit the environment; the SDK reads these by itself.
  Object.assign(process.env, aws.env);
  return () => aws.close();
}
