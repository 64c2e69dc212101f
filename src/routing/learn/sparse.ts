import { type CodeArray, codeArray, encodeValues, type IndexArray, indexArray } from "./value-codes.ts";

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
 * Rows in compressed sparse row form: row i's entries are [start[i], start[i + 1]), entry p in
 * column index[p] with value dict[dictStart[i] + code[p]]. A row holds few distinct values (hashed
 * n-grams share a row's scale), so each keeps them once and its entries a one-byte code: 3 bytes
 * an entry instead of 12, the same doubles, so every sum is the same to the bit. Fits sweep the
 * rows hundreds of times; typed arrays built once keep those passes cheap.
 */
export interface SparseMatrix {
  rows: number;
  start: Int32Array;
  index: IndexArray;
  code: CodeArray;
  dictStart: Int32Array;
  dict: Float64Array;
}

export function toSparseMatrix(rows: readonly SparseRow[]): SparseMatrix {
  const n = rows.length;
  const start = new Int32Array(n + 1);
  let maxColumn = 0;
  for (let i = 0; i < n; i++) {
    start[i + 1] = start[i]! + rows[i]!.index.length;
    for (const j of rows[i]!.index) maxColumn = Math.max(maxColumn, j);
  }
  const index = indexArray(maxColumn + 1, start[n]!);
  const codes = new Int32Array(start[n]!);
  const dicts: number[] = [];
  const dictStart = new Int32Array(n + 1);
  let maxDistinct = 0;
  for (let i = 0; i < n; i++) {
    const { index: columns, value } = rows[i]!;
    index.set(columns, start[i]!);
    const distinct = encodeValues(value, value.length, codes, start[i]!, dicts);
    dictStart[i + 1] = dicts.length;
    maxDistinct = Math.max(maxDistinct, distinct);
  }
  const code = codeArray(maxDistinct, codes.length);
  code.set(codes);
  return { rows: n, start, index, code, dictStart, dict: Float64Array.from(dicts) };
}

/** Every stride-th row (0, stride, 2 stride, ...) as a matrix of its own: the same entries, copied. */
export function everyNthRow(m: SparseMatrix, stride: number): SparseMatrix {
  const picked = Math.ceil(m.rows / stride);
  const start = new Int32Array(picked + 1);
  const dictStart = new Int32Array(picked + 1);
  for (let r = 0; r < picked; r++) {
    const i = r * stride;
    start[r + 1] = start[r]! + m.start[i + 1]! - m.start[i]!;
    dictStart[r + 1] = dictStart[r]! + m.dictStart[i + 1]! - m.dictStart[i]!;
  }
  const index = m.index.slice(0, start[picked]!);
  const code = m.code.slice(0, start[picked]!);
  const dict = new Float64Array(dictStart[picked]!);
  for (let r = 0; r < picked; r++) {
    const i = r * stride;
    index.set(m.index.subarray(m.start[i]!, m.start[i + 1]!), start[r]!);
    code.set(m.code.subarray(m.start[i]!, m.start[i + 1]!), start[r]!);
    dict.set(m.dict.subarray(m.dictStart[i]!, m.dictStart[i + 1]!), dictStart[r]!);
  }
  return { rows: picked, start, index, code, dictStart, dict };
}

/** dot() of one matrix row with a full-width weight vector (bias last), the same sum in the same order. */
export function rowDot(weights: Float64Array, m: SparseMatrix, i: number): number {
  const { index, code, dict } = m;
  const end = m.start[i + 1]!;
  const values = m.dictStart[i]!;
  let s = weights[weights.length - 1]!;
  for (let p = m.start[i]!; p < end; p++) s += weights[index[p]!]! * dict[values + code[p]!]!;
  return s;
}
