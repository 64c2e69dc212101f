import { describe, expect, it } from "vitest";
import { costPercentiles, percentile, quantile } from "./percentile.ts";

// Expected values printed by numpy.percentile (default method "linear").
const costs = [0.0031, 0.0007, 0.012, 0.0049, 0.0002, 0.0088, 0.0015, 0.0031, 0.0104, 0.0056, 0.00011];

describe("percentile (numpy linear)", () => {
  it.each([
    [0, 0.00011],
    [10, 0.0002],
    [25, 0.0011],
    [50, 0.0031],
    [90, 0.0104],
    [95, 0.0112],
    [99, 0.011840000000000002],
    [100, 0.012],
    [33.3, 0.0020279999999999994],
  ])("p%d matches numpy bit for bit", (p, expected) => {
    expect(percentile(costs, p)).toBe(expected);
  });

  it("quantile takes [0, 1] and does not mutate its input", () => {
    const input = [3, 1, 2];
    expect(quantile(input, 0.5)).toBe(2);
    expect(input).toEqual([3, 1, 2]);
    expect(() => percentile([], 50)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it("reports p99 only from 100 items on", () => {
    expect(costPercentiles(costs).p99).toBeNull();
    const many = Array.from({ length: 150 }, (_, i) => (i + 1) / 1000);
    expect(costPercentiles(many)).toEqual({ n: 150, p50: 0.0755, p90: 0.1351, p99: 0.14850999999999998 });
  });
});
