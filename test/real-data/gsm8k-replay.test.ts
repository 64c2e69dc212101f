import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { importGsm8k } from "../../devkit/importers/gsm8k.ts";
import { runImported } from "../../devkit/importers/run-imported.ts";
import type { EvalResult } from "../../src/evaluate/eval-result.ts";
import { lengthRouter, randomRouter, thresholdRouter } from "../../src/routing/index.ts";

// docs/metrics.md#two-tiers fixtures, reproduced by replaying RouteLLM's real GSM8K records (read in
// place from ../shared/data) through the same engine `routegate eval` runs.
const DATA = fileURLToPath(new URL("../../../shared/data/routellm_gsm8k", import.meta.url));

describe("GSM8K replay (1307 uncontaminated items)", () => {
  let result: EvalResult;
  beforeAll(async () => {
    const bench = importGsm8k(DATA, { excludeContaminated: true });
    const { weak, strong } = bench;
    const flags = new Map(
      bench.dataset.items.map((i) => [i.id, i.metadata!["routellmCorrect"] as Record<string, boolean>]),
    );
    const w = weak.replace(/^replay:/, "");
    const s = strong.replace(/^replay:/, "");
    // The two-tier oracle ranks items by qS_i - qW_i; it reads the recorded correctness on purpose.
    const oracle = thresholdRouter({
      id: "oracle",
      weak,
      strong,
      rank: (item) => Number(flags.get(item.id)![s]) - Number(flags.get(item.id)![w]),
    });
    result = await runImported(bench, {
      name: "gsm8k",
      weak,
      strong,
      scorer: { type: "numeric", routellmCompat: true },
      routers: [oracle, lengthRouter({ weak, strong }), randomRouter({ weak, strong })],
      split: false,
    });
  }, 120_000);

  const router = (id: string) => result.summary.routers.find((r) => r.id === id)!;

  it("scores every response like RouteLLM's flags: qW 0.6373, qS 0.8577", () => {
    expect(result.summary.dataset.items).toBe(1307);
    const [qW, qS] = result.summary.models.map((m) => m.quality);
    expect(qW).toBeCloseTo(0.6373, 4);
    expect(qS).toBeCloseTo(0.8577, 4);
  });

  it("reproduces the oracle: APGR 1.1208, CPT(50/80/95) 0.1102 / 0.1763 / 0.2093", () => {
    const o = router("oracle");
    expect(o.apgr).toBeCloseTo(1.1208, 4);
    expect(o.cpt?.["50"]).toBeCloseTo(0.1102, 4);
    expect(o.cpt?.["80"]).toBeCloseTo(0.1763, 4);
    expect(o.cpt?.["95"]).toBeCloseTo(0.2093, 4);
  });

  it("reproduces the question-length router: APGR 0.5978, CPT(50/80) 0.3660 / 0.6675", () => {
    const l = router("length");
    expect(l.apgr).toBeCloseTo(0.5978, 4);
    expect(l.cpt?.["50"]).toBeCloseTo(0.366, 4);
    expect(l.cpt?.["80"]).toBeCloseTo(0.6675, 4);
  });

  it("puts a random router near APGR 0.5", () => {
    expect(router("random").apgr).toBeGreaterThan(0.44);
    expect(router("random").apgr).toBeLessThan(0.56);
  });

  it("prices both tiers from estimated tokens and says so", () => {
    const [w, s] = result.summary.models;
    expect(w!.usageEstimated).toBe(true);
    expect(s!.costPer1k).toBeGreaterThan(10 * w!.costPer1k);
    expect(result.summary.warnings.some((x) => x.includes("estimated with a tokenizer"))).toBe(true);
    // The dollar axis: pinned to the figures of tokens counted on the real 8-shot prompt (gpt-tokenizer
    // o200k) at Mixtral 0.60/0.60 and GPT-4-turbo 10/30 per 1M; a change to token counting or prices moves them.
    expect(router("oracle").apgrDollar).toBeCloseTo(1.1126, 4);
    expect(router("length").apgrDollar).toBeCloseTo(0.5813, 4);
  });
});
