import type { SelectSpec } from "../../config/define-eval.ts";
import type { RouterSummary } from "../../contracts/summary.ts";
import { pairedIntervalFromSums, pairedSums } from "../../stats/index.ts";
import type { EvaluatedRouter } from "../eval-result.ts";
import { choosePoint, DEFAULT_MARGIN, type SelectContext } from "../fit/calibrate.ts";
import type { AnswerMatrix } from "../matrix/answer-matrix.ts";
import type { Mask } from "../matrix/masked.ts";

/**
 * The policy a run recommends: the eval's select rule applied across every policy's chosen point,
 * on calibration items only (held-out figures never choose), the oracle excluded. Ties go to the
 * earlier policy (single models first, then routers in eval order).
 */
export function recommend(
  evaluated: readonly EvaluatedRouter[],
  select: SelectSpec,
  context: SelectContext,
): { router: string; rule: string } | undefined {
  const pool = evaluated.filter((e) => !e.evaluationOnly);
  if (!pool.length) return undefined;
  const crossFitted = pool.every((e) => e.crossFitted);
  const figures = pool.map((e) => (crossFitted ? e.crossFitted! : e.calibration));
  const { point, rule } = choosePoint(figures, select, context);
  const chosen = pool[figures.indexOf(point)]!;
  return {
    router: chosen.router.id,
    rule: `${rule}, among ${pool.length} policies on ${crossFitted ? "cross-fitted calibration figures (each policy's point chosen on one half of the calibration items, measured on the other)" : "calibration items"}`,
  };
}

/**
 * A policy's calibration figures, its non-inferiority test on the reporting items (under
 * select.nonInferiorTo, with the same interval as on calibration), and the oracle's flag.
 */
export function selectionFigures(args: {
  e: EvaluatedRouter;
  matrix: AnswerMatrix;
  mask: Mask;
  select: SelectSpec;
  reference: string | undefined;
  calibrationItems: number;
}): Pick<RouterSummary, "calibration" | "nonInferiority" | "evaluationOnly"> {
  const { e, matrix, mask, select, reference } = args;
  const cal = e.calibration;
  const out: Pick<RouterSummary, "calibration" | "nonInferiority" | "evaluationOnly"> = {
    calibration: {
      items: args.calibrationItems,
      quality: cal.quality,
      costPer1k: 1000 * cal.cost,
      nonInferiorityLower: cal.paired ? pairedIntervalFromSums(cal.paired).lower : null,
      ...(e.crossFitted
        ? {
            crossFitted: {
              quality: e.crossFitted.quality,
              costPer1k: 1000 * e.crossFitted.cost,
              nonInferiorityLower: e.crossFitted.paired ? pairedIntervalFromSums(e.crossFitted.paired).lower : null,
            },
          }
        : {}),
    },
    ...(e.evaluationOnly ? { evaluationOnly: true } : {}),
  };
  if (select.nonInferiorTo === undefined || reference === undefined) return out;
  const k = matrix.models.indexOf(reference);
  const sums = pairedSums(matrix.score[k]!, e.outcome.quality, mask);
  const interval = pairedIntervalFromSums(sums);
  const margin = select.margin ?? DEFAULT_MARGIN;
  out.nonInferiority = {
    reference,
    margin,
    delta: interval.delta,
    lower: interval.lower,
    upper: interval.upper,
    passed: interval.lower > -margin,
    test: sums.binary ? "newcombe" : "paired-normal",
  };
  return out;
}
