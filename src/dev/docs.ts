// `/docs` on the dev server: Swagger UI over the app's own /openapi.json, its assets read from node_modules
// (swagger-ui-dist), nothing fetched from another host: no CDN, and no online spec validator
// (`validatorUrl: null`). A dev token field above it signs "Try it out" calls in as the dev authorizer
// expects (`Bearer dev.<role>.<id>`, dev-auth.ts).
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** The Swagger UI files the page loads, by the name it asks for. */
const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

/** The token the page starts with: a teacher, so every operation can be tried. */
export const DEFAULT_DEV_TOKEN = "dev.teacher.t-1";

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>API reference (dev)</title>
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <style>
    body { margin: 0; }
    .dev-token { font: 14px sans-serif; padding: 10px 20px; background: #1b1b1b; color: #fff; display: flex; gap: 12px; align-items: center; }
    .dev-token input { font: 14px monospace; width: 22em; padding: 4px 6px; }
    .dev-token small { color: #bbb; }
  </style>
</head>
<body>
  <form class="dev-token" onsubmit="return false">
    <label for="dev-token">Dev token</label>
    <input id="dev-token" name="dev-token" value="${DEFAULT_DEV_TOKEN}" spellcheck="false" autocomplete="off">
    <small>sent as <code>Authorization: Bearer &lt;token&gt;</code> by "Try it out": dev.&lt;teacher|student&gt;.&lt;id&gt;</small>
  </form>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

// Runs in the page. The bearer scheme's value follows the token field; "Try it out" starts enabled.
const INIT = `"use strict";
const field = document.getElementById("dev-token");
const ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  validatorUrl: null,
  tryItOutEnabled: true,
  displayRequestDuration: true,
  defaultModelsExpandDepth: 0,
  presets: [SwaggerUIBundle.presets.apis],
  onComplete: () => ui.preauthorizeApiKey("bearer", field.value.trim()),
});
field.addEventListener("input", () => ui.preauthorizeApiKey("bearer", field.value.trim()));
window.ui = ui;
`;

let assetDir: string | undefined;

/**
 * Answers `/docs` and its assets; anything else is left to the handler (returns false).
 * @example if (await serveDocs(req, res)) return;
 */
export async function serveDocs(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  // An absolute-form target ("GET http://host/docs") names the path after its authority.
  const path = (req.url ?? "/").replace(/^[a-z][a-z\d+.-]*:\/\/[^/?#]*/i, "").split("?")[0]! || "/";
  if (path !== "/docs" && path !== "/docs/" && !path.startsWith("/docs/")) return false;
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" }).end("GET only\n");
    return true;
  }
  const name = path === "/docs" || path === "/docs/" ? "" : path.slice("/docs/".length);
  if (name === "") return send(req, res, "text/html; charset=utf-8", PAGE);
  if (name === "init.js") return send(req, res, "text/javascript; charset=utf-8", INIT);
  // hasOwn: "/docs/constructor" is a missing asset, not Object's.
  const type = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (type === undefined) {
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end(`No /docs/${name}\n`);
    return true;
  }
  assetDir ??= dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
  return send(req, res, type, await readFile(join(assetDir, name)));
}

function send(req: IncomingMessage, res: ServerResponse, type: string, body: string | Uint8Array): true {
  res.writeHead(200, { "content-type": type, "content-length": Buffer.byteLength(body), "cache-control": "no-store" });
  res.end(req.method === "HEAD" ? undefined : body);
  return true;
}
