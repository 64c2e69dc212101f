import { describe, expect, it } from "vitest";
import { resolveEval } from "../../src/config/load-eval.ts";
import type { ModelSummary, Summary } from "../../src/contracts/summary.ts";
import { buildPlan } from "../../src/economics/build-plan.ts";
import type { Lever } from "../../src/economics/plan.ts";
import { parseTrafficProfile } from "../../src/economics/traffic-profile.ts";
import { runEval } from "../../src/evaluate/run-eval.ts";
import { defaultPriceBook } from "../../src/pricing/price-book.ts";
import { createProviderRegistry } from "../../src/providers/registry.ts";
import { OutcomeStore } from "../../src/store/outcome-store.ts";
import { workedPrices, workedSummary, workedTraffic } from "./worked-example.ts";

// The planner prices levers with the price the run applied (summary.json models[].pricing.usdPerMillion):
// a model's own spec pricing wins over the price table, as it did in the run. Before, the planner
// looked the model up in the price table only, so a spec's own pricing was ignored and a model
// priced only in its spec kept its measured cost under every lever. Hand-computed like
// plan-worked.test.ts, from worked-example.ts's inputs.

// w:big's spec says: input 10, cached 5, no cache-write price (plain input), output 40, and no batch
// tier (batchMultiplier 1). The table's row: cached 1, write 12.5, batch 0.5.
const bigSpec = { input: 10, cachedInput: 5, output: 40, batchMultiplier: 1 };
// w:custom is in no price table: priced in its spec only. 2000 input (1000 cached), 100 output per request.
const customSpec = { input: 2, cachedInput: 0.2, output: 8 };

// Measured and list cost per request at the spec prices (uncached + cached + output, then all uncached).
const bigMeasured = (1000 * 10 + 1000 * 5 + 200 * 40) / 1e6; // 0.023
const bigList = (2000 * 10 + 200 * 40) / 1e6; // 0.028
const customMeasured = (1000 * 2 + 1000 * 0.2 + 100 * 8) / 1e6; // 0.003
const customList = (2000 * 2 + 100 * 8) / 1e6; // 0.0048

// The plan's reference, always:w:big at list, from its per-feature measured cost ($20 and $18 per 1K).
const REFERENCE = 146_000 * 0.02 * (bigList / bigMeasured) + 73_000 * 0.018 * (bigList / bigMeasured);
const REFERENCE_LITERAL = 5154.434783; // 4234 x 28/23; the price table gave 6239.578947
// Batch lever on always:w:big: half the digest traffic is batchable, but the spec has no batch discount.
const BIG_BATCH = REFERENCE;
// always:w:custom at list: 219,000 requests x $0.003 x 1.6.
const CUSTOM_LIST = 219_000 * customMeasured * (customList / customMeasured);
const CUSTOM_LIST_LITERAL = 1051.2;

function withSpecPricing(): Summary {
  const s = workedSummary();
  const big = s.models.find((m) => m.id === "w:big")!;
  big.costPer1k = 23;
  big.pricing = { source: "pricing in the model spec of w:big", usdPerMillion: bigSpec };
  const custom: ModelSummary = {
    ...big,
    id: "w:custom",
    snapshot: "w:custom-snap",
    costPer1k: 3,
    cost: { per1k: 3, p50: 0.003, p90: 0.003, p99: null },
    tokens: { input: 200_000, cachedInput: 100_000, output: 10_000, reasoning: 0 },
    pricing: { source: "pricing in the model spec of w:custom", usdPerMillion: customSpec },
  };
  s.models.push(custom);
  const always = s.routers.find((r) => r.id === "always:w:small")!;
  s.routers.push({
    ...always,
    id: "always:w:custom",
    costPer1k: 3,
    cost: { per1k: 3, p50: 0.003, p90: 0.003, p99: null },
    modelShare: { "w:custom": 1 },
  });
  return s;
}

describe("the planner prices with the spec's own pricing (one cost rule)", () => {
  const plan = buildPlan(withSpecPricing(), parseTrafficProfile(workedTraffic, "worked.json"), workedPrices);
  const proj = (policy: string, lever: Lever) =>
    plan.policies.find((x) => x.id === policy)!.projections.find((x) => x.lever === lever)!;

  it("hand calculation agrees with its own literals", () => {
    expect(REFERENCE).toBeCloseTo(REFERENCE_LITERAL, 5);
    expect(CUSTOM_LIST).toBeCloseTo(CUSTOM_LIST_LITERAL, 6);
  });

  it("the reference and the batch lever follow the spec's prices, not the table's row", () => {
    expect(plan.reference?.monthlyUsd).toBeCloseTo(REFERENCE_LITERAL, 5);
    // No batch tier in the spec: batching the digest feature saves nothing.
    expect(proj("always:w:big", "batch").monthlyUsd).toBeCloseTo(BIG_BATCH, 5);
  });

  it("a model priced only in its spec is projected under every lever, without a 'no price row' note", () => {
    expect(proj("always:w:custom", "list").monthlyUsd).toBeCloseTo(CUSTOM_LIST_LITERAL, 6);
    expect(proj("always:w:custom", "caching").monthlyUsd).toBeLessThan(CUSTOM_LIST_LITERAL);
    expect(plan.notes.join("\n")).not.toMatch(/No price row for w:custom/);
  });

  it("a summary without the applied price (older runs) still prices from the table", () => {
    const old = withSpecPricing();
    for (const m of old.models) delete m.pricing;
    const before = buildPlan(old, parseTrafficProfile(workedTraffic, "worked.json"), workedPrices);
    // What the planner computed for every summary before: the table's row (4234 x 28/19), and no
    // projection at all for the model the table does not list.
    expect(before.reference?.monthlyUsd).toBeCloseTo(6239.578947, 5);
    expect(before.notes.join("\n")).toMatch(/No price row for w:custom/);
  });
});

describe("summary.json records the price the run applied", () => {
  it("models[].pricing.usdPerMillion is the spec's own pricing when the spec has one", async () => {
    const pricing = { input: 0.5, cachedInput: 0.05, output: 1.5 };
    const config = resolveEval(
      {
        name: "spec-priced",
        dataset: "memory",
        models: [{ id: "house", provider: "sim", model: "cheap", pricing }, "sim:flagship"],
        scorer: "exact",
        split: false,
      },
      "spec pricing test",
      process.cwd(),
    );
    const store = OutcomeStore.open(":memory:");
    try {
      const items = Array.from({ length: 10 }, (_, i) => ({ id: `s${i}`, input: `q${i}`, expected: "a" }));
      const { summary } = await runEval(config, {
        store,
        registry: createProviderRegistry(),
        prices: defaultPriceBook(),
        runId: "spec",
        offline: false,
        concurrency: 4,
        progress: () => ({ start() {}, tick() {}, stop() {} }),
        dataset: { name: "spec", file: "memory", items, hash: "x" },
        render: (item) => ({ messages: [{ role: "user", content: String(item.input) }], maxTokens: 20 }),
      });
      const house = summary.models.find((m) => m.id === "house")!;
      expect(house.pricing).toEqual({ source: "pricing in the model spec of house", usdPerMillion: pricing });
      const flagship = summary.models.find((m) => m.id === "sim:flagship")!;
      const row = defaultPriceBook().rowFor("sim:flagship")!;
      expect(flagship.pricing?.usdPerMillion).toMatchObject({ input: row.input, output: row.output });
    } finally {
      store.close();
    }
  });
});
