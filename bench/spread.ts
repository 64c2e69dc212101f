/** Mean and sample standard deviation of per-seed figures; figures a seed could not give (null) are left out. */
export interface Spread {
  mean: number | null;
  sd: number | null;
  n: number;
}

export function meanSd(values: ReadonlyArray<number | null | undefined>): Spread {
  const xs = values.filter((v): v is number => typeof v === "number" && Number.isFinite(v));
  if (!xs.length) return { mean: null, sd: null, n: 0 };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, sd, n: xs.length };
}
