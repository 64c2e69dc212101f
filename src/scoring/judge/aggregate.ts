// Verdicts to scores, exactly as docs/metrics.md sections 1 and 7 say: per order a pairwise verdict is
// 1 (candidate wins), 0.5 (tie) or 0 (candidate loses), and a pair scores the mean of its two
// orders, so a disagreement between the orders ends as a tie. Rubric 1-10 maps to (s - 1) / 9.

export type Position = "A" | "B";
export type Winner = Position | "tie";

/** One order's verdict from the candidate's side. */
export function orderValue(winner: Winner, candidate: Position): number {
  if (winner === "tie") return 0.5;
  return winner === candidate ? 1 : 0;
}

/** The pair's score: the mean of its two orders ((tie, win) = 0.75; (win, loss) = 0.5). */
export function pairScore(first: number, second: number): number {
  return (first + second) / 2;
}

/** A rubric score s on 1..10 as a score in [0, 1]. */
export function rubricScore(s: number): number {
  if (!(s >= 1 && s <= 10)) throw new RangeError(`rubric score ${s} is outside 1..10`);
  return (s - 1) / 9;
}

export type PanelRule = "majority" | "mean";

/**
 * A panel's verdicts on one order (pairwise values 1 / 0.5 / 0) or one answer (grades in [0, 1]).
 * mean: the average. majority, pairwise: the value more than half the judges gave, else a tie;
 * majority, grades: the median (for pass/fail, the majority verdict; an even split is 0.5).
 */
export function combinePanel(values: readonly number[], rule: PanelRule, kind: "pairwise" | "grade"): number {
  if (values.length === 0) throw new RangeError("combinePanel: no verdicts");
  if (values.length === 1) return values[0]!;
  if (rule === "mean") return values.reduce((a, b) => a + b, 0) / values.length;
  if (kind === "pairwise") {
    for (const v of [1, 0.5, 0]) {
      if (values.filter((x) => x === v).length * 2 > values.length) return v;
    }
    return 0.5;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Equal to 0.5 up to rounding (a mean panel's values are thirds, quarters, ...). */
export function isHalf(x: number): boolean {
  return Math.abs(x - 0.5) < 1e-9;
}
