import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { scaleRecords } from "../../bench/scale/generate.ts";
import { importGsm8k } from "../../devkit/importers/gsm8k.ts";
import { runImported } from "../../devkit/importers/run-imported.ts";
import { learnedCascade } from "../../routers/learned.ts";
import type { CallResult, ChatRequest, Item, ModelId } from "../../src/core/types.ts";
import { type LearnedScores, learnedRouter } from "../../src/routing/index.ts";
import type { FitExample, RouterContext } from "../../src/routing/router.ts";

// Pins the learned routers' fitted weights, ranks and decisions, bit for bit: the digests were
// taken before the features moved to a compact representation (and must not move with any change
// that claims to keep the figures). On RouteLLM's real GSM8K records (read in place) through the
// engine, and in-process on the scale bench's seeded synthetic items past the size where the
// penalty is chosen on a sample.
const DATA = fileURLToPath(new URL("../../../shared/data/routellm_gsm8k", import.meta.url));

function digest(parts: ReadonlyArray<string | ArrayBufferView>): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(typeof p === "string" ? p : new Uint8Array(p.buffer, p.byteOffset, p.byteLength));
  return h.digest("hex");
}

describe("learned routers: fitted figures and decisions stay bit for bit", () => {
  it("on GSM8K through the engine (learned and learned-cascade)", async () => {
    const bench = importGsm8k(DATA, { excludeContaminated: true });
    const { weak, strong } = bench;
    const result = await runImported(bench, {
      name: "learned-pin",
      weak,
      strong,
      scorer: { type: "numeric", routellmCompat: true },
      routers: [learnedRouter({ weak, strong }), learnedCascade({ weak, strong })],
    });
    const parts: Array<string | ArrayBufferView> = [];
    for (const id of ["learned", "learned-cascade"]) {
      const e = result.evaluated.find((x) => x.router.id === id)!;
      expect((e.params.weights as number[]).length).toBeGreaterThan(1000);
      parts.push(JSON.stringify(e.params), e.rank!, e.outcome.choice, e.outcome.cost);
      parts.push(JSON.stringify(result.summary.routers.find((r) => r.id === id)));
    }
    expect(digest(parts)).toBe("54995ad1ee2b80bc671a3b2bd3b1c4b9e9fdee37c94b908fbbcca94dd7653045");
  }, 180_000);

  it("on 12,000 synthetic items, every one a calibration item (penalty chosen on a sample)", async () => {
    const [weak, strong] = ["gpt-4.1-nano", "gpt-4o-mini"] as ModelId[];
    const records = [...scaleRecords({ items: 12_000, models: 2 })];
    const request: ChatRequest = { messages: [{ role: "user", content: "q" }], maxTokens: 64 };
    const parts: Array<string | ArrayBufferView> = [];
    for (const router of [
      learnedRouter({ weak: weak!, strong: strong! }),
      learnedCascade({ weak: weak!, strong: strong! }),
    ]) {
      const scores: LearnedScores[] = [];
      for (const r of records) {
        const o = r.outcomes[0]!;
        const answer = {
          text: o.output,
          model: weak!,
          requestHash: `h${r.item.id}`,
          costUsd: 0,
          cached: true,
          latencyMs: o.latencyMs,
          usage: { input: { text: o.usage.inputTokens }, output: { text: o.usage.outputTokens, reasoning: 0 } },
        } as unknown as CallResult;
        const ctx = { request, models: [weak!, strong!], call: async () => answer } as unknown as RouterContext;
        scores.push(await router.score(r.item as Item, ctx));
      }
      const examples: FitExample<(typeof scores)[number]>[] = records.map((r, i) => ({
        item: r.item as Item,
        scores: scores[i]!,
        outcomes: r.outcomes.map((o) => ({ model: o.model, score: o.output === r.item.expected ? 1 : 0, costUsd: 0 })),
      }));
      const params = { ...router.params, ...router.fit!(examples, router.params) } as typeof router.params;
      const ranks = Float64Array.from(scores, (s) => router.rank!(s, params));
      const choice = new Int32Array(scores.length);
      // At the median rank: both models chosen, and a decision on every item's exact logit.
      const threshold = Float64Array.from(ranks).sort()[ranks.length >> 1]!;
      router.decideBatch!(scores, { ...params, threshold }, (m) => (m === strong ? 1 : 0), choice);
      expect(new Set(choice).size).toBe(2);
      // Scores as a decision log writes them (JSON): the feature row's columns and values.
      parts.push(JSON.stringify(params), ranks, choice, JSON.stringify(scores.slice(0, 50)));
    }
    expect(digest(parts)).toBe("5b6bc6bfbf1494672c4401a5339bc07ecae7283ec43ad27f45a9974c01b3f00e");
  }, 180_000);
});
