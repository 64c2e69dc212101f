// Distribution drift between a reference sample (the eval's golden set) and live traffic.
// Effect sizes, not p-values: on logs of thousands of requests every difference is "significant",
// so alarms use the size of the shift. PSI (population stability index) over fixed bins, the
// reference's deciles, alarm above 0.2 (the usual reading: < 0.1 stable, 0.1-0.2 moderate, > 0.2
// a shift); the two-sample Kolmogorov-Smirnov statistic D (largest gap between the two empirical
// CDFs), alarm above 0.1.

export const PSI_ALARM = 0.2;
export const KS_ALARM = 0.1;
/** Bin shares are floored here so an empty bin does not make PSI infinite. */
const FLOOR = 1e-4;

/** Bin edges at the reference's deciles (fewer when values repeat): the fixed bins PSI uses. */
export function decileEdges(reference: readonly number[]): number[] {
  const sorted = [...reference].sort((a, b) => a - b);
  const edges: number[] = [];
  for (let q = 1; q < 10; q++) {
    const v = sorted[Math.min(sorted.length - 1, Math.floor((q / 10) * sorted.length))]!;
    if (edges.at(-1) !== v) edges.push(v);
  }
  return edges;
}

function shares(values: readonly number[], edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const v of values) {
    let bin = 0;
    while (bin < edges.length && v > edges[bin]!) bin++;
    counts[bin]!++;
  }
  return counts.map((c) => Math.max(FLOOR, c / Math.max(1, values.length)));
}

function psiOfShares(ref: readonly number[], live: readonly number[]): number {
  return ref.reduce((s, r, i) => s + (live[i]! - r) * Math.log(live[i]! / r), 0);
}

/** PSI of `live` against `reference` over the reference's decile bins. */
export function psi(reference: readonly number[], live: readonly number[]): number {
  const edges = decileEdges(reference);
  return psiOfShares(shares(reference, edges), shares(live, edges));
}

/** PSI over categories (the decision shares: one category per model). */
export function categoricalPsi(reference: readonly string[], live: readonly string[]): number {
  const cats = [...new Set([...reference, ...live])].sort();
  const share = (xs: readonly string[]) =>
    cats.map((c) => Math.max(FLOOR, xs.filter((x) => x === c).length / Math.max(1, xs.length)));
  return psiOfShares(share(reference), share(live));
}

/** The two-sample Kolmogorov-Smirnov statistic D = max |F_ref(x) - F_live(x)|. */
export function ksStatistic(reference: readonly number[], live: readonly number[]): number {
  const a = [...reference].sort((x, y) => x - y);
  const b = [...live].sort((x, y) => x - y);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < a.length && j < b.length) {
    const x = Math.min(a[i]!, b[j]!);
    while (i < a.length && a[i]! <= x) i++;
    while (j < b.length && b[j]! <= x) j++;
    d = Math.max(d, Math.abs(i / a.length - j / b.length));
  }
  return d;
}
