import type { AnyRouter, RouterParams } from "../../routing/router.ts";
import type { PairedSums } from "../../stats/index.ts";
import type { AnswerMatrix } from "../matrix/answer-matrix.ts";
import { decideAll } from "../matrix/decide-all.ts";
import type { Mask } from "../matrix/masked.ts";
import { evaluateChoices, type PolicyOutcome } from "../matrix/policy-outcome.ts";
import type { ScorePhase } from "../matrix/score-phase.ts";
import type { CandidatePoint } from "./calibrate.ts";

// What every sweep takes and makes: its inputs, and points whose per-item outcome is replayed on read.

export interface SweepArgs {
  router: AnyRouter;
  phase: ScorePhase;
  matrix: AnswerMatrix;
  grid: readonly RouterParams[];
  modelIndex: ReadonlyMap<string, number>;
  mask: Mask;
  strongIndex: number | null;
  /** Per-item scores of the non-inferiority reference model: each point then carries paired sums. */
  reference?: Float64Array;
}

/** A point whose per-item outcome is replayed on first read (a class: sweeps make thousands). */
class LazyPoint implements CandidatePoint {
  private replayed: PolicyOutcome | undefined;
  readonly quality: number;
  readonly cost: number;
  readonly strongShare: number | null;
  readonly paired?: PairedSums;

  constructor(
    private readonly args: SweepArgs,
    readonly params: RouterParams,
    figures: Omit<CandidatePoint, "params" | "outcome">,
  ) {
    this.quality = figures.quality;
    this.cost = figures.cost;
    this.strongShare = figures.strongShare;
    if (figures.paired) this.paired = figures.paired;
  }

  get outcome(): PolicyOutcome {
    const { matrix, phase, router, modelIndex } = this.args;
    this.replayed ??= evaluateChoices(matrix, phase, decideAll(router, phase, this.params, modelIndex));
    return this.replayed;
  }
}

export function lazyPoint(
  args: SweepArgs,
  params: RouterParams,
  figures: Omit<CandidatePoint, "params" | "outcome">,
): CandidatePoint {
  return new LazyPoint(args, params, figures);
}

export function isBinaryOver(values: ArrayLike<number>, mask: Mask): boolean {
  for (let i = 0; i < values.length; i++) if (mask[i] && values[i] !== 0 && values[i] !== 1) return false;
  return true;
}
