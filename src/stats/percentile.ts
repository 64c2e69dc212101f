/**
 * Quantile q in [0, 1] of values already sorted ascending, numpy's default "linear" method:
 * virtual index (n - 1) q, interpolated between its neighbours. The lerp is written the way numpy
 * writes it (from the nearer end) so that results agree bit for bit, not just to 1e-15.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError("quantile of an empty array");
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${q}`);
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const t = h - lo;
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

function sortedCopy(values: ArrayLike<number>): Float64Array {
  const copy = Float64Array.from(values);
  for (let i = 0; i < copy.length; i++) {
    if (Number.isNaN(copy[i])) throw new RangeError(`percentile: value ${i} is NaN`);
  }
  return copy.sort();
}

/** Quantile q in [0, 1] (numpy.quantile, linear). */
export function quantile(values: ArrayLike<number>, q: number): number {
  return quantileSorted(sortedCopy(values), q);
}

/** Percentile p in [0, 100] (numpy.percentile, linear). */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be in [0, 100], got ${p}`);
  return quantileSorted(sortedCopy(values), p / 100);
}

export interface CostPercentiles {
  n: number;
  p50: number;
  p90: number;
  /** null when n < 100: docs/metrics.md#cost reports "n too small" rather than a tail built from 2 items. */
  p99: number | null;
}

export const MIN_ITEMS_FOR_P99 = 100;

/** Per-item cost percentiles (sorts once). Throws on an empty array. */
export function costPercentiles(values: ArrayLike<number>): CostPercentiles {
  const sorted = sortedCopy(values);
  return {
    n: sorted.length,
    p50: quantileSorted(sorted, 0.5),
    p90: quantileSorted(sorted, 0.9),
    p99: sorted.length >= MIN_ITEMS_FOR_P99 ? quantileSorted(sorted, 0.99) : null,
  };
}
