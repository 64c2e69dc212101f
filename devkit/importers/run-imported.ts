import type { EvalConfigInput } from "../../src/config/define-eval.ts";
import { resolveEval } from "../../src/config/load-eval.ts";
import type { EvalResult } from "../../src/evaluate/eval-result.ts";
import { runEval } from "../../src/evaluate/run-eval.ts";
import { defaultPriceBook } from "../../src/pricing/price-book.ts";
import { createProviderRegistry } from "../../src/providers/registry.ts";
import { OutcomeStore } from "../../src/store/outcome-store.ts";
import type { ImportedBenchmark } from "./imported-benchmark.ts";

/**
 * Replays an imported benchmark through the same engine `routegate eval` uses: preloaded replay
 * records, a real SQLite store (in memory unless a path is given), the scorer table and routers.
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
    const result = await runEval(resolved, {
      store,
      registry,
      prices: defaultPriceBook(),
      runId: opts.runId ?? `import-${bench.dataset.name}`,
      offline: true,
      concurrency: 64,
      progress: () => ({ start() {}, tick() {}, stop() {} }),
      dataset: bench.dataset,
      render: bench.render,
    });
    result.summary.warnings.push(`Data: ${bench.attribution}`);
    return result;
  } finally {
    store.close();
  }
}
