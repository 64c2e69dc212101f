import { describe, expect, it } from "vitest";
import { bonferroniZ, inverseNormalCdf, zForAlpha } from "./normal.ts";

describe("inverseNormalCdf", () => {
  // Reference values from scipy.stats.norm.ppf.
  it.each([
    [0.975, 1.959963984540054],
    [0.995, 2.5758293035489004],
    [0.3, -0.5244005127080409],
    [1e-10, -6.361340902404056],
    [1e-300, -37.0470962993612],
    [0.5, 0],
  ])("Phi^-1(%d)", (p, expected) => {
    expect(inverseNormalCdf(p)).toBeCloseTo(expected, 12);
  });

  it("is antisymmetric and handles the ends", () => {
    expect(inverseNormalCdf(0.025)).toBeCloseTo(-inverseNormalCdf(0.975), 14);
    expect(inverseNormalCdf(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(inverseNormalCdf(1)).toBe(Number.POSITIVE_INFINITY);
    expect(inverseNormalCdf(1.5)).toBeNaN();
  });

  it("gives two-sided and Bonferroni critical values", () => {
    expect(zForAlpha(0.05)).toBeCloseTo(1.959964, 6);
    // 6 checks in one gate: each at 1 - 0.05/6 (scipy: norm.ppf(1 - 0.05/12)).
    expect(bonferroniZ(6)).toBeCloseTo(2.638257273476751, 12);
    expect(bonferroniZ(1)).toBe(zForAlpha(0.05));
    expect(() => zForAlpha(0)).toThrow(RangeError);
  });
});
