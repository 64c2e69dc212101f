import { type DeltaInterval, newcombePairedInterval } from "./newcombe.ts";
import { Z95 } from "./wilson.ts";

/**
 * What a paired comparison of a candidate's item scores q with a reference's scores r needs, as
 * running sums over the same n items. Sweeps update these in O(1) per moved item, so every point
 * of a sweep gets its interval without keeping its per-item scores.
 */
export interface PairedSums {
  n: number;
  /** Sum of q. */
  candidate: number;
  /** Sum of r. */
  reference: number;
  /** Sum of q x r. */
  both: number;
  /** Sum of q^2. */
  candidateSquares: number;
  /** Sum of r^2. */
  referenceSquares: number;
  /** Whether every score on both sides is 0 or 1 (then the sums are the 2x2 table). */
  binary: boolean;
}

/**
 * The 95% interval of Delta = mean(q) - mean(r) from paired sums: Newcombe's hybrid interval when
 * the scores are binary (the gate's test), else the paired normal interval of the mean difference.
 * Binary counts are rounded before use: the sums of 0/1 products are integers up to float error.
 */
export function pairedIntervalFromSums(s: PairedSums, z = Z95): DeltaInterval {
  if (s.n === 0) return { delta: 0, lower: -1, upper: 1 };
  if (s.binary) {
    const a = Math.round(s.both);
    const b = Math.round(s.reference) - a;
    const c = Math.round(s.candidate) - a;
    const d = s.n - a - b - c;
    return newcombePairedInterval({ a, b, c, d }, z);
  }
  const delta = (s.candidate - s.reference) / s.n;
  const squares = s.candidateSquares - 2 * s.both + s.referenceSquares;
  const variance = s.n > 1 ? Math.max(0, (squares - s.n * delta * delta) / (s.n - 1)) : 0;
  const half = z * Math.sqrt(variance / s.n);
  return { delta, lower: delta - half, upper: delta + half };
}

/** Sums over no items yet; `binary` until a non-0/1 score is added. */
export function emptyPairedSums(binary: boolean): PairedSums {
  return { n: 0, candidate: 0, reference: 0, both: 0, candidateSquares: 0, referenceSquares: 0, binary };
}

/** Adds one item's candidate score `q` and reference score `r` (the caller keeps `binary`). */
export function addPair(s: PairedSums, q: number, r: number): void {
  s.n++;
  s.candidate += q;
  s.reference += r;
  s.both += q * r;
  s.candidateSquares += q * q;
  s.referenceSquares += r * r;
}

/** The paired sums of two aligned score vectors over the items a mask selects. */
export function pairedSums(reference: ArrayLike<number>, candidate: ArrayLike<number>, mask?: ArrayLike<number>) {
  const s = emptyPairedSums(true);
  for (let i = 0; i < reference.length; i++) {
    if (mask && !mask[i]) continue;
    const r = reference[i]!;
    const q = candidate[i]!;
    addPair(s, q, r);
    if ((q !== 0 && q !== 1) || (r !== 0 && r !== 1)) s.binary = false;
  }
  return s;
}
