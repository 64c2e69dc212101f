import type { ModelId } from "../../core/types.ts";
import { requireModels } from "../params.ts";
import { defineRouter, type Router } from "../router.ts";
import { classifierRequest, parseComplexity } from "./classifier-prompt.ts";
import { inputText } from "./length.ts";
import { type ThresholdParams, thresholdParamsSchema } from "./threshold.ts";

export interface ClassifierScores {
  /** The classifier's complexity in [0, 1]; null when it failed twice (then the item goes strong). */
  complexity: number | null;
  error?: string;
}

/**
 * Rank of an item whose classification failed: above every complexity (which is at most 1), so a
 * failed classification routes strong at every operating point except "nobody strong". Escalating
 * is the safe failure: it costs money, never quality.
 */
export const CLASSIFIER_FAILED_RANK = 2;

/**
 * The classifier router: a cheap model rates each request's complexity as JSON ({"complexity":
 * 0..1}); at or above the calibrated threshold the item goes to the strong model. The classifier
 * call goes through ctx.call with role "classify", so it is stored, cached and charged to the
 * policy. A malformed answer is retried once as sample 1, then counted as an error.
 */
export function classifierRouter(opts: {
  weak: ModelId;
  strong: ModelId;
  /** The model that classifies (usually the weak one or something cheaper). */
  classifier: ModelId;
  id?: string;
  threshold?: number;
  /** Overrides of the prompt: system instructions, and a user template containing "{{request}}". */
  instructions?: string;
  template?: string;
  maxTokens?: number;
}): Router<ClassifierScores, ThresholdParams> {
  return defineRouter<ClassifierScores, ThresholdParams>({
    id: opts.id ?? "classifier",
    params: { weak: opts.weak, strong: opts.strong, threshold: opts.threshold ?? 0.5 },
    paramsSchema: (ctx) =>
      thresholdParamsSchema(ctx).superRefine((_, issue) => requireModels(ctx, [opts.classifier], "classifier", issue)),
    async score(item, ctx) {
      const request = classifierRequest(inputText(item), opts);
      let error = "";
      for (const sample of [0, 1]) {
        const result = await ctx.call(opts.classifier, request, { role: "classify", sample });
        if (result.error) {
          error = result.error;
          continue;
        }
        const complexity = parseComplexity(result.text);
        if (complexity !== null) return { complexity };
        error = `malformed classifier answer: ${JSON.stringify(result.text.slice(0, 80))}`;
      }
      return { complexity: null, error };
    },
    decide(scores, params) {
      const rank = scores.complexity ?? CLASSIFIER_FAILED_RANK;
      const why = scores.complexity === null ? `classifier failed (${scores.error})` : `complexity ${rank}`;
      return rank >= params.threshold
        ? { model: params.strong, reason: `${why} >= ${params.threshold}` }
        : { model: params.weak, reason: `${why} < ${params.threshold}` };
    },
    decideBatch(scores, params, indexOf, out) {
      const weak = indexOf(params.weak);
      const strong = indexOf(params.strong);
      for (let i = 0; i < scores.length; i++) {
        const c = scores[i]!.complexity;
        out[i] = (c ?? CLASSIFIER_FAILED_RANK) >= params.threshold ? strong : weak;
      }
    },
    rank: (scores) => scores.complexity ?? CLASSIFIER_FAILED_RANK,
  });
}
