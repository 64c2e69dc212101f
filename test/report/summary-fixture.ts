import type { FeatureSummary, ModelSummary, RouterSummary, Summary } from "../../src/contracts/summary.ts";

/** A small, fully valid summary.json for report tests: two tiers, two features, simulated. */
export function router(
  id: string,
  quality: number,
  costPer1k: number,
  extra: Partial<RouterSummary> = {},
): RouterSummary {
  return {
    id,
    params: id.startsWith("always:") ? {} : { threshold: 0.5 },
    heldOut: true,
    items: 40,
    quality: { mean: quality, ci: [quality - 0.1, Math.min(1, quality + 0.08)] },
    costPer1k,
    cost: { per1k: costPer1k, p50: costPer1k / 1000, p90: (1.5 * costPer1k) / 1000, p99: null },
    latencyMs: { p50: 400, p95: 900 },
    modelShare: {},
    strongShare: id === "always:sim:cheap" ? 0 : id === "always:sim:flagship" ? 1 : 0.4,
    pgr: null,
    apgr: null,
    apgrDollar: null,
    cpt: null,
    cptDollar: null,
    oracleGap: 0.95 - quality,
    errors: 0,
    features: [feature("billing", 15, quality + 0.05, costPer1k), feature("tech", 25, quality - 0.03, costPer1k)],
    ...extra,
  };
}

export function feature(name: string | null, items: number, quality: number, costPer1k: number): FeatureSummary {
  return {
    feature: name,
    items,
    quality: { mean: quality, ci: [quality - 0.15, Math.min(1, quality + 0.1)] },
    costPer1k,
  };
}

function model(id: string, tier: string, costPer1k: number): ModelSummary {
  return {
    id,
    provider: "sim",
    snapshot: `${id}-2026`,
    tier,
    quality: 0.7,
    qualityCi: [0.6, 0.8],
    costPer1k,
    cost: { per1k: costPer1k, p50: costPer1k / 1000, p90: costPer1k / 1000, p99: null },
    errors: 0,
    cacheHitRate: 0.5,
    tokens: { input: 1000, cachedInput: 500, output: 100, reasoning: 0 },
    usageEstimated: false,
    latencyMs: { p50: 300, p95: 600 },
    batchShare: 0,
  };
}

export function summaryFixture(over: Partial<Summary> = {}): Summary {
  const routers = [
    router("always:sim:cheap", 0.6, 0.15),
    router("always:sim:flagship", 0.85, 2.5),
    router("heuristic", 0.84, 1.2),
    router("random", 0.7, 1.4),
  ];
  return {
    schemaVersion: 1,
    eval: "support",
    runId: "2026-11-26T00-00-00Z-abcd",
    createdAt: "2026-11-26T00:00:00.000Z",
    simulated: true,
    dataset: { name: "support", items: 80, hash: "a".repeat(64) },
    split: { seed: "routegate", heldOutFraction: 0.5, calibration: 40, heldOut: 40 },
    priceTable: { version: "2026-11-26.1", date: "2026-11-26" },
    scorer: "label",
    twoTier: { weak: "sim:cheap", strong: "sim:flagship" },
    models: [model("sim:cheap", "cheap", 0.15), model("sim:flagship", "flagship", 2.5)],
    routers,
    oracle: { quality: 0.95, costPer1k: 0.4 },
    frontier: ["always:sim:cheap", "heuristic", "always:sim:flagship"],
    aiq: { routers: 0.8, models: 0.75 },
    collection: { requests: 160, fromStore: 160, providerCalls: 0, errors: 0 },
    gate: {
      passed: true,
      checks: [{ name: "heuristic: quality >= 0.75", passed: true, value: 0.84, threshold: 0.75 }],
    },
    judge: null,
    warnings: [],
    ...over,
  };
}
