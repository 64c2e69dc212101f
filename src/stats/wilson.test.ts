import { describe, expect, it } from "vitest";
import { newcombePairedInterval, pairedTable } from "./newcombe.ts";
import { qualityInterval } from "./quality.ts";
import { wilsonInterval } from "./wilson.ts";

const r4 = (x: number) => Number(x.toFixed(4));

describe("Wilson (docs/metrics.md#the-gate)", () => {
  it("reproduces 180 of 200 -> [0.8506, 0.9343]", () => {
    expect(wilsonInterval(180, 200).map(r4)).toEqual([0.8506, 0.9343]);
  });

  it("stays inside [0, 1] at the edges and is [0, 1] with no items", () => {
    const [lo0, hi0] = wilsonInterval(0, 20);
    expect(lo0).toBe(0);
    expect(hi0).toBeGreaterThan(0.1);
    const [lo1, hi1] = wilsonInterval(20, 20);
    expect(hi1).toBe(1);
    expect(lo1).toBeLessThan(0.9);
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
  });

  it("qualityInterval picks Wilson for binary scores and reproduces the fixture", () => {
    const scores = new Float64Array(200);
    scores.fill(1, 0, 180);
    const q = qualityInterval(scores);
    expect(q.method).toBe("wilson");
    expect(q.mean).toBe(0.9);
    expect([r4(q.lower), r4(q.upper)]).toEqual([0.8506, 0.9343]);
  });

  it("qualityInterval falls back to the bootstrap for graded scores", () => {
    const scores = Float64Array.from({ length: 50 }, (_, i) => (i % 10) / 9);
    const q = qualityInterval(scores, { seed: 1 });
    expect(q.method).toBe("bootstrap");
    expect(q.lower).toBeLessThan(q.mean);
    expect(q.upper).toBeGreaterThan(q.mean);
  });
});

describe("Newcombe paired interval (docs/metrics.md#the-gate)", () => {
  it("reproduces (150, 12, 8, 30) -> -0.0200, [-0.0651, 0.0245]", () => {
    const r = newcombePairedInterval({ a: 150, b: 12, c: 8, d: 30 });
    expect([r4(r.delta), r4(r.lower), r4(r.upper)]).toEqual([-0.02, -0.0651, 0.0245]);
  });

  it("reproduces (150, 0, 0, 50) -> 0, [-0.0094, 0.0094]", () => {
    const r = newcombePairedInterval({ a: 150, b: 0, c: 0, d: 50 });
    expect([r4(r.delta), r4(r.lower), r4(r.upper)]).toEqual([0, -0.0094, 0.0094]);
  });

  it("uses phi = 0 when a margin is empty", () => {
    const r = newcombePairedInterval({ a: 0, b: 0, c: 5, d: 5 });
    expect(r.delta).toBe(0.5);
    expect(r.lower).toBeLessThan(0.5);
    expect(r.upper).toBeGreaterThan(0.5);
  });

  it("builds the table from aligned binary scores (baseline, candidate)", () => {
    const base = Float64Array.from([1, 1, 0, 0, 1]);
    const cand = Float64Array.from([1, 0, 1, 0, 1]);
    expect(pairedTable(base, cand)).toEqual({ a: 2, b: 1, c: 1, d: 1 });
    expect(() => pairedTable(Float64Array.from([0.5]), Float64Array.from([1]))).toThrow(/not binary/);
  });
});
