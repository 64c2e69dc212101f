import { duringCalibrationSweep } from "../../routing/learn/cross-fitted.ts";
import { addPair, emptyPairedSums, type PairedSums } from "../../stats/index.ts";
import { type ChoiceVector, decideInto } from "../matrix/decide-all.ts";
import type { Mask } from "../matrix/masked.ts";
import { evaluateChoices, flatten, prepare } from "../matrix/policy-outcome.ts";
import type { CandidatePoint } from "./calibrate.ts";
import { rankSweep, sweepsByRank } from "./rank-sweep.ts";
import { isBinaryOver, lazyPoint, type SweepArgs } from "./sweep-point.ts";

export type { SweepArgs } from "./sweep-point.ts";

/**
 * The calibration sweep: for every parameter set, the figures an operating point is chosen by
 * (mean quality, mean cost, strong-call share over the masked items, and paired sums against a
 * reference model when the select rule needs them). A threshold router over its ranks is swept in
 * one pass over the items sorted by rank (rank-sweep.ts); any other router in one fused loop per
 * parameter set with one reused choice vector. Each point's full per-item outcome is built only
 * when read (in practice: for the one point chosen), by replaying its parameters.
 */
export function sweepPoints(args: SweepArgs): CandidatePoint[] {
  // Learned routers answer with cross-fitted predictions on their calibration items while the
  // operating point is chosen, and with their plain prediction everywhere else.
  return duringCalibrationSweep(() => (sweepsByRank(args) ? rankSweep(args) : fusedSweep(args)));
}

function fusedSweep(args: SweepArgs): CandidatePoint[] {
  const { router, phase, matrix, modelIndex, mask, strongIndex } = args;
  const n = matrix.items.length;
  const { score, cost } = flatten(matrix);
  const { unpaid, phaseCost, scoreCalled } = prepare(matrix, phase);
  const strongCalled = strongIndex === null ? null : scoreCalled[strongIndex]!;
  const choice: ChoiceVector = new Int32Array(n);
  const sums = new Float64Array(4);
  const reference = args.reference ?? null;
  const referenceBinary = reference !== null && isBinaryOver(reference, mask);
  return args.grid.map((params) => {
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
    return lazyPoint(args, params, {
      quality: count ? quality / count : Number.NaN,
      cost: count ? total / count : Number.NaN,
      strongShare: strongIndex === null ? null : count ? strong / count : Number.NaN,
      ...(reference ? { paired: pairedOver(choice, mask, score, reference, referenceBinary) } : {}),
    });
  });
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

function pairedOver(
  choice: Int32Array,
  mask: Mask,
  score: Float64Array,
  reference: Float64Array,
  referenceBinary: boolean,
): PairedSums {
  const n = choice.length;
  const s = emptyPairedSums(referenceBinary);
  for (let i = 0; i < n; i++) {
    if (mask[i] === 0) continue;
    const q = score[choice[i]! * n + i]!;
    const r = reference[i]!;
    addPair(s, q, r);
    if (q !== 0 && q !== 1) s.binary = false;
  }
  return s;
}
