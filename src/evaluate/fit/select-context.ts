import type { SelectSpec } from "../../config/define-eval.ts";
import { canonicalModelId } from "../../contracts/model-spec.ts";
import { InputError } from "../../core/errors.ts";
import { bestIndex } from "../../routing/families/facts.ts";
import type { AnswerMatrix } from "../matrix/answer-matrix.ts";
import { maskedMean } from "../matrix/masked.ts";
import type { SelectContext } from "./calibrate.ts";

/**
 * The best single model on calibration items: the highest mean score there, ties to the cheaper
 * (the same rule as `savingAtBestQuality`), so "best" means one model everywhere in a report.
 */
export function bestSingleModel(matrix: AnswerMatrix, calibration: Uint8Array): number {
  return bestIndex({
    models: matrix.models,
    quality: matrix.score.map((s) => maskedMean(s, calibration)),
    cost: matrix.cost.map((c) => maskedMean(c, calibration)),
  });
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
