import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Two cores: forks keep native better-sqlite3 handles out of shared worker threads.
    pool: "forks",
    testTimeout: 60_000,
    // On GitHub Actions every `routegate eval` appends its report to the job summary; the runs the
    // tests make must not, or the real verdict drowns in test reports. Tests that check it set their own.
    env: { GITHUB_STEP_SUMMARY: "" },
  },
});
