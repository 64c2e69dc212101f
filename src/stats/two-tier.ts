/**
 * Per-item outcomes of the two ways a two-tier policy can treat each item (docs/metrics.md#two-tiers).
 * For a plain router, routed weak = W's answer at W's cost and routed strong = S's answer at S's
 * cost. For a cascade, routed strong means W was tried first, so `costIfStrong` is W's cost plus S's.
 */
export interface TwoTierItems {
  /** qW_i: the item's score when the policy answers with W. */
  scoreIfWeak: Float64Array;
  /** qS_i: the item's score when the policy answers with S. */
  scoreIfStrong: Float64Array;
  /** The policy's cost on the item (every call) when routed weak; with `costIfStrong`, enables the d axis. */
  costIfWeak?: Float64Array;
  /** The policy's cost on the item (every call) when routed strong. */
  costIfStrong?: Float64Array;
  /** C_W, mean cost per item of always-W; default mean(costIfWeak). */
  weakOnlyCost?: number;
  /** C_S, mean cost per item of always-S; default mean(costIfStrong), wrong for a cascade: pass it. */
  strongOnlyCost?: number;
}

/** The full-resolution sweep of one scoring router: point k routes the top-ranked items to S. */
export interface TwoTierCurve {
  n: number;
  qW: number;
  qS: number;
  cW: number | null;
  cS: number | null;
  /** Items routed to S at each point (0 .. n, strictly increasing: tied ranks move as one step). */
  strongCount: Uint32Array;
  /** At point k > 0 the rule is "S iff rank >= threshold[k]"; threshold[0] is +Infinity (nobody). */
  threshold: Float64Array;
  /** c: share of items sent to S. */
  callShare: Float64Array;
  /** Q: mean score of the policy. */
  quality: Float64Array;
  /** C: mean cost per item of the policy; null without costs. */
  cost: Float64Array | null;
  /** (Q - qW) / (qS - qW), not clipped; null when qS = qW. */
  pgr: Float64Array | null;
  /** d = (C - C_W) / (C_S - C_W); null without costs or when C_S = C_W. Need not be monotone. */
  dollars: Float64Array | null;
}

/** PGR of one operating point; null when the gap is zero (docs/metrics.md: undefined). Not clipped. */
export function pgrOf(quality: number, qW: number, qS: number): number | null {
  return qS === qW ? null : (quality - qW) / (qS - qW);
}

/** Normalised dollars of one operating point; null when C_S = C_W. */
export function normalisedDollars(cost: number, cW: number, cS: number): number | null {
  return cS === cW ? null : (cost - cW) / (cS - cW);
}

/** The two-tier oracle's rank: qS_i - qW_i (items S fixes first, items S breaks last). */
export function twoTierOracleRank(scoreIfWeak: Float64Array, scoreIfStrong: Float64Array): Float64Array {
  if (scoreIfWeak.length !== scoreIfStrong.length) throw new RangeError("twoTierOracleRank: length mismatch");
  const rank = new Float64Array(scoreIfWeak.length);
  for (let i = 0; i < rank.length; i++) rank[i] = (scoreIfStrong[i] as number) - (scoreIfWeak[i] as number);
  return rank;
}

function sum(values: Float64Array): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] as number;
  return s;
}

function checkItems(items: TwoTierItems, rank: ArrayLike<number>): number {
  const n = items.scoreIfWeak.length;
  const lengths = [items.scoreIfStrong.length, rank.length, items.costIfWeak?.length, items.costIfStrong?.length];
  if (n === 0) throw new RangeError("twoTierSweep: no items");
  if (lengths.some((len) => len !== undefined && len !== n)) throw new RangeError("twoTierSweep: length mismatch");
  if ((items.costIfWeak === undefined) !== (items.costIfStrong === undefined)) {
    throw new RangeError("twoTierSweep: give both costIfWeak and costIfStrong, or neither");
  }
  for (let i = 0; i < n; i++) if (Number.isNaN(rank[i])) throw new RangeError(`twoTierSweep: rank ${i} is NaN`);
  return n;
}

/**
 * Sweeps a scoring router at full resolution (higher rank = more need for S): point k sends the
 * items with the highest ranks to S, and items with equal ranks move together, so the curve has one
 * point per distinct rank plus the origin. Quality and cost are accumulated as deltas from
 * all-weak, so the endpoints are exact (PGR 0 and 1) and binary scores stay integer sums.
 */
export function twoTierSweep(items: TwoTierItems, rank: ArrayLike<number>): TwoTierCurve {
  const n = checkItems(items, rank);
  const { scoreIfWeak: sw, scoreIfStrong: ss, costIfWeak: cw, costIfStrong: cs } = items;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((i, j) => {
    const ri = rank[i] as number;
    const rj = rank[j] as number;
    return ri > rj ? -1 : ri < rj ? 1 : 0;
  });

  let groups = 1;
  for (let t = 1; t < n; t++) if (rank[order[t] as number] !== rank[order[t - 1] as number]) groups++;
  const points = groups + 1;
  const strongCount = new Uint32Array(points);
  const threshold = new Float64Array(points);
  const callShare = new Float64Array(points);
  const quality = new Float64Array(points);
  const scoreGain = new Float64Array(points);
  const cost = cw && cs ? new Float64Array(points) : null;

  const sumW = sum(sw);
  const baseCost = cw ? sum(cw) / n : 0;
  threshold[0] = Number.POSITIVE_INFINITY;
  quality[0] = sumW / n;
  if (cost) cost[0] = baseCost;

  let gain = 0;
  let costGain = 0;
  let t = 0;
  for (let k = 1; k < points; k++) {
    const r = rank[order[t] as number] as number;
    while (t < n && rank[order[t] as number] === r) {
      const i = order[t] as number;
      gain += (ss[i] as number) - (sw[i] as number);
      if (cw && cs) costGain += (cs[i] as number) - (cw[i] as number);
      t++;
    }
    strongCount[k] = t;
    threshold[k] = r;
    callShare[k] = t / n;
    scoreGain[k] = gain;
    quality[k] = (sumW + gain) / n;
    if (cost) cost[k] = baseCost + costGain / n;
  }

  const qW = sumW / n;
  const qS = sum(ss) / n;
  // Divide by the accumulated total gain, not qS - qW, so the last point is exactly PGR 1.
  const pgr = qS === qW || gain === 0 ? null : scoreGain.map((g) => g / gain);

  const cW = cw ? (items.weakOnlyCost ?? baseCost) : null;
  const cS = cs ? (items.strongOnlyCost ?? sum(cs) / n) : null;
  let dollars: Float64Array | null = null;
  if (cost && cW !== null && cS !== null && cS !== cW) dollars = cost.map((c) => (c - cW) / (cS - cW));

  return { n, qW, qS, cW, cS, strongCount, threshold, callShare, quality, cost, pgr, dollars };
}
