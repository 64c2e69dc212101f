import { importGsm8k } from "../devkit/importers/gsm8k.ts";
import { runImported } from "../devkit/importers/run-imported.ts";
import { verifiedCascade } from "../routers/cascade.ts";
import { learnedCascade } from "../routers/learned.ts";
import type { RouterSummary } from "../src/contracts/summary.ts";
import { maskedMean } from "../src/evaluate/matrix/masked.ts";
import { knnRouter, learnedRouter, lengthRouter, randomRouter } from "../src/routing/index.ts";

export interface Gsm8kPolicy {
  id: string;
  apgr: number | null;
  cpt50: number | null;
  cpt80: number | null;
  cpt95: number | null;
  /** The operating point chosen on calibration (quality >= 0.95 x GPT-4-turbo there), on held-out items. */
  quality: number;
  costPer1k: number;
  strongShare: number | null;
  /** 1 - C / C_S at that point, held-out. */
  savingAt95: number;
  /** Whether held-out quality reached 0.95 x qS (held-out). */
  reaches95: boolean;
}

/**
 * RouteLLM's GSM8K pair (Mixtral-8x7B vs GPT-4-turbo), the 1307 items not flagged contaminated,
 * split by hash (seed "routegate" unless another is given): everything fitted on calibration,
 * reported on held-out. The weak responses are real, so cascade-style routers may read them; they always pay
 * the weak call, and the saving counts it.
 */
export async function benchGsm8k(dir: string, opts: { seed?: string; storePath?: string } = {}) {
  const bench = importGsm8k(dir, { excludeContaminated: true });
  const { weak, strong } = bench;
  const result = await runImported(
    bench,
    {
      name: "bench-gsm8k",
      weak,
      strong,
      scorer: { type: "numeric", routellmCompat: true },
      routers: [
        randomRouter({ weak, strong }),
        lengthRouter({ weak, strong }),
        learnedRouter({ weak, strong, id: "learned-question" }),
        verifiedCascade({ models: [weak, strong], answer: { kind: "number" }, id: "verified-cascade" }),
        learnedCascade({ weak, strong }),
        knnRouter({ models: [weak, strong] }),
      ],
      select: { minQualityRatio: 0.95 },
      split: { heldOutFraction: 0.5, seed: opts.seed ?? "routegate" },
    },
    opts.storePath ? { storePath: opts.storePath } : {},
  );
  const { summary, matrix, split } = result;
  const [w, s] = [0, 1];
  // Our numeric scorer against RouteLLM's own `correct` flags, on every item and both models.
  let agree = 0;
  matrix.items.forEach((item, i) => {
    const flags = item.metadata?.["routellmCorrect"] as Record<string, boolean>;
    matrix.models.forEach((model, k) => {
      if (Number(flags[model.replace(/^replay:/, "")]) === matrix.score[k]![i]) agree++;
    });
  });
  const ho = split.heldOut;
  const qW = maskedMean(matrix.score[w]!, ho);
  const qS = maskedMean(matrix.score[s]!, ho);
  const costS = (1000 * maskedMean(matrix.cost[s]!, ho)) as number;
  const policy = (r: RouterSummary): Gsm8kPolicy => ({
    id: r.id,
    apgr: r.apgr,
    cpt50: r.cpt?.["50"] ?? null,
    cpt80: r.cpt?.["80"] ?? null,
    cpt95: r.cpt?.["95"] ?? null,
    quality: r.quality.mean,
    costPer1k: r.costPer1k,
    strongShare: r.strongShare,
    savingAt95: 1 - r.costPer1k / costS,
    reaches95: r.quality.mean >= 0.95 * qS - 1e-12,
  });
  const policies = summary.routers.filter((r) => !r.id.startsWith("always:")).map(policy);
  return {
    items: summary.dataset.items,
    heldOut: summary.split.heldOut,
    qW,
    qS,
    costPer1k: { weak: 1000 * maskedMean(matrix.cost[w]!, ho), strong: costS },
    scorerAgreesWithRouteLLM: { agree, of: matrix.items.length * matrix.models.length },
    headline: "learned-cascade",
    policies,
  };
}
