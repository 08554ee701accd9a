// One handler, many invocations at once, as on Lambda Managed Instances: the Node.js runtime runs
// concurrent invocations in one worker thread, sharing the handler object and every module's state
// (AWS, "Node.js runtime for Lambda Managed Instances": "Each concurrent request handled by the same worker
// thread shares the same handler object and global state"). Every answer and every log line must still
// belong to its own request: its request id (x-request-id, problem bodies, log lines), its params, query,
// body, cookies and middleware state. The interleaving is seeded: a failure replays with
//   CONCURRENCY_SEED=<seed> npx vitest run test/concurrency.test.ts
import * as v from "valibot";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  createEvent,
  defaultAdapters,
  handle,
  HttpError,
  json,
  lambdaEdge,
  logJson,
  readResult,
  router,
  setCookie,
  stream,
  streamHandler,
  validate,
  vpcLattice,
  type EventSource,
  type HttpRequest,
  type Middleware,
} from "../src/index.ts";
import { installAwsLambdaGlobal, invokeStreaming } from "../src/dev/lambda-runtime.ts";
import { Rng } from "./seeded-random.ts";
import { wholeNumberFromEnv } from "./env-number.ts";

const SEED = wholeNumberFromEnv("CONCURRENCY_SEED", 20261201);
const REQUESTS = 400;
const STREAMS = 60;

// A pause chosen by the request itself (its `x-pauses` header, one number per await): 0 continues at once,
// 1–3 yield that many microtasks, more waits a macrotask of n − 4 ms. Reading it from the request means a
// mixed-up request also pauses wrongly, and the checks below still catch it.
async function pause(req: HttpRequest, step: number): Promise<void> {
  const n = Number(req.headers["x-pauses"]?.split(",")[step] ?? 0);
  if (n === 0) return;
  if (n <= 3) for (let i = 0; i < n; i++) await Promise.resolve();
  else await new Promise((resolve) => setTimeout(resolve, n - 4));
}

// How many requests the app is working on at this moment, and the most seen: proof that they overlapped.
const inFlight = { now: 0, max: 0 };

// App middleware: an access log line written after the answer, a cookie naming the request's own session,
// and per-request state read back by the handlers.
const accessLog: Middleware = async (req, next) => {
  inFlight.max = Math.max(inFlight.max, ++inFlight.now);
  try {
    await pause(req, 0);
    req.state["session"] = req.cookies["sid"];
    const res = await next();
    await pause(req, 1);
    logJson({ level: "info", message: "access", requestId: req.requestId, path: req.path, status: res.status, session: req.state["session"] });
    return { ...res, cookies: [...(res.cookies ?? []), setCookie("seen", String(req.state["session"]))] };
  } finally {
    inFlight.now--;
  }
};

// A response built once at module scope and returned to every request: nothing may be written into it.
const SHARED = json({ shared: true }, { headers: { "cache-control": "no-store" }, cookies: ["shared=1"] });
const SHARED_COPY = structuredClone({ ...SHARED });

const Item = v.object({ token: v.string(), n: v.number() });

const group = router()
  .use(async (req, next) => {
    await pause(req, 2);
    req.state["group"] = "g-" + req.cookies["sid"];
    return next();
  })
  .onError((err, req) => json({ groupError: String((err as Error).message), requestId: req.requestId, session: req.state["session"] }, 418))
  .get("/:id", async (req) => {
    await pause(req, 3);
    if (req.query["fail"] === "boom") throw new Error(`group boom ${req.params.id}`);
    return { id: req.params.id, group: req.state["group"], session: req.state["session"] };
  });

