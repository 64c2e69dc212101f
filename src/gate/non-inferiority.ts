import {
  bonferroniZ,
  costPercentiles,
  type DeltaInterval,
  isBinary,
  newcombePairedInterval,
  pairedBootstrapDiffInterval,
  pairedTable,
  percentile,
} from "../stats/index.ts";

/** One policy's per-item figures on the golden items, aligned with the other policy's. */
export interface PolicyItems {
  quality: Float64Array;
  /** USD per item, every call the policy made. */
  cost: Float64Array;
  latencyMs: Float64Array;
}

export interface GateThresholds {
  /** Largest quality drop (absolute, e.g. 0.02) the candidate may have against the incumbent. */
  maxDrop: number;
  /** Ceiling on the candidate's cost per 1K requests (USD). */
  maxCostPer1k?: number;
  /** Ceiling on the candidate's p99 cost per request, in USD per 1K requests; checked only when n >= 100. */
  maxP99CostPer1k?: number;
  /** Ceiling on the candidate's p95 latency (ms). */
  maxP95LatencyMs?: number;
  /** Two-sided family-wise level of the quality checks (docs/metrics.md: 0.05). */
  alpha?: number;
}

export interface QualityCheckResult {
  name: string;
  passed: boolean;
  /** Lower bound L of the (Bonferroni-adjusted) interval of Delta; the verdict compares it with -maxDrop. */
  value: number;
  threshold: number;
  interval: DeltaInterval & { method: "newcombe" | "paired-bootstrap"; level: number };
  items: number;
  /** Set when the interval straddles -maxDrop: neither non-inferior nor shown inferior. */
  undecided?: { itemsNeeded: number | null };
  /**
   * False for a per-feature check that is undecided only because the feature has fewer items than
   * the gate can decide on (and `perFeature` is not "strict"): reported, not counted in the verdict.
   */
  blocking: boolean;
  detail: string;
}

export interface CeilingCheckResult {
  name: string;
  passed: boolean;
  value: number | null;
  threshold: number;
  detail: string;
}

export interface GateVerdict {
  passed: boolean;
  quality: QualityCheckResult[];
  ceilings: CeilingCheckResult[];
}

/**
 * The non-inferiority gate of docs/metrics.md#the-gate, as a pure function of per-item figures.
 * Quality: for the whole set and each feature, the lower bound of a paired interval of
 * Delta = Q_candidate - Q_incumbent must be > -maxDrop; with m such checks each uses a 1 - alpha/m
 * interval (Bonferroni). Binary scores use Newcombe's hybrid score interval, others a seeded paired
 * percentile bootstrap. Cost and latency compare point estimates with ceilings.
 */
export function nonInferiorityGate(
  incumbent: PolicyItems,
  candidate: PolicyItems,
  thresholds: GateThresholds,
  opts: {
    features?: readonly string[];
    seed?: string;
    /** "strict": a feature with too few items to decide blocks like any failed check (default: it is reported only). */
    perFeature?: "lenient" | "strict";
  } = {},
): GateVerdict {
  const n = incumbent.quality.length;
  if (candidate.quality.length !== n)
    throw new RangeError(`gate: incumbent has ${n} items, candidate ${candidate.quality.length}`);
  if (!(thresholds.maxDrop >= 0)) throw new RangeError("gate: maxDrop must be >= 0");
  const alpha = thresholds.alpha ?? 0.05;
  const groups = qualityGroups(n, opts.features);
  const m = groups.length;
  const z = bonferroniZ(m, alpha);
  const quality = groups.map(({ name, index, feature }) =>
    qualityCheck(
      name,
      pick(incumbent.quality, index),
      pick(candidate.quality, index),
      thresholds.maxDrop,
      z,
      alpha / m,
      opts.seed ?? "routegate-gate",
      feature && opts.perFeature !== "strict",
    ),
  );
  const ceilings = ceilingChecks(candidate, thresholds);
  return {
    passed: quality.every((q) => q.passed || !q.blocking) && ceilings.every((c) => c.passed),
    quality,
    ceilings,
  };
}

function qualityGroups(n: number, features: readonly string[] | undefined) {
  const all = { name: "quality (all items)", index: Array.from({ length: n }, (_, i) => i), feature: false };
  if (!features) return [all];
  if (features.length !== n) throw new RangeError(`gate: ${features.length} feature labels for ${n} items`);
  const byFeature = new Map<string, number[]>();
  features.forEach((f, i) => {
    const list = byFeature.get(f) ?? [];
    list.push(i);
    byFeature.set(f, list);
  });
  // One feature is the whole set: a second, identical check would only widen every interval.
  if (byFeature.size < 2) return [all];
  return [
    all,
    ...[...byFeature.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([f, index]) => ({ name: `quality (feature ${f})`, index, feature: true })),
  ];
}

function pick(values: Float64Array, index: number[]): Float64Array {
  const out = new Float64Array(index.length);
  index.forEach((i, k) => {
    out[k] = values[i]!;
  });
  return out;
}

/**
 * Below this many items a drop of `maxDrop` can hide in zero disagreeing items: if a candidate
 * loses on a share maxDrop of items, a golden set of n items shows none of them with probability
 * (1 - maxDrop)^n, over 5% until n >= 3 / maxDrop (the rule of three). Newcombe's interval is
 * anti-conservative there (with no discordant pairs it is nearly zero-width), so the gate refuses
 * to pass and says how many items it needs instead.
 */
