import { describe, expect, it } from "vitest";
import type { StoreCaller } from "../../collect/store-caller.ts";
import type { Item } from "../../core/types.ts";
import type { DatasetItems } from "../../datasets/dataset-items.ts";
import { alwaysRouter } from "../../routing/builtin/always.ts";
import { lengthRouter } from "../../routing/builtin/length.ts";
import { randomRouter } from "../../routing/builtin/random.ts";
import { type AnyRouter, itemOnlyScore, type RouterContext, scoreNowOf } from "../../routing/router.ts";
import type { AnswerMatrix } from "./answer-matrix.ts";
import { prepare } from "./policy-outcome.ts";
import { RouterFailure } from "./router-failure.ts";
import { calledNothing, runScorePhase, runScorePhases, scoresNothing } from "./score-phase.ts";

// Issue 13: a dataset file's items are read again for every pass, so passes that need no item read
// none, and routers that call nothing keep no per-item call columns of their own.

const n = 5000;

/** Items that count how many are read, as a dataset file's would be read again. */
function countedItems(): { items: DatasetItems; reads: () => number } {
  const all: Item[] = Array.from({ length: n }, (_, i) => ({ id: `i${i}`, input: "x".repeat(i % 50) }));
  let reads = 0;
  const items: DatasetItems = {
    length: n,
    at: (i) => {
      reads++;
      return all[i];
    },
    slice: (from, to) => {
      reads += Math.max(0, Math.min(n, to) - from);
      return all.slice(from, to);
    },
    forEach: (fn) => {
      reads += n;
      all.forEach(fn);
    },
  };
  return { items, reads: () => reads };
}

function matrixOf(items: DatasetItems): AnswerMatrix {
  return { models: ["a", "b"], items, hash: [] } as unknown as AnswerMatrix;
}

const caller = { flush: () => {}, forgetPrefetched: () => {}, prefetch: () => {} } as unknown as StoreCaller;

describe("runScorePhase", () => {
  it("makes a null-scoring baseline's phase without reading an item, equal to the phase its score step makes", async () => {
    const { items, reads } = countedItems();
    const matrix = matrixOf(items);
    const scored = await runScorePhase(alwaysRouter("a"), matrix, caller);
    expect(reads()).toBe(n);
    const marked = await runScorePhase(scoresNothing(alwaysRouter("a")), matrix, caller);
    expect(reads()).toBe(n);
    for (const key of ["scores", "calls", "cost", "latency"] as const) expect(marked[key]).toEqual(scored[key]);
    expect(calledNothing(marked) && calledNothing(scored)).toBe(true);
  });

  it("shares one set of call columns among routers that call nothing, and their prepared facts", async () => {
    const { items } = countedItems();
    const matrix = matrixOf(items);
    const length = await runScorePhase(lengthRouter({ weak: "a", strong: "b" }), matrix, caller);
    const always = await runScorePhase(alwaysRouter("b"), matrix, caller);
    expect(length.scores[7]).toEqual({ rank: 7 });
    expect(length.cost).toBe(always.cost);
    expect(length.calls).toBe(always.calls);
    expect(length.cost.every((c) => c === 0) && length.latency.every((l) => l === 0)).toBe(true);
    expect(prepare(matrix, length)).toBe(prepare(matrix, null));
    expect(prepare(matrix, null).unpaid.every((u) => u === 1)).toBe(true);
  });

  it("scores every router of a run in one pass over the items, with the phases separate passes make", async () => {
    const routers = () => [
      lengthRouter({ weak: "a", strong: "b" }),
      alwaysRouter("a"),
      scoresNothing(alwaysRouter("b")),
      lengthRouter({ weak: "b", strong: "a" }),
    ];
    const together = countedItems();
    const phases = await runScorePhases(routers(), matrixOf(together.items), caller);
    // One pass for the three routers that read items (the marked baseline reads none); three before.
    expect(together.reads()).toBe(n);
    const apart = countedItems();
    const matrix = matrixOf(apart.items);
    const separate: Awaited<ReturnType<typeof runScorePhase>>[] = [];
    for (const router of routers()) separate.push(await runScorePhase(router, matrix, caller));
    expect(apart.reads()).toBe(3 * n);
    phases.forEach((phase, r) => {
      if (phase instanceof RouterFailure) throw phase;
      for (const key of ["scores", "calls", "cost", "latency"] as const) expect(phase[key]).toEqual(separate[r]![key]);
    });
  });

  it("gives a router whose code throws its failure and scores the others on every item", async () => {
    const { items } = countedItems();
    const throwing: AnyRouter = {
      ...lengthRouter({ weak: "a", strong: "b" }),
      id: "fails-at-3000",
      score: async (item) => {
        if (item.id === "i3000") throw new Error("no such feature");
        return { rank: 1 };
      },
    };
    const [failed, length] = await runScorePhases(
      [throwing, lengthRouter({ weak: "a", strong: "b" })],
      matrixOf(items),
      caller,
    );
    expect(failed).toBeInstanceOf(RouterFailure);
    expect((failed as RouterFailure).message).toMatch(
      /router fails-at-3000 threw in score on item i3000: no such feature/,
    );
    expect(length).not.toBeInstanceOf(RouterFailure);
    expect((length as { scores: unknown[] }).scores[n - 1]).toEqual({ rank: (n - 1) % 50 });
  });

  it("scores an item-only router through its synchronous form, with the phase its score step makes", async () => {
    const { items } = countedItems();
    const matrix = matrixOf(items);
    for (const router of [lengthRouter({ weak: "a", strong: "b" }), randomRouter({ weak: "a", strong: "b" })]) {
      const now = scoreNowOf(router.score)!;
      expect(now).toBeTypeOf("function");
      // The same router scored through its own asynchronous step (a copy with another score function).
      const wrapped: AnyRouter = { ...router, score: (item, ctx) => router.score(item, ctx) };
      expect(scoreNowOf(wrapped.score)).toBeUndefined();
      const fast = await runScorePhase(router, matrix, caller);
      const slow = await runScorePhase(wrapped, matrix, caller);
      for (const key of ["scores", "calls", "cost", "latency"] as const) expect(fast[key]).toEqual(slow[key]);
      const item = { id: "q1", input: "a question" };
      expect(now(item)).toEqual(await router.score(item, {} as RouterContext));
    }
  });

  it("a synchronous form that throws is that router's failure, naming the item; the other routers carry on", async () => {
    const { items } = countedItems();
    const failing: AnyRouter = {
      ...lengthRouter({ weak: "a", strong: "b", id: "failing" }),
      score: itemOnlyScore(
        async () => ({ rank: 1 }),
        (item: Item) => {
          if (item.id === "i3000") throw new Error("no rank for this one");
          return { rank: 1 };
        },
      ),
    };
    const [failed, fine] = await runScorePhases(
      [failing, lengthRouter({ weak: "a", strong: "b" })],
      matrixOf(items),
      caller,
    );
    expect(failed).toBeInstanceOf(RouterFailure);
    expect((failed as RouterFailure).message).toMatch(
      /router failing threw in score on item i3000: no rank for this one/,
    );
    expect((fine as { scores: unknown[] }).scores[4999]).toEqual({ rank: 49 });
  });
});
