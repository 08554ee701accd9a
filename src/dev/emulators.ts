// DynamoDB (dynalite) and S3 (s3rver) in this process, on loopback, with the table and bucket that
// template.yaml declares: one source of truth for the schema, no Docker, no AWS account.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Template } from "./cfn.ts";
import { waitForObjectWrites } from "./s3-stand-in-writes.ts";

/** Credentials both stand-ins accept (s3rver refuses any other access key id). */
export const LOCAL_AWS_ENV = {
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "S3RVER",
  AWS_SECRET_ACCESS_KEY: "S3RVER",
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
} as const;

export interface EmulatorOptions {
  /** Persist under this directory (`<dir>/dynamodb`, `<dir>/s3`); omit for a throwaway in-memory run. */
  dir?: string | undefined;
  dynamoPort?: number;
  s3Port?: number;
  /** Buckets to create at start-up, each with optional CORS rules (s3rver configures CORS only then). */
  buckets?: Array<{ name: string; cors?: CorsRule[] }>;
}

export interface CorsRule {
  AllowedMethods: string[];
  AllowedOrigins: string[];
  AllowedHeaders?: string[];
  ExposedHeaders?: string[];
  MaxAge?: number;
}

export interface Emulators {
  dynamoEndpoint: string;
  s3Endpoint: string;
  /** The environment the AWS SDK needs to find both (it reads AWS_ENDPOINT_URL_* by itself). */
  env: Record<string, string>;
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolvePort((server.address() as AddressInfo).port));
  });
}

function close(server: Server | undefined): Promise<void> {
  if (server === undefined || !server.listening) return Promise.resolve();
  return new Promise((done) => {
    server.close(() => done());
    server.closeAllConnections?.();
  });
}

const xmlEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * S3's CORSConfiguration XML for CloudFormation `CorsRules`.
 * @example corsXml([{ AllowedMethods: ["PUT"], AllowedOrigins: ["*"] }])
 */
export function corsXml(rules: CorsRule[]): string {
  const tag = (name: string, values: Array<string | number> | undefined) => (values ?? []).map((v) => `<${name}>${xmlEscape(String(v))}</${name}>`).join("");
  const body = rules
    .map((r) => `<CORSRule>${tag("AllowedOrigin", r.AllowedOrigins)}${tag("AllowedMethod", r.AllowedMethods)}${tag("AllowedHeader", r.AllowedHeaders)}${tag("ExposeHeader", r.ExposedHeaders)}${r.MaxAge === undefined ? "" : tag("MaxAgeSeconds", [r.MaxAge])}</CORSRule>`)
    .join("");
  return `<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${body}</CORSConfiguration>`;
}

/** One stand-in, listening on 127.0.0.1: the environment that points the SDK at it, and how to stop it. */
export interface StandIn {
  endpoint: string;
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * DynamoDB (dynalite) on 127.0.0.1; with `dir`, its data persists in `<dir>/dynamodb`.
 * @example const dynamo = await startDynamoStandIn(); await createTables(tables, dynamo.endpoint)
 */
export async function startDynamoStandIn(options: { dir?: string | undefined; port?: number } = {}): Promise<StandIn> {
  const { default: dynalite } = await import("dynalite");
  const path = options.dir === undefined ? undefined : join(resolve(options.dir), "dynamodb");
  if (path !== undefined) await mkdir(path, { recursive: true });
  const dynamo: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(path !== undefined ? { path } : {}) });
  const endpoint = `http://127.0.0.1:${await listen(dynamo, options.port ?? 0)}`;
  return {
    endpoint,
    env: { ...LOCAL_AWS_ENV, AWS_ENDPOINT_URL_DYNAMODB: endpoint },
    // Closing dynalite closes its LevelDB store: everything written so far is on disk.
    close: () => close(dynamo),
  };
}

/**
 * S3 (s3rver) on 127.0.0.1 with `buckets` created; with `dir`, objects persist in `<dir>/s3`, else in a
 * temporary directory removed on close.
 * @example const s3 = await startS3StandIn({ buckets: [{ name: "exam-files" }] })
 */
export async function startS3StandIn(options: { dir?: string | undefined; port?: number; buckets?: EmulatorOptions["buckets"] } = {}): Promise<StandIn> {
  const { default: S3rver } = await import("s3rver");
  const persistent = options.dir !== undefined;
  const base = persistent ? resolve(options.dir!) : await mkdtemp(join(tmpdir(), "exambuddy-local-"));
  const directory = join(base, "s3");
  await mkdir(directory, { recursive: true });
  const s3 = new S3rver({
    address: "127.0.0.1",
    port: options.port ?? 0,
    silent: true,
    directory,
    resetOnClose: !persistent,
    configureBuckets: (options.buckets ?? []).map((b) => ({ name: b.name, configs: b.cors?.length ? [corsXml(b.cors)] : [] })),
  });
  waitForObjectWrites(s3.store);
  const removeTemporary = () => (persistent ? Promise.resolve() : rm(base, { recursive: true, force: true }));
  let port: number;
  try {
    ({ port } = await s3.run());
  } catch (err) {
    await close(s3.httpServer);
    await removeTemporary();
    throw err;
  }
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    env: { ...LOCAL_AWS_ENV, AWS_ENDPOINT_URL_S3: endpoint },
    async close() {
      await close(s3.httpServer);
      await removeTemporary();
    },
  };
}

