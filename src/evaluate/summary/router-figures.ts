import type { RouterSummary } from "../../contracts/summary.ts";
import type { RouterParams } from "../../routing/router.ts";
import { costPercentiles, percentile, qualityInterval, summarizeTwoTier, twoTierSweep } from "../../stats/index.ts";
import { bestSingleModel } from "../fit/select-context.ts";
import type { AnswerMatrix } from "../matrix/answer-matrix.ts";
import { type Mask, maskedCount, maskedMean, maskedValues } from "../matrix/masked.ts";
import type { PolicyOutcome } from "../matrix/policy-outcome.ts";
import type { ScorePhase } from "../matrix/score-phase.ts";

export interface TwoTierIndex {
  weak: number;
  strong: number;
}

/** Figures of one policy at its chosen operating point, over the reporting items. */
export function routerFigures(args: {
  id: string;
  params: RouterParams;
  heldOut: boolean;
  matrix: AnswerMatrix;
  phase: ScorePhase;
  /** router.rank per item at the chosen parameters, when the router has one. */
  rank: Float64Array | null;
  outcome: PolicyOutcome;
  mask: Mask;
  twoTier: TwoTierIndex | null;
  oracleQuality: number;
  seed: string;
}): RouterSummary {
  const { matrix, outcome, mask, twoTier, phase, rank } = args;
  const quality = maskedValues(outcome.quality, mask);
  const cost = maskedValues(outcome.cost, mask);
  const latency = maskedValues(outcome.latency, mask);
  const q = qualityInterval(quality, { seed: `${args.seed}:${args.id}` });
  const share: Record<string, number> = {};
  matrix.models.forEach((model, k) => {
    let chosen = 0;
    for (let i = 0; i < mask.length; i++) if (mask[i] && outcome.choice[i] === k) chosen++;
    if (chosen) share[model] = chosen / maskedCount(mask);
  });
  let errors = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) errors += outcome.error[i]!;

  let strongShare: number | null = null;
  let pgr: number | null = null;
  let curve: ReturnType<typeof summarizeTwoTier> | null = null;
  if (twoTier) {
    strongShare = maskedMean(outcome.called[twoTier.strong]!, mask);
    const qW = maskedMean(matrix.score[twoTier.weak]!, mask);
    const qS = maskedMean(matrix.score[twoTier.strong]!, mask);
    pgr = qS === qW ? null : (q.mean - qW) / (qS - qW);
    if (rank)
      curve = summarizeTwoTier(twoTierSweep(twoTierItems(matrix, phase, mask, twoTier), maskedValues(rank, mask)));
  }
  const cptOf = (t: Record<string, number | null> | undefined) =>
    t ? { "50": t["50"] ?? null, "80": t["80"] ?? null, "95": t["95"] ?? null } : null;
  return {
    id: args.id,
    params: args.params,
    heldOut: args.heldOut,
    items: quality.length,
    quality: { mean: q.mean, ci: [q.lower, q.upper] },
    costPer1k: 1000 * mean(cost),
    cost: { per1k: 1000 * mean(cost), ...costPercentiles(cost) },
    latencyMs: { p50: percentile(latency, 50), p95: percentile(latency, 95) },
    modelShare: share,
    strongShare,
    pgr,
    apgr: curve?.apgr ?? null,
    apgrDollar: curve?.apgrDollar ?? null,
    cpt: cptOf(curve?.cpt),
    cptDollar: cptOf(curve?.cptDollar),
    oracleGap: args.oracleQuality - q.mean,
    errors,
    ...savingAtBestQuality(matrix, mask, args.heldOut, q, mean(cost)),
  };
}

/**
 * The saving against the best single model: the model with the highest quality on calibration
 * items (ties: the cheaper there), compared on the reporting items. Calibration items are the
 * complement of the held-out reporting mask, or all items when figures are in-sample. null when the
 * policy's quality interval lies wholly below that model's quality (it did not reach it) or when
 * the model costs nothing.
 */
function savingAtBestQuality(
  matrix: AnswerMatrix,
  mask: Mask,
  heldOut: boolean,
  q: { upper: number },
  policyCost: number,
): { savingAtBestQuality: number | null; bestSingleModel: string } | Record<string, never> {
  const calibration = heldOut ? mask.map((v) => 1 - v) : mask;
  if (matrix.models.length === 0) return {};
  const best = bestSingleModel(matrix, calibration);
  const reachedQuality = q.upper >= maskedMean(matrix.score[best]!, mask) - 1e-12;
  const cost = maskedMean(matrix.cost[best]!, mask);
  return {
    bestSingleModel: matrix.models[best]!,
    savingAtBestQuality: reachedQuality && cost > 0 ? 1 - policyCost / cost : null,
  };
}

/**
 * The per-item inputs of a two-tier sweep for a router: what the policy pays on each item when it
 * ends on W and when it ends on S, counting its score step's calls (a cascade's cheap attempt).
 */
export function twoTierItems(matrix: AnswerMatrix, phase: ScorePhase, mask: Mask, t: TwoTierIndex) {
  const n = maskedCount(mask);
  const costIfWeak = new Float64Array(n);
  const costIfStrong = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const paid = new Set(phase.calls[i]!.map((c) => c.result.requestHash));
    costIfWeak[k] = phase.cost[i]! + (paid.has(matrix.hash[t.weak]!.get(i)) ? 0 : matrix.cost[t.weak]![i]!);
    costIfStrong[k] = phase.cost[i]! + (paid.has(matrix.hash[t.strong]!.get(i)) ? 0 : matrix.cost[t.strong]![i]!);
    k++;
  }
  return {
    scoreIfWeak: maskedValues(matrix.score[t.weak]!, mask),
    scoreIfStrong: maskedValues(matrix.score[t.strong]!, mask),
    costIfWeak,
    costIfStrong,
    weakOnlyCost: maskedMean(matrix.cost[t.weak]!, mask),
    strongOnlyCost: maskedMean(matrix.cost[t.strong]!, mask),
  };
}

function mean(values: Float64Array): number {
  let s = 0;
  for (const v of values) s += v;
  return values.length ? s / values.length : 0;
}
