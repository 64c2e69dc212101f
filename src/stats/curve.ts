/**
 * Trapezoid area under y over x, taken over the points in the order given. When x is not monotone
 * (a dollar axis can step back when an item is cheaper on S than on W) the segments that run
 * backwards count negatively: it is the signed line integral of y dx along the sweep, which equals
 * the plain area whenever x is non-decreasing.
 */
export function trapezoidArea(xs: ArrayLike<number>, ys: ArrayLike<number>): number {
  if (xs.length !== ys.length) throw new RangeError(`trapezoidArea: ${xs.length} xs vs ${ys.length} ys`);
  let area = 0;
  for (let k = 1; k < xs.length; k++) {
    area += ((xs[k] as number) - (xs[k - 1] as number)) * (((ys[k] as number) + (ys[k - 1] as number)) / 2);
  }
  return area;
}

/**
 * The smallest x at which the curve, linearly interpolated between adjacent points (in the order
 * given), reaches y >= target; null if it never does. On a monotone x axis this is the first
 * crossing; on a non-monotone one it is still the cheapest point of the path that reaches the
 * target, since the reached part of each segment is a sub-segment whose ends are vertices or the
 * crossing itself.
 */
export function smallestXReaching(xs: ArrayLike<number>, ys: ArrayLike<number>, target: number): number | null {
  if (xs.length !== ys.length) throw new RangeError(`smallestXReaching: ${xs.length} xs vs ${ys.length} ys`);
  let best = Number.POSITIVE_INFINITY;
  for (let k = 0; k < xs.length; k++) {
    const x = xs[k] as number;
    const y = ys[k] as number;
    if (y >= target && x < best) best = x;
    if (k === 0) continue;
    const x0 = xs[k - 1] as number;
    const y0 = ys[k - 1] as number;
    if (y0 < target !== y < target) {
      const crossing = x0 + ((target - y0) / (y - y0)) * (x - x0);
      if (crossing < best) best = crossing;
    }
  }
  return best === Number.POSITIVE_INFINITY ? null : best;
}
