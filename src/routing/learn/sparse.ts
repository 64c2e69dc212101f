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
