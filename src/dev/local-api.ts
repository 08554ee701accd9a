// Everything `npm start` runs, as one function the tests call too: the stand-ins, the table and bucket from
// template.yaml, the handler (rebuilt on change), and the HTTP server in front of it.
import { ALB_OIDC_PUBLIC_KEY, DEV_ALB_ARN } from "./alb-oidc.ts";
import { loadTemplate, type Template } from "./cfn.ts";
import { createTables, localResources, startEmulators, type Emulators } from "./emulators.ts";
import { serveDocs } from "./docs.ts";
import { bundleHandler, type HandlerBundle } from "./handler-bundle.ts";
import { optInAdapter, type DevSource } from "./http-event.ts";
import { startDevServer, type DevServer } from "./server.ts";

export interface LocalApiOptions {
  source?: DevSource;
  /** 3000 by default; 0 = any free port. */
  port?: number;
  /** Persist data under this directory; omit (or `memory: true`) for a throwaway run. */
  dataDir?: string | undefined;
  /** Rebuild the handler when files under this directory change. */
  watchDir?: string | undefined;
  stage?: string;
  entry?: string;
  root?: string;
  log?: (line: string) => void;
}

export interface LocalApi {
  url: string;
  server: DevServer;
  aws: Emulators;
  bundle: HandlerBundle;
  /** The routes the app declares (`app.routes()`), for the start-up banner. */
  routes: Array<{ method: string; path: string; summary?: string | undefined }>;
  env: Record<string, string>;
  close(): Promise<void>;
}

let instances = 0;

/**
 * Starts the stand-ins, creates the template's table and bucket, loads the handler and serves it.
 * @example const api = await startLocalApi({ port: 0 }); await fetch(api.url + "/health")
 */
export async function startLocalApi(options: LocalApiOptions = {}): Promise<LocalApi> {
  const log = options.log ?? ((l: string) => console.log(l));
  const template = loadTemplate();
  const resources = localResources(template);
  const table = resources.tables[0];
  const bucket = resources.buckets[0];
  if (table === undefined || bucket === undefined) throw new Error("template.yaml must declare a DynamoDB table and an S3 bucket");

  const aws = await startEmulators({ dir: options.dataDir, buckets: resources.buckets.map((b) => ({ name: b.name, cors: b.cors })) });
  let bundle: HandlerBundle | undefined;
  try {
    await createTables(resources.tables, aws.dynamoEndpoint);
    // ALB_ARN + ALB_OIDC_PUBLIC_KEY: the app verifies the dev server's x-amzn-oidc-data (--source alb) with
    // the dev key instead of fetching one from public-keys.auth.elb.<region>.amazonaws.com.
    const env = { ...aws.env, TABLE_NAME: table.name, BUCKET_NAME: bucket.name, STAGE: options.stage ?? "local", CORS_ALLOW_ORIGINS: "*", ALB_ARN: DEV_ALB_ARN, ALB_OIDC_PUBLIC_KEY };
    // The handler reads its configuration from the environment, as it does on Lambda.
    Object.assign(process.env, env);
    // Each instance builds into its own folder: tests start several at once.
    // Lattice and Edge events need an opt-in adapter, which a handle(app) handler does not carry.
    const optIn = optInAdapter(options.source ?? "http");
    if (optIn) log(`--source ${options.source}: serving the entry's app through handle(app, { adapters: [...defaultAdapters, ${optIn}] })`);
    bundle = await bundleHandler({ entry: options.entry ?? "src/app/index.ts", outDir: `.local/build/${process.pid}-${++instances}`, root: options.root, watchDir: options.watchDir, log, optIn });
    const app = (await bundle.module())["app"] as { routes?: () => Array<{ method: string; path: string; summary?: string }> } | undefined;
    const timeoutSeconds = functionTimeout(template, options.entry ?? "src/app/index.ts");
    const binaryMediaTypes = restBinaryMediaTypes(template, options.entry ?? "src/app/index.ts");
    const server = await startDevServer({ source: options.source ?? "http", port: options.port ?? 3000, getHandler: bundle.getHandler, log, serve: serveDocs, timeoutSeconds, ...(options.stage ? { stage: options.stage } : {}), ...(binaryMediaTypes ? { binaryMediaTypes } : {}) });
    const loaded = bundle;
    return {
      url: server.url,
      server,
      aws,
      bundle: loaded,
      routes: app?.routes?.() ?? [],
      env,
      async close() {
        await server.close();
        await loaded.close();
        await aws.close();
      },
    };
  } catch (err) {
    await bundle?.close();
    await aws.close();
    throw err;
  }
}

/**
 * The template's `Timeout` for the function whose `Handler` is this entry's (`src/app/stream.ts` →
 * `stream.handler`), else `Globals.Function.Timeout`, else Lambda's default of 3 seconds.
 * @example functionTimeout(loadTemplate(), "src/app/index.ts") // 10
 */
export function functionTimeout(template: Template, entry: string): number {
  const name = entry.replace(/^.*\//, "").replace(/\.[cm]?[jt]s$/, "");
  const globals = (template.Globals?.["Function"] as { Timeout?: unknown } | undefined)?.Timeout;
  for (const resource of Object.values(template.Resources)) {
    const properties = resource.Properties as { Handler?: unknown; Timeout?: unknown } | undefined;
    if (resource.Type === "AWS::Serverless::Function" && properties?.Handler === `${name}.handler`) return Number(properties.Timeout ?? globals ?? 3);
  }
  return Number(globals ?? 3);
}

/**
 * The BinaryMediaTypes of the REST API whose definition invokes this entry's function (`~1` is the "/"
 * SAM's JSON-pointer escaping needs), or `undefined` when that API declares none (or there is no such API).
 * @example restBinaryMediaTypes(loadTemplate(), "src/app/index.ts") // ["*" + "/" + "*"] for template.yaml's RestApi
 */
export function restBinaryMediaTypes(template: Template, entry: string): string[] | undefined {
  const name = entry.replace(/^.*\//, "").replace(/\.[cm]?[jt]s$/, "");
  const fn = Object.entries(template.Resources).find(([, r]) => r.Type === "AWS::Serverless::Function" && (r.Properties as { Handler?: unknown } | undefined)?.Handler === `${name}.handler`)?.[0];
  if (fn === undefined) return undefined;
  for (const resource of Object.values(template.Resources)) {
    const properties = resource.Properties as { DefinitionBody?: unknown; BinaryMediaTypes?: unknown } | undefined;
    if (resource.Type !== "AWS::Serverless::Api" || !JSON.stringify(properties?.DefinitionBody ?? null).includes(`\${${fn}.Arn}`)) continue;
    return Array.isArray(properties?.BinaryMediaTypes) ? properties.BinaryMediaTypes.map((t) => String(t).replaceAll("~1", "/")) : undefined;
  }
  return undefined;
}