const app = router({ validate })
  .use(accessLog)
  .get("/items/:id", async (req) => {
    await pause(req, 2);
    const session = req.state["session"];
    await pause(req, 3);
    return json({ id: req.params.id, q: req.query["q"], tags: req.queryAll["tag"], session, cookie: req.cookies["sid"], requestId: req.requestId }, { cookies: [setCookie("item", req.params.id)] });
  })
  .post("/items", { body: Item }, async (req, { body }) => {
    await pause(req, 2);
    return json({ body, session: req.state["session"], requestId: req.requestId }, 201);
  })
  .get("/sync/:id", (req) => ({ id: req.params.id, session: req.state["session"] }))
  .get("/boom/:id", async (req) => {
    await pause(req, 2);
    throw new Error(`boom ${req.params.id}`);
  })
  .get("/conflict/:id", async (req) => {
    await pause(req, 2);
    throw new HttpError(409, `conflict ${req.params.id}`, { token: req.params.id, headers: { "x-token": req.params.id } });
  })
  .get("/shared/:id", async (req) => {
    await pause(req, 2);
    return SHARED;
  })
  .get("/stream/:id", (req) => {
    const id = req.params.id;
    const fail = req.query["fail"] === "mid";
    async function* lines() {
      for (let k = 0; k < 4; k++) {
        await pause(req, 2 + k);
        if (fail && k === 2) throw new Error(`stream broke ${id}`);
        yield `${id}:${k}:${req.state["session"]}\n`;
      }
    }
    return stream(lines(), { headers: { "content-type": "text/plain; charset=utf-8" }, cookies: [setCookie("streamed", id)] });
  })
  .route("/g", group);

type Kind = "get" | "post" | "invalid" | "malformed" | "sync" | "boom" | "conflict" | "notFound" | "notAllowed" | "head" | "shared" | "group" | "groupBoom";
const KINDS: ReadonlyArray<readonly [Kind, number]> = [
  ["get", 4],
  ["post", 3],
  ["invalid", 2],
  ["malformed", 1],
  ["sync", 1],
  ["boom", 2],
  ["conflict", 2],
  ["notFound", 1],
  ["notAllowed", 1],
  ["head", 1],
  ["shared", 1],
  ["group", 1],
  ["groupBoom", 1],
];
const SOURCES: readonly EventSource[] = ["http-api-v2", "apigw-v1", "http-api-v1", "function-url", "alb", "alb-multi", "vpc-lattice", "vpc-lattice-v2", "lambda-edge-origin"];
// Sources without a request id of their own: the request id is Lambda's (context.awsRequestId).
const LAMBDA_ID_SOURCES = new Set<EventSource>(["alb", "alb-multi", "vpc-lattice", "vpc-lattice-v2"]);

interface Planned {
  token: string;
  kind: Kind;
  source: EventSource;
  requestId: string;
  awsRequestId: string;
  event: Record<string, unknown>;
}

function plan(rng: Rng, i: number): Planned {
  const token = `t${i}`;
  const kind = rng.weighted(KINDS);
  const source = rng.pick(SOURCES);
  const pauses = Array.from({ length: 6 }, () => rng.weighted([[0, 2], [1, 2], [2, 1], [3, 1], [4, 1], [5, 1], [7, 1]] as const)).join(",");
  const init = { requestId: `api-${token}`, cookies: { sid: `sid-${token}` }, headers: { "x-pauses": pauses } as Record<string, string> };
  const at = (method: string, path: string, more: { query?: Record<string, string | string[]>; body?: string } = {}) => createEvent(source, { ...init, method, path, ...more, ...(more.body !== undefined ? { headers: { ...init.headers, "content-type": "application/json" } } : {}) });
  const event =
    kind === "get" ? at("GET", `/items/${token}`, { query: { q: `q-${token}`, tag: [`a-${token}`, `b-${token}`] } })
    : kind === "post" ? at("POST", "/items", { body: JSON.stringify({ token, n: i }) })
    : kind === "invalid" ? at("POST", "/items", { body: JSON.stringify({ token, n: `not a number ${token}` }) })
    : kind === "malformed" ? at("POST", "/items", { body: `{"token":"${token}"` })
    : kind === "sync" ? at("GET", `/sync/${token}`)
    : kind === "boom" ? at("GET", `/boom/${token}`)
    : kind === "conflict" ? at("GET", `/conflict/${token}`)
    : kind === "notFound" ? at("GET", `/nowhere/${token}`)
    : kind === "notAllowed" ? at("DELETE", `/items/${token}`)
    : kind === "head" ? at("HEAD", `/items/${token}`, { query: { q: `q-${token}` } })
    : kind === "shared" ? at("GET", `/shared/${token}`)
    : kind === "group" ? at("GET", `/g/${token}`)
    : at("GET", `/g/${token}`, { query: { fail: "boom" } });
  return { token, kind, source, requestId: LAMBDA_ID_SOURCES.has(source) ? `lambda-${token}` : `api-${token}`, awsRequestId: `lambda-${token}`, event };
}