export function minItemsToDecide(maxDrop: number): number {
  return maxDrop > 0 ? Math.ceil(3 / maxDrop) : Number.POSITIVE_INFINITY;
}

/** The binary quality decision, shared by the gate and its calibration by simulation. */
export function binaryNonInferior(
  table: { a: number; b: number; c: number; d: number },
  maxDrop: number,
  z: number,
): boolean {
  const n = table.a + table.b + table.c + table.d;
  return n >= minItemsToDecide(maxDrop) && newcombePairedInterval(table, z).lower > -maxDrop;
}

function qualityCheck(
  name: string,
  base: Float64Array,
  cand: Float64Array,
  maxDrop: number,
  z: number,
  alpha: number,
  seed: string,
  /** A feature's check, which too few items leave undecided without blocking. */
  lenientWhenTooFew = false,
): QualityCheckResult {
  const binary = isBinary(base) && isBinary(cand);
  const interval = binary
    ? { ...newcombePairedInterval(pairedTable(base, cand), z), method: "newcombe" as const, level: 1 - alpha }
    : {
        ...pairedBootstrapDiffInterval(base, cand, { B: 10_000, seed: `${seed}:${name}`, alpha }),
        method: "paired-bootstrap" as const,
        level: 1 - alpha,
      };
  const minItems = minItemsToDecide(maxDrop);
  const tooFew = base.length < minItems;
  const passed = !tooFew && interval.lower > -maxDrop;
  const pct = (x: number) => `${(100 * x).toFixed(2)} pts`;
  const result: QualityCheckResult = {
    name,
    passed,
    value: interval.lower,
    threshold: -maxDrop,
    interval,
    items: base.length,
    blocking: true,
    detail: `Delta ${pct(interval.delta)}, ${(100 * interval.level).toFixed(1)}% interval [${pct(interval.lower)}, ${pct(interval.upper)}] on ${base.length} items; allowed drop ${pct(maxDrop)}`,
  };
  if (!passed && interval.upper > -maxDrop) {
    const needed = itemsNeeded(interval, maxDrop, base.length);
    result.undecided = { itemsNeeded: needed === null ? null : Math.max(needed, tooFew ? minItems : 0) };
    if (tooFew)
      result.detail += `; fewer than ${minItems} items cannot rule out a ${pct(maxDrop)} drop (rule of three)`;
    result.detail += result.undecided.itemsNeeded
      ? `; too few items to decide: about ${result.undecided.itemsNeeded} would be needed at this effect`
      : "; the point estimate itself is below the allowed drop: more items will not make it pass";
    // Not shown worse, only too small to tell: a small feature must not make every change impossible to pass.
    if (tooFew && lenientWhenTooFew) {
      result.blocking = false;
      result.detail += `; undecided: needs ${result.undecided.itemsNeeded ?? minItems} items, so it does not block (perFeature: "strict" would); the overall check decides`;
    }
  }
  return result;
}

/**
 * Interval half-widths shrink like 1/sqrt(n): the candidate would pass once the lower leg fits
 * between the point estimate and -maxDrop. Null when the point estimate is already at or below it.
 */
function itemsNeeded(interval: DeltaInterval, maxDrop: number, n: number): number | null {
  const margin = interval.delta + maxDrop;
  if (margin <= 0) return null;
  const leg = interval.delta - interval.lower;
  return Math.ceil(n * (leg / margin) ** 2);
}

function ceilingChecks(candidate: PolicyItems, t: GateThresholds): CeilingCheckResult[] {
  const checks: CeilingCheckResult[] = [];
  const n = candidate.cost.length;
  if (t.maxCostPer1k !== undefined) {
    let sum = 0;
    for (const c of candidate.cost) sum += c;
    const per1k = (1000 * sum) / n;
    checks.push({
      name: "cost per 1K requests",
      passed: per1k <= t.maxCostPer1k,
      value: per1k,
      threshold: t.maxCostPer1k,
      detail: `$${per1k.toPrecision(4)} vs ceiling $${t.maxCostPer1k}`,
    });
  }
  if (t.maxP99CostPer1k !== undefined) {
    const p99 = costPercentiles(candidate.cost).p99;
    checks.push(
      p99 === null
        ? {
            name: "p99 cost per request",
            passed: true,
            value: null,
            threshold: t.maxP99CostPer1k,
            detail: `n too small (${n} < 100): not checked`,
          }
        : {
            name: "p99 cost per request",
            passed: 1000 * p99 <= t.maxP99CostPer1k,
            value: 1000 * p99,
            threshold: t.maxP99CostPer1k,
            detail: `$${(1000 * p99).toPrecision(4)} per 1K at p99 vs ceiling $${t.maxP99CostPer1k}`,
          },
    );
  }
  if (t.maxP95LatencyMs !== undefined) {
    const p95 = percentile(candidate.latencyMs, 95);
    checks.push({
      name: "p95 latency",
      passed: p95 <= t.maxP95LatencyMs,
      value: p95,
      threshold: t.maxP95LatencyMs,
      detail: `${p95.toFixed(0)} ms vs ceiling ${t.maxP95LatencyMs} ms`,
    });
  }
  return checks;
}
