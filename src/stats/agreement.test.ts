import { describe, expect, it } from "vitest";
import { cohensKappa, pearson } from "./agreement.ts";

describe("cohensKappa", () => {
  it("binary: po 0.7, pe 0.5 -> 0.4", () => {
    const judge = [1, 1, 0, 0, 1, 0, 1, 1, 0, 1];
    const exact = [1, 0, 0, 0, 1, 1, 1, 1, 0, 0];
    expect(cohensKappa(judge, exact)).toBeCloseTo(0.4, 15);
  });

  it("handles booleans, perfect agreement, and the undefined all-one-label case", () => {
    expect(cohensKappa([true, false, true], [true, false, true])).toBe(1);
    expect(cohensKappa([true, true], [true, true])).toBeNull();
    expect(cohensKappa([], [])).toBeNull();
  });
});

describe("pearson", () => {
  it("matches scipy.stats.pearsonr", () => {
    expect(pearson([1, 2, 3, 4, 5.5], [2, 1, 4, 3, 7])).toBeCloseTo(0.8580868382401787, 14);
  });

  it("is null without variance", () => {
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(pearson([1], [2])).toBeNull();
  });
});
