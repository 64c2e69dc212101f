import { describe, expect, it, vi } from "vitest";
import { collectHarness, testItems, testRequest } from "../../../devkit/collect-harness/collect-harness.ts";
import { errors, RecordingProvider, reply } from "../../../devkit/collect-harness/recording-provider.ts";
import { OFFLINE_BLOCK_MS, OFFLINE_BLOCK_ROWS } from "../../collect/store-caller.ts";
import type { Item } from "../../core/types.ts";
import { createScorer } from "../../scoring/index.ts";
import { OutcomeStore } from "../../store/outcome-store.ts";
import { COLLECT_WINDOW, collectAnswers } from "./answer-matrix.ts";
import { splitBuilder, splitMasks } from "./split.ts";

// Issue 13, items 1, 2 and 4: collection works through the items a window at a time, stores what
// arrives as it arrives (a crash at 80% keeps 80%, less at most one block of offline answers, which
// cost nothing to collect again), commits the offline providers' answers in blocks bounded by size
// and time, and gives offline providers no deadlines, abort signals or retries; paid answers still
// commit one by one, each before the next call.

const quiet = { start() {}, tick() {}, stop() {} };
const exact = createScorer("exact");
const scoredItems = (n: number) => testItems(n).map((item) => ({ ...item, expected: "y" }));

