import { describe, expect, it } from "vitest";
import { collectHarness, TEST_PRICING, testItems, testRequest } from "../../devkit/collect-harness/collect-harness.ts";
import {
  errors,
  hang,
  RecordingProvider,
  reply,
  yieldToLoop,
} from "../../devkit/collect-harness/recording-provider.ts";
import { costOfUsage } from "../pricing/cost.ts";
import { OutcomeStore } from "../store/outcome-store.ts";
import { BudgetExceededError } from "./budget.ts";
import { FakeClock } from "./clock.ts";
import { worstCase } from "./worst-case.ts";

// Collection under the CallGuard, end to end through the store-backed caller, with scripted providers.

describe("retries through the caller", () => {
  it("honours retry-after, stores the eventual answer once, and counts every attempt", async () => {
    const provider = new RecordingProvider({
      script: (c) => {
        if (c.attempt === 1) throw errors.rateLimited(2500);
        if (c.attempt === 2) throw errors.server(529);
        return reply(c.request, { text: "42" });
      },
    });
    const clock = new FakeClock();
    const h = collectHarness({ models: { m: provider }, clock, random: () => 0.5 });
    const [item] = testItems(1);
    const result = await h.caller.call(item!, "m", testRequest(item!));
    expect(result.text).toBe("42");
    expect(provider.calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(clock.sleeps).toEqual([2500, 500]); // retry-after, then backoff ceiling 1000 x 0.5
    expect(h.stats).toMatchObject({ providerCalls: 1, attempts: 3, errors: 0 });
    expect(h.store.count()).toBe(1);
  });

  it("fails fast on a non-retryable error and stores the failure with its code", async () => {
    const provider = new RecordingProvider({
      script: () => {
        throw errors.badRequest();
      },
    });
    const h = collectHarness({ models: { m: provider } });
    const [item] = testItems(1);
    const result = await h.caller.call(item!, "m", testRequest(item!));
    expect(result.error).toMatch(/400/);
    expect(provider.calls).toHaveLength(1);
    expect(h.store.get(result.requestHash)).toMatchObject({ errorCode: "bad_request" });
    expect(h.stats.failures).toEqual([
      { model: "m", itemId: "q0", role: "answer", code: "bad_request", error: "400 bad request" },
    ]);
  });

  it("caps attempts: a provider that always fails is tried maxAttempts times, then the failure is stored", async () => {
    const provider = new RecordingProvider({
      script: () => {
        throw errors.server(503);
      },
    });
    const h = collectHarness({ models: { m: provider }, retry: { maxAttempts: 3 } });
    const [item] = testItems(1);
    const result = await h.caller.call(item!, "m", testRequest(item!));
    expect(provider.calls).toHaveLength(3);
    expect(h.store.get(result.requestHash)).toMatchObject({ errorCode: "server_error" });
  });
});

describe("the budget", () => {
  it("is never exceeded under concurrency 16, and the store keeps every call that finished", async () => {
    const items = testItems(300);
    const provider = new RecordingProvider({
      script: async (c) => {
        // Let other attempts start meanwhile, so 16 really are in flight.
        for (let k = 0; k < 1 + (Number(c.itemId.slice(1)) % 4); k++) await yieldToLoop();
        return reply(c.request, { outputTokens: (Number(c.itemId.slice(1)) * 37) % c.request.maxTokens });
      },
    });
    const h = collectHarness({ models: { m: provider }, concurrency: 16, maxCostUsd: 0.05 });
    const worst = worstCase(testRequest(items[0]!), TEST_PRICING, provider.id).costUsd;
    const settled = await Promise.allSettled(items.map((item) => h.caller.call(item, "m", testRequest(item))));
    await h.caller.settled();

    const refused = settled.filter((s) => s.status === "rejected");
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(BudgetExceededError);
    const done = provider.succeeded();
    const actual = done.reduce((sum, c) => sum + costOfUsage(c.outcome.usage, TEST_PRICING), 0);
    expect(actual).toBeLessThanOrEqual(0.05);
    expect(h.budget.spentUsd).toBeCloseTo(actual, 12);
    // It stopped only when the next worst case no longer fitted, not earlier.
    expect(actual).toBeGreaterThan(0.05 - 2 * worst);
    expect(provider.maxInFlight).toBe(16);
    expect(provider.calls).toHaveLength(done.length);
    expect(h.store.count()).toBe(done.length);
    expect(h.stats.providerCalls).toBe(done.length);
  });

  it("charges nothing for answers from the store", async () => {
    const store = OutcomeStore.open(":memory:");
    const items = testItems(10);
    const first = collectHarness({ models: { m: new RecordingProvider() }, store });
    await Promise.all(items.map((i) => first.caller.call(i, "m", testRequest(i))));
    const again = collectHarness({ models: { m: new RecordingProvider() }, store, maxCostUsd: 1e-9 });
    const results = await Promise.all(items.map((i) => again.caller.call(i, "m", testRequest(i))));
    expect(results.every((r) => r.cached)).toBe(true);
    expect(again.budget.spentUsd).toBe(0);
  });

  it("gives back the reservation of a failed call the provider does not bill (429, 5xx)", async () => {
    const provider = new RecordingProvider({
      script: (c) => {
        if (c.attempt === 1) throw errors.rateLimited(10);
        if (c.attempt === 2) throw errors.server(500);
        return reply(c.request);
      },
    });
    const [item] = testItems(1);
    const request = testRequest(item!);
    const worst = worstCase(request, TEST_PRICING, provider.id).costUsd;
    // Room for one worst case and a half: a failed attempt that kept its reservation would stop the run.
    const h = collectHarness({ models: { m: provider }, maxCostUsd: 1.5 * worst });
    const result = await h.caller.call(item!, "m", request);
    expect(result.error).toBeUndefined();
    expect(provider.calls).toHaveLength(3);
    expect(h.budget.spentUsd).toBeCloseTo(costOfUsage(provider.succeeded()[0]!.outcome.usage, TEST_PRICING), 15);
    expect(h.budget.spentUsd).toBeLessThan(worst);
  });

  it("keeps the worst case of a failed call the provider says it billed", async () => {
    const provider = new RecordingProvider({
      script: () => {
        throw errors.of("bad_response", { billed: true });
      },
    });
    const [item] = testItems(1);
    const request = testRequest(item!);
    const h = collectHarness({ models: { m: provider } });
    await h.caller.call(item!, "m", request);
    expect(h.budget.spentUsd).toBeCloseTo(worstCase(request, TEST_PRICING, provider.id).costUsd, 15);
  });

  it("counts a timed-out attempt at its worst case, aborts it, stores the timeout, and flags it", async () => {
    const provider = new RecordingProvider({ script: (c) => hang(c.signal) });
    const [item] = testItems(1);
    const request = testRequest(item!);
    const worst = worstCase(request, TEST_PRICING, provider.id).costUsd;
    const h = collectHarness({ models: { m: provider }, timeoutMs: 20, retry: { maxAttempts: 1 } });
    const result = await h.caller.call(item!, "m", request);
    expect(result.error).toMatch(/no answer within 20 ms/);
    expect(provider.calls[0]!.signal?.aborted).toBe(true);
    expect(h.store.get(result.requestHash)).toMatchObject({ errorCode: "timeout" });
    expect(h.stats.timedOut).toBe(1);
    expect(h.budget.spentUsd).toBeCloseTo(worst, 15);
    expect(h.budget.timedOutUsd).toBeCloseTo(worst, 15);
  });

  it("does not start a retry whose worst case no longer fits after a timeout was charged", async () => {
    const provider = new RecordingProvider({ script: (c) => hang(c.signal) });
    const [item] = testItems(1);
    const request = testRequest(item!);
    const worst = worstCase(request, TEST_PRICING, provider.id).costUsd;
    const h = collectHarness({ models: { m: provider }, timeoutMs: 20, maxCostUsd: 1.5 * worst });
    await expect(h.caller.call(item!, "m", request)).rejects.toBeInstanceOf(BudgetExceededError);
    expect(provider.calls).toHaveLength(1);
    expect(h.budget.spentUsd).toBeLessThanOrEqual(1.5 * worst);
  });

  it("a timeout wins even against a provider that ignores its signal", async () => {
    const provider = new RecordingProvider({ script: () => new Promise(() => {}) });
    const [item] = testItems(1);
    const h = collectHarness({ models: { m: provider }, timeoutMs: 10, retry: { maxAttempts: 2 } });
    const result = await h.caller.call(item!, "m", testRequest(item!));
    expect(result.error).toMatch(/no answer within/);
    expect(provider.calls).toHaveLength(2);
    expect(h.stats.timedOut).toBe(2);
  });
});

describe("limits", () => {
  it("respects per-provider concurrency under the global cap", async () => {
    let global = 0;
    let globalMax = 0;
    const slow = (id: string) =>
      new RecordingProvider({
        id,
        script: async (c) => {
          global++;
          globalMax = Math.max(globalMax, global);
          for (let k = 0; k < 3; k++) await yieldToLoop();
          global--;
          return reply(c.request);
        },
      });
    const a = slow("alpha");
    const b = slow("beta");
    const h = collectHarness({
      models: { a, b },
      concurrency: 6,
      limits: { alpha: { concurrency: 2 }, "*": { concurrency: 5 } },
    });
    const items = testItems(40);
    await Promise.all(
      items.flatMap((i) => [h.caller.call(i, "a", testRequest(i)), h.caller.call(i, "b", testRequest(i))]),
    );
    expect(a.maxInFlight).toBe(2);
    expect(b.maxInFlight).toBeLessThanOrEqual(5);
    expect(b.maxInFlight).toBeGreaterThan(2);
    expect(globalMax).toBeLessThanOrEqual(6);
    expect(h.store.count()).toBe(80);
  });

  it("spaces attempts at the provider's RPM, retries included", async () => {
    const clock = new FakeClock();
    const started: number[] = [];
    const provider = new RecordingProvider({
      id: "slowlane",
      script: (c) => {
        started.push(clock.now());
        if (c.itemId === "q0" && c.attempt === 1) throw errors.rateLimited(0);
        return reply(c.request);
      },
    });
    const h = collectHarness({ models: { m: provider }, clock, limits: { slowlane: { rpm: 120 } } });
    const items = testItems(4);
    await Promise.all(items.map((i) => h.caller.call(i, "m", testRequest(i))));
    // Burst of 2 (one second's worth), then one every 500 ms; the retry of q0 takes its own turn.
    expect(started).toEqual([0, 0, 500, 1000, 1500]);
  });

  it("charges the TPM limit the estimate up front and gives back what the call did not use", async () => {
    const clock = new FakeClock();
    const started: number[] = [];
    const provider = new RecordingProvider({
      script: (c) => {
        started.push(clock.now());
        return reply(c.request, { outputTokens: 0 });
      },
    });
    const items = testItems(3);
    const request = testRequest(items[0]!, 1000);
    const estimate = worstCase(request, TEST_PRICING, provider.id).tokens;
    // One estimate per second; each call gives back its 1000 unused output tokens at once.
    const h = collectHarness({ models: { m: provider }, clock, limits: { "*": { tpm: 60 * estimate } } });
    for (const i of items) await h.caller.call(i, "m", testRequest(i, 1000));
    expect(started[0]).toBe(0);
    expect(started[1]).toBeLessThan(1000);
    expect(started[2]!).toBeLessThan(2000);
  });
});

describe("stored failures on the next run", () => {
  it("collects retryable failures again and keeps the others", async () => {
    const store = OutcomeStore.open(":memory:");
    const items = testItems(5);
    const failing = new RecordingProvider({
      script: (c) => {
        if (c.itemId === "q0") throw errors.rateLimited();
        if (c.itemId === "q1") throw errors.server(502);
        if (c.itemId === "q2") throw errors.badRequest();
        if (c.itemId === "q3") throw errors.of("recorded_error");
        return reply(c.request);
      },
    });
    const first = collectHarness({ models: { m: failing }, store, retry: { maxAttempts: 1 } });
    await Promise.all(items.map((i) => first.caller.call(i, "m", testRequest(i))));
    expect(first.stats.errors).toBe(4);

    const healthy = new RecordingProvider();
    const second = collectHarness({ models: { m: healthy }, store });
    const results = await Promise.all(items.map((i) => second.caller.call(i, "m", testRequest(i))));
    expect(healthy.calls.map((c) => c.itemId).sort()).toEqual(["q0", "q1"]);
    expect(results.map((r) => Boolean(r.error))).toEqual([false, false, true, true, false]);
    expect(second.stats).toMatchObject({ providerCalls: 2, fromStore: 3, errors: 2 });

    // Offline, a networked provider is never called: the stored failure is served as it is.
    const offline = collectHarness({ models: { m: new RecordingProvider() }, store, offline: true });
    first.store.put({ ...store.get(results[4]!.requestHash)!, error: "429", errorCode: "rate_limited", output: "" });
    const served = await offline.caller.call(items[4]!, "m", testRequest(items[4]!));
    expect(served).toMatchObject({ cached: true, error: "429" });
    expect(offline.stats.missing).toEqual([]);
  });
});
