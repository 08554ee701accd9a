// Per-file resources on the shared stand-ins started by global-setup.ts: a table (its schema read from
// template.yaml, so tests and deploys share one definition) and a bucket, both with random names.
import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import { LOCAL_AWS_ENV } from "./global-setup.ts";
import { loadTemplate } from "../src/dev/cfn.ts";

/** Points the SDK at the stand-ins (the global setup does it too; this also covers a single-file run). */
export function useLocalAws(): { dynamoEndpoint: string; s3Endpoint: string } {
  const dynamoEndpoint = inject("dynamoEndpoint");
  const s3Endpoint = inject("s3Endpoint");
  Object.assign(process.env, LOCAL_AWS_ENV, { AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint, AWS_ENDPOINT_URL_S3: s3Endpoint });
  return { dynamoEndpoint, s3Endpoint };
}

/** The `AWS::DynamoDB::Table` of template.yaml, as CreateTable input (billing and keys as deployed). */
export function tableDefinition(logicalId = "ExamTable") {
  const table = loadTemplate().Resources[logicalId];
  if (!table || table.Type !== "AWS::DynamoDB::Table") throw new Error(`template.yaml has no table ${logicalId}`);
  const p = table.Properties;
  return {
    AttributeDefinitions: p.AttributeDefinitions,
    KeySchema: p.KeySchema,
    GlobalSecondaryIndexes: p.GlobalSecondaryIndexes,
    BillingMode: p.BillingMode,
  };
}

/** A fresh table named `<prefix>-<uuid>`; `drop()` deletes it. */
export async function createTestTable(prefix = "exambuddy"): Promise<{ tableName: string; drop(): Promise<void> }> {
  useLocalAws();
  const { DynamoDBClient, CreateTableCommand, DeleteTableCommand } = await import("@aws-sdk/client-dynamodb");
  const client = new DynamoDBClient({});
  const tableName = `${prefix}-${randomUUID()}`;
  await client.send(new CreateTableCommand({ TableName: tableName, ...tableDefinition() }));
  return {
    tableName,
    async drop() {
      await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      client.destroy();
    },
  };
}

/** A fresh bucket named `<prefix>-<random>`. s3rver's resetOnClose removes it with everything else. */
export async function createTestBucket(prefix = "exambuddy"): Promise<string> {
  useLocalAws();
  const { S3Client, CreateBucketCommand } = await import("@aws-sdk/client-s3");
  const client = new S3Client({ forcePathStyle: true, requestChecksumCalculation: "WHEN_REQUIRED" });
  const bucket = `${prefix}-${randomUUID().slice(0, 18)}`;
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  client.destroy();
  return bucket;
}
