export interface CostQualityPoint {
  id: string;
  cost: number;
  quality: number;
}

function byCostThenQuality(a: CostQualityPoint, b: CostQualityPoint): number {
  if (a.cost !== b.cost) return a.cost - b.cost;
  if (a.quality !== b.quality) return b.quality - a.quality;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Points not dominated by another with cost <= and quality >=, one strictly (docs/metrics.md#many-models);
 * of points tied on both, only the first by id survives. Returned cheapest first. After sorting by
 * cost (then quality descending), a point is on the frontier iff it beats every cheaper one strictly.
 */
export function paretoFrontier<P extends CostQualityPoint>(points: readonly P[]): P[] {
  for (const p of points) {
    if (Number.isNaN(p.cost) || Number.isNaN(p.quality)) throw new RangeError(`paretoFrontier: ${p.id} has NaN`);
  }
  const sorted = [...points].sort(byCostThenQuality);
  const frontier: P[] = [];
  let best = Number.NEGATIVE_INFINITY;
  for (const p of sorted) {
    if (p.quality > best) {
      frontier.push(p);
      best = p.quality;
    }
  }
  return frontier;
}
