import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// routegate's own names (routegate/config, @routegate/runtime, ...) resolve to src/ through the
// "@routegate/source" export condition, so tests need no build: for vite's resolver, and for Node's
// in the test processes (eval files and routers are loaded by tsx, through Node).
const SOURCE = "@routegate/source";

// Suites about several real processes at once (each a Node start and a tsx compile of the CLI),
// whose code runs in those processes and so adds no coverage: `npm run test:processes` runs them,
// as its own step of .ci/run. `npm test` runs everything else; `npx vitest run` runs both.
const PROCESS_SUITES = [
  "test/store/fresh-store-race.test.ts",
  "test/e2e/shared-store-cli.test.ts",
  "test/e2e/gate-code-cli.test.ts",
];

export default defineConfig({
  resolve: { conditions: [SOURCE, "node", "import", "default"] },
  ssr: { resolve: { conditions: [SOURCE, "node", "import", "default"] } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: "main", include: ["src/**/*.test.ts", "test/**/*.test.ts"], exclude: PROCESS_SUITES },
      },
      { extends: true, test: { name: "processes", include: PROCESS_SUITES } },
    ],
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
