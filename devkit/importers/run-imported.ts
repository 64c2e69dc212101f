import type { EvalConfigInput } from "../../src/config/define-eval.ts";
import { resolveEval } from "../../src/config/load-eval.ts";
import type { EvalResult } from "../../src/evaluate/eval-result.ts";
import { runSession } from "../../src/evaluate/session/run-session.ts";
import { defaultPriceBook } from "../../src/pricing/price-book.ts";
import { createProviderRegistry } from "../../src/providers/registry.ts";
import { OutcomeStore } from "../../src/store/outcome-store.ts";
import type { ImportedBenchmark } from "./imported-benchmark.ts";

/**
 * Replays an imported benchmark through the same run session `routegate eval` uses: preloaded
 * replay records, a real SQLite store (in memory unless a path is given), the scorer table and
 * routers; no report is written.
 */
export async function runImported(
  bench: ImportedBenchmark,
  config: Omit<EvalConfigInput, "dataset" | "models"> & { models?: EvalConfigInput["models"] },
  opts: { storePath?: string; runId?: string } = {},
): Promise<EvalResult> {
  const registry = createProviderRegistry();
  registry.get("replay").preload(bench.fileKey, bench.records);
  const resolved = resolveEval(
    { ...config, dataset: bench.dataset.file, models: config.models ?? bench.models },
    bench.dataset.name,
    process.cwd(),
  );
  const store = OutcomeStore.open(opts.storePath ?? ":memory:");
  try {
    const { runs } = await runSession(
      [
        {
          config: resolved,
          runId: opts.runId ?? `import-${bench.dataset.name}`,
          dataset: bench.dataset,
          render: bench.render,
        },
      ],
      {
        store,
        registry,
        prices: defaultPriceBook(),
        reportsDir: null,
        offline: true,
        concurrency: 64,
        progress: () => ({ start() {}, tick() {}, stop() {} }),
      },
    );
    const { result } = runs[0]!;
    result.summary.warnings.push(`Data: ${bench.attribution}`);
    return result;
  } finally {
    store.close();
  }
}
