import { describe, expect, it } from "vitest";
import { aiq, risingUpperHull } from "./aiq.ts";
import { paretoFrontier } from "./pareto.ts";

// docs/metrics.md#many-models.
const points = [
  { id: "a", cost: 0.1, quality: 0.7 },
  { id: "b", cost: 0.2, quality: 0.8 },
  { id: "c", cost: 0.4, quality: 0.78 },
  { id: "d", cost: 0.5, quality: 0.86 },
  { id: "e", cost: 1.0, quality: 0.88 },
];

describe("paretoFrontier", () => {
  it("reproduces the fixture frontier a, b, d, e", () => {
    expect(paretoFrontier(points).map((p) => p.id)).toEqual(["a", "b", "d", "e"]);
  });

  it("keeps the first by id among exact ties and drops weakly dominated points", () => {
    const pts = [
      { id: "z", cost: 1, quality: 0.5 },
      { id: "y", cost: 1, quality: 0.5 },
      { id: "x", cost: 1, quality: 0.4 },
      { id: "w", cost: 2, quality: 0.5 },
      { id: "v", cost: 2, quality: 0.6 },
    ];
    expect(paretoFrontier(pts).map((p) => p.id)).toEqual(["y", "v"]);
  });
});

describe("AIQ", () => {
  it("reproduces the fixture AIQ 0.8433", () => {
    expect(aiq(points, 0.1, 1.0).toFixed(4)).toBe("0.8433");
  });

  it("hull drops points under a chord and the falling tail", () => {
    const hull = risingUpperHull([
      { cost: 0, quality: 0 },
      { cost: 1, quality: 0.4 },
      { cost: 2, quality: 1 },
      { cost: 3, quality: 0.9 },
    ]);
    expect(hull).toEqual([
      { cost: 0, quality: 0 },
      { cost: 2, quality: 1 },
    ]);
  });

  it("extends flat to cMax, cuts beyond it, and gives no credit below the cheapest point", () => {
    expect(aiq([{ cost: 0, quality: 0.6 }], 0, 1)).toBeCloseTo(0.6, 15);
    expect(aiq([{ cost: 0.5, quality: 0.6 }], 0, 1)).toBeCloseTo(0.3, 15);
    // Line from (0, 0) to (2, 1), cut at c = 1: mean of 0..0.5 over [0, 1].
    expect(
      aiq(
        [
          { cost: 0, quality: 0 },
          { cost: 2, quality: 1 },
        ],
        0,
        1,
      ),
    ).toBeCloseTo(0.25, 15);
  });
});
