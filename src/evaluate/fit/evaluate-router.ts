import type { StoreCaller } from "../../collect/store-caller.ts";
import type { SelectSpec } from "../../config/define-eval.ts";
import type { AnyRouter, FitExample, RouterParams } from "../../routing/router.ts";
import type { EvaluatedRouter } from "../eval-result.ts";
import type { AnswerMatrix } from "../matrix/answer-matrix.ts";
import { asRouterFailure, nonFiniteRank } from "../matrix/router-failure.ts";
import { runScorePhase, type ScorePhase } from "../matrix/score-phase.ts";
import { chooseOperatingPoint, type SelectContext, thresholdsFromRanks } from "./calibrate.ts";
import { sweepPoints } from "./sweep.ts";

/** What every router of a run is evaluated against. */
export interface RouterRun {
  matrix: AnswerMatrix;
  caller: StoreCaller;
  calibration: Uint8Array;
  modelIndex: ReadonlyMap<string, number>;
  strongIndex: number | null;
  select: SelectSpec;
  context: SelectContext;
  /** The non-inferiority reference's per-item scores, when the select rule needs them. */
  reference?: Float64Array;
}

/**
 * One router, end to end on the answer matrix: its score step over every item, `fit` on the
 * calibration items, the sweep over its grid (or thresholds read off its calibration ranks), and
 * the operating point the select rule picks on calibration items. What its own code throws is
 * its RouterFailure (the step and the item); bad input and a stopped run pass through.
 */
export async function evaluateRouter(
  router: AnyRouter,
  run: RouterRun,
  /** Its score step's result when already run (runScorePhases: every router of a run in one pass). */
  scored?: ScorePhase,
): Promise<EvaluatedRouter> {
  const { matrix, calibration } = run;
  const phase = scored ?? (await runScorePhase(router, matrix, run.caller));
  const base = fitRouter(router, phase, matrix, calibration);
  const rank = router.rank ? rankAll(router, phase, base) : null;
  const grid = gridFor(router, base, rank, calibration);
  const points = sweepPoints({
    router,
    phase,
    matrix,
    grid,
    modelIndex: run.modelIndex,
    mask: calibration,
    strongIndex: run.strongIndex,
    ...(run.reference ? { reference: run.reference } : {}),
  });
  const { point, rule } = chooseOperatingPoint(points, run.select, run.context);
  // Rank again at the chosen point: a grid may vary parameters that the rank reads.
  const chosenRank = router.rank && point.params !== base ? rankAll(router, phase, point.params) : rank;
  let outcome: EvaluatedRouter["outcome"];
  try {
    outcome = point.outcome;
  } catch (err) {
    throw asRouterFailure(router.id, "decide", null, err);
  }
  return {
    router,
    phase,
    rank: chosenRank,
    params: point.params,
    outcome,
    calibration: point,
    grid,
    rule,
    swept: grid.length,
  };
}

/** The parameter sets to calibrate over: the router's own grid, or thresholds read off its ranks. */
function gridFor(
  router: AnyRouter,
  base: RouterParams,
  rank: Float64Array | null,
  calibration: Uint8Array,
): RouterParams[] {
  if (router.grid?.length) return router.grid.map((p: RouterParams) => ({ ...base, ...p }));
  if (rank && typeof base.threshold === "number") {
    return thresholdsFromRanks(rank, calibration).map((threshold) => ({ ...base, threshold }));
  }
  return [base];
}

/** Trains a learned router on calibration items only; other routers keep their parameters. */
function fitRouter(router: AnyRouter, phase: ScorePhase, matrix: AnswerMatrix, calibration: Uint8Array): RouterParams {
  if (!router.fit) return router.params;
  const examples: FitExample<unknown>[] = [];
  matrix.items.forEach((item, i) => {
    if (!calibration[i]) return;
    examples.push({
      item,
      scores: phase.scores[i],
      outcomes: matrix.models.map((model, k) => ({ model, score: matrix.score[k]![i]!, costUsd: matrix.cost[k]![i]! })),
    });
  });
  try {
    return { ...router.params, ...router.fit(examples, router.params) };
  } catch (err) {
    throw asRouterFailure(router.id, "fit", null, err);
  }
}

function rankAll(router: AnyRouter, phase: ScorePhase, params: RouterParams): Float64Array {
  const rank = new Float64Array(phase.scores.length);
  for (let i = 0; i < rank.length; i++) {
    let r: number;
    try {
      r = router.rank!(phase.scores[i], params);
    } catch (err) {
      throw asRouterFailure(router.id, "rank", phase.itemId?.(i) ?? null, err);
    }
    if (!Number.isFinite(r)) throw nonFiniteRank(router.id, phase.itemId?.(i) ?? String(i), r);
    rank[i] = r;
  }
  return rank;
}
