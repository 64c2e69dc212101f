import type { SparseRow } from "./sparse.ts";

// What a kNN router scores and carries: shared by the router (knn-router.ts) and its fit (knn-fit.ts).

/** The embedding of an item (its non-zero dimensions) and the embedding's length. */
export interface KnnScores {
  x: SparseRow;
  dim: number;
}

export interface KnnParams {
  [key: string]: string | number | number[];
  /** Quality points given up per unit of relative cost (1 = the dearest model). */
  lambda: number;
  /** Neighbours that vote (chosen by leave-one-out error on calibration items). */
  k: number;
  /** Per model, mean calibration cost relative to the dearest. */
  costs: number[];
  /** The embedding model the index was built with. */
  embedder: string;
  /** Dimensions of the stored rows (the embedding's, or fewer when folded to fit the size limit). */
  dim: number;
  /** Dimensions of the embedding itself (queries are folded from these to `dim`). */
  sourceDim: number;
  /** Per-dimension inverse document frequency (length dim). */
  idf: number[];
  /** The rows, int8 quantised, base64 (see knn-index.ts). */
  index: string;
  /** Per-row quantisation scale. */
  scales: number[];
  /** Per row, each model's score in [0, 1] (rows x models). */
  outcomes: number[];
  /** Each model's mean calibration score (the vote's prior). */
  means: number[];
}

/** Neighbour counts leave-one-out chooses among. */
export const K_CANDIDATES: readonly number[] = [5, 10, 20, 40];
export const DEFAULT_EMBEDDER = "local:hashed-tfidf";
