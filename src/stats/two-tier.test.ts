import { describe, expect, it } from "vitest";
import { smallestXReaching, trapezoidArea } from "./curve.ts";
import { pgrOf, type TwoTierItems, twoTierOracleRank, twoTierSweep } from "./two-tier.ts";
import { cheapestPointReaching, summarizeTwoTier } from "./two-tier-summary.ts";

const f = (xs: number[]) => Float64Array.from(xs);

// Per-item gain qS_i - qW_i = [1, 1, 0, -1]; qW = 0.5, qS = 0.75, so one item of gain is PGR 1.
const items: TwoTierItems = { scoreIfWeak: f([0, 0, 1, 1]), scoreIfStrong: f([1, 1, 1, 0]) };

describe("twoTierSweep", () => {
  it("sweeps k = 0..n when ranks are distinct", () => {
    const curve = twoTierSweep(items, [4, 3, 2, 1]);
    expect([...curve.callShare]).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect([...(curve.pgr ?? [])]).toEqual([0, 1, 2, 2, 1]);
    expect([...curve.quality]).toEqual([0.5, 0.75, 1, 1, 0.75]);
    expect([...curve.threshold]).toEqual([Number.POSITIVE_INFINITY, 4, 3, 2, 1]);
    expect(summarizeTwoTier(curve).apgr).toBe(1.375);
  });

  it("moves tied items together as one step", () => {
    // Items 0 and 2 tie (gains 1 and 0), items 1 and 3 tie (gains 1 and -1).
    const curve = twoTierSweep(items, [1, 0, 1, 0]);
    expect([...curve.callShare]).toEqual([0, 0.5, 1]);
    expect([...curve.strongCount]).toEqual([0, 2, 4]);
    expect([...(curve.pgr ?? [])]).toEqual([0, 1, 1]);
    expect(summarizeTwoTier(curve).apgr).toBe(0.75);
    // One tie group: (0,0) -> (1,1), the random-router diagonal.
    expect(summarizeTwoTier(twoTierSweep(items, [7, 7, 7, 7])).apgr).toBe(0.5);
  });

  it("a router identical to the oracle gets the oracle's curve and CPT interpolates", () => {
    const rank = twoTierOracleRank(items.scoreIfWeak, items.scoreIfStrong);
    expect([...rank]).toEqual([1, 1, 0, -1]);
    const oracle = summarizeTwoTier(twoTierSweep(items, rank), [0.5, 1, 2, 2.1]);
    // Points (0,0), (0.5,2), (0.75,2), (1,1).
    expect(oracle.apgr).toBe(1.375);
    expect(oracle.maxPgr).toBe(2);
    expect(oracle.cpt).toEqual({ "50": 0.125, "100": 0.25, "200": 0.5, "210": null });
    const same = summarizeTwoTier(twoTierSweep(items, f([10, 10, 5, -3])), [0.5, 1, 2, 2.1]);
    expect(same).toEqual(oracle);
  });

  it("a perfectly anti-correlated router sits below the diagonal", () => {
    const anti = twoTierOracleRank(items.scoreIfWeak, items.scoreIfStrong).map((r) => -r);
    const curve = twoTierSweep(items, anti);
    // Points (0,0), (0.25,-1), (0.5,-1), (1,1).
    expect([...(curve.pgr ?? [])]).toEqual([0, -1, -1, 1]);
    const s = summarizeTwoTier(curve);
    expect(s.apgr).toBe(-0.375);
    expect(s.cpt["50"]).toBe(0.875);
    expect(s.cpt["95"]).toBeCloseTo(0.9875, 15);
    expect(s.maxPgr).toBe(1);
  });

  it("leaves PGR undefined when qS = qW", () => {
    const flat: TwoTierItems = { scoreIfWeak: f([1, 0]), scoreIfStrong: f([0, 1]) };
    const s = summarizeTwoTier(twoTierSweep(flat, [1, 0]));
    expect(s.apgr).toBeNull();
    expect(s.cpt["50"]).toBeNull();
    expect(pgrOf(0.7, 0.6, 0.6)).toBeNull();
    expect(pgrOf(0.9, 0.6, 0.8)).toBeCloseTo(1.5, 12);
  });

  it("the dollar axis equals the call-share axis when every item costs the same", () => {
    const priced = { ...items, costIfWeak: f([1, 1, 1, 1]), costIfStrong: f([10, 10, 10, 10]) };
    const s = summarizeTwoTier(twoTierSweep(priced, [4, 3, 2, 1]));
    expect(s.apgrDollar).toBeCloseTo(s.apgr ?? Number.NaN, 14);
    expect(s.cptDollar["50"]).toBeCloseTo(s.cpt["50"] ?? Number.NaN, 14);
  });

  it("a cascade pays W on strong-routed items too, so d runs past 1", () => {
    const cascade = {
      ...items,
      costIfWeak: f([1, 1, 1, 1]),
      costIfStrong: f([11, 11, 11, 11]),
      strongOnlyCost: 10,
    };
    const curve = twoTierSweep(cascade, [4, 3, 2, 1]);
    expect(curve.cW).toBe(1);
    expect(curve.cS).toBe(10);
    expect([...(curve.dollars ?? [])].map((d) => d * 9)).toEqual([0, 2.5, 5, 7.5, 10]);
  });

  it("integrates a non-monotone dollar axis in sweep order and takes the smallest d for CPT$", () => {
    // The last item is dearer on W than on S, so d steps back at the end.
    const priced = { ...items, costIfWeak: f([1, 1, 1, 5]), costIfStrong: f([3, 3, 3, 3]) };
    const curve = twoTierSweep(priced, [4, 3, 2, 1]);
    expect([...(curve.cost ?? [])]).toEqual([2, 2.5, 3, 3.5, 3]);
    expect([...(curve.dollars ?? [])]).toEqual([0, 0.5, 1, 1.5, 1]);
    const s = summarizeTwoTier(curve, [1, 1.5]);
    expect(s.apgrDollar).toBe(1.25);
    expect(s.cptDollar).toEqual({ "100": 0.5, "150": 0.75 });
  });

  it("finds the cheapest real operating point reaching a quality", () => {
    const priced = { ...items, costIfWeak: f([1, 1, 1, 1]), costIfStrong: f([3, 3, 3, 3]) };
    const curve = twoTierSweep(priced, [4, 3, 2, 1]);
    expect(cheapestPointReaching(curve, 0.95 * curve.qS)).toBe(1);
    expect(cheapestPointReaching(curve, 1)).toBe(2);
    expect(cheapestPointReaching(curve, 1.01)).toBeNull();
  });

  it("rejects NaN ranks and mismatched lengths", () => {
    expect(() => twoTierSweep(items, [1, Number.NaN, 2, 3])).toThrow(RangeError);
    expect(() => twoTierSweep(items, [1, 2])).toThrow(RangeError);
  });
});

describe("curve helpers", () => {
  it("trapezoid and first reach on a monotone axis", () => {
    expect(trapezoidArea([0, 0.5, 1], [0, 1, 1])).toBe(0.75);
    expect(smallestXReaching([0, 0.5, 1], [0, 1, 1], 0.5)).toBe(0.25);
    expect(smallestXReaching([0, 1], [0, 1], 0)).toBe(0);
    expect(smallestXReaching([0, 1], [0, 1], 1.01)).toBeNull();
  });

  it("on a path that doubles back, the smallest x reaching the target wins over the first crossing", () => {
    // First crossing of 0.8 along the path is at x = 0.52, but the path reaches y = 1 at x = 0.2.
    expect(smallestXReaching([0, 1, 0.2], [0, 0.5, 1], 0.8)).toBeCloseTo(0.2, 15);
  });
});
