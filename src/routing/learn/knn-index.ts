import type { SparseRow } from "./sparse.ts";

// The neighbour index a kNN router carries in its params, and the arithmetic over it. Vectors are
// stored as data an exported config can hold: each row weighted by the fitted inverse document
// frequencies, L2-normalised and quantised to int8 with a per-row scale, all rows in one base64
// string. Cosine similarity is then a dot product with the (weighted, normalised) query. The index
// holds vectors and per-model outcomes only, never item text.

/** Most bytes the exported index may take in a routing config (vectors, outcomes, weights). */
export const MAX_INDEX_BYTES = 5 * 1024 * 1024;

export interface KnnIndex {
  /** Rows, dimensions. */
  n: number;
  dim: number;
  /** Dequantised rows, row-major (n x dim). */
  rows: Float32Array;
  /** Per dimension weight (inverse document frequency) applied to queries. */
  idf: Float64Array;
}

/** Inverse document frequencies: ln((1 + n) / (1 + df)) + 1; uniform (all 1) for dense vectors. */
export function fitIdf(rows: readonly SparseRow[], dim: number): Float64Array {
  const df = new Float64Array(dim);
  for (const r of rows) for (const j of r.index) if (j < dim) df[j]!++;
  const n = rows.length;
  return Float64Array.from(df, (d) => Math.log((1 + n) / (1 + d)) + 1);
}

/** A row weighted by idf and L2-normalised, as a dense vector of length dim. */
export function weighted(row: SparseRow, idf: ArrayLike<number>, dim: number): Float64Array {
  const out = new Float64Array(dim);
  let norm = 0;
  for (let t = 0; t < row.index.length; t++) {
    const j = row.index[t]!;
    if (j >= dim) continue;
    const v = row.value[t]! * idf[j]!;
    out[j] = v;
    norm += v * v;
  }
  if (norm > 0) {
    const s = 1 / Math.sqrt(norm);
    for (let j = 0; j < dim; j++) out[j]! *= s;
  }
  return out;
}

/** Quantises rows (each dense, length dim) to int8 with a per-row scale: base64 text plus scales. */
export function encodeRows(rows: readonly Float64Array[], dim: number): { index: string; scales: number[] } {
  const bytes = new Int8Array(rows.length * dim);
  const scales: number[] = [];
  rows.forEach((row, i) => {
    let max = 0;
    for (let j = 0; j < dim; j++) max = Math.max(max, Math.abs(row[j]!));
    const scale = max > 0 ? max / 127 : 0;
    // Rounded so the exported number is exactly the one used here.
    const stored = Number(scale.toPrecision(9));
    scales.push(stored);
    for (let j = 0; j < dim; j++) bytes[i * dim + j] = stored > 0 ? Math.round(row[j]! / stored) : 0;
  });
  return { index: Buffer.from(bytes.buffer).toString("base64"), scales };
}

/** The index as exported params hold it, dequantised for search. */
export function decodeIndex(index: string, scales: readonly number[], idf: readonly number[], dim: number): KnnIndex {
  const bytes = new Int8Array(new Uint8Array(Buffer.from(index, "base64")).buffer);
  const n = scales.length;
  if (bytes.length !== n * dim)
    throw new RangeError(`kNN index: ${bytes.length} values for ${n} rows of ${dim} dimensions`);
  const rows = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const s = scales[i]!;
    for (let j = 0; j < dim; j++) rows[i * dim + j] = bytes[i * dim + j]! * s;
  }
  return { n, dim, rows, idf: Float64Array.from(idf) };
}

/**
 * Similarity of a query with every row: the query weighted by idf and normalised, dotted with each
 * row. A sparse query (the local embedder's) touches only its non-zero dimensions.
 */
export function similarities(index: KnnIndex, query: SparseRow, out = new Float64Array(index.n)): Float64Array {
  const { dim, rows, n } = index;
  const q = weighted(query, index.idf, dim);
  const nz: number[] = [];
  for (let j = 0; j < dim; j++) if (q[j] !== 0) nz.push(j);
  for (let i = 0; i < n; i++) {
    let s = 0;
    const base = i * dim;
    for (const j of nz) s += q[j]! * rows[base + j]!;
    out[i] = s;
  }
  return out;
}

/**
 * The k most similar rows, skipping `exclude` (an item is never its own neighbour): indices in
 * decreasing similarity, ties to the lower index.
 */
export function topK(sims: Float64Array, k: number, exclude = -1): number[] {
  const best: number[] = [];
  for (let i = 0; i < sims.length; i++) {
    if (i === exclude) continue;
    const s = sims[i]!;
    if (best.length === k && s <= sims[best[k - 1]!]!) continue;
    let at = best.length < k ? best.length : k - 1;
    if (best.length < k) best.push(i);
    else best[at] = i;
    while (at > 0 && sims[best[at - 1]!]! < s) {
      best[at] = best[at - 1]!;
      best[at - 1] = i;
      at--;
    }
  }
  return best;
}

/**
 * Per-model predicted quality from neighbours: the similarity-weighted mean of their outcomes
 * (negative similarities weigh nothing), shrunk towards each model's calibration mean by `prior`
 * pseudo-neighbours. `outcomes` is row-major (rows x models).
 */
export function vote(
  neighbours: readonly number[],
  sims: Float64Array,
  outcomes: ArrayLike<number>,
  models: number,
  means: ArrayLike<number>,
  prior: number,
  out = new Float64Array(models),
): Float64Array {
  let weight = prior;
  for (let m = 0; m < models; m++) out[m] = prior * means[m]!;
  for (const j of neighbours) {
    const w = Math.max(0, sims[j]!);
    weight += w;
    for (let m = 0; m < models; m++) out[m]! += w * outcomes[j * models + m]!;
  }
  for (let m = 0; m < models; m++) out[m] = weight > 0 ? out[m]! / weight : means[m]!;
  return out;
}

/**
 * Folds dense rows to half their dimensions (dimension j adds into j mod d/2 with a hashed sign):
 * a random projection that keeps inner products on average, used when an index would not fit the
 * export limit.
 */
export function foldRow(row: SparseRow, from: number, to: number): SparseRow {
  const folded = new Map<number, number>();
  for (let t = 0; t < row.index.length; t++) {
    const j = row.index[t]!;
    if (j >= from) continue;
    const sign = hashSign(j);
    const target = j % to;
    folded.set(target, (folded.get(target) ?? 0) + sign * row.value[t]!);
  }
  const index = [...folded.keys()].sort((a, b) => a - b);
  return { index, value: index.map((j) => folded.get(j)!) };
}

function hashSign(j: number): number {
  let h = Math.imul(j ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  return h & 1 ? -1 : 1;
}
