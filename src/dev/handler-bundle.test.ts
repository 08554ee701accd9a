import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createEvent } from "../index.ts";
import { bundleHandler } from "./handler-bundle.ts";

const root = resolve(import.meta.dirname, "../..");
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const app = (answer: string) => `import { handle } from "lambdalith";\nexport const handler = handle(() => ({ answer: ${JSON.stringify(answer)} }));\n`;

describe("bundleHandler", () => {
  it("loads the handler, reports the first call as cold, and reloads on change", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lambdalith-hot-"));
    dirs.push(dir);
    await writeFile(join(dir, "app.ts"), app("one"));
    const lines: string[] = [];
    const bundle = await bundleHandler({ root, entry: join(dir, "app.ts"), outDir: join(dir, "build"), watchDir: dir, log: (l) => lines.push(l) });
    const event = createEvent("http-api-v2", { path: "/" });
    try {
      const first = await bundle.getHandler();
      expect(first.cold).toBe(true);
      expect(await first.handler(event, {})).toMatchObject({ body: '{"answer":"one"}' });
      expect((await bundle.getHandler()).cold).toBe(false);

      await writeFile(join(dir, "app.ts"), app("two"));
      let body = "";
      for (let i = 0; i < 100 && body !== '{"answer":"two"}'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        body = ((await (await bundle.getHandler()).handler(event, {})) as { body: string }).body;
      }
      expect(body).toBe('{"answer":"two"}');
      expect(lines.some((l) => l.startsWith("reloaded"))).toBe(true);

      // A broken edit keeps the previous build serving.
      await writeFile(join(dir, "app.ts"), "export const handler = (;");
      await new Promise((r) => setTimeout(r, 400));
      expect(((await (await bundle.getHandler()).handler(event, {})) as { body: string }).body).toBe('{"answer":"two"}');
      expect(lines.some((l) => l.startsWith("rebuild failed"))).toBe(true);
    } finally {
      await bundle.close();
    }
  });

  // Regression (issue 10): with Node 20's recursive fs.watch, reloading stopped after the second safe-write.
  it("keeps reloading after any number of editor safe-writes (temp file renamed over the original)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lambdalith-hot-"));
    dirs.push(dir);
    await mkdir(join(dir, "routes"));
    await writeFile(join(dir, "routes/answer.ts"), `export const answer = "0";\n`);
    await writeFile(join(dir, "app.ts"), `import { handle } from "lambdalith";\nimport { answer } from "./routes/answer.ts";\nexport const handler = handle(() => ({ answer }));\n`);
    // As with npm start (watch src/, build into .local/build): the build output is outside the watched tree.
    const out = await mkdtemp(join(tmpdir(), "lambdalith-hot-out-"));
    dirs.push(out);
    const bundle = await bundleHandler({ root, entry: join(dir, "app.ts"), outDir: join(out, "build"), watchDir: dir, log: () => {} });
    const event = createEvent("http-api-v2", { path: "/" });
    const answer = async () => ((await (await bundle.getHandler()).handler(event, {})) as { body: string }).body;
    try {
      for (let save = 1; save <= 15; save++) {
        await writeFile(join(dir, "routes/.answer.ts.tmp"), `export const answer = "${save}";\n`);
        await rename(join(dir, "routes/.answer.ts.tmp"), join(dir, "routes/answer.ts"));
        const expected = `{"answer":"${save}"}`;
        let body = "";
        for (let i = 0; i < 200 && body !== expected; i++) {
          await new Promise((r) => setTimeout(r, 50));
          body = await answer();
        }
        expect(body, `after save ${save}`).toBe(expected);
      }
    } finally {
      await bundle.close();
    }
  }, 60_000);
});

describe("bundleHandler that cannot load its entry", () => {
  // npm run invoke builds into .local/build/invoke-<pid>: every failed load left one of those behind.
  it.each([
    ["throws while loading", `throw new Error("boom at load");\nexport const handler = async () => ({ statusCode: 200 });\n`, /boom at load/],
    ["does not compile", "export const handler = (;", /Build failed/],
    ["exports no handler", "export const x = 1;\n", /does not export a handler function/],
  ])("an entry that %s rejects with why and leaves no build directory behind", async (_name, code, why) => {
    const dir = await mkdtemp(join(tmpdir(), "lambdalith-broken-"));
    dirs.push(dir);
    await writeFile(join(dir, "app.ts"), code);
    await expect(bundleHandler({ root, entry: join(dir, "app.ts"), outDir: join(dir, "build"), log: () => {} })).rejects.toThrow(why);
    expect(existsSync(join(dir, "build"))).toBe(false);
  });
});

describe("bundleHandler with an opt-in adapter", () => {
  it("serves the entry's app through handle(app) with the adapter added, sharing one lambdalith", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lambdalith-optin-"));
    dirs.push(dir);
    const source = `import { handle, json, router } from "lambdalith";\nexport const app = router().get("/who", (req) => json({ source: req.source }, 201));\nexport const handler = handle(app);\n`;
    await writeFile(join(dir, "app.ts"), source);
    const bundle = await bundleHandler({ root, entry: join(dir, "app.ts"), outDir: join(dir, "build"), optIn: "vpcLattice" });
    try {
      const { handler } = await bundle.getHandler();
      // A json() response from the app's router is recognised as a response (one RESPONSE symbol), not data.
      expect(await handler(createEvent("vpc-lattice-v2", { path: "/who" }), {})).toMatchObject({ statusCode: 201, statusDescription: "201 Created", body: '{"source":"vpc-lattice"}' });
      expect(await handler(createEvent("http-api-v2", { path: "/who" }), {})).toMatchObject({ statusCode: 201, body: '{"source":"http-api-v2"}' });
      expect(typeof (await bundle.module())["app"]).toBe("object");
    } finally {
      await bundle.close();
    }
  });
});
