import { dot, everyNthRow, rowDot, type SparseMatrix, type SparseRow, sigmoid, toSparseMatrix } from "./sparse.ts";

// L2-regularised logistic regression, trained in-process (no Python, no GPU, no dependency):
// full-batch Nesterov-accelerated gradient descent from zero weights with step 1/L, L an upper
// bound of the loss's curvature. No randomness anywhere, so the same data always gives the same
// weights, bit for bit. Each step is one pass over the training rows and the steps are capped, so
// a fit is linear in the rows.

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
export function trainLogistic(
  rows: readonly SparseRow[] | SparseMatrix,
  targets: ArrayLike<number>,
  opts: LogisticOptions,
): number[] {
  return Array.from(fitRows(asMatrix(rows), targets, null, opts));
}

/** Rows as a matrix; a matrix as it is (a learned router builds its own from its compact rows). */
function asMatrix(rows: readonly SparseRow[] | SparseMatrix): SparseMatrix {
  return "start" in rows ? rows : toSparseMatrix(rows);
}

/** The fit on the matrix rows that `train` marks (all rows when null). */
function fitRows(
  m: SparseMatrix,
  targets: ArrayLike<number>,
  train: Uint8Array | null,
  opts: LogisticOptions,
): Float64Array {
  const { dim, l2 } = opts;
  const width = dim + 1;
  const w = new Float64Array(width);
  let n = 0;
  // Curvature bound: the Hessian is X'SX/n + l2 with S <= 1/4, and |X'X/n| <= max ||x_i||^2 (bias included).
  let maxNorm = 0;
  for (let i = 0; i < m.rows; i++) {
    if (train && !train[i]) continue;
    n++;
    let norm = 1;
    for (let p = m.start[i]!; p < m.start[i + 1]!; p++) {
      const v = m.dict[m.dictStart[i]! + m.code[p]!]!;
      norm += v * v;
    }
    maxNorm = Math.max(maxNorm, norm);
  }
  if (n === 0) return w;
  const step = 1 / (0.25 * maxNorm + l2);
  // Three buffers reused across iterations (no allocation per step): y, the previous iterate, the next.
  const y = Float64Array.from(w);
  let previous = Float64Array.from(w);
  let next = new Float64Array(width);
  const grad = new Float64Array(width);
  const maxIterations = opts.maxIterations ?? 300;
  const tolerance = opts.tolerance ?? 1e-5;
  for (let it = 0; it < maxIterations; it++) {
    gradient(m, targets, train, n, y, l2, grad);
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
  return w;
}

function gradient(
  m: SparseMatrix,
  targets: ArrayLike<number>,
  train: Uint8Array | null,
  n: number,
  w: Float64Array,
  l2: number,
  out: Float64Array,
): void {
  const bias = out.length - 1;
  const { start, index, code, dict, dictStart } = m;
  out.fill(0);
  for (let i = 0; i < m.rows; i++) {
    if (train && !train[i]) continue;
    const residual = (sigmoid(rowDot(w, m, i)) - targets[i]!) / n;
    const end = start[i + 1]!;
    const values = dictStart[i]!;
    for (let p = start[i]!; p < end; p++) out[index[p]!]! += residual * dict[values + code[p]!]!;
    out[bias]! += residual;
  }
  for (let j = 0; j < bias; j++) out[j]! += l2 * w[j]!;
}

/** Mean cross-entropy of predictions against (soft) targets: the quantity cross-validation compares. */
export function logLoss(weights: ArrayLike<number>, rows: readonly SparseRow[], targets: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < rows.length; i++) s += crossEntropy(dot(weights, rows[i]!), targets[i]!);
  return rows.length ? s / rows.length : 0;
}

function crossEntropy(logit: number, t: number): number {
  const p = Math.min(1 - 1e-12, Math.max(1e-12, sigmoid(logit)));
  return -(t * Math.log(p) + (1 - t) * Math.log(1 - p));
}

/** The penalties cross-validation chooses among: strong to weak, a decade apart and half-decades. */
export const L2_CANDIDATES: readonly number[] = [0.1, 0.03, 0.01, 0.003];

