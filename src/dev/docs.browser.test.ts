// /docs in a real browser: Debian's Chromium driven by playwright-core (no browser download) opens the dev
// server's reference, finds every operation of /openapi.json, and runs "Try it out" on GET /health and on
// GET /me signed in by the dev token field. Every request to another host is refused and recorded: the
// page must work offline. Screenshots go to test/output/docs-browser/ (gitignored).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_DEV_TOKEN } from "./docs.ts";
import { startLocalApi, type LocalApi } from "./local-api.ts";

const CHROMIUM = "/usr/bin/chromium";
const OUTPUT = join(process.cwd(), "test/output/docs-browser");
// Debian's chromium as a test browser: no sandbox (CI runs as root), nothing phoning home.
const ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

// A missing browser is a failure, never a silent skip; only an explicit opt-out outside CI skips.
const optedOut = process.env["LAMBDALITH_SKIP_BROWSER"] === "1" && !process.env["CI"];
if (optedOut) console.warn("LAMBDALITH_SKIP_BROWSER=1: the /docs browser test is skipped");

describe.skipIf(optedOut)("/docs in headless Chromium", { timeout: 120_000 }, () => {
  let api: LocalApi;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const offHost: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install Debian's package (apt-get install -y chromium), as .ci/run does`);
    mkdirSync(OUTPUT, { recursive: true });
    api = await startLocalApi({ port: 0, log: () => undefined });
    profile = mkdtempSync(join(tmpdir(), "lambdalith-chromium-"));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 } });
    const local = new URL(api.url).host;
    await context.route("**/*", (route) => {
      const url = new URL(route.request().url());
      if (url.host === local) return route.continue();
      offHost.push(url.href);
      return route.abort();
    });
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${api.url}/docs`);
    await page.waitForSelector(".opblock", { timeout: 30_000 });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await api?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  const operation = (method: string, path: string): Locator =>
    page.locator(`.opblock.opblock-${method}`, { has: page.locator(`.opblock-summary-path[data-path="${path}"]`) });

  // Expands an operation, presses Execute ("Try it out" starts enabled) and reads the live response.
  async function tryIt(method: string, path: string): Promise<{ status: string; body: string }> {
    const op = operation(method, path);
    await op.locator(".opblock-summary").click();
    await op.locator("button.execute").click();
    const status = op.locator(".live-responses-table .response .response-col_status");
    await status.first().waitFor({ timeout: 20_000 });
    await op.locator(".live-responses-table .response-col_description pre").first().waitFor();
    return { status: (await status.first().textContent())!.trim(), body: (await op.locator(".live-responses-table .response-col_description pre").first().textContent())! };
  }

  it("shows every operation of /openapi.json, and every route of the app", async () => {
    const document = (await (await fetch(`${api.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
    const shown = await page.$$eval(".opblock", (blocks) => blocks.map((b) => `${b.querySelector(".opblock-summary-method")?.textContent} ${b.querySelector(".opblock-summary-path")?.getAttribute("data-path")}`));
    expect(shown.sort()).toEqual(documented.sort());
    expect(shown.sort()).toEqual(api.routes.map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`).sort());
    await page.screenshot({ path: join(OUTPUT, "docs-overview.png") });
  });

  it("runs GET /health from the page: 200 from the local API", async () => {
    const { status, body } = await tryIt("get", "/health");
    expect(status).toBe("200");
    expect(JSON.parse(body)).toMatchObject({ status: "ok", stage: "local" });
  });

  it("runs GET /me signed in by the dev token field", async () => {
    expect(await page.inputValue("#dev-token")).toBe(DEFAULT_DEV_TOKEN);
    const { status, body } = await tryIt("get", "/me");
    expect(status).toBe("200");
    expect(JSON.parse(body)).toMatchObject({ sub: "t-1", role: "teacher" });
    await operation("get", "/me").locator(".live-responses-table").scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(OUTPUT, "docs-try-me.png") });
  });

  it("another token in the field signs the next call in as someone else", async () => {
    await page.fill("#dev-token", "dev.student.s-7");
    const op = operation("get", "/me");
    await op.locator("button.execute").click();
    await expect.poll(async () => op.locator(".live-responses-table .response-col_description pre").first().textContent(), { timeout: 20_000 }).toContain('"sub": "s-7"');
  });

  it("asked no other host for anything (assets from node_modules, no online validator)", () => {
    expect(offHost).toEqual([]);
  });
});
