import { z } from "zod";
import { canonicalModelId } from "../../contracts/model-spec.ts";
import type { ModelId } from "../../core/types.ts";
import type { CodeVerifier } from "../confidence/types.ts";
import { lengthOneOf, modelParam, requireModels } from "../params.ts";
import { defineRouter, type FitExample, type Router } from "../router.ts";
import { CrossFitted } from "./cross-fitted.ts";
import { type FeatureRow, featureDot, featureMatrix, RowPacker } from "./feature-row.ts";
import { type FeatureLayout, featureCount, featurize } from "./featurize.ts";
import { trainLogisticCv } from "./logistic.ts";

export interface LearnedScores {
  /** The item's features: a compact row (its `index` and `value` read as arrays; JSON as those). */
  x: FeatureRow;
}

export interface LearnedParams {
  [key: string]: string | number | number[];
  weak: ModelId;
  strong: ModelId;
  /** Items whose predicted gain (rank) is at or above this go to the strong model. */
  threshold: number;
  /** Logistic-regression weights (bias last); [] before fitting (then every rank is 0). */
  weights: number[];
  /** The L2 penalty cross-validation chose (informational). */
  l2: number;
}

/**
 * A learned two-tier router: logistic regression on hashed word/character n-grams and simple text
 * features, trained by `fit` on calibration items only. Optionally cascade-style: the score step
 * asks the weak model first (ctx.call with the item's own request, so an accepted answer is the
 * final one, paid once) and adds features of that answer (final answer present, arithmetic that
 * checks out, truncation, logprobs, the given code verifiers).
 *
 * Target: t = (qS - qW + 1) / 2 per item, a soft label in [0, 1]. The model then estimates the
 * expected gain of the strong model, E[qS - qW | x] = 2p - 1, which is exactly what deciding "is
 * the strong model worth calling" needs: items where both models are right or both wrong (no gain)
 * pull towards 1/2 rather than counting as positives, and it works unchanged for graded scores.
 * rank = w . x + b, the logit of p, a monotone function of the expected gain.
 *
 * While the engine chooses the operating point on calibration items (the items it was trained
 * on), rank and decide answer with cross-fitted (out-of-fold) logits, so the point is not chosen
 * on in-sample optimism (docs/metrics.md#calibration-and-the-held-out-split); see cross-fitted.ts. Everywhere else, the reported
 * outcome and production included, the router is w . x + b with the exported weights.
 */
export function learnedRouter(opts: {
  weak: ModelId;
  strong: ModelId;
  id?: string;
  /** Ask the weak model first and learn from its answer too (a learned cascade). Default false. */
  useWeakAnswer?: boolean;
  /** Extra code verifiers whose results on the weak answer become features. */
  verifiers?: readonly CodeVerifier[];
  /** Hash columns = 2^bits (default 10). */
  bits?: number;
}): Router<LearnedScores, LearnedParams> {
  const verifiers = opts.verifiers ?? [];
  const layout: FeatureLayout = {
    bits: opts.bits ?? 10,
    response: opts.useWeakAnswer ?? false,
    verifiers: verifiers.length,
  };
  const dim = featureCount(layout);
  // Every item's row is kept for the whole evaluation: packed into shared slabs (feature-row.ts).
  const packer = new RowPacker(dim);
  // rank() is called once per item and parameter set during sweeps: keep the last result per item.
  const memo = new WeakMap<LearnedScores, { weights: number[]; rank: number }>();
  const crossFitted = new CrossFitted<LearnedScores>();
  const rankOf = (s: LearnedScores, p: LearnedParams): number => {
    const honest = crossFitted.get(s, p.weights);
    if (honest !== undefined) return honest;
    const hit = memo.get(s);
    if (hit && hit.weights === p.weights) return hit.rank;
    const rank = p.weights.length === dim + 1 ? featureDot(p.weights, s.x) : 0;
    memo.set(s, { weights: p.weights, rank });
    return rank;
  };
  return defineRouter<LearnedScores, LearnedParams>({
    id: opts.id ?? (layout.response ? "learned-cascade" : "learned"),
    params: { weak: opts.weak, strong: opts.strong, threshold: 0, weights: [], l2: 0 },
    paramsSchema: (ctx) =>
      z
        .strictObject({
          weak: modelParam(ctx),
          strong: modelParam(ctx),
          threshold: z.number(),
          weights: lengthOneOf([0, dim + 1], "fitted weights (none before fitting, else one per feature plus a bias)"),
          l2: z.number().nonnegative(),
        })
        .superRefine((p, issue) => {
          if (!layout.response) return;
          // The features are the weak model's answers as the router's code asks for them.
          requireModels(ctx, [opts.weak], "weak answer", issue);
          if (canonicalModelId(p.weak, ctx.models) !== canonicalModelId(opts.weak, ctx.models))
            issue.addIssue({
              code: "custom",
              path: ["weak"],
              message: `must be "${opts.weak}", the model whose answers the router learned from`,
            });
        }),
    async score(item, ctx) {
      if (!layout.response) return { x: featurize(layout, packer, item) };
      const result = await ctx.call(opts.weak, ctx.request);
      return { x: featurize(layout, packer, item, { request: ctx.request, result, verifiers }) };
    },
    fit(examples: ReadonlyArray<FitExample<LearnedScores>>, params) {
      const scoreOf = (e: FitExample<LearnedScores>, model: ModelId) =>
        e.outcomes.find((o) => o.model === model)?.score ?? 0;
      const targets = examples.map((e) => (scoreOf(e, params.strong) - scoreOf(e, params.weak) + 1) / 2);
      const { weights, l2, outOfFold } = trainLogisticCv(featureMatrix(examples.map((e) => e.scores.x)), targets, {
        dim,
      });
      crossFitted.remember(
        examples.map((e) => e.scores),
        outOfFold,
        weights,
      );
      return { weights, l2 };
    },
    rank: rankOf,
    decidesByRank: true,
    decide(scores, params) {
      const r = rankOf(scores, params);
      return r >= params.threshold
        ? { model: params.strong, reason: `predicted gain logit ${r.toFixed(3)} >= ${params.threshold}` }
        : { model: params.weak, reason: `predicted gain logit ${r.toFixed(3)} < ${params.threshold}` };
    },
    decideBatch(scores, params, indexOf, out) {
      const weak = indexOf(params.weak);
      const strong = indexOf(params.strong);
      for (let i = 0; i < scores.length; i++) out[i] = rankOf(scores[i]!, params) >= params.threshold ? strong : weak;
    },
  });
}
