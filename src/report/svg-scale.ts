/** Axis scales for the report's SVG chart: pure arithmetic, so the placement is unit-testable. */

export interface Scale {
  kind: "linear" | "log";
  domain: readonly [number, number];
  range: readonly [number, number];
  ticks: number[];
  map(v: number): number;
}

/**
 * Costs spread over more than a decade (a cheap tier at $0.10 and a flagship at $3 per 1K) would
 * crowd every cheap policy into the left edge on a linear axis, so such a range goes on a log axis.
 * A zero or negative cost has no logarithm: then the axis stays linear.
 */
export function useLogScale(values: readonly number[]): boolean {
  const finite = values.filter(Number.isFinite);
  if (finite.length < 2 || finite.some((v) => v <= 0)) return false;
  return Math.max(...finite) / Math.min(...finite) > 10;
}

/** A 1, 2 or 5 times a power of ten step giving about `count` intervals over [lo, hi]. */
export function niceStep(lo: number, hi: number, count = 5): number {
  const span = hi - lo;
  if (!(span > 0)) return 1;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
}

/** Round a value to the step's precision, so ticks print as 0.3, not 0.30000000000000004. */
function clean(v: number, step: number): number {
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(v.toFixed(Math.min(digits, 12)));
}

export function linearScale(
  lo: number,
  hi: number,
  range: readonly [number, number],
  opts: { floor?: number; ceil?: number; count?: number } = {},
): Scale {
  if (!(hi > lo)) {
    // One distinct value: give it a visible neighbourhood instead of dividing by zero.
    const pad = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 0.1;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep(lo, hi, opts.count ?? 5);
  let d0 = Math.floor(lo / step) * step;
  let d1 = Math.ceil(hi / step) * step;
  if (opts.floor !== undefined) d0 = Math.max(d0, opts.floor);
  if (opts.ceil !== undefined) d1 = Math.min(d1, opts.ceil);
  const ticks: number[] = [];
  for (let t = Math.ceil(d0 / step - 1e-9) * step; t <= d1 + step * 1e-9; t += step) ticks.push(clean(t, step));
  const [r0, r1] = range;
  return {
    kind: "linear",
    domain: [d0, d1],
    range,
    ticks,
    map: (v) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0),
  };
}

/** Log axis over positive [lo, hi], padded by a fraction of a decade, ticks at 1, 2, 5 x 10^k. */
export function logScale(lo: number, hi: number, range: readonly [number, number]): Scale {
  if (!(lo > 0 && hi > 0)) throw new RangeError("logScale needs positive values");
  const l0 = Math.log10(lo) - 0.1;
  const l1 = Math.log10(Math.max(hi, lo * 1.0001)) + 0.1;
  const ticks: number[] = [];
  for (let k = Math.floor(l0); k <= Math.ceil(l1); k++) {
    for (const m of [1, 2, 5]) {
      const t = m * 10 ** k;
      const lt = Math.log10(t);
      if (lt >= l0 && lt <= l1) ticks.push(Number(t.toPrecision(6)));
    }
  }
  const [r0, r1] = range;
  return {
    kind: "log",
    domain: [10 ** l0, 10 ** l1],
    range,
    ticks,
    map: (v) => r0 + ((Math.log10(v) - l0) / (l1 - l0)) * (r1 - r0),
  };
}
