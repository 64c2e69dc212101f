import { duringCalibrationSweep } from "../../routing/learn/cross-fitted.ts";
import type { AnyRouter, RouterParams } from "../../routing/router.ts";
import type { AnswerMatrix } from "../matrix/answer-matrix.ts";
import { type ChoiceVector, decideAll, decideInto } from "../matrix/decide-all.ts";
import type { Mask } from "../matrix/masked.ts";
import { evaluateChoices, flatten, prepare } from "../matrix/policy-outcome.ts";
import type { ScorePhase } from "../matrix/score-phase.ts";
import type { CandidatePoint } from "./calibrate.ts";

/**
 * The calibration sweep: for every parameter set, the figures an operating point is chosen by
 * (mean quality, mean cost, strong-call share over the masked items), computed in one fused loop
 * with one reused choice vector, so a sweep allocates nothing per point. Each point's full
 * per-item outcome is built only when read (in practice: for the one point chosen), by replaying
 * its parameters; the figures are identical to `pointFigures(evaluateChoices(...))`.
 */
export function sweepPoints(args: {
  router: AnyRouter;
  phase: ScorePhase;
  matrix: AnswerMatrix;
  grid: readonly RouterParams[];
  modelIndex: ReadonlyMap<string, number>;
  mask: Mask;
  strongIndex: number | null;
}): CandidatePoint[] {
  const { router, phase, matrix, modelIndex, mask, strongIndex } = args;
  const n = matrix.items.length;
  const { score, cost } = flatten(matrix);
  const { unpaid, phaseCost, scoreCalled } = prepare(matrix, phase);
  const strongCalled = strongIndex === null ? null : scoreCalled[strongIndex]!;
  const choice: ChoiceVector = new Int32Array(n);
  const sums = new Float64Array(4);
  // Learned routers answer with cross-fitted predictions on their calibration items while the
  // operating point is chosen, and with their plain prediction everywhere else.
  return duringCalibrationSweep(() =>
    args.grid.map((params) => {
      decideInto(router, phase, params, modelIndex, choice);
      accumulate(choice, mask, score, cost, unpaid, phaseCost, strongCalled, strongIndex ?? -1, sums);
      const quality = sums[0]!;
      let total = sums[1]!;
      let strong = sums[2]!;
      const count = sums[3]!;
      if (choice.uses) {
        // Decisions that used only some score-step calls (a staged cascade): exact, item by item.
        const exact = evaluateChoices(matrix, phase, choice);
        total = 0;
        strong = 0;
        for (let i = 0; i < n; i++) {
          if (!mask[i]) continue;
          total += exact.cost[i]!;
          if (strongIndex !== null) strong += exact.called[strongIndex]![i]!;
        }
      }
      let outcome: CandidatePoint["outcome"] | undefined;
      return {
        params,
        get outcome() {
          outcome ??= evaluateChoices(matrix, phase, decideAll(router, phase, params, modelIndex));
          return outcome;
        },
        quality: count ? quality / count : Number.NaN,
        cost: count ? total / count : Number.NaN,
        strongShare: strongIndex === null ? null : count ? strong / count : Number.NaN,
      };
    }),
  );
}

/** The hot loop, kept small and monomorphic: sums of quality, cost and strong calls over the mask. */
function accumulate(
  choice: Int32Array,
  mask: Mask,
  score: Float64Array,
  cost: Float64Array,
  unpaid: Float64Array,
  phaseCost: Float64Array,
  strongCalled: Uint8Array | null,
  strongIndex: number,
  out: Float64Array,
): void {
  const n = choice.length;
  let quality = 0;
  let total = 0;
  let strong = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (mask[i] === 0) continue;
    const k = choice[i]!;
    const j = k * n + i;
    quality += score[j]!;
    total += phaseCost[i]! + unpaid[j]! * cost[j]!;
    if (k === strongIndex || (strongCalled !== null && strongCalled[i] === 1)) strong++;
    count++;
  }
  out[0] = quality;
  out[1] = total;
  out[2] = strong;
  out[3] = count;
}