/**
 * Which stand-ins a run needs: each service's, unless that service is pointed elsewhere. The SDK reads
 * `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL` for every service; an empty value counts as unset.
 * @example standInsNeeded({ AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:8000" }) // { dynamodb: false, s3: true }
 */
export function standInsNeeded(env: Record<string, string | undefined>): { dynamodb: boolean; s3: boolean } {
  const pointed = (service: "DYNAMODB" | "S3") => Boolean(env[`AWS_ENDPOINT_URL_${service}`] || env["AWS_ENDPOINT_URL"]);
  return { dynamodb: !pointed("DYNAMODB"), s3: !pointed("S3") };
}

/**
 * Starts both stand-ins on 127.0.0.1 (port 0 = any free port).
 * @example const aws = await startEmulators({ dir: ".local" }); process.env = { ...process.env, ...aws.env }
 */
export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  const started = await Promise.allSettled([
    startDynamoStandIn({ dir: options.dir, ...(options.dynamoPort !== undefined && { port: options.dynamoPort }) }),
    startS3StandIn({ dir: options.dir, buckets: options.buckets, ...(options.s3Port !== undefined && { port: options.s3Port }) }),
  ]);
  const [dynamo, s3] = started;
  if (dynamo.status === "rejected" || s3.status === "rejected") {
    // One failed (a port in use): stop the other, so nothing is left listening.
    await Promise.all(started.map((r) => (r.status === "fulfilled" ? r.value.close() : undefined)));
    throw (dynamo.status === "rejected" ? dynamo.reason : (s3 as PromiseRejectedResult).reason) as Error;
  }
  return {
    dynamoEndpoint: dynamo.value.endpoint,
    s3Endpoint: s3.value.endpoint,
    env: { ...dynamo.value.env, ...s3.value.env },
    close: async () => void (await Promise.all([dynamo.value.close(), s3.value.close()])),
  };
}

/** The local names of the template's table and bucket: their logical ids, lower-kebab for S3. */
export interface LocalResources {
  tables: Array<{ name: string; logicalId: string; definition: Record<string, unknown> }>;
  buckets: Array<{ name: string; logicalId: string; cors: CorsRule[] }>;
}

/**
 * Reads the DynamoDB tables and S3 buckets out of a parsed template, resolving `!Ref` parameters to their
 * defaults (CORS origins). Tables keep the template's keys, indexes and billing mode.
 * @example localResources(loadTemplate()).tables[0].name // "ExamTable"
 */
export function localResources(template: Template): LocalResources {
  const params = template.Parameters ?? {};
  const resolveValue = (v: unknown): unknown => {
    if (v !== null && typeof v === "object" && "Ref" in (v as object)) {
      const p = params[(v as { Ref: string }).Ref];
      const d = p?.Default;
      return p?.Type === "CommaDelimitedList" && typeof d === "string" ? d.split(",").map((s) => s.trim()) : d;
    }
    return v;
  };
  const tables: LocalResources["tables"] = [];
  const buckets: LocalResources["buckets"] = [];
  for (const [logicalId, r] of Object.entries(template.Resources)) {
    if (r.Type === "AWS::DynamoDB::Table") {
      const p = r.Properties ?? {};
      tables.push({
        logicalId,
        name: typeof p.TableName === "string" ? p.TableName : logicalId,
        definition: { AttributeDefinitions: p.AttributeDefinitions, KeySchema: p.KeySchema, GlobalSecondaryIndexes: p.GlobalSecondaryIndexes, BillingMode: p.BillingMode ?? "PAY_PER_REQUEST" },
      });
    } else if (r.Type === "AWS::S3::Bucket") {
      const p = r.Properties ?? {};
      const rules = (p.CorsConfiguration?.CorsRules ?? []).map((rule: Record<string, unknown>) => {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(rule)) out[k] = resolveValue(v);
        return out as unknown as CorsRule;
      });
      buckets.push({ logicalId, name: typeof p.BucketName === "string" ? p.BucketName : logicalId.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase(), cors: rules });
    }
  }
  return { tables, buckets };
}

/**
 * Creates the tables that do not exist yet (a persisted run keeps its data across restarts).
 * @example await createTables(localResources(template).tables, aws.dynamoEndpoint)
 */
export async function createTables(tables: LocalResources["tables"], endpoint: string): Promise<void> {
  const { DynamoDBClient, CreateTableCommand, DescribeTableCommand } = await import("@aws-sdk/client-dynamodb");
  const client = new DynamoDBClient({ endpoint, region: LOCAL_AWS_ENV.AWS_REGION, credentials: { accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY } });
  try {
    for (const t of tables) {
      const exists = await client.send(new DescribeTableCommand({ TableName: t.name })).then(
        () => true,
        (err: Error) => (err.name === "ResourceNotFoundException" ? false : Promise.reject(err)),
      );
      if (!exists) await client.send(new CreateTableCommand({ TableName: t.name, ...(t.definition as object) } as never));
    }
  } finally {
    client.destroy();
  }
}