describe("windowed collection", () => {
  it("shows every item once, in order, to the work that rides its pass: the split drawn there is the split", async () => {
    const items = scoredItems(2 * COLLECT_WINDOW + 50);
    const provider = new RecordingProvider({ offline: true });
    const h = collectHarness({ models: { m: provider }, offline: true });
    const split = { heldOutFraction: 0.3, seed: "s", trainFraction: 0.2 };
    const builder = splitBuilder(items.length, split);
    const seen: number[] = [];
    const visit = (item: Item, i: number) => {
      expect(item).toBe(items[i]);
      seen.push(i);
      builder.add(item, i);
    };
    await collectAnswers(h.caller, items, ["m"], testRequest, exact, quiet, undefined, undefined, visit);
    expect(seen).toEqual(items.map((_, i) => i));
    expect(builder.done()).toEqual(splitMasks(items, split));
    expect(builder.done().trainCount).toBeGreaterThan(0);
  });

  it("keeps at most one window in flight and commits offline answers a full block at a time, not per window", async () => {
    // The block's time limit is held still: only a full block (or the run's end) commits here.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const items = scoredItems(2 * COLLECT_WINDOW + 50);
      const store = OutcomeStore.open(":memory:");
      // Stored rows when each item's first answer was asked for.
      const storedAtCall = new Map<string, number>();
      const provider = (id: string) =>
        new RecordingProvider({
          id,
          offline: true,
          script: (c) => {
            if (!storedAtCall.has(c.itemId)) storedAtCall.set(c.itemId, store.count());
            return reply(c.request, { text: `answer ${c.itemId}` });
          },
        });
      const a = provider("offline-a");
      const b = provider("offline-b");
      // A block of 5000 rows: two models' answers fill it during the second window.
      const offlineBlock = { rows: 5000, ms: OFFLINE_BLOCK_MS };
      const h = collectHarness({ models: { a, b }, store, concurrency: 100_000, offline: true, offlineBlock });
      await collectAnswers(h.caller, items, ["a", "b"], testRequest, exact, quiet);
      // The second window found nothing committed: the first window's answers were held for the block.
      expect(storedAtCall.get(items[COLLECT_WINDOW]!.id)).toBe(0);
      // The block was committed the moment it was full (not at a window's end), no more and no less.
      expect(storedAtCall.get(items[2 * COLLECT_WINDOW]!.id)).toBe(offlineBlock.rows);
      expect(Math.max(a.maxInFlight, b.maxInFlight)).toBeLessThanOrEqual(COLLECT_WINDOW);
      // The rest is held when collection ends (a run commits it when it ends: runEval), then committed.
      expect(store.count()).toBe(offlineBlock.rows);
      h.caller.flush();
      expect(store.count()).toBe(2 * items.length);
    } finally {
      vi.useRealTimers();
    }
  });

  it("commits a block of 32,768 offline answers or one second after its first, whichever comes first", () => {
    expect([OFFLINE_BLOCK_ROWS, OFFLINE_BLOCK_MS]).toEqual([32_768, 1000]);
  });

  it("commits held offline answers once the block's time is up, though the block is not full", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const items = scoredItems(5);
      const store = OutcomeStore.open(":memory:");
      const offline = new RecordingProvider({ offline: true, script: (c) => reply(c.request) });
      const h = collectHarness({ models: { m: offline }, store, offline: true });
      for (const item of items) await h.caller.call(item, "m", testRequest(item));
      expect(store.count()).toBe(0);
      vi.advanceTimersByTime(OFFLINE_BLOCK_MS - 1);
      expect(store.count()).toBe(0);
      vi.advanceTimersByTime(1);
      expect(store.count()).toBe(5);
    } finally {
      vi.useRealTimers();
    }
  });

  it("a run that fails mid-way still commits every offline answer it collected", async () => {
    const items = scoredItems(COLLECT_WINDOW + 100);
    const store = OutcomeStore.open(":memory:");
    const crashAt = items[COLLECT_WINDOW + 90]!.id;
    const provider = (id: string) =>
      new RecordingProvider({
        id,
        offline: true,
        script: (c) => {
          // The failing call settles last (after a turn of the event loop): every other answer is in by then.
          if (c.itemId === crashAt)
            return new Promise((_, reject) => setImmediate(() => reject(new Error("the run fails here"))));
          return reply(c.request, { text: `answer ${c.itemId}` });
        },
      });
    const a = provider("a");
    const b = provider("b");
    const h = collectHarness({ models: { a, b }, store, offline: true });
    await expect(collectAnswers(h.caller, items, ["a", "b"], testRequest, exact, quiet)).rejects.toThrow(/fails here/);
    // Committed by the time the failure is seen, not left held in memory: every answer but the
    // failed one (offline calls are made a block at a time, so the calls after it were not made).
    expect(store.count()).toBe(a.calls.length + b.calls.length - 1);
    expect(store.count()).toBeGreaterThan(2 * COLLECT_WINDOW);
  });

  it("fills typed columns, not result objects, and a repeat run reads everything back from the store", async () => {
    const items = scoredItems(COLLECT_WINDOW + 7);
    const store = OutcomeStore.open(":memory:");
    const model = () =>
      new RecordingProvider({
        offline: true,
        script: (c) => reply(c.request, { text: c.itemId === "q3" ? "x" : "y" }),
      });
    const first = collectHarness({ models: { m: model() }, store, offline: true });
    const m1 = await collectAnswers(first.caller, items, ["m"], testRequest, exact, quiet);
    first.caller.flush();
    expect(store.count()).toBe(items.length);
    // No reservation is needed without a cap, but the spend is still counted.
    expect(first.budget.spentUsd).toBeCloseTo(
      m1.cost[0]!.reduce((a, b) => a + b, 0),
      12,
    );
    expect(first.budget.spentUsd).toBeGreaterThan(0);
    const p = model();
    const again = collectHarness({ models: { m: p }, store, offline: true });
    const m2 = await collectAnswers(again.caller, items, ["m"], testRequest, exact, quiet);
    expect(p.calls).toHaveLength(0);
    expect(again.stats.fromStore).toBe(items.length);
    expect([...m2.cost[0]!]).toEqual([...m1.cost[0]!]);
    expect(m2.hash[0]).toEqual(m1.hash[0]);
    expect(m2.answers[0]!.get(3).usage).toEqual(m1.answers[0]!.get(3).usage);
    expect(m2.answers[0]!.get(3).usage.input.noCache).toBeGreaterThan(0);
    // Scores were taken from the texts before they were let go: q3 answered "x", the rest "y".
    expect(m2.score[0]![3]).toBe(0);
    expect(m2.score[0]!.reduce((a, b) => a + b, 0)).toBe(items.length - 1);
  });
});

