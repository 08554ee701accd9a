import type { OpenApiDocument, Router } from "lambdalith";

/**
 * `GET /openapi.json`, public: the document comes from a module loaded on the first request (`import()`),
 * so a cold start that never asks for it reads none of it. Locally that module builds the document from
 * the routes; the deployed bundle's is the document generated at build time (scripts/build.mjs). Register
 * it last: it documents the routes registered by then, itself included.
 * @example openApiRoutes(app, "1.2.3")
 */
export function openApiRoutes(app: Router, version: string): void {
  let document: Promise<OpenApiDocument> | undefined;
  app.get("/openapi.json", { summary: "This API as an OpenAPI 3.1 document", tags: ["meta"], security: [] }, () => {
    document ??= import("../openapi-document.ts").then(
      ({ openApiDocument }) => openApiDocument(app, version),
      (err: unknown) => {
        // A failed load is retried by the next request instead of being served forever.
        document = undefined;
        throw err;
      },
    );
    return document;
  });
}
