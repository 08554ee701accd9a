// Test helper: ExamBuddy through handle() on a fresh table and bucket of the local stand-ins, with a hook
// on every DynamoDB write (to hold one at a chosen point and make a race happen deterministically).
import { handle, invoke, type EventSource, type LambdaHandler } from "lambdalith";
import { invokeStream } from "lambdalith/stream";
import { createTestBucket, createTestTable } from "../../test/local-aws.ts";
import { createApp } from "./app.ts";
import { createFiles, type Files } from "./files.ts";
import { createStore, type Store } from "./store/index.ts";
import { createDb, type Db } from "./store/sdk.ts";

export type Claims = Record<string, unknown>;
export type WriteOp = "put" | "update" | "delete";
/** What `hold` can hold: a write, or a read (to let time pass while a request is between two steps). */
export type DbOp = WriteOp | "get" | "query";

export interface Res {
  status: number;
  headers: Record<string, string>;
  body: any;
  /** Bytes of the response body as sent. */
  size: number;
}

export interface CallInit {
  as?: Claims;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  source?: EventSource;
  /** The stage the event names (REST: in requestContext; HTTP API: also a path prefix the adapter strips). */
  stage?: string;
  /** The source's request id (and, behind an ALB, Lambda's): default a random one. */
  requestId?: string;
}

export interface TestApi {
  store: Store;
  files: Files;
  /** The unwrapped DynamoDB client (reads raw items, with their key and bookkeeping attributes). */
  db: Db;
  logs: Record<string, unknown>[];
  clock: { now: number };
  call(method: string, path: string, init?: CallInit): Promise<Res>;
  /**
   * The same request through the streaming function (stream.ts: streamHandler behind the REST API's STREAM
   * integration), through `invokeStream`; `init.source` is ignored (always the REST API).
   * @example const csv = await api.stream("GET", `/exams/${examId}/results.csv`, { as: teacher })
   */
  stream(method: string, path: string, init?: CallInit): Promise<Res>;
  /**
   * Holds the first operation (a write, or a read) `match` selects until `release()`; `reached` resolves when it is held.
   * @example const gate = api.hold((op, input) => op === "put"); … await gate.reached; …; gate.release()
   */
  hold(match: (op: DbOp, input: any) => boolean): { reached: Promise<void>; release: () => void };
  /**
   * Makes the first operation `match` selects throw `error` instead of reaching the table (a throttled or
   * failing DynamoDB); `failed()` tells whether one did.
   * @example const fault = api.fail(() => true, awsError("ThrottlingException")); await api.call(…); fault.failed()
   */
  fail(match: (op: DbOp, input: any) => boolean, error: unknown): { failed: () => boolean };
  /**
   * A draft exam (30 minutes) by `as` (the teacher by default): its 201 body; any other answer throws.
   * @example const { examId } = await api.draft("Kinds")
   */
  draft(title?: string, as?: Claims): Promise<{ examId: string; version: number; [field: string]: unknown }>;
  drop(): Promise<void>;
}

