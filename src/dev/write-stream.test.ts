// The dev server with a streamHandler: the client reads each chunk while the producer is still running.
import { spawn, spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { HttpError, json, router } from "../index.ts";
import { sse, stream, streamHandler } from "../stream/index.ts";
import { HttpResponseStream, installAwsLambdaGlobal, streamifyResponse } from "./lambda-runtime.ts";
import { startDevServer, type DevServer } from "./server.ts";

const cookies = ["a=1; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT", "b=2; Path=/"];
// Each test opens the gate its producer waits on; a producer that finished records it.
const gates = new Map<string, () => void>();
const finished = new Set<string>();
const gate = (name: string) => new Promise<void>((resolve) => gates.set(name, resolve));

function gatedRows(name: string) {
  return (async function* () {
    try {
      yield "row 1\n";
      await gate(name);
      yield "row 2\n";
    } finally {
      finished.add(name);
    }
  })();
}

let uninstall: () => void;
const servers: Record<string, DevServer> = {};
const lines: string[] = [];

beforeAll(async () => {
  uninstall = installAwsLambdaGlobal();
  const app = router()
    .get("/rows/:name", (req) => stream(gatedRows(req.params.name), { headers: { "content-type": "text/csv" }, cookies }))
    .get("/events", () => sse(["one", { event: "two", data: "2" }]))
    .get("/none", () => undefined)
    .get("/broken", () =>
      stream(
        (async function* () {
          yield "partial\n";
          throw new Error("boom");
        })(),
      ),
    )
    .get("/problem", () => {
      throw new HttpError(409, "Taken");
    })
    .get("/json", () => json({ ok: true }));
  const handler = streamHandler(app);
  for (const source of ["url", "rest", "http"] as const) {
    servers[source] = await startDevServer({ source, port: 0, log: (l) => lines.push(l), getHandler: async () => ({ handler: handler as never, cold: false }) });
  }
  // A handler that forgets to write before ending: the runtime never sends the prelude.
  const silent = streamifyResponse(async (_event: unknown, out: never) => void (HttpResponseStream.from(out, { statusCode: 302, headers: { location: "/" } }) as { end(): void }).end());
  servers["silent"] = await startDevServer({ source: "url", port: 0, log: (l) => lines.push(l), getHandler: async () => ({ handler: silent as never, cold: false }) });
});
afterAll(async () => {
  for (const s of Object.values(servers)) await s.close();
  uninstall();
});

async function firstChunk(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  const { value } = await reader.read();
  return Buffer.from(value!).toString();
}

async function rest(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  let out = "";
  for (let r = await reader.read(); !r.done; r = await reader.read()) out += Buffer.from(r.value).toString();
  return out;
}

describe.each(["url", "rest"] as const)("dev server streaming (--source %s)", (source) => {
  it("the client reads the first row before the producer has made the last (it waits for the client)", async () => {
    const name = `first-${source}`;
    const res = await fetch(`${servers[source]!.url}/rows/${name}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv");
    expect(res.headers.getSetCookie()).toEqual(cookies);
    const reader = res.body!.getReader();
    expect(await firstChunk(reader)).toBe("row 1\n");
    expect(finished.has(name)).toBe(false);
    gates.get(name)!();
    expect(await rest(reader)).toBe("row 2\n");
    expect(finished.has(name)).toBe(true);
  });

  it("whole responses, problems, body-less responses and HEAD go through the stream too", async () => {
    const url = servers[source]!.url;
    expect(await (await fetch(`${url}/json`)).json()).toEqual({ ok: true });
    const problem = await fetch(`${url}/problem`);
    expect(problem.status).toBe(409);
    expect(problem.headers.get("content-type")).toBe("application/problem+json");
    expect((await fetch(`${url}/none`)).status).toBe(204);
    const head = await fetch(`${url}/json`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    const events = await fetch(`${url}/events`);
    expect(events.headers.get("content-type")).toBe("text/event-stream");
    expect(await events.text()).toBe("data: one\n\nevent: two\ndata: 2\n\n");
  });

  it("an error mid-stream cuts the transfer after what was written, no error text in it (the log has it); was: ended as if the body were whole", async () => {
    const log = vi.spyOn(process.stdout, "write").mockReturnValue(true);
    try {
      const res = await fetch(`${servers[source]!.url}/broken`);
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      expect(await firstChunk(reader)).toBe("partial\n");
      // The handler rejected after its first byte: the client sees a failed transfer, not a complete 200.
      await expect(rest(reader)).rejects.toThrow();
      expect(log.mock.calls.some(([line]) => String(line).includes('"errorMessage":"boom"'))).toBe(true);
    } finally {
      log.mockRestore();
    }
  });

  it("a client that disconnects stops the producer", async () => {
    const name = `gone-${source}`;
    const abort = new AbortController();
    const res = await fetch(`${servers[source]!.url}/rows/${name}`, { signal: abort.signal });
    const reader = res.body!.getReader();
    expect(await firstChunk(reader)).toBe("row 1\n");
    abort.abort();
    // The producer is parked on its gate; once it moves on, return() (queued by the client leaving) stops it.
    gates.get(name)!();
    for (let i = 0; i < 100 && !finished.has(name); i++) await new Promise((r) => setTimeout(r, 10));
    expect(finished.has(name)).toBe(true);
  });
});

describe("dev server streaming: what AWS would not do", () => {
  it("a streaming handler behind --source http is refused (HTTP APIs cannot stream)", async () => {
    const res = await fetch(`${servers["http"]!.url}/json`);
    expect(res.status).toBe(500);
    expect(lines.some((l) => l.includes("use --source url or --source rest"))).toBe(true);
  });

  it("a stream ended without a write() never sent its prelude: 502 with the reason", async () => {
    const res = await fetch(`${servers["silent"]!.url}/`, { redirect: "manual" });
    expect(res.status).toBe(502);
    expect(await res.text()).toMatch(/first write\(\)/);
  });

  it("a stream still open at the function's timeout is cut after what was written, not ended as if whole; the late producer crashes nothing", async () => {
    const late = streamHandler(() =>
      stream(
        (async function* () {
          yield "row 1\n";
          await new Promise((resolve) => setTimeout(resolve, 400));
          yield "row 2\n";
        })(),
      ),
    );
    const logged: string[] = [];
    const dev = await startDevServer({ source: "url", port: 0, timeoutSeconds: 0.2, log: (l) => logged.push(l), getHandler: async () => ({ handler: late as never, cold: false }) });
    try {
      const res = await fetch(`${dev.url}/`);
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      expect(await firstChunk(reader)).toBe("row 1\n");
      await expect(rest(reader)).rejects.toThrow();
      expect(logged.some((l) => l.includes("Task timed out after 0.20 seconds"))).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect((await fetch(`${servers["url"]!.url}/json`)).status).toBe(200);
    } finally {
      await dev.close();
    }
  });

  it("curl -N shows the first row while the producer still waits", async () => {
    expect(spawnSync("curl", ["--version"]).status).toBe(0);
    const name = "curl";
    const curl = spawn("curl", ["-sN", `${servers["url"]!.url}/rows/${name}`]);
    let out = "";
    await new Promise<void>((resolve) => curl.stdout.on("data", (data: Buffer) => ((out += data.toString()), out.includes("row 1") && resolve())));
    expect(out).toBe("row 1\n");
    expect(finished.has(name)).toBe(false);
    gates.get(name)!();
    await new Promise((resolve) => curl.on("close", resolve));
    expect(out).toBe("row 1\nrow 2\n");
  });
});
