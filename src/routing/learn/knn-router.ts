import { z } from "zod";
import type { ModelId } from "../../core/types.ts";
import { inputText } from "../builtin/length.ts";
import { requireModels } from "../params.ts";
import { defineRouter, type FitExample, type Router } from "../router.ts";
import { CrossFitted } from "./cross-fitted.ts";
import { fitKnn, PRIOR } from "./knn-fit.ts";
import { decodeIndex, foldRow, type KnnIndex, MAX_INDEX_BYTES, similarities, topK, vote } from "./knn-index.ts";
import { DEFAULT_EMBEDDER, K_CANDIDATES, type KnnParams, type KnnScores } from "./knn-types.ts";
import { LAMBDA_GRID } from "./quality-cost-router.ts";

export { DEFAULT_EMBEDDER, K_CANDIDATES, type KnnParams, type KnnScores } from "./knn-types.ts";

/**
 * k-nearest-neighbour routing over N candidates (the strongest simple baseline of RouterBench-style
 * studies; what semantic routers do): each item is embedded through `ctx.embed`; its k nearest
 * calibration items vote with what every model scored on them; the model with the best predicted
 * quality minus lambda x relative cost answers. Sweeping lambda traces the cost-quality curve.
 *
 * Honest calibration: `fit` predicts every calibration item from its neighbours among the *other*
 * calibration items (leave-one-out: an item is never its own neighbour) and chooses k by that
 * error; while the engine picks the operating point, those leave-one-out predictions stand in for
 * the calibration items (cross-fitted.ts). The index (weighted vectors and per-model outcomes,
 * never text) is data in the params, at most MAX_INDEX_BYTES, so exported configs carry it.
 * With two models, give the cheaper first: rank is then the second's predicted gain.
 */
export function knnRouter(opts: {
  models: readonly ModelId[];
  /** Embedding model spec; default the keyless local one. */
  embedder?: string;
  /** Output dimensions to ask the embedder for (where it can shorten its vectors). */
  dimensions?: number;
  id?: string;
  /** A fixed k instead of the leave-one-out choice. */
  k?: number;
  /** Size limit of the exported index (default MAX_INDEX_BYTES, 5 MB); rows are folded to fit. */
  maxIndexBytes?: number;
}): Router<KnnScores, KnnParams> {
  const models = [...opts.models];
  const embedder = opts.embedder ?? DEFAULT_EMBEDDER;
  const M = models.length;
  const crossFitted = new CrossFitted<KnnScores, Float64Array>();
  const memo = new WeakMap<KnnScores, { index: string; k: number; q: Float64Array }>();
  let decoded: { key: string; index: KnnIndex } | null = null;
  const indexOf = (p: KnnParams): KnnIndex | null => {
    if (!p.index) return null;
    if (decoded?.key !== p.index) decoded = { key: p.index, index: decodeIndex(p.index, p.scales, p.idf, p.dim) };
    return decoded.index;
  };

  const predicted = (s: KnnScores, p: KnnParams): Float64Array => {
    const honest = crossFitted.get(s, p.index);
    if (honest !== undefined) return honest;
    const hit = memo.get(s);
    if (hit && hit.index === p.index && hit.k === p.k) return hit.q;
    const index = indexOf(p);
    let q: Float64Array;
    if (!index) q = Float64Array.from(models, (_, m) => p.means[m] ?? 0);
    else {
      const query = p.sourceDim > p.dim ? foldRow(s.x, p.sourceDim, p.dim) : s.x;
      const sims = similarities(index, query);
      q = vote(topK(sims, p.k), sims, p.outcomes, M, p.means, PRIOR);
    }
    memo.set(s, { index: p.index, k: p.k, q });
    return q;
  };

  const router = defineRouter<KnnScores, KnnParams>({
    id: opts.id ?? "knn",
    embedders: [embedder],
    params: {
      lambda: 0,
      k: opts.k ?? K_CANDIDATES[1]!,
      costs: models.map(() => 1),
      embedder,
      dim: 0,
      sourceDim: 0,
      idf: [],
      index: "",
      scales: [],
      outcomes: [],
      means: models.map(() => 0),
    },
    grid: LAMBDA_GRID.map((lambda) => ({ lambda })),
    paramsSchema: (ctx) =>
      z
        .strictObject({
          lambda: z.number().nonnegative(),
          k: z.number().int().positive(),
          costs: z.array(z.number()).length(M, `one relative cost per model (${M})`),
          embedder: z.literal(embedder, `must be "${embedder}", the embedder the router's code uses`),
          dim: z.number().int().nonnegative(),
          sourceDim: z.number().int().nonnegative(),
          idf: z.array(z.number()),
          index: z.string(),
          scales: z.array(z.number()),
          outcomes: z.array(z.number()),
          means: z.array(z.number()).length(M, `one mean score per model (${M})`),
        })
        .superRefine((p, issue) => {
          requireModels(ctx, models, "candidate", issue);
          const rows = p.scales.length;
          if (p.idf.length !== (rows ? p.dim : p.idf.length))
            issue.addIssue({ code: "custom", path: ["idf"], message: `expected ${p.dim} weights (one per dimension)` });
          if (p.outcomes.length !== rows * M)
            issue.addIssue({ code: "custom", path: ["outcomes"], message: `expected ${rows} rows x ${M} models` });
          const bytes =
            Math.floor((p.index.length * 3) / 4) - (p.index.endsWith("==") ? 2 : p.index.endsWith("=") ? 1 : 0);
          if (bytes !== rows * p.dim)
            issue.addIssue({
              code: "custom",
              path: ["index"],
              message: `expected ${rows} rows of ${p.dim} int8 values`,
            });
        }),
    async score(item, ctx) {
      const result = await ctx.embed(embedder, {
        input: inputText(item),
        ...(opts.dimensions ? { dimensions: opts.dimensions } : {}),
      });
      // A failed embedding has no neighbours: the vote falls back to each model's mean.
      return sparse(result.error ? new Float32Array(0) : result.vector);
    },
    fit(examples: ReadonlyArray<FitExample<KnnScores>>, params) {
      return fitKnn(examples, params, models, opts.k, opts.maxIndexBytes ?? MAX_INDEX_BYTES, crossFitted);
    },
    decide(scores, params) {
      const q = predicted(scores, params);
      let best = 0;
      let bestValue = Number.NEGATIVE_INFINITY;
      for (let m = 0; m < M; m++) {
        const value = q[m]! - params.lambda * (params.costs[m] ?? 1);
        if (value > bestValue + 1e-12) {
          best = m;
          bestValue = value;
        }
      }
      return {
        model: models[best]!,
        reason: `neighbours predict quality ${q[best]!.toFixed(3)} at lambda ${params.lambda}`,
      };
    },
  });
  // Two models (cheaper first): the predicted gain of the second is a rank, so two-tier curves
  // (APGR, CPT) are traced at full resolution.
  if (M === 2)
    router.rank = (scores, params) => {
      const q = predicted(scores, params);
      return q[1]! - q[0]!;
    };
  return router;
}

function sparse(vector: Float32Array): KnnScores {
  const index: number[] = [];
  const value: number[] = [];
  for (let j = 0; j < vector.length; j++)
    if (vector[j] !== 0) {
      index.push(j);
      value.push(vector[j]!);
    }
  return { x: { index, value }, dim: vector.length };
}