export async function createTestApi(prefix: string): Promise<TestApi> {
  const table = await createTestTable(prefix);
  const real = createDb();
  const clock = { now: Date.now() };
  const holds: Array<{ match: (op: DbOp, input: any) => boolean; reached: () => void; released: Promise<void> }> = [];
  const faults: Array<{ match: (op: DbOp, input: any) => boolean; error: unknown; failed: boolean }> = [];
  const gate = async (op: DbOp, input: any) => {
    const fault = faults.find((f) => !f.failed && f.match(op, input));
    if (fault) {
      fault.failed = true;
      throw fault.error;
    }
    const i = holds.findIndex((h) => h.match(op, input));
    if (i === -1) return;
    const [h] = holds.splice(i, 1);
    h!.reached();
    await h!.released;
  };
  const db: Db = {
    get: async (input) => (await gate("get", input), real.get(input)),
    query: async (input) => (await gate("query", input), real.query(input)),
    put: async (input) => (await gate("put", input), real.put(input)),
    update: async (input) => (await gate("update", input), real.update(input)),
    delete: async (input) => (await gate("delete", input), real.delete(input)),
  };
  const store = createStore({ tableName: table.tableName, db: async () => db, now: () => clock.now });
  const files = createFiles({ bucket: await createTestBucket(prefix) });
  const logs: Record<string, unknown>[] = [];
  const app = createApp({ services: () => ({ store, files }), stage: "test", log: (e) => logs.push(e) });
  const handler = handle(app);

  const call = (method: string, path: string, init?: CallInit) => callHandler(handler, method, path, init);

  // Through the public test helper, as a user of the library would test a streamed route.
  async function stream(method: string, path: string, init: CallInit = {}): Promise<Res> {
    const headers = { ...(init.raw !== undefined || init.body !== undefined ? { "content-type": "application/json" } : {}), ...init.headers };
    const body = init.raw ?? (init.body !== undefined ? JSON.stringify(init.body) : undefined);
    const res = await invokeStream(app, { source: "apigw-v1", method, path, headers, ...(body !== undefined ? { body } : {}), ...(init.as ? { auth: init.as } : {}), context: { awsRequestId: init.requestId ?? "stream-test" } });
    // A body cut after its first byte still has a 200: a test reading it would check half a file.
    if (!res.complete) throw new Error(`${method} ${path}: the streamed body was cut after ${res.bytes.length} bytes`, { cause: res.error });
    const text = res.bytes.length === 0 ? undefined : res.body;
    return { status: res.status, headers: res.headers, body: text === undefined ? undefined : res.headers["content-type"]?.includes("json") ? JSON.parse(text) : text, size: res.bytes.length };
  }

  function hold(match: (op: DbOp, input: any) => boolean) {
    let reached!: () => void;
    let release!: () => void;
    const reachedP = new Promise<void>((r) => (reached = r));
    const released = new Promise<void>((r) => (release = r));
    holds.push({ match, reached, released });
    return { reached: reachedP, release };
  }

  function fail(match: (op: DbOp, input: any) => boolean, error: unknown) {
    const fault = { match, error, failed: false };
    faults.push(fault);
    return { failed: () => fault.failed };
  }

  async function draft(title = "Draft", as: Claims = teacher) {
    const res = await call("POST", "/exams", { as, body: { title, durationMinutes: 30 } });
    if (res.status !== 201) throw new Error(`POST /exams answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  }

  const drop = async () => {
    await table.drop();
  };
  return { store, files, db: real, logs, clock, call, stream, hold, fail, draft, drop };
}

export const teacher: Claims = { sub: "t-ada", email: "ada@example.com", "cognito:groups": "[teacher]" };
export const otherTeacher: Claims = { sub: "t-bob", "cognito:groups": "[teacher]" };
export const student: Claims = { sub: "s-cy", "cognito:groups": "[student]" };
export const otherStudent: Claims = { sub: "s-di", "cognito:groups": "[student]" };

export const question = (n: number) => ({ kind: "single", text: `Q${n}`, points: 1, choices: ["a", "b", "c"], correct: n % 3 });

/**
 * An error as the AWS SDK throws it (`name`, `$metadata`): "ThrottlingException" (503), anything unknown (502).
 * @example api.fail(() => true, awsError("ThrottlingException"))
 */
export function awsError(name: string): Error {
  return Object.assign(new Error(`${name} (injected)`), { name, $metadata: { httpStatusCode: 400, requestId: "aws-injected" } });
}

/**
 * The app path a 201's Location leads to, resolved as a client resolves it: against the URL it requested
 * (the path `requestPath`; no stage, as from the dev server, an ALB or an HTTP API's $default stage).
 * @example await api.call("GET", locatedPath(res.headers["location"], "/exams"), { as: teacher })
 */
export function locatedPath(location: string | undefined, requestPath: string): string {
  if (location === undefined) throw new Error(`no Location in the answer to ${requestPath}`);
  return new URL(location, `https://api.example${requestPath}`).pathname;
}

/** A %PDF- file of `size` bytes. */
export function pdfBytes(size = 2048): Uint8Array {
  const bytes = new Uint8Array(size).fill(0x20);
  bytes.set([0x25, 0x50, 0x44, 0x46, 0x2d], 0);
  return bytes;
}

/**
 * One request through a handler, as its source sends it (the library's `invoke`), the answer read back:
 * JSON bodies parsed, other bodies as text.
 * @example const res = await callHandler(handler, "POST", "/exams", { as: teacher, body: { title: "T" } })
 */
export async function callHandler(handler: LambdaHandler, method: string, path: string, init: CallInit = {}): Promise<Res> {
  const headers = init.raw !== undefined ? { "content-type": "application/json", ...init.headers } : init.headers;
  const res = await invoke(handler, {
    method,
    path,
    ...(headers ? { headers } : {}),
    ...(init.source ? { source: init.source } : {}),
    ...(init.stage ? { stage: init.stage } : {}),
    ...(init.raw !== undefined ? { body: init.raw } : init.body !== undefined ? { json: init.body } : {}),
    ...(init.as ? { auth: init.as } : {}),
    ...(init.requestId ? { requestId: init.requestId } : {}),
  });
  const text = res.body === "" ? undefined : res.body;
  return { status: res.status, headers: res.headers, body: text === undefined ? undefined : res.headers["content-type"]?.includes("json") ? JSON.parse(text) : text, size: res.bytes.length };
}
