import type { SelectSpec } from "../../config/define-eval.ts";
import type { RouterParams } from "../../routing/router.ts";
import { type PairedSums, pairedIntervalFromSums } from "../../stats/index.ts";
import { type Mask, maskedMean } from "../matrix/masked.ts";
import type { PolicyOutcome } from "../matrix/policy-outcome.ts";

export interface CandidatePoint {
  params: RouterParams;
  outcome: PolicyOutcome;
  quality: number;
  cost: number;
  strongShare: number | null;
  /** Paired sums against the non-inferiority reference on calibration items (select.nonInferiorTo only). */
  paired?: PairedSums;
}

/** What the select rules compare with, all measured on calibration items. */
export interface SelectContext {
  /** Quality of the best single model on calibration items. */
  bestSingleQuality: number;
  /** The model `select.nonInferiorTo` resolved to (an id), when that rule is in force. */
  reference?: string;
}

/** The non-inferiority margin in force: select.margin, default one point. */
export const DEFAULT_MARGIN = 0.01;

/**
 * Picks one operating point using calibration items only (docs/metrics.md#calibration-and-the-held-out-split), by the eval's
 * `select` rule. Ties go to the earlier grid entry, so the choice is deterministic.
 */
export function chooseOperatingPoint(
  points: CandidatePoint[],
  select: SelectSpec,
  context: SelectContext | number,
): { point: CandidatePoint; rule: string } {
  const ctx: SelectContext = typeof context === "number" ? { bestSingleQuality: context } : context;
  if (points.length === 1) return { point: points[0]!, rule: "fixed parameters" };
  return choosePoint(points, select, ctx);
}

/**
 * The select rule over any set of calibration points: a router's parameter sets, or the chosen
 * points of every policy when the run recommends one.
 */
export function choosePoint(
  points: CandidatePoint[],
  select: SelectSpec,
  ctx: SelectContext,
): { point: CandidatePoint; rule: string } {
  if (select.targetStrongShare !== undefined) {
    const target = select.targetStrongShare;
    const withShare = points.filter((p) => p.strongShare !== null);
    const pool = withShare.length ? withShare : points;
    const best = argmin(pool, (p) => Math.abs((p.strongShare ?? 0) - target));
    return { point: best, rule: `strong-call share closest to ${target}` };
  }
  if (select.maxCostPer1k !== undefined) {
    const cap = select.maxCostPer1k / 1000;
    const within = points.filter((p) => p.cost <= cap);
    if (within.length)
      return {
        point: argmin(within, (p) => -p.quality),
        rule: `best quality at cost per 1K <= ${select.maxCostPer1k}`,
      };
    return {
      point: argmin(points, (p) => p.cost),
      rule: `cheapest (nothing under cost per 1K ${select.maxCostPer1k})`,
    };
  }
  if (select.nonInferiorTo !== undefined && ctx.reference !== undefined) {
    const margin = select.margin ?? DEFAULT_MARGIN;
    const lower = (p: CandidatePoint) => (p.paired ? pairedIntervalFromSums(p.paired).lower : Number.NEGATIVE_INFINITY);
    const passing = points.filter((p) => lower(p) > -margin);
    const against = `${ctx.reference}${select.nonInferiorTo === "best" ? " (best single model on calibration)" : ""}`;
    if (passing.length)
      return {
        point: argmin(passing, (p) => p.cost),
        rule: `cheapest non-inferior to ${against}, margin ${margin}`,
      };
    return {
      point: argmin(points, (p) => -lower(p)),
      rule: `highest lower bound vs ${against} (none non-inferior at margin ${margin})`,
    };
  }
  const ratio = select.minQualityRatio ?? 0.95;
  const floor = ratio * ctx.bestSingleQuality;
  const good = points.filter((p) => p.quality >= floor - 1e-12);
  if (good.length)
    return { point: argmin(good, (p) => p.cost), rule: `cheapest with quality >= ${ratio} x best single model` };
  return { point: argmin(points, (p) => -p.quality), rule: `best quality (none reached ${ratio} x best single model)` };
}

function argmin<T>(xs: T[], key: (x: T) => number): T {
  let best = xs[0] as T;
  let bestKey = key(best);
  for (const x of xs.slice(1)) {
    const k = key(x);
    if (k < bestKey) {
      best = x;
      bestKey = k;
    }
  }
  return best;
}

export function pointFigures(outcome: PolicyOutcome, mask: Mask, strongIndex: number | null) {
  return {
    quality: maskedMean(outcome.quality, mask),
    cost: maskedMean(outcome.cost, mask),
    strongShare: strongIndex === null ? null : maskedMean(outcome.called[strongIndex]!, mask),
  };
}

/** Thresholds to try for a ranked router: the distinct calibration ranks (thinned to `max`), plus "nobody". */
export function thresholdsFromRanks(rank: Float64Array, mask: Mask, max = 201): number[] {
  const values = [...new Set(Array.from(rank).filter((_, i) => mask[i]))].sort((a, b) => a - b);
  const picked =
    values.length <= max - 1
      ? values
      : Array.from({ length: max - 1 }, (_, j) => values[Math.round((j * (values.length - 1)) / (max - 2))]!);
  const top = values.length ? values[values.length - 1]! : 0;
  // "Nobody goes strong" must be expressible as a finite number so exported configs stay JSON.
  return [...new Set(picked), top + Math.max(1, Math.abs(top))];
}
