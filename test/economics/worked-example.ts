import type { ModelSummary, RouterSummary, Summary } from "../../src/contracts/summary.ts";
import { PriceBook } from "../../src/pricing/price-book.ts";

// The worked example's inputs: two models with round prices and token counts, three policies,
// and a traffic profile with one sparse feature (cache TTL matters) and one busy, half-batchable one.

export const workedPrices = new PriceBook({
  version: "worked-1",
  date: "2026-11-26",
  rows: [
    {
      model: "w:small",
      match: "exact",
      provider: "w",
      input: 1,
      cachedInput: 0.1,
      output: 4,
      batchMultiplier: 0.5,
      source: "test",
      date: "2026-11",
    },
    {
      model: "w:big",
      match: "exact",
      provider: "w",
      input: 10,
      cachedInput: 1,
      cacheWrite5m: 12.5,
      output: 40,
      batchMultiplier: 0.5,
      source: "test",
      date: "2026-11",
    },
  ],
});

function model(id: string, tokens: ModelSummary["tokens"], costPer1k: number): ModelSummary {
  return {
    id,
    provider: "w",
    snapshot: `${id}-snap`,
    tier: null,
    quality: id === "w:big" ? 0.9 : 0.7,
    qualityCi: [0.6, 0.95],
    costPer1k,
    cost: { per1k: costPer1k, p50: costPer1k / 1000, p90: costPer1k / 1000, p99: null },
    errors: 0,
    cacheHitRate: null,
    tokens,
    usageEstimated: false,
    latencyMs: { p50: 500, p95: 900 },
  };
}

function policy(
  id: string,
  costPer1k: number,
  p90: number,
  p99: number | null,
  modelShare: Record<string, number>,
  extra: Partial<RouterSummary> = {},
): RouterSummary {
  return {
    id,
    params: {},
    heldOut: true,
    items: 100,
    quality: { mean: 0.8, ci: [0.7, 0.9] },
    costPer1k,
    cost: { per1k: costPer1k, p50: costPer1k / 1000, p90, p99 },
    latencyMs: { p50: 500, p95: 900 },
    modelShare,
    strongShare: null,
    pgr: null,
    apgr: null,
    apgrDollar: null,
    cpt: null,
    cptDollar: null,
    oracleGap: 0,
    errors: 0,
    ...extra,
  };
}

export function workedSummary(): Summary {
  return {
    schemaVersion: 1,
    eval: "worked",
    runId: "2026-11-26T00-00-00Z-0000",
    createdAt: "2026-11-26T00:00:00.000Z",
    simulated: false,
    dataset: { name: "worked", items: 100, hash: "b".repeat(64) },
    split: { seed: "s", heldOutFraction: 0.5, calibration: 100, heldOut: 100 },
    priceTable: { version: "worked-1", date: "2026-11-26" },
    scorer: "label",
    twoTier: { weak: "w:small", strong: "w:big" },
    models: [
      model("w:small", { input: 200_000, cachedInput: 150_000, output: 10_000, reasoning: 0 }, 1.05),
      model("w:big", { input: 200_000, cachedInput: 100_000, output: 20_000, reasoning: 0 }, 19),
    ],
    routers: [
      policy("always:w:small", 1.05, 0.0015, null, { "w:small": 1 }),
      policy(
        "always:w:big",
        19,
        0.025,
        0.03,
        { "w:big": 1 },
        {
          features: [
            { feature: "chat", items: 50, quality: { mean: 0.9, ci: [0.8, 1] }, costPer1k: 20 },
            { feature: "digest", items: 50, quality: { mean: 0.9, ci: [0.8, 1] }, costPer1k: 18 },
          ],
        },
      ),
      policy("mix", 8, 0.02, 0.028, { "w:small": 0.6, "w:big": 0.4 }),
    ],
    oracle: { quality: 0.95, costPer1k: 5 },
    frontier: [],
    aiq: { routers: null, models: null },
    collection: { requests: 200, fromStore: 200, providerCalls: 0, errors: 0 },
    gate: { passed: true, checks: [] },
    judge: null,
    warnings: [],
  };
}

export const workedTraffic = {
  features: [
    { name: "chat", requestsPerMonth: 146_000, arrival: { meanInterArrivalSeconds: 600 } },
    { name: "digest", requestsPerMonth: 73_000, batchableShare: 0.5 },
  ],
  cacheTtlSeconds: 300,
  selfHosting: {
    replaces: "w:small",
    gpuHourUsd: 2,
    gpus: 2,
    outputTokensPerSec: 1000,
    inputTokensPerSec: 20_000,
    utilisation: 0.5,
  },
  fineTune: { trainingCostUsd: 5000, perRequestUsd: 0.002, amortiseMonths: 10 },
};