/**
 * Past this many rows the penalty is chosen on an evenly spaced sample of this many (every
 * ceil(n / this)-th row), and only the chosen penalty is fitted on all rows: choosing among 4
 * penalties costs 12 fits, so on every row it made a 200K-item fit 4x slower for a choice that a
 * sample of thousands already settles. Below it every row takes part, as before.
 */
export const LOGISTIC_SELECTION_ROWS = 5_000;

type CvOptions = Omit<LogisticOptions, "l2"> & {
  folds?: number;
  candidates?: readonly number[];
  /** Rows the penalty is chosen on at most (default LOGISTIC_SELECTION_ROWS). */
  selectionRows?: number;
};

/**
 * Picks the L2 penalty by k-fold cross-validation on the training rows (fold = row index mod k,
 * deterministic; ties go to the stronger penalty; on a sample past `selectionRows`) and returns,
 * for that penalty:
 * - `outOfFold`: each row's logit from the fold model that did not see it (a cross-fitted
 *   prediction, for choosing operating points without in-sample optimism);
 * - `weights`: the mean of the k fold models' weights. For a linear model that is the mean of their
 *   logits: a cross-fit ensemble on the same scale as the out-of-fold logits, so a threshold chosen
 *   on those carries over to it. With fewer than two rows per fold it is one fit on all rows.
 */
export function trainLogisticCv(
  rows: readonly SparseRow[] | SparseMatrix,
  targets: ArrayLike<number>,
  opts: CvOptions,
): { weights: number[]; l2: number; outOfFold: Float64Array | null } {
  const m = asMatrix(rows);
  const k = Math.min(opts.folds ?? 3, Math.floor(m.rows / 2));
  const candidates = opts.candidates ?? L2_CANDIDATES;
  if (k < 2) {
    const l2 = candidates[0] ?? 0.01;
    return { weights: trainLogistic(m, targets, { ...opts, l2 }), l2, outOfFold: null };
  }
  const limit = opts.selectionRows ?? LOGISTIC_SELECTION_ROWS;
  if (candidates.length > 1 && m.rows > limit) {
    const stride = Math.ceil(m.rows / limit);
    const sample = everyNthRow(m, stride);
    const { l2 } = trainLogisticCv(
      sample,
      Array.from(targets).filter((_, i) => i % stride === 0),
      { ...opts, selectionRows: sample.rows },
    );
    const { weights, outOfFold } = crossFit(m, targets, k, { ...opts, l2 });
    return { weights: Array.from(weights), l2, outOfFold };
  }
  let best = { l2: 0, loss: Number.POSITIVE_INFINITY, outOfFold: new Float64Array(0), weights: new Float64Array(0) };
  for (const l2 of candidates) {
    const fitted = crossFit(m, targets, k, { ...opts, l2 });
    if (fitted.loss < best.loss - 1e-12) best = { l2, ...fitted };
  }
  return { weights: Array.from(best.weights), l2: best.l2, outOfFold: best.outOfFold };
}

/** k fold fits at one penalty (fold = row index mod k): pooled held-out loss, out-of-fold logits, mean weights. */
function crossFit(m: SparseMatrix, targets: ArrayLike<number>, k: number, opts: LogisticOptions) {
  let loss = 0;
  const outOfFold = new Float64Array(m.rows);
  const weights = new Float64Array(opts.dim + 1);
  const train = new Uint8Array(m.rows);
  for (let f = 0; f < k; f++) {
    for (let i = 0; i < m.rows; i++) train[i] = i % k === f ? 0 : 1;
    const w = fitRows(m, targets, train, opts);
    for (let j = 0; j < w.length; j++) weights[j]! += w[j]! / k;
    // The fold's mean loss times its size, as a sum would give up to rounding: kept as it was
    // computed before, so chosen penalties do not move by a last bit.
    let s = 0;
    let held = 0;
    for (let i = f; i < m.rows; i += k) {
      outOfFold[i] = rowDot(w, m, i);
      s += crossEntropy(outOfFold[i]!, targets[i]!);
      held++;
    }
    loss += (s / held) * held;
  }
  return { loss, outOfFold, weights };
}
