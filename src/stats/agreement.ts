/**
 * Cohen's kappa between two raters' labels on the same items. null when chance agreement is 1 (both
 * raters used one and the same label throughout): kappa is 0/0 there, and reporting 0 or 1 would
 * invent a verdict.
 */
export function cohensKappa<T extends string | number | boolean>(a: readonly T[], b: readonly T[]): number | null {
  if (a.length !== b.length) throw new RangeError(`cohensKappa: ${a.length} vs ${b.length} labels`);
  const n = a.length;
  if (n === 0) return null;
  const countA = new Map<T, number>();
  const countB = new Map<T, number>();
  let agree = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i] as T;
    const y = b[i] as T;
    if (x === y) agree++;
    countA.set(x, (countA.get(x) ?? 0) + 1);
    countB.set(y, (countB.get(y) ?? 0) + 1);
  }
  let chance = 0;
  for (const [label, ca] of countA) chance += (ca / n) * ((countB.get(label) ?? 0) / n);
  if (chance === 1) return null;
  return (agree / n - chance) / (1 - chance);
}

/** Pearson correlation; null when n < 2 or either side has zero variance. Two-pass for stability. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  if (x.length !== y.length) throw new RangeError(`pearson: ${x.length} vs ${y.length} values`);
  const n = x.length;
  if (n < 2) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] as number;
    my += y[i] as number;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}
