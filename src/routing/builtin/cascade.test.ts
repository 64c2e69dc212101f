import { describe, expect, it } from "vitest";
import type { CallResult, Item } from "../../core/types.ts";
import type { ConfidenceSource } from "../confidence/types.ts";
import type { RouterContext } from "../router.ts";
import { cascadeRouter } from "./cascade.ts";

const item: Item = { id: "i", input: "q" };
/** Each model answers "conf:<x>" as scripted; every call is recorded. */
function ctxWith(confidence: Record<string, number>) {
  const calls: string[] = [];
  const ctx: RouterContext = {
    request: { messages: [{ role: "user", content: "q" }], maxTokens: 10 },
    models: Object.keys(confidence),
    embed: () => Promise.reject(new Error("no embeddings in this test")),
    async call(model) {
      calls.push(model);
      return {
        text: `conf:${confidence[model]}`,
        model,
        requestHash: `h-${model}`,
        costUsd: 0,
        latencyMs: 1,
        cached: true,
        usage: {
          input: { noCache: 1, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 },
          output: { text: 1, reasoning: 0 },
        },
      } satisfies CallResult;
    },
  };
  return { ctx, calls };
}
const scripted: ConfidenceSource = { name: "scripted", confidence: ({ answer }) => Number(answer.text.slice(5)) };
const abstains: ConfidenceSource = { name: "abstains", confidence: () => null };

describe("cascadeRouter", () => {
  it("two models: score asks the cheap model with the item's own request; rank = 1 - confidence", async () => {
    const router = cascadeRouter({ models: ["a", "b"], sources: [scripted, abstains] });
    const { ctx, calls } = ctxWith({ a: 0.7, b: 0.9 });
    const scores = await router.score(item, ctx);
    expect(calls).toEqual(["a"]);
    expect(scores.stages).toEqual([
      { model: "a", confidence: 0.7, signals: { scripted: 0.7, abstains: null }, uses: ["h-a"] },
    ]);
    expect(router.rank!(scores, router.params)).toBeCloseTo(0.3, 12);
    expect(router.decide(scores, { threshold: 0.6, stageThresholds: [] })).toMatchObject({ model: "a" });
    expect(router.decide(scores, { threshold: 0.8, stageThresholds: [] })).toMatchObject({ model: "b" });
    // Two models charge every score-step call either way: no `uses`.
    expect(router.decide(scores, { threshold: 0.6, stageThresholds: [] }).uses).toBeUndefined();
  });

  it("decideBatch agrees with decide over the whole grid", async () => {
    const router = cascadeRouter({ models: ["a", "b"], sources: [scripted] });
    const scores = await Promise.all(
      [0, 0.25, 0.5, 0.99, 1].map(async (c) => router.score(item, ctxWith({ a: c, b: 1 }).ctx)),
    );
    const out = new Int32Array(scores.length);
    const index = (m: string) => (m === "a" ? 0 : 1);
    for (const entry of router.grid!) {
      const params = { ...router.params, ...entry } as typeof router.params;
      router.decideBatch!(scores, params, index, out);
      expect(Array.from(out)).toEqual(scores.map((s) => index(router.decide(s, params).model)));
    }
  });

  it("three models: escalates stage by stage and names the calls each decision used", async () => {
    const router = cascadeRouter({ models: ["a", "b", "c"], sources: [scripted] });
    expect(router.rank).toBeUndefined();
    const { ctx, calls } = ctxWith({ a: 0.2, b: 0.8, c: 1 });
    const scores = await router.score(item, ctx);
    // Every stage but the last is asked, once, so one score pass serves the whole sweep.
    expect(calls).toEqual(["a", "b"]);
    expect(router.decide(scores, { threshold: 0.1, stageThresholds: [] })).toMatchObject({ model: "a", uses: ["h-a"] });
    expect(router.decide(scores, { threshold: 0.5, stageThresholds: [] })).toMatchObject({
      model: "b",
      uses: ["h-a", "h-b"],
    });
    const last = router.decide(scores, { threshold: 0.9, stageThresholds: [] });
    expect(last.model).toBe("c");
    expect(last.uses).toBeUndefined();
    // Per-stage thresholds override the shared one.
    expect(router.decide(scores, { threshold: 0.9, stageThresholds: [0.1] }).model).toBe("a");
  });

  it("combines sources by min (default) or mean, and never accepts a failed call", async () => {
    const half: ConfidenceSource = { name: "half", confidence: () => 0.5 };
    const minimum = cascadeRouter({ models: ["a", "b"], sources: [scripted, half] });
    const mean = cascadeRouter({ models: ["a", "b"], sources: [scripted, half], combine: "mean" });
    expect((await minimum.score(item, ctxWith({ a: 0.9, b: 1 }).ctx)).stages[0]!.confidence).toBe(0.5);
    expect((await mean.score(item, ctxWith({ a: 0.9, b: 1 }).ctx)).stages[0]!.confidence).toBeCloseTo(0.7, 12);
    const failing: RouterContext = {
      ...ctxWith({}).ctx,
      call: async (model) => ({ ...(await ctxWith({ a: 1 }).ctx.call(model, ctxWith({}).ctx.request)), error: "429" }),
    };
    expect((await minimum.score(item, failing)).stages[0]!.confidence).toBe(0);
  });
});
