import type { ModelId } from "../../core/types.ts";
import type { FitExample } from "../router.ts";
import type { CrossFitted } from "./cross-fitted.ts";
import { decodeIndex, encodeRows, fitIdf, foldRow, similarities, topK, vote, weighted } from "./knn-index.ts";
import { K_CANDIDATES, type KnnParams, type KnnScores } from "./knn-types.ts";

// The kNN router's fit: its neighbour index from calibration items, k by leave-one-out error, and
// the leave-one-out predictions that stand in for calibration items while a point is chosen.

/** Pseudo-neighbours at the model's calibration mean: keeps a sparse neighbourhood from deciding alone. */
export const PRIOR = 1;

/**
 * Builds the index from calibration items (weighted rows, outcomes, means, relative costs), folds
 * it to fewer dimensions while it would exceed MAX_INDEX_BYTES, chooses k by leave-one-out error,
 * and remembers each item's leave-one-out prediction for the calibration sweep.
 */
export function fitKnn(
  examples: ReadonlyArray<FitExample<KnnScores>>,
  params: KnnParams,
  models: readonly ModelId[],
  fixedK: number | undefined,
  maxBytes: number,
  crossFitted: CrossFitted<KnnScores, Float64Array>,
): Partial<KnnParams> {
  const M = models.length;
  const n = examples.length;
  const sourceDim = Math.max(0, ...examples.map((e) => e.scores.dim));
  const outcomes: number[] = [];
  const means = new Array<number>(M).fill(0);
  const meanCost = new Array<number>(M).fill(0);
  for (const e of examples) {
    models.forEach((model, m) => {
      const o = e.outcomes.find((x) => x.model === model);
      const score = Math.round((o?.score ?? 0) * 1e4) / 1e4;
      outcomes.push(score);
      means[m]! += score / n;
      meanCost[m]! += (o?.costUsd ?? 0) / n;
    });
  }
  const dearest = Math.max(...meanCost, 1e-300);
  // Fold until the exported params fit (outcomes and scales count too).
  let dim = sourceDim;
  let encoded: ReturnType<typeof buildRows>;
  for (;;) {
    encoded = buildRows(examples, sourceDim, dim);
    const size = encoded.index.length + 12 * (encoded.scales.length + outcomes.length + dim) + 1024;
    if (size <= maxBytes || dim <= 16) break;
    dim = Math.max(16, Math.floor(dim / 2));
  }
  const index = decodeIndex(encoded.index, encoded.scales, encoded.idf, dim);
  // Leave-one-out: every calibration item's similarities to the others, once.
  const sims = examples.map((e) =>
    similarities(index, sourceDim > dim ? foldRow(e.scores.x, sourceDim, dim) : e.scores.x),
  );
  const ks = fixedK !== undefined ? [fixedK] : K_CANDIDATES.filter((k) => k < n);
  let best = { k: fixedK ?? Math.max(1, Math.min(K_CANDIDATES[0]!, n - 1)), error: Number.POSITIVE_INFINITY };
  let bestPredictions: Float64Array[] = [];
  for (const k of ks.length ? ks : [best.k]) {
    let error = 0;
    const predictions = examples.map((_, i) => {
      const q = vote(topK(sims[i]!, k, i), sims[i]!, outcomes, M, means, PRIOR);
      for (let m = 0; m < M; m++) error += (q[m]! - outcomes[i * M + m]!) ** 2;
      return q;
    });
    if (error < best.error - 1e-12) {
      best = { k, error };
      bestPredictions = predictions;
    }
  }
  crossFitted.remember(
    examples.map((e) => e.scores),
    bestPredictions.length ? bestPredictions : null,
    encoded.index,
  );
  return {
    k: best.k,
    costs: meanCost.map((c) => c / dearest),
    embedder: params.embedder,
    dim,
    sourceDim,
    idf: encoded.idf,
    index: encoded.index,
    scales: encoded.scales,
    outcomes,
    means,
  };
}

function buildRows(examples: ReadonlyArray<FitExample<KnnScores>>, sourceDim: number, dim: number) {
  const rows = examples.map((e) => (sourceDim > dim ? foldRow(e.scores.x, sourceDim, dim) : e.scores.x));
  const idfValues = fitIdf(rows, dim);
  // Rounded as exported, so calibration and production weigh queries identically.
  const idf = Array.from(idfValues, (v) => Number(v.toPrecision(9)));
  const { index, scales } = encodeRows(
    rows.map((r) => weighted(r, idf, dim)),
    dim,
  );
  return { index, scales, idf };
}
