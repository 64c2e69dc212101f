export interface PerItemOracle {
  /** Mean of the per-item best scores. */
  quality: number;
  /** Mean per-item cost of the chosen models. */
  meanCost: number;
  score: Float64Array;
  cost: Float64Array;
  /** Index of the chosen model per item. */
  model: Int32Array;
}

/**
 * For each item the best score any model reaches, paid at the cheapest model reaching it
 * (docs/metrics.md#many-models); a tie on both goes to the lower model index, so the result is stable.
 * `scores[m][i]` and `costs[m][i]` are model m's score and cost on item i.
 */
export function perItemOracle(scores: readonly Float64Array[], costs: readonly Float64Array[]): PerItemOracle {
  const first = scores[0];
  if (first === undefined) throw new RangeError("perItemOracle: no models");
  if (costs.length !== scores.length) throw new RangeError("perItemOracle: scores and costs name different models");
  const n = first.length;
  for (let m = 0; m < scores.length; m++) {
    if (scores[m]?.length !== n || costs[m]?.length !== n) throw new RangeError(`perItemOracle: model ${m} length`);
  }
  const score = new Float64Array(n);
  const cost = new Float64Array(n);
  const model = new Int32Array(n);
  let sumScore = 0;
  let sumCost = 0;
  for (let i = 0; i < n; i++) {
    let bestM = 0;
    let bestS = first[i] as number;
    let bestC = (costs[0] as Float64Array)[i] as number;
    for (let m = 1; m < scores.length; m++) {
      const s = (scores[m] as Float64Array)[i] as number;
      const c = (costs[m] as Float64Array)[i] as number;
      if (s > bestS || (s === bestS && c < bestC)) {
        bestM = m;
        bestS = s;
        bestC = c;
      }
    }
    score[i] = bestS;
    cost[i] = bestC;
    model[i] = bestM;
    sumScore += bestS;
    sumCost += bestC;
  }
  return { quality: sumScore / n, meanCost: sumCost / n, score, cost, model };
}
