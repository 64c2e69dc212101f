import { describe, expect, it } from "vitest";
import { resolveEval } from "../../src/config/load-eval.ts";
import { runEval } from "../../src/evaluate/run-eval.ts";
import { defaultPriceBook } from "../../src/pricing/price-book.ts";
import { createProviderRegistry } from "../../src/providers/registry.ts";
import { OutcomeStore } from "../../src/store/outcome-store.ts";

const items = Array.from({ length: 30 }, (_, i) => ({
  id: `g${i}`,
  input: `question ${i}`,
  expected: 7 + i,
  metadata: { difficulty: "medium" },
}));

async function run(gpuPricing: Record<string, number>) {
  const config = resolveEval(
    {
      name: "gpu",
      dataset: "memory",
      models: [{ id: "self", provider: "sim", model: "selfhosted", gpuPricing }],
      scorer: "numeric",
      split: false,
    },
    "gpu test",
    process.cwd(),
  );
  const store = OutcomeStore.open(":memory:");
  try {
    return await runEval(config, {
      store,
      registry: createProviderRegistry(),
      prices: defaultPriceBook(),
      runId: "gpu",
      offline: false,
      concurrency: 4,
      progress: () => ({ start() {}, tick() {}, stop() {} }),
      dataset: { name: "gpu", file: "memory", items, hash: "x" },
      render: (item) => ({ messages: [{ role: "user", content: String(item.input) }], maxTokens: 200 }),
    });
  } finally {
    store.close();
  }
}

describe("self-hosted models priced by GPU-hour", () => {
  it("uses the configured throughput when given", async () => {
    const { summary } = await run({ gpuHourUsd: 3.6, gpus: 1, utilisation: 0.5, outputTokensPerSec: 1000 });
    const m = summary.models[0]!;
    expect(m.pricing?.source).toBe("GPU-hour: configured throughput");
    // $3.6/h = $0.001/s over 1000 tok/s at 50% utilisation: $2 per 1M output tokens, input free.
    const expectedPer1k = (1000 * (m.tokens.output * 2)) / 1e6 / 30;
    expect(m.costPer1k).toBeCloseTo(expectedPer1k, 12);
  });

  it("measures the throughput in the run when none is configured, and says so", async () => {
    const { summary, matrix } = await run({ gpuHourUsd: 3.6, gpus: 1, utilisation: 0.5 });
    const m = summary.models[0]!;
    expect(m.pricing?.source).toBe("GPU-hour: measured throughput");
    expect(m.pricing?.note).toMatch(/measured over 30 calls \(per-stream\)/);
    // Per-stream rate x 4 slots: total output tokens over summed latency, times the concurrency.
    let out = 0;
    let ms = 0;
    for (const r of matrix.results[0]!) {
      out += r.usage.output.text + r.usage.output.reasoning;
      ms += r.latencyMs;
    }
    const tps = (out / (ms / 1000)) * 4;
    const per1M = (0.001 / (tps * 0.5)) * 1e6;
    expect(m.costPer1k).toBeCloseTo((1000 * (out * per1M)) / 1e6 / 30, 12);
    expect(m.costPer1k).toBeGreaterThan(0);
  });
});
