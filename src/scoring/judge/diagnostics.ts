import { cohensKappa, pearson } from "../../stats/index.ts";
import { isHalf, type Position } from "./aggregate.ts";

// The judge's own figures (docs/metrics.md#judge), over the answers it scored; answers it failed
// on (judge errors) and answers that were errors themselves are left out by the caller.

/** One pairwise comparison as diagnostics see it. */
export interface PairRecord {
  score: number;
  /** The two orders' values from the candidate's side and where it stood; absent for identical texts. */
  orders?: readonly [{ candidate: Position; value: number }, { candidate: Position; value: number }];
  /** Candidate length minus reference length, in characters. */
  lengthDiff: number;
}

const winnerPosition = (o: { candidate: Position; value: number }): Position =>
  o.value > 0.5 ? o.candidate : o.candidate === "A" ? "B" : "A";

/**
 * flipRate = pairs where both orders were decisive and the same position won both times / pairs
 * where both orders were decisive (null when none were). A judge that always prefers the first
 * position scores 1.0.
 */
export function flipRate(pairs: readonly PairRecord[]): number | null {
  let decisive = 0;
  let flipped = 0;
  for (const p of pairs) {
    if (!p.orders) continue;
    const [a, b] = p.orders;
    if (isHalf(a.value) || isHalf(b.value)) continue;
    decisive++;
    if (winnerPosition(a) === winnerPosition(b)) flipped++;
  }
  return decisive === 0 ? null : flipped / decisive;
}

/** tieRate = pairs with score 0.5 / all pairs (null without pairs). */
export function tieRate(pairs: readonly PairRecord[]): number | null {
  if (pairs.length === 0) return null;
  return pairs.filter((p) => isHalf(p.score)).length / pairs.length;
}

/** Pearson r of score with a length (pairwise: the difference to the reference; rubric: the answer's). */
export function lengthCorrelation(scores: readonly number[], lengths: readonly number[]): number | null {
  return pearson(scores, lengths);
}

/** Cohen's kappa of judge pass (score >= 0.5) and exact pass, on the answers that have both. */
export function kappaVsExact(judgeScores: readonly number[], exactPass: readonly boolean[]): number | null {
  return cohensKappa(
    judgeScores.map((s) => s >= 0.5 - 1e-9),
    exactPass,
  );
}
