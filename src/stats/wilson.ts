/** docs/metrics.md#the-gate: the 95% critical value written into the spec (fixtures use it verbatim). */
export const Z95 = 1.959964;

/**
 * Wilson score interval for a binomial proportion. With n = 0 there is no information, so the
 * interval is the whole [0, 1] rather than NaN.
 */
export function wilsonInterval(successes: number, n: number, z = Z95): [number, number] {
  if (!(Number.isFinite(successes) && Number.isFinite(n)) || n < 0 || successes < 0 || successes > n) {
    throw new RangeError(`wilsonInterval: need 0 <= successes <= n, got ${successes} of ${n}`);
  }
  if (n === 0) return [0, 1];
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // Clamp only rounding noise: mathematically the bounds lie in [0, 1].
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
