import type { DeltaInterval } from "./newcombe.ts";
import { quantileSorted } from "./percentile.ts";
import { createRng } from "./random.ts";

export interface BootstrapOptions {
  /** Resamples; docs/metrics.md#the-gate fixes 10,000. */
  B?: number;
  /** Default "routegate": an interval is reproducible unless the caller asks otherwise. */
  seed?: string | number;
  /** Two-sided level: 0.05 gives the 2.5th and 97.5th percentiles. */
  alpha?: number;
}

export interface MeanInterval {
  mean: number;
  lower: number;
  upper: number;
}

/**
 * Sorted means of B resamples of `values`. One Float64Array for all B means and no per-draw
 * allocation: 10,000 x 1,000 draws take a few tens of milliseconds.
 */
function bootstrapMeans(values: Float64Array, B: number, seed: string | number): Float64Array {
  const n = values.length;
  const rng = createRng(seed);
  const means = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    let sum = 0;
    // rng() < 1 and n < 2^32, so the index is always in range; the modulo bias is below n / 2^32.
    for (let j = 0; j < n; j++) sum += values[Math.floor(rng() * n)] as number;
    means[b] = sum / n;
  }
  return means.sort();
}

function checkOptions(n: number, opts: BootstrapOptions): { B: number; seed: string | number; alpha: number } {
  const B = opts.B ?? 10_000;
  const alpha = opts.alpha ?? 0.05;
  if (n === 0) throw new RangeError("bootstrap of an empty sample");
  if (!(Number.isInteger(B) && B >= 1)) throw new RangeError(`bootstrap: B must be a positive integer, got ${B}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`bootstrap: alpha must be in (0, 1), got ${alpha}`);
  return { B, seed: opts.seed ?? "routegate", alpha };
}

function sampleMean(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] as number;
  return sum / values.length;
}

/**
 * Percentile bootstrap interval of the mean over items. The percentiles of the B resampled means use
 * the same linear rule as every other percentile here (numpy's default).
 */
export function bootstrapMeanInterval(scores: Float64Array, opts: BootstrapOptions = {}): MeanInterval {
  const { B, seed, alpha } = checkOptions(scores.length, opts);
  const means = bootstrapMeans(scores, B, seed);
  return {
    mean: sampleMean(scores),
    lower: quantileSorted(means, alpha / 2),
    upper: quantileSorted(means, 1 - alpha / 2),
  };
}

/**
 * Paired percentile bootstrap of Delta = mean(candidate) - mean(incumbent): items are resampled
 * together, which is the same as bootstrapping the mean of the per-item differences.
 */
export function pairedBootstrapDiffInterval(
  incumbent: Float64Array,
  candidate: Float64Array,
  opts: BootstrapOptions = {},
): DeltaInterval {
  if (incumbent.length !== candidate.length) {
    throw new RangeError(`paired bootstrap: ${incumbent.length} incumbent vs ${candidate.length} candidate scores`);
  }
  const diff = new Float64Array(incumbent.length);
  for (let i = 0; i < diff.length; i++) diff[i] = (candidate[i] as number) - (incumbent[i] as number);
  const { mean, lower, upper } = bootstrapMeanInterval(diff, opts);
  return { delta: mean, lower, upper };
}
