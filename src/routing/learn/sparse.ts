/** A sparse feature row: parallel arrays of column indices and values (plain arrays: scores are data). */
export interface SparseRow {
  index: number[];
  value: number[];
}

/** w . x + bias, where the bias is the weight vector's last entry. An empty weight vector scores 0. */
export function dot(weights: ArrayLike<number>, row: SparseRow, offset = 0, width = weights.length - offset): number {
  if (width <= 0) return 0;
  let s = weights[offset + width - 1] ?? 0;
  const { index, value } = row;
  for (let j = 0; j < index.length; j++) s += (weights[offset + index[j]!] ?? 0) * value[j]!;
  return s;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/**
 * Rows in compressed sparse row form: row i's entries are index/value[start[i], start[i + 1]).
 * Fits sweep the same rows hundreds of times; typed arrays built once keep those passes cheap.
 */
export interface SparseMatrix {
  rows: number;
  start: Int32Array;
  index: Int32Array;
  value: Float64Array;
}

export function toSparseMatrix(rows: readonly SparseRow[]): SparseMatrix {
  const start = new Int32Array(rows.length + 1);
  for (let i = 0; i < rows.length; i++) start[i + 1] = start[i]! + rows[i]!.index.length;
  const index = new Int32Array(start[rows.length]!);
  const value = new Float64Array(index.length);
  for (let i = 0; i < rows.length; i++) {
    index.set(rows[i]!.index, start[i]!);
    value.set(rows[i]!.value, start[i]!);
  }
  return { rows: rows.length, start, index, value };
}

/** dot() of one matrix row with a full-width weight vector (bias last), the same sum in the same order. */
export function rowDot(weights: Float64Array, m: SparseMatrix, i: number): number {
  const { index, value } = m;
  const end = m.start[i + 1]!;
  let s = weights[weights.length - 1]!;
  for (let p = m.start[i]!; p < end; p++) s += weights[index[p]!]! * value[p]!;
  return s;
}