// What a request's answer must be, from its own plan only.
function expectOwnAnswer(p: Planned, res: ReturnType<typeof readResult>): void {
  const { token, requestId } = p;
  const where = `${p.kind} ${token} via ${p.source}`;
  expect(res.headers["x-request-id"], where).toBe(requestId);
  const body = res.body === "" ? undefined : res.json();
  const status: Record<Kind, number> = { get: 200, post: 201, invalid: 422, malformed: 400, sync: 200, boom: 500, conflict: 409, notFound: 404, notAllowed: 405, head: 200, shared: 200, group: 200, groupBoom: 418 };
  expect(res.status, where).toBe(status[p.kind]);
  const own = [`seen=sid-${token}`];
  if (p.kind === "get" || p.kind === "head") own.push(`item=${token}`);
  if (p.kind === "shared") own.push("shared=1");
  expect(res.cookies.map((c) => c.split(";")[0]).sort(), where).toEqual(own.sort());
  if (res.status >= 400 && p.kind !== "groupBoom") expect(body, where).toMatchObject({ status: res.status, requestId });
  switch (p.kind) {
    case "get":
      // Some sources deliver only the last value of a repeated key (ALB single-value, Lattice v1): its own.
      expect(body.tags.length > 0 && body.tags.every((tag: string) => tag.endsWith("-" + token)), where).toBe(true);
      expect(body, where).toEqual({ id: token, q: `q-${token}`, tags: body.tags, session: `sid-${token}`, cookie: `sid-${token}`, requestId });
      break;
    case "post":
      expect(body, where).toEqual({ body: { token, n: Number(token.slice(1)) }, session: `sid-${token}`, requestId });
      break;
    case "invalid":
      expect(body.errors, where).toEqual([{ path: "body.n", message: expect.any(String) }]);
      break;
    case "sync":
      expect(body, where).toEqual({ id: token, session: `sid-${token}` });
      break;
    case "boom":
      expect(JSON.stringify(body), where).not.toContain("boom");
      break;
    case "conflict":
      expect(body, where).toMatchObject({ detail: `conflict ${token}`, token });
      expect(res.headers["x-token"], where).toBe(token);
      break;
    case "notAllowed":
      expect(res.headers["allow"], where).toBe("GET, HEAD");
      break;
    case "head":
      expect(res.body, where).toBe("");
      break;
    case "shared":
      expect(body, where).toEqual({ shared: true });
      break;
    case "group":
      expect(body, where).toEqual({ id: token, group: `g-sid-${token}`, session: `sid-${token}` });
      break;
    case "groupBoom":
      expect(body, where).toEqual({ groupError: `group boom ${token}`, requestId, session: `sid-${token}` });
      break;
  }
}

// Every JSON line the code under test wrote to stdout while the requests ran.
let lines: Array<Record<string, unknown>>;
beforeAll(() => {
  lines = [];
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, "write").mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
    const text = String(chunk);
    if (text.startsWith("{")) {
      for (const line of text.split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      return true;
    }
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write);
});
afterAll(() => vi.restoreAllMocks());
afterEach(() => {
  lines.length = 0;
  inFlight.max = 0;
});

// Log lines about a request, found by its token in the path or the error message.
const linesOf = (token: string, message: string) =>
  lines.filter((line) => line["message"] === message && (String(line["path"]).endsWith("/" + token) || String(line["path"]) === "/items" && line["session"] === `sid-${token}` || String(line["errorMessage"]).endsWith(" " + token)));

describe(`concurrent invocations of one handle(app) (seed ${SEED})`, () => {
  it("every answer, Set-Cookie and log line belongs to its own request, whatever the interleaving", async () => {
    const rng = new Rng(SEED);
    const planned = Array.from({ length: REQUESTS }, (_, i) => plan(rng, i));
    const handler = handle(app, { adapters: [...defaultAdapters, vpcLattice, lambdaEdge] });
    const results = await Promise.all(planned.map((p) => handler(p.event, { awsRequestId: p.awsRequestId })));

    expect(inFlight.max, "the requests overlapped").toBeGreaterThan(REQUESTS / 4);
    planned.forEach((p, i) => expectOwnAnswer(p, readResult(results[i], p.source)));
    expect(structuredClone({ ...SHARED }), "the shared response is untouched").toEqual(SHARED_COPY);

    for (const p of planned) {
      const access = linesOf(p.token, "access");
      expect(access, `access log of ${p.kind} ${p.token}`).toHaveLength(1);
      expect(access[0], `access log of ${p.kind} ${p.token}`).toMatchObject({ requestId: p.requestId, session: `sid-${p.token}` });
      const crashes = linesOf(p.token, "unhandled error");
      if (p.kind === "boom") {
        expect(crashes, `error log of ${p.token}`).toHaveLength(1);
        expect(crashes[0], `error log of ${p.token}`).toMatchObject({ requestId: p.requestId, lambdaRequestId: p.awsRequestId, errorMessage: `boom ${p.token}`, route: "/boom/:id", path: `/boom/${p.token}` });
      } else expect(crashes, `no error log of ${p.kind} ${p.token}`).toHaveLength(0);
    }
  });
});

