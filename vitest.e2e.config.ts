import { defineConfig } from "vitest/config";

// End-to-end tests run in Node: they start the local server with `npm start` (a child
// process tree) and talk to it over HTTP. Run alone with `npm run test:e2e`.
export default defineConfig({
  test: {
    name: "e2e",
    include: ["test/e2e/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 75_000,
    teardownTimeout: 30_000,
  },
});
