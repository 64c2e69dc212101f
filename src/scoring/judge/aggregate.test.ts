import { describe, expect, it } from "vitest";
import { combinePanel, orderValue, pairScore, rubricScore } from "./aggregate.ts";

describe("docs/metrics.md#judge aggregation", () => {
  it("maps a verdict to the candidate's value by where the candidate stood", () => {
    expect(orderValue("A", "A")).toBe(1);
    expect(orderValue("A", "B")).toBe(0);
    expect(orderValue("tie", "B")).toBe(0.5);
  });

  it("scores a pair as the mean of its orders: (tie, win) = 0.75, a disagreement = a tie", () => {
    expect(pairScore(0.5, 1)).toBe(0.75);
    expect(pairScore(1, 0)).toBe(0.5);
    expect(pairScore(1, 1)).toBe(1);
    expect(pairScore(0, 0.5)).toBe(0.25);
  });

  it("maps rubric 1..10 to (s - 1) / 9 and refuses anything outside", () => {
    expect(rubricScore(1)).toBe(0);
    expect(rubricScore(10)).toBe(1);
    expect(rubricScore(7)).toBeCloseTo(2 / 3, 12);
    expect(() => rubricScore(0)).toThrow(RangeError);
    expect(() => rubricScore(10.5)).toThrow(RangeError);
  });
});

describe("combinePanel", () => {
  it("majority on pairwise values needs more than half, else a tie", () => {
    expect(combinePanel([1, 1, 0], "majority", "pairwise")).toBe(1);
    expect(combinePanel([1, 0.5, 0], "majority", "pairwise")).toBe(0.5);
    expect(combinePanel([1, 0], "majority", "pairwise")).toBe(0.5);
    expect(combinePanel([0], "majority", "pairwise")).toBe(0);
  });

  it("majority on grades is the median; mean is the average", () => {
    expect(combinePanel([1, 0, 1], "majority", "grade")).toBe(1);
    expect(combinePanel([0.2, 0.9, 0.4], "majority", "grade")).toBe(0.4);
    expect(combinePanel([1, 0], "majority", "grade")).toBe(0.5);
    expect(combinePanel([1, 0, 0.5, 0.5], "mean", "pairwise")).toBe(0.5);
    expect(() => combinePanel([], "mean", "grade")).toThrow();
  });
});
