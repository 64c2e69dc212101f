import type { RouterParams } from "../../routing/router.ts";
import type { PairedSums } from "../../stats/index.ts";
import { flatten, prepare } from "../matrix/policy-outcome.ts";
import { asRouterFailure, nonFiniteRank } from "../matrix/router-failure.ts";
import type { CandidatePoint } from "./calibrate.ts";
import { isBinaryOver, lazyPoint, type SweepArgs } from "./sweep-point.ts";

/**
 * Whether a sweep can run by rank: the router promises that its decision is "strong when rank >=
 * threshold" (`decidesByRank`), and the grid varies the threshold alone.
 */
export function sweepsByRank(args: SweepArgs): boolean {
  const { router, grid, modelIndex } = args;
  if (!router.decidesByRank || !router.rank || grid.length < 2) return false;
  const first = grid[0]!;
  if (typeof first["weak"] !== "string" || typeof first["strong"] !== "string") return false;
  if (!modelIndex.has(first["weak"]) || !modelIndex.has(first["strong"])) return false;
  const keys = Object.keys(first);
  return grid.every(
    (p) =>
      typeof p["threshold"] === "number" &&
      Object.keys(p).length === keys.length &&
      keys.every((k) => k === "threshold" || p[k] === first[k]),
  );
}

/**
 * The incremental sort-based sweep: rank each calibration item once, sort them by rank, and walk
 * the thresholds in increasing order. Everyone starts on the strong model (a threshold at or below
 * every rank); each step moves the items whose rank falls below the next threshold to the weak
 * model, updating the sums of quality, cost, strong calls and the paired sums by the difference
 * those items make. O(n log n + thresholds) instead of O(n x thresholds), with the same figures
 * as deciding every item at every threshold (up to floating-point summation order).
 */
export function rankSweep(args: SweepArgs): CandidatePoint[] {
  const { router, phase, matrix, grid, modelIndex, mask, strongIndex } = args;
  const n = matrix.items.length;
  const base = grid[0]!;
  const weak = modelIndex.get(base["weak"] as string)!;
  const strong = modelIndex.get(base["strong"] as string)!;
  const { score, cost } = flatten(matrix);
  const { unpaid, phaseCost, scoreCalled } = prepare(matrix, phase);
  const strongCalled = strongIndex === null ? null : scoreCalled[strongIndex]!;
  const reference = args.reference ?? null;

  let m = 0;
  for (let i = 0; i < n; i++) m += mask[i]!;
  const rank = new Float64Array(m);
  // Per item: what changes when it moves from the strong model to the weak one.
  const dQuality = new Float64Array(m);
  const dCost = new Float64Array(m);
  const dStrong = new Float64Array(m);
  // Paired sums move too, only when a reference is compared with.
  const dBoth = new Float64Array(reference ? m : 0);
  const dSquares = new Float64Array(reference ? m : 0);
  const sums = { quality: 0, cost: 0, strong: 0, both: 0, squares: 0, reference: 0, referenceSquares: 0 };
  let binary = reference !== null && isBinaryOver(reference, mask);
  let at = 0;
  for (let i = 0; i < n; i++) {
    if (!mask[i]) continue;
    let r: number;
    try {
      r = router.rank!(phase.scores[i], base);
    } catch (err) {
      throw asRouterFailure(router.id, "rank", phase.itemId?.(i) ?? null, err);
    }
    if (!Number.isFinite(r)) throw nonFiniteRank(router.id, phase.itemId?.(i) ?? String(i), r);
    rank[at] = r;
    const jw = weak * n + i;
    const js = strong * n + i;
    const qW = score[jw]!;
    const qS = score[js]!;
    const cW = phaseCost[i]! + unpaid[jw]! * cost[jw]!;
    const cS = phaseCost[i]! + unpaid[js]! * cost[js]!;
    const called = strongCalled !== null && strongCalled[i] === 1;
    const hW = weak === strongIndex || called ? 1 : 0;
    const hS = strong === strongIndex || called ? 1 : 0;
    sums.quality += qS;
    sums.cost += cS;
    sums.strong += hS;
    dQuality[at] = qW - qS;
    dCost[at] = cW - cS;
    dStrong[at] = hW - hS;
    if (reference) {
      const ref = reference[i]!;
      sums.both += qS * ref;
      sums.squares += qS * qS;
      sums.reference += ref;
      sums.referenceSquares += ref * ref;
      dBoth[at] = (qW - qS) * ref;
      dSquares[at] = qW * qW - qS * qS;
      if ((qW !== 0 && qW !== 1) || (qS !== 0 && qS !== 1)) binary = false;
    }
    at++;
  }
  const order = new Uint32Array(m);
  for (let k = 0; k < m; k++) order[k] = k;
  order.sort((a, b) => rank[a]! - rank[b]!);

  // Thresholds in increasing order, remembering where each sits in the grid.
  const thresholds = new Float64Array(grid.length);
  for (let g = 0; g < grid.length; g++) thresholds[g] = grid[g]!["threshold"] as number;
  const byThreshold = new Uint32Array(grid.length);
  for (let g = 0; g < grid.length; g++) byThreshold[g] = g;
  byThreshold.sort((a, b) => thresholds[a]! - thresholds[b]!);

  const points = new Array<CandidatePoint>(grid.length);
  let p = 0;
  let quality = sums.quality;
  let total = sums.cost;
  let strongCalls = sums.strong;
  for (let t = 0; t < grid.length; t++) {
    const g = byThreshold[t]!;
    const threshold = thresholds[g]!;
    // Items ranked below this threshold go to the weak model (decide: strong iff rank >= threshold).
    while (p < m && rank[order[p]!]! < threshold) {
      const k = order[p]!;
      quality += dQuality[k]!;
      total += dCost[k]!;
      strongCalls += dStrong[k]!;
      if (reference) {
        sums.both += dBoth[k]!;
        sums.squares += dSquares[k]!;
      }
      p++;
    }
    const params: RouterParams = grid[g]!;
    const paired: PairedSums | undefined = reference
      ? {
          n: m,
          candidate: quality,
          reference: sums.reference,
          both: sums.both,
          candidateSquares: sums.squares,
          referenceSquares: sums.referenceSquares,
          binary,
        }
      : undefined;
    points[g] = lazyPoint(args, params, {
      quality: m ? quality / m : Number.NaN,
      cost: m ? total / m : Number.NaN,
      strongShare: strongIndex === null ? null : m ? strongCalls / m : Number.NaN,
      ...(paired ? { paired } : {}),
    });
  }
  return points;
}
