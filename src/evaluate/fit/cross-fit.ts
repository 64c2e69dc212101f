import { duringCalibrationSweep } from "../../routing/learn/cross-fitted.ts";
import { pairedSums } from "../../stats/index.ts";
import type { EvaluatedRouter } from "../eval-result.ts";
import { decideAll } from "../matrix/decide-all.ts";
import { maskedMean } from "../matrix/masked.ts";
import { evaluateChoices } from "../matrix/policy-outcome.ts";
import { type CandidatePoint, chooseOperatingPoint } from "./calibrate.ts";
import type { RouterRun } from "./evaluate-router.ts";
import { bestSingleModel } from "./select-context.ts";
import { sweepPoints } from "./sweep.ts";

/**
 * Two halves of the calibration items, by hash of the item's group (as the split is drawn), with
 * their own seed so they cut across the held-out assignment: `half` is SplitMasks.half, drawn
 * with the split.
 */
export function calibrationHalves(half: Uint8Array, calibration: Uint8Array): [Uint8Array, Uint8Array] {
  const n = calibration.length;
  const halves: [Uint8Array, Uint8Array] = [new Uint8Array(n), new Uint8Array(n)];
  for (let i = 0; i < n; i++) if (calibration[i]) halves[half[i]!]![i] = 1;
  return halves;
}

/**
 * A policy's cross-fitted calibration figures: its operating point chosen by the select rule on
 * one half of the calibration items and measured on the other, both ways, pooled. Choosing among
 * many parameter sets flatters the chosen one on the items it was chosen on; measured this way
 * the figure carries the cost of that choice, so comparing policies on it does not reward the
 * luckiest sweep. Learned routers decide with their cross-fitted predictions throughout.
 */
export function crossFittedPoint(e: EvaluatedRouter, run: RouterRun, halves: [Uint8Array, Uint8Array]): CandidatePoint {
  const { matrix } = run;
  const n = matrix.items.length;
  const quality = new Float64Array(n);
  const cost = new Float64Array(n);
  const strong = new Float64Array(n);
  // The reference stays the one chosen on all calibration items, the model held-out items are
  // compared with. (Choosing "best" again on each half was tried: a half's best is noisier than
  // the full calibration's, so policies then looked better against it than they fare on held-out.)
  const reference = run.reference ?? null;
  for (const [f, half] of halves.entries()) {
    const other = halves[1 - f]!;
    const best = bestSingleModel(matrix, half);
    let params = e.params;
    if (e.grid.length > 1) {
      const points = sweepPoints({
        router: e.router,
        phase: e.phase,
        matrix,
        grid: e.grid,
        modelIndex: run.modelIndex,
        mask: half,
        strongIndex: run.strongIndex,
        ...(reference ? { reference } : {}),
      });
      const context = { ...run.context, bestSingleQuality: maskedMean(matrix.score[best]!, half) };
      params = chooseOperatingPoint(points, run.select, context).point.params;
    }
    const choice = duringCalibrationSweep(() => decideAll(e.router, e.phase, params, run.modelIndex));
    const outcome = evaluateChoices(matrix, e.phase, choice);
    for (let i = 0; i < n; i++) {
      if (!other[i]) continue;
      quality[i] = outcome.quality[i]!;
      cost[i] = outcome.cost[i]!;
      if (run.strongIndex !== null) strong[i] = outcome.called[run.strongIndex]![i]!;
    }
  }
  const pooled = run.calibration;
  return {
    params: e.params,
    outcome: e.outcome,
    quality: maskedMean(quality, pooled),
    cost: maskedMean(cost, pooled),
    strongShare: run.strongIndex === null ? null : maskedMean(strong, pooled),
    ...(reference ? { paired: pairedSums(reference, quality, pooled) } : {}),
  };
}
