import { dot, type SparseRow, sigmoid } from "./sparse.ts";

// L2-regularised logistic regression, trained in-process (no Python, no GPU, no dependency):
// full-batch Nesterov-accelerated gradient descent from zero weights with step 1/L, L an upper
// bound of the loss's curvature. No randomness anywhere, so the same data always gives the same
// weights, bit for bit.

export interface LogisticOptions {
  /** Number of feature columns; the returned weights have one more entry, the bias (last). */
  dim: number;
  /** L2 penalty on the weights (not the bias): loss = mean cross-entropy + l2/2 ||w||^2. */
  l2: number;
  maxIterations?: number;
  /** Stop when the gradient's largest component falls below this. */
  tolerance?: number;
}

/**
 * Fits P(y = 1 | x) = sigmoid(w . x + b) to targets in [0, 1]. Soft targets are allowed: the
 * cross-entropy with a target t is minimised at p = t, so a target of (gain + 1) / 2 makes the
 * model estimate the expected gain.
 */
export function trainLogistic(rows: readonly SparseRow[], targets: ArrayLike<number>, opts: LogisticOptions): number[] {
  const { dim, l2 } = opts;
  const n = rows.length;
  const width = dim + 1;
  const w = new Float64Array(width);
  if (n === 0) return Array.from(w);
  // Curvature bound: the Hessian is X'SX/n + l2 with S <= 1/4, and |X'X/n| <= max ||x_i||^2 (bias included).
  let maxNorm = 0;
  for (const r of rows)
    maxNorm = Math.max(
      maxNorm,
      r.value.reduce((s, v) => s + v * v, 1),
    );
  const step = 1 / (0.25 * maxNorm + l2);
  // Three buffers reused across iterations (no allocation per step): y, the previous iterate, the next.
  const y = Float64Array.from(w);
  let previous = Float64Array.from(w);
  let next = new Float64Array(width);
  const grad = new Float64Array(width);
  const maxIterations = opts.maxIterations ?? 300;
  const tolerance = opts.tolerance ?? 1e-5;
  for (let it = 0; it < maxIterations; it++) {
    gradient(rows, targets, y, l2, grad);
    let largest = 0;
    for (let j = 0; j < width; j++) largest = Math.max(largest, Math.abs(grad[j]!));
    if (largest < tolerance) {
      w.set(y);
      break;
    }
    for (let j = 0; j < width; j++) next[j] = y[j]! - step * grad[j]!;
    // Nesterov momentum: (k - 1) / (k + 2).
    const momentum = it / (it + 3);
    for (let j = 0; j < width; j++) y[j] = next[j]! + momentum * (next[j]! - previous[j]!);
    const done = previous;
    previous = next;
    next = done;
    w.set(previous);
  }
  return Array.from(w);
}

function gradient(
  rows: readonly SparseRow[],
  targets: ArrayLike<number>,
  w: Float64Array,
  l2: number,
  out: Float64Array,
): void {
  const n = rows.length;
  const bias = out.length - 1;
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    const residual = (sigmoid(dot(w, r)) - targets[i]!) / n;
    for (let j = 0; j < r.index.length; j++) out[r.index[j]!]! += residual * r.value[j]!;
    out[bias]! += residual;
  }
  for (let j = 0; j < bias; j++) out[j]! += l2 * w[j]!;
}

/** Mean cross-entropy of predictions against (soft) targets: the quantity cross-validation compares. */
export function logLoss(weights: ArrayLike<number>, rows: readonly SparseRow[], targets: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < rows.length; i++) {
    const p = Math.min(1 - 1e-12, Math.max(1e-12, sigmoid(dot(weights, rows[i]!))));
    const t = targets[i]!;
    s -= t * Math.log(p) + (1 - t) * Math.log(1 - p);
  }
  return rows.length ? s / rows.length : 0;
}

/** The penalties cross-validation chooses among: strong to weak, a decade apart and half-decades. */
export const L2_CANDIDATES: readonly number[] = [0.1, 0.03, 0.01, 0.003];

/**
 * Picks the L2 penalty by k-fold cross-validation on the training rows (fold = row index mod k,
 * deterministic; ties go to the stronger penalty) and returns, for that penalty:
 * - `outOfFold`: each row's logit from the fold model that did not see it (a cross-fitted
 *   prediction, for choosing operating points without in-sample optimism);
 * - `weights`: the mean of the k fold models' weights. For a linear model that is the mean of their
 *   logits: a cross-fit ensemble on the same scale as the out-of-fold logits, so a threshold chosen
 *   on those carries over to it. With fewer than two rows per fold it is one fit on all rows.
 */
export function trainLogisticCv(
  rows: readonly SparseRow[],
  targets: ArrayLike<number>,
  opts: Omit<LogisticOptions, "l2"> & { folds?: number; candidates?: readonly number[] },
): { weights: number[]; l2: number; outOfFold: Float64Array | null } {
  const k = Math.min(opts.folds ?? 3, Math.floor(rows.length / 2));
  const candidates = opts.candidates ?? L2_CANDIDATES;
  if (k < 2) {
    const l2 = candidates[0] ?? 0.01;
    return { weights: trainLogistic(rows, targets, { ...opts, l2 }), l2, outOfFold: null };
  }
  let best = { l2: 0, loss: Number.POSITIVE_INFINITY, outOfFold: new Float64Array(0), weights: [] as number[] };
  for (const l2 of candidates) {
    let loss = 0;
    const outOfFold = new Float64Array(rows.length);
    const mean = new Array<number>(opts.dim + 1).fill(0);
    for (let f = 0; f < k; f++) {
      const inFold = (i: number) => i % k === f;
      const trainRows = rows.filter((_, i) => !inFold(i));
      const trainTargets = Array.from(targets).filter((_, i) => !inFold(i));
      const w = trainLogistic(trainRows, trainTargets, { ...opts, l2 });
      for (let j = 0; j < w.length; j++) mean[j]! += w[j]! / k;
      const testRows = rows.filter((_, i) => inFold(i));
      const testTargets = Array.from(targets).filter((_, i) => inFold(i));
      loss += logLoss(w, testRows, testTargets) * testRows.length;
      for (let i = f; i < rows.length; i += k) outOfFold[i] = dot(w, rows[i]!);
    }
    if (loss < best.loss - 1e-12) best = { l2, loss, outOfFold, weights: mean };
  }
  return { weights: best.weights, l2: best.l2, outOfFold: best.outOfFold };
}
