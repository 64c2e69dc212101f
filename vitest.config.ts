import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// routegate's own names (routegate/config, @routegate/runtime, ...) resolve to src/ through the
// "@routegate/source" export condition, so tests need no build: for vite's resolver, and for Node's
// in the test processes (eval files and routers are loaded by tsx, through Node).
const SOURCE = "@routegate/source";

export default defineConfig({
  resolve: { conditions: [SOURCE, "node", "import", "default"] },
  ssr: { resolve: { conditions: [SOURCE, "node", "import", "default"] } },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Two cores: forks keep native better-sqlite3 handles out of shared worker threads.
    pool: "forks",
    // Files share their worker process and its loaded modules: a fresh module graph per file
    // (the SDKs, zod schemas, the CLI) cost more than most files' tests. The guard fails a file
    // that leaves the working folder, environment or exit code changed for the next one.
    isolate: false,
    // Vitest's default leaves one core to itself (one worker on two cores); the tests are mostly
    // CPU in the worker now, and the main process has little left to do once files are transformed.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    setupFiles: ["test/shared-process-guard.ts"],
    execArgv: [`--conditions=${SOURCE}`],
    testTimeout: 60_000,
    // On GitHub Actions every `routegate eval` appends its report to the job summary; the runs the
    // tests make must not, or the real verdict drowns in test reports. Tests that check it set their own.
    env: { GITHUB_STEP_SUMMARY: "" },
    // `npm run test:coverage`: line and branch coverage of the product's code (the floor the suite
    // keeps when it is made faster; see docs/testing.md).
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      exclude: ["src/**/*.test.ts"],
      reporter: ["text-summary", "json-summary"],
      reportsDirectory: "coverage",
    },
  },
});
