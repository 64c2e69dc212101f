import { describe, expect, it } from "vitest";
import { collectHarness, TEST_PRICING, testItems, testRequest } from "../../devkit/collect-harness/collect-harness.ts";
import {
  type RecordedCall,
  RecordingProvider,
  usage,
  yieldToLoop,
} from "../../devkit/collect-harness/recording-provider.ts";
import type { ProviderResult } from "../core/types.ts";
import { costOfUsage } from "../pricing/cost.ts";
import { countChatTokens } from "../providers/tokens.ts";
import { BudgetExceededError } from "./budget.ts";
import { BUDGET_INPUT_FACTOR, worstCase } from "./worst-case.ts";

// Issue 10, item 6: the budget was passed when a provider counted more input tokens than
// routegate's estimate. The promise: no overspend while the provider counts at most k x the
// estimate; past that, the run stops at the first reply that shows it, and the overspend is at
// most what the calls then in flight cost beyond their reservations.

const MAX_TOKENS = 8;

/** Counts `factor` x our input estimate and answers with every allowed output token, after a few turns. */
function overCounting(factor: number): RecordingProvider {
  return new RecordingProvider({
    script: async (c: RecordedCall): Promise<ProviderResult> => {
      for (let k = 0; k < 1 + (Number(c.itemId.slice(1)) % 3); k++) await yieldToLoop();
      const input = Math.ceil(factor * countChatTokens(c.request.messages));
      return { text: "ok", usage: usage(input, c.request.maxTokens), latencyMs: 1 };
    },
  });
}

async function runCapped(factor: number, cap: number, concurrency: number, items = 400) {
  const provider = overCounting(factor);
  const h = collectHarness({ models: { m: provider }, concurrency, maxCostUsd: cap });
  const settled = await Promise.allSettled(
    testItems(items).map((item) => h.caller.call(item, "m", testRequest(item, MAX_TOKENS))),
  );
  await h.caller.settled();
  const billed = provider.succeeded().reduce((sum, c) => sum + costOfUsage(c.outcome.usage, TEST_PRICING), 0);
  const refused = settled.filter((s): s is PromiseRejectedResult => s.status === "rejected").map((s) => s.reason);
  return { provider, h, billed, refused };
}

describe("the budget's factor k over the input estimate", () => {
  it("is stated, and each reservation covers k x the estimate plus max tokens", () => {
    expect(BUDGET_INPUT_FACTOR).toBe(1.5);
    const request = testRequest(testItems(1)[0]!, MAX_TOKENS);
    const estimate = countChatTokens(request.messages);
    const worst = worstCase(request, TEST_PRICING, "openai");
    expect(worst.tokens).toBe(Math.ceil(1.5 * estimate) + MAX_TOKENS);
    expect(worst.costUsd).toBeCloseTo((Math.ceil(1.5 * estimate) * 1 + MAX_TOKENS * 4) / 1e6, 15);
    // Asking for caching may bill input as a cache write: the dearer price is reserved.
    const cached = worstCase({ ...request, cache: { prefixMessages: 1 } }, { ...TEST_PRICING, cacheWrite1h: 2 }, "x");
    expect(cached.costUsd).toBeCloseTo((Math.ceil(1.5 * estimate) * 2 + MAX_TOKENS * 4) / 1e6, 15);
  });

  it("never overspends while the provider counts up to k x the estimate (1.45x, concurrency 16)", async () => {
    const cap = 0.004;
    const { h, billed, refused, provider } = await runCapped(1.45, cap, 16);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect(r).toBeInstanceOf(BudgetExceededError);
    expect(billed).toBeLessThanOrEqual(cap);
    expect(h.budget.spentUsd).toBeCloseTo(billed, 12);
    expect(provider.maxInFlight).toBe(16);
    // It ran until the cap, not earlier: the stop is the ordinary one.
    expect(h.budget.stopped?.message).toMatch(/the next call needs up to/);
  });

  it("stops at the first reply that counted more than k x (2.5x): no call starts after it, every outcome is kept", async () => {
    const cap = 0.004;
    const concurrency = 4;
    const { h, billed, refused, provider } = await runCapped(2.5, cap, concurrency);
    expect(h.budget.stopped?.message).toMatch(/above the \$[0-9.e-]+ reserved for it/);
    for (const r of refused) expect(r).toBeInstanceOf(BudgetExceededError);
    // Only the calls already in flight when the first reply came back were made.
    expect(provider.calls.length).toBeLessThanOrEqual(concurrency);
    expect(h.store.count()).toBe(provider.calls.length);
    // Far below the cap: the run did not go on spending at a rate its reservations understate.
    expect(billed).toBeLessThan(cap / 10);
  });

  it("bounds the overspend by what the calls in flight cost beyond their reservations", async () => {
    // Room for exactly the reservations of the calls in flight: each of them overshoots.
    const request = testRequest(testItems(1)[0]!, MAX_TOKENS);
    const worst = worstCase(request, TEST_PRICING, "recording").costUsd;
    const concurrency = 4;
    const cap = concurrency * worst * 1.01;
    const { billed, provider } = await runCapped(2.5, cap, concurrency, 40);
    const excess = provider
      .succeeded()
      .reduce(
        (sum, c) =>
          sum +
          Math.max(0, costOfUsage(c.outcome.usage, TEST_PRICING) - worstCase(c.request, TEST_PRICING, "x").costUsd),
        0,
      );
    expect(provider.calls.length).toBeLessThanOrEqual(concurrency);
    expect(billed).toBeGreaterThan(cap);
    expect(billed - cap).toBeLessThanOrEqual(excess);
  });
});
