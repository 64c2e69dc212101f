import { describe, expect, it } from "vitest";
import { collectHarness, testItems, testRequest } from "../../devkit/collect-harness/collect-harness.ts";
import { RecordingProvider } from "../../devkit/collect-harness/recording-provider.ts";
import { resolveEval } from "../../src/config/load-eval.ts";
import { pendingMeasurement } from "../../src/evaluate/models/measured-pricing.ts";
import { runEval } from "../../src/evaluate/run-eval.ts";
import { defaultPriceBook } from "../../src/pricing/price-book.ts";
import { resultCost } from "../../src/pricing/result-cost.ts";
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
    for (let i = 0; i < matrix.answers[0]!.length; i++) {
      const r = matrix.answers[0]!.get(i);
      out += r.usage.output.text + r.usage.output.reasoning;
      ms += r.latencyMs;
    }
    const tps = (out / (ms / 1000)) * 4;
    const per1M = (0.001 / (tps * 0.5)) * 1e6;
    expect(m.costPer1k).toBeCloseTo((1000 * (out * per1M)) / 1e6 / 30, 12);
    expect(m.costPer1k).toBeGreaterThan(0);
    // Every answer was costed once, at the measured price, by the one cost rule.
    for (let i = 0; i < matrix.answers[0]!.length; i++) {
      const r = matrix.answers[0]!.billable(i);
      expect(matrix.cost[0]![i]).toBeGreaterThan(0);
      expect(matrix.cost[0]![i]).toBeCloseTo(
        resultCost(r, { input: 0, cachedInput: 0, output: per1M, batchMultiplier: 1 }).usd,
        15,
      );
    }
  });

  it("never costs an answer before its throughput is measured: no placeholder zero, and the answer stays stored", async () => {
    const h = collectHarness({ models: { self: new RecordingProvider() } });
    const model = h.models.get("self")!;
    model.pricing = null;
    model.missingPrice = pendingMeasurement("self");
    const [item] = testItems(1);
    await expect(h.caller.call(item!, "self", testRequest(item!))).rejects.toThrow(/costed before/);
    expect(h.store.count()).toBe(1);
    const answer = await h.caller.answer(item!, "self", testRequest(item!));
    model.pricing = { input: 0, output: 2, batchMultiplier: 1 };
    expect(h.caller.price(answer).costUsd).toBeGreaterThan(0);
    expect(h.stats.providerCalls).toBe(1);
  });
});