describe("answers served at once from the window's read", () => {
  it("serves what is stored, and still calls for what is not and for a stored failure worth collecting again", async () => {
    const items = scoredItems(40);
    const store = OutcomeStore.open(":memory:");
    // First run: the first 30 items, q5 failing with a rate limit (worth collecting again).
    const first = new RecordingProvider({
      script: (c) => (c.itemId === "q5" ? Promise.reject(errors.rateLimited()) : reply(c.request, { text: "y" })),
    });
    const h1 = collectHarness({ models: { m: first }, store, retry: { maxAttempts: 1 } });
    await collectAnswers(h1.caller, items.slice(0, 30), ["m"], testRequest, exact, quiet);
    expect(store.count()).toBe(30);

    // Offline, the stored failure is served as it is (no call may be made) and scores 0; what is
    // not stored is missing.
    const never = new RecordingProvider({ script: (c) => reply(c.request, { text: "y" }) });
    const off = collectHarness({ models: { m: never }, store, offline: true });
    const mOff = await collectAnswers(off.caller, items, ["m"], testRequest, exact, quiet);
    expect(never.calls).toHaveLength(0);
    expect(off.stats.fromStore).toBe(30);
    expect(off.stats.errors).toBe(1);
    expect(off.stats.missing).toHaveLength(10);
    expect(mOff.error[0]![5]).toBe(1);
    expect(mOff.score[0]!.reduce((a, b) => a + b, 0)).toBe(29);

    const second = new RecordingProvider({ script: (c) => reply(c.request, { text: "y" }) });
    const h2 = collectHarness({ models: { m: second }, store });
    const m = await collectAnswers(h2.caller, items, ["m"], testRequest, exact, quiet);
    expect(second.calls.map((c) => c.itemId).sort()).toEqual(["q5", ...items.slice(30).map((i) => i.id)].sort());
    expect(h2.stats.requests).toBe(40);
    expect(h2.stats.fromStore).toBe(29);
    expect(h2.stats.providerCalls).toBe(11);
    expect(h2.stats.errors).toBe(0);
    expect(m.score[0]!.reduce((a, b) => a + b, 0)).toBe(40);
  });
});

describe("offline providers", () => {
  it("get no abort signal and no retry; networked ones keep both", async () => {
    const [item] = testItems(1);
    const failing = (offline: boolean) =>
      new RecordingProvider({ offline, script: () => Promise.reject(errors.rateLimited()) });
    const offline = failing(true);
    const off = collectHarness({ models: { m: offline }, offline: true, timeoutMs: 60_000 });
    expect((await off.caller.call(item!, "m", testRequest(item!))).error).toBeDefined();
    expect(offline.calls.map((c) => [c.attempt, c.signal])).toEqual([[1, undefined]]);

    const hosted = failing(false);
    const on = collectHarness({ models: { m: hosted }, timeoutMs: 60_000, retry: { maxAttempts: 3 } });
    expect((await on.caller.call(item!, "m", testRequest(item!))).error).toBeDefined();
    expect(hosted.calls).toHaveLength(3);
    expect(hosted.calls.every((c) => c.signal instanceof AbortSignal)).toBe(true);
  });

  it("paid answers are committed one at a time: each call finds every earlier answer stored", async () => {
    const items = scoredItems(6);
    const store = OutcomeStore.open(":memory:");
    const seen: number[] = [];
    const hosted = new RecordingProvider({
      script: (c) => {
        seen.push(store.count());
        return reply(c.request);
      },
    });
    const h = collectHarness({ models: { m: hosted }, store, concurrency: 1 });
    await collectAnswers(h.caller, items, ["m"], testRequest, exact, quiet);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
