import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Two cores: forks keep native better-sqlite3 handles out of shared worker threads.
    pool: "forks",
    testTimeout: 60_000,
  },
});
