import type { SelectSpec } from "../../config/define-eval.ts";
import { canonicalModelId } from "../../contracts/model-spec.ts";
import { InputError } from "../../core/errors.ts";
import type { AnswerMatrix } from "../matrix/answer-matrix.ts";
import { maskedMean } from "../matrix/masked.ts";
import type { SelectContext } from "./calibrate.ts";

/**
 * The best single model on calibration items: the highest mean score there, ties to the cheaper
 * (the same rule as `savingAtBestQuality`), so "best" means one model everywhere in a report.
 */
export function bestSingleModel(matrix: AnswerMatrix, calibration: Uint8Array): number {
  let best = 0;
  let bestQuality = Number.NEGATIVE_INFINITY;
  let bestCost = Number.POSITIVE_INFINITY;
  matrix.models.forEach((_, k) => {
    const quality = maskedMean(matrix.score[k]!, calibration);
    const cost = maskedMean(matrix.cost[k]!, calibration);
    if (quality > bestQuality + 1e-12 || (Math.abs(quality - bestQuality) <= 1e-12 && cost < bestCost)) {
      best = k;
      bestQuality = quality;
      bestCost = cost;
    }
  });
  return best;
}

/**
 * What the eval's select rule compares with, measured on calibration items: the best single
 * model's quality, and for `nonInferiorTo` the reference model (its id and per-item scores).
 */
export function selectContext(
  select: SelectSpec,
  matrix: AnswerMatrix,
  calibration: Uint8Array,
  source: string,
): { context: SelectContext; reference?: Float64Array } {
  const best = bestSingleModel(matrix, calibration);
  const bestSingleQuality = maskedMean(matrix.score[best]!, calibration);
  if (select.nonInferiorTo === undefined) return { context: { bestSingleQuality } };
  const k =
    select.nonInferiorTo === "best"
      ? best
      : matrix.models.indexOf(canonicalModelId(select.nonInferiorTo, matrix.models) ?? "");
  if (k < 0)
    throw new InputError(
      source,
      "field select.nonInferiorTo",
      `"${select.nonInferiorTo}" is not one of the models`,
      `use "best" or one of: ${matrix.models.join(", ")}`,
    );
  return { context: { bestSingleQuality, reference: matrix.models[k]! }, reference: matrix.score[k]! };
}
