export interface XY {
  cost: number;
  quality: number;
}

/**
 * The rising part of the upper convex hull, cheapest first: the best quality reachable at each cost
 * by mixing operating points, up to the point of highest quality.
 */
export function risingUpperHull(points: readonly XY[]): XY[] {
  const sorted = [...points].sort((a, b) => a.cost - b.cost || b.quality - a.quality);
  const distinct: XY[] = [];
  for (const p of sorted) if (distinct.at(-1)?.cost !== p.cost) distinct.push(p);
  const hull: XY[] = [];
  for (const p of distinct) {
    while (hull.length >= 2) {
      const o = hull[hull.length - 2] as XY;
      const a = hull[hull.length - 1] as XY;
      // Drop a when it lies on or under the chord o-p: it is not a vertex of the upper hull.
      const cross = (a.cost - o.cost) * (p.quality - o.quality) - (a.quality - o.quality) * (p.cost - o.cost);
      if (cross >= 0) hull.pop();
      else break;
    }
    hull.push(p);
  }
  let top = 0;
  for (let k = 1; k < hull.length; k++) if ((hull[k] as XY).quality > (hull[top] as XY).quality) top = k;
  return hull.slice(0, top + 1);
}

/**
 * AIQ (RouterBench, docs/metrics.md#many-models): mean over c in [cMin, cMax] of the rising upper hull,
 * extended flat to cMax. cMin and cMax are the cheapest and dearest single models' costs, passed in
 * so that routers compared on one task share one range. Costs below the cheapest point of the set
 * earn nothing (no operating point exists there); the part of the hull beyond cMax is cut off.
 */
export function aiq(points: readonly XY[], cMin: number, cMax: number): number {
  if (!(cMax > cMin)) throw new RangeError(`aiq: need cMax > cMin, got ${cMin}..${cMax}`);
  const hull = risingUpperHull(points);
  const last = hull.at(-1);
  if (last === undefined) throw new RangeError("aiq: no points");
  if (last.cost < cMax) hull.push({ cost: cMax, quality: last.quality });
  let area = 0;
  for (let k = 1; k < hull.length; k++) {
    const p = hull[k - 1] as XY;
    const q = hull[k] as XY;
    const lo = Math.max(p.cost, cMin);
    const hi = Math.min(q.cost, cMax);
    if (hi <= lo) continue;
    const at = (c: number) => p.quality + ((q.quality - p.quality) * (c - p.cost)) / (q.cost - p.cost);
    area += ((hi - lo) * (at(lo) + at(hi))) / 2;
  }
  return area / (cMax - cMin);
}
