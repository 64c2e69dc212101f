import { describe, expect, it } from "vitest";
import { perItemOracle } from "./oracle.ts";

const f = (xs: number[]) => Float64Array.from(xs);

describe("perItemOracle", () => {
  it("takes the best score and pays the cheapest model reaching it", () => {
    const scores = [f([1, 0, 0.5, 0]), f([1, 1, 0.5, 0]), f([0, 1, 0.7, 0])];
    const costs = [f([3, 3, 3, 3]), f([1, 1, 1, 1]), f([2, 0.5, 9, 2])];
    const o = perItemOracle(scores, costs);
    expect([...o.model]).toEqual([1, 2, 2, 1]);
    expect([...o.score]).toEqual([1, 1, 0.7, 0]);
    expect([...o.cost]).toEqual([1, 0.5, 9, 1]);
    expect(o.quality).toBeCloseTo(2.7 / 4, 15);
    expect(o.meanCost).toBeCloseTo(11.5 / 4, 15);
  });

  it("breaks a tie on score and cost by the lower model index", () => {
    const o = perItemOracle([f([1]), f([1])], [f([2]), f([2])]);
    expect(o.model[0]).toBe(0);
  });

  it("rejects ragged input", () => {
    expect(() => perItemOracle([f([1, 0]), f([1])], [f([1, 1]), f([1])])).toThrow(RangeError);
    expect(() => perItemOracle([], [])).toThrow(RangeError);
  });
});
