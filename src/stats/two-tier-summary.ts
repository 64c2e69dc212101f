import { smallestXReaching, trapezoidArea } from "./curve.ts";
import { randomUniforms } from "./random.ts";
import { type TwoTierCurve, type TwoTierItems, twoTierSweep } from "./two-tier.ts";

export const DEFAULT_PGR_TARGETS = [0.5, 0.8, 0.95] as const;

export interface TwoTierSummary {
  qW: number;
  qS: number;
  /** Area under PGR over c in [0, 1]; null when PGR is undefined. */
  apgr: number | null;
  maxPgr: number | null;
  /** CPT(x) keyed by percent ("50", "80", "95"); null where the curve never reaches x. */
  cpt: Record<string, number | null>;
  /** Signed trapezoid area under PGR over d, in sweep order (see trapezoidArea). */
  apgrDollar: number | null;
  /** Smallest d on the interpolated curve reaching PGR x. */
  cptDollar: Record<string, number | null>;
}

/** "0.5" -> "50", "0.925" -> "92.5": the keys summary.json uses. */
export function pgrTargetKey(target: number): string {
  return String(Number((target * 100).toFixed(6)));
}

function cptTable(xs: Float64Array | null, pgr: Float64Array | null, targets: readonly number[]) {
  const table: Record<string, number | null> = {};
  for (const x of targets) table[pgrTargetKey(x)] = xs && pgr ? smallestXReaching(xs, pgr, x) : null;
  return table;
}

/** APGR, CPT and their dollar-axis twins for one swept curve (docs/metrics.md#two-tiers). */
export function summarizeTwoTier(
  curve: TwoTierCurve,
  targets: readonly number[] = DEFAULT_PGR_TARGETS,
): TwoTierSummary {
  const { pgr, callShare, dollars } = curve;
  let maxPgr: number | null = null;
  if (pgr) for (const p of pgr) if (maxPgr === null || p > maxPgr) maxPgr = p;
  return {
    qW: curve.qW,
    qS: curve.qS,
    apgr: pgr ? trapezoidArea(callShare, pgr) : null,
    maxPgr,
    cpt: cptTable(callShare, pgr, targets),
    apgrDollar: pgr && dollars ? trapezoidArea(dollars, pgr) : null,
    cptDollar: cptTable(dollars, pgr, targets),
  };
}

/**
 * The index of the cheapest swept point whose quality is at least `minQuality` (e.g. 0.95 qS for
 * "saving at 95% of S"); cheapest by cost when the curve has costs, else by call share. Only real
 * points qualify, since an operating point must be a threshold one can export.
 */
export function cheapestPointReaching(curve: TwoTierCurve, minQuality: number): number | null {
  const axis = curve.cost ?? curve.callShare;
  let best: number | null = null;
  for (let k = 0; k < axis.length; k++) {
    if ((curve.quality[k] as number) < minQuality) continue;
    if (best === null || (axis[k] as number) < (axis[best] as number)) best = k;
  }
  return best;
}

export interface RandomRouterApgr {
  mean: number;
  sd: number;
  values: Float64Array;
}

/**
 * APGR of a router that ranks items by seeded uniform noise, over `runs` seeds ("<seed>:<run>"):
 * the baseline any real router must beat (expected 0.5).
 */
export function randomRouterApgr(
  items: TwoTierItems,
  opts: { runs?: number; seed?: string | number } = {},
): RandomRouterApgr | null {
  const runs = opts.runs ?? 100;
  const seed = opts.seed ?? "routegate";
  const n = items.scoreIfWeak.length;
  const values = new Float64Array(runs);
  for (let r = 0; r < runs; r++) {
    const apgr = summarizeTwoTier(twoTierSweep(items, randomUniforms(n, `${seed}:${r}`)), []).apgr;
    if (apgr === null) return null;
    values[r] = apgr;
  }
  let mean = 0;
  for (const v of values) mean += v / runs;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  return { mean, sd: runs > 1 ? Math.sqrt(ss / (runs - 1)) : 0, values };
}