describe("process-wide state one request must not change for the others", () => {
  it("an HttpError whose detail cannot become a string (a JavaScript caller passing req.query) leaves the other requests' logged stacks intact", async () => {
    const limit = Error.stackTraceLimit;
    const handler = handle(
      router()
        // req.query inherits nothing, not even toString: String() of it throws, inside HttpError's constructor.
        .get("/bad-detail", (req) => {
          throw new HttpError(400, req.query as never);
        })
        .get("/crash", () => {
          throw new Error("crash after bad detail");
        }),
    );
    try {
      const bad = readResult(await handler(createEvent("http-api-v2", { path: "/bad-detail?x=1", requestId: "bad" }), { awsRequestId: "l-bad" }));
      expect(bad.status).toBe(500);
      expect(Error.stackTraceLimit, "Error.stackTraceLimit as before").toBe(limit);
      await handler(createEvent("http-api-v2", { path: "/crash", requestId: "crash" }), { awsRequestId: "l-crash" });
      const [crash] = lines.filter((line) => line["requestId"] === "crash");
      expect(crash?.["stack"], "the next request's crash is logged with its stack frames").toMatch(/\n\s+at /);
    } finally {
      Error.stackTraceLimit = limit;
    }
  });
});

describe(`concurrent invocations of one streamHandler(app) (seed ${SEED})`, () => {
  let uninstall: () => void;
  beforeAll(() => void (uninstall = installAwsLambdaGlobal()));
  afterAll(() => uninstall());

  it("every streamed body, prelude and log line belongs to its own request", async () => {
    const rng = new Rng(SEED + 1);
    const handler = streamHandler(app);
    const planned = Array.from({ length: STREAMS }, (_, i) => {
      const token = `s${i}`;
      const source = rng.pick(["function-url", "apigw-v1"] as const);
      const fail = rng.chance(0.25);
      const pauses = Array.from({ length: 6 }, () => rng.weighted([[0, 1], [1, 1], [3, 1], [5, 2]] as const)).join(",");
      const event = createEvent(source, { path: `/stream/${token}`, query: fail ? { fail: "mid" } : {}, requestId: `api-${token}`, cookies: { sid: `sid-${token}` }, headers: { "x-pauses": pauses } });
      return { token, source, fail, event };
    });
    const results = await Promise.all(planned.map((p) => invokeStreaming(handler, p.event, { context: { awsRequestId: `lambda-${p.token}` } })));

    expect(inFlight.max, "the streams overlapped").toBeGreaterThan(STREAMS / 4);
    planned.forEach((p, i) => {
      const { prelude, body } = results[i]!;
      const where = `stream ${p.token} via ${p.source}`;
      expect(prelude?.statusCode, where).toBe(200);
      expect(prelude?.headers?.["x-request-id"], where).toBe(`api-${p.token}`);
      const cookies = p.source === "function-url" ? prelude?.cookies : prelude?.multiValueHeaders?.["set-cookie"];
      expect(cookies?.map((c) => c.split(";")[0]).sort(), where).toEqual([`seen=sid-${p.token}`, `streamed=${p.token}`]);
      const rows = [0, 1, 2, 3].slice(0, p.fail ? 2 : 4).map((k) => `${p.token}:${k}:sid-${p.token}\n`);
      expect(body.toString(), where).toBe(rows.join(""));
      const broke = lines.filter((line) => line["message"] === "streamed response failed after the first byte" && line["errorMessage"] === `stream broke ${p.token}`);
      expect(broke, where).toHaveLength(p.fail ? 1 : 0);
      if (p.fail) expect(broke[0], where).toMatchObject({ requestId: `api-${p.token}`, lambdaRequestId: `lambda-${p.token}`, path: `/stream/${p.token}` });
    });
  });
});
