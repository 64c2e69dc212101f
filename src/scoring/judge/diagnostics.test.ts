import { describe, expect, it } from "vitest";
import { flipRate, kappaVsExact, lengthCorrelation, type PairRecord, tieRate } from "./diagnostics.ts";

const pair = (a: ["A" | "B", number], b: ["A" | "B", number], lengthDiff = 0): PairRecord => ({
  score: (a[1] + b[1]) / 2,
  orders: [
    { candidate: a[0], value: a[1] },
    { candidate: b[0], value: b[1] },
  ],
  lengthDiff,
});

describe("judge diagnostics (docs/metrics.md#judge)", () => {
  it("flipRate counts decisive pairs whose same position won twice", () => {
    const pairs = [
      pair(["A", 1], ["B", 0]), // A won both: a flip
      pair(["A", 1], ["B", 1]), // the candidate won both: consistent
      pair(["A", 0], ["B", 1]), // B won both: a flip
      pair(["A", 1], ["B", 0.5]), // not decisive in both orders: not counted
      { score: 0.5, lengthDiff: 0 }, // identical texts: no orders
    ];
    expect(flipRate(pairs)).toBeCloseTo(2 / 3, 12);
    expect(flipRate([pair(["A", 0.5], ["B", 0.5])])).toBeNull();
  });

  it("a judge that always prefers the first position flips every decisive pair", () => {
    // The candidate is first (A) in one order and second (B) in the other; A always wins.
    const pairs = [pair(["A", 1], ["B", 0]), pair(["B", 0], ["A", 1]), pair(["A", 1], ["B", 0])];
    expect(flipRate(pairs)).toBe(1);
    expect(tieRate(pairs)).toBe(1);
  });

  it("tieRate is pairs scored 0.5 over all pairs", () => {
    const pairs = [pair(["A", 1], ["B", 1]), pair(["A", 0.5], ["B", 0.5]), pair(["A", 1], ["B", 0.5])];
    expect(tieRate(pairs)).toBeCloseTo(1 / 3, 12);
    expect(tieRate([])).toBeNull();
  });

  it("lengthCorrelation is Pearson's r; kappa compares judge pass (>= 0.5) with exact pass", () => {
    expect(lengthCorrelation([0, 0.5, 1], [-10, 0, 10])).toBeCloseTo(1, 12);
    expect(lengthCorrelation([0.5, 0.5], [1, 2])).toBeNull();
    expect(kappaVsExact([1, 0.5, 0, 0], [true, true, false, false])).toBe(1);
    expect(kappaVsExact([1, 0, 1, 0], [true, true, false, false])).toBe(0);
  });
});
