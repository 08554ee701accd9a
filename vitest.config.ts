import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // The app and the tests import the package by name, exactly as a user would; here it resolves to source.
    alias: [
      { find: /^lambdalith$/, replacement: fileURLToPath(new URL("./src/index.ts", import.meta.url)) },
      { find: /^lambdalith\/stream$/, replacement: fileURLToPath(new URL("./src/stream/index.ts", import.meta.url)) },
    ],
  },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "bench/**/*.test.ts"],
    exclude: ["**/node_modules/**", "dist/**"],
    // dynalite + s3rver, in-process, once per run (~0.3 s); endpoints via provide/inject and AWS_ENDPOINT_URL_*.
    globalSetup: ["./test/global-setup.ts"],
    // ExamBuddy's tests go through the DynamoDB and S3 stand-ins: a few seconds each on a quiet machine, past
    // vitest's 5 s default on a shared, loaded one. A hang still fails, at 30 s.
    testTimeout: 30_000,
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
    },
    typecheck: { enabled: true, include: ["src/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
  },
});
