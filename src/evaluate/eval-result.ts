import type { Summary } from "../contracts/summary.ts";
import type { AnyRouter, RouterParams } from "../routing/router.ts";
import type { CandidatePoint } from "./fit/calibrate.ts";
import type { AnswerMatrix } from "./matrix/answer-matrix.ts";
import type { PolicyOutcome } from "./matrix/policy-outcome.ts";
import type { ScorePhase } from "./matrix/score-phase.ts";
import type { SplitMasks } from "./matrix/split.ts";

// What an evaluation produced, shared by the summary, the gate replay and the run's callers.

export interface EvaluatedRouter {
  router: AnyRouter;
  /** The chosen point's figures on calibration items (what the select rule compared). */
  calibration: CandidatePoint;
  /** The parameter sets swept (one for a fixed policy). */
  grid: RouterParams[];
  /**
   * Cross-fitted calibration figures (point chosen on one half of the calibration items, measured
   * on the other): what the run's recommendation compares policies by.
   */
  crossFitted?: CandidatePoint;
  /** A policy that reads the answers' scores (the oracle): reported, never recommended or exported. */
  evaluationOnly?: boolean;
  phase: ScorePhase;
  /** router.rank per item at the chosen (fitted) parameters; null without rank(). */
  rank: Float64Array | null;
  params: RouterParams;
  outcome: PolicyOutcome;
  /** How the operating point was chosen, for the report. */
  rule: string;
  swept: number;
}

/** Everything a run produced: the contract summary plus the per-item detail reports and gates use. */
export interface EvalResult {
  summary: Summary;
  matrix: AnswerMatrix;
  evaluated: EvaluatedRouter[];
  split: SplitMasks;
}
