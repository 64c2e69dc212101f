import { describe, expect, it } from "vitest";
import type { Item } from "../../core/types.ts";
import { wilsonInterval, Z95 } from "../../stats/index.ts";
import type { PolicyOutcome } from "../matrix/policy-outcome.ts";
import { featureFigures, featureOf, itemFeatures } from "./feature-figures.ts";

function outcome(quality: number[], cost: number[]): PolicyOutcome {
  const n = quality.length;
  return {
    choice: new Int32Array(n),
    quality: Float64Array.from(quality),
    cost: Float64Array.from(cost),
    latency: new Float64Array(n),
    error: new Uint8Array(n),
    called: [],
  };
}

const item = (id: string, feature?: unknown): Item => ({
  id,
  input: "x",
  ...(feature === undefined ? {} : { metadata: { feature } }),
});

describe("featureOf", () => {
  it("reads metadata.feature as a name; numbers count, blanks and objects do not", () => {
    expect(featureOf(item("a", "billing"))).toBe("billing");
    expect(featureOf(item("a", 3))).toBe("3");
    expect(featureOf(item("a", ""))).toBeNull();
    expect(featureOf(item("a", { x: 1 }))).toBeNull();
    expect(featureOf(item("a"))).toBeNull();
  });
});

describe("featureFigures", () => {
  const items = [
    item("1", "tech"),
    item("2", "billing"),
    item("3", "tech"),
    item("4", "billing"),
    item("5", "tech"),
    item("6"),
    item("7", "tech"),
  ];
  const o = outcome([1, 0, 1, 1, 0, 1, 1], [0.001, 0.002, 0.003, 0.004, 0.005, 0.006, 0.007]);

  it("counts only reporting items, per feature, sorted, with the unlabelled group last", () => {
    // Item 7 is a calibration item: it must not count.
    const mask = Uint8Array.from([1, 1, 1, 1, 1, 1, 0]);
    const figures = featureFigures({ id: "r", features: itemFeatures(items), outcome: o, mask, seed: "s" });
    expect(figures.map((f) => [f.feature, f.items])).toEqual([
      ["billing", 2],
      ["tech", 3],
      [null, 1],
    ]);
    const tech = figures[1]!;
    expect(tech.quality.mean).toBeCloseTo(2 / 3, 12);
    // Binary scores: the Wilson interval of 2 of 3, as docs/metrics.md#the-gate prescribes.
    expect(tech.quality.ci).toEqual(wilsonInterval(2, 3, Z95));
    expect(tech.costPer1k).toBeCloseTo((1000 * (0.001 + 0.003 + 0.005)) / 3, 12);
    expect(figures[0]!.costPer1k).toBeCloseTo(3, 12);
  });

  it("is empty when no reporting item names a feature", () => {
    const plain = [item("1"), item("2")];
    expect(
      featureFigures({
        id: "r",
        features: itemFeatures(plain),
        outcome: outcome([1, 0], [0, 0]),
        mask: Uint8Array.from([1, 1]),
        seed: "s",
      }),
    ).toEqual([]);
  });

  it("uses the bootstrap for graded scores, reproducibly", () => {
    const graded = outcome([0.5, 0.2, 0.9, 0.4, 0.7, 1, 0.3], [0, 0, 0, 0, 0, 0, 0]);
    const mask = new Uint8Array(7).fill(1);
    const a = featureFigures({ id: "r", features: itemFeatures(items), outcome: graded, mask, seed: "s" });
    const b = featureFigures({ id: "r", features: itemFeatures(items), outcome: graded, mask, seed: "s" });
    expect(a).toEqual(b);
    const tech = a.find((f) => f.feature === "tech")!;
    expect(tech.quality.mean).toBeCloseTo((0.5 + 0.9 + 0.7 + 0.3) / 4, 12);
    expect(tech.quality.ci[0]).toBeLessThan(tech.quality.mean);
    expect(tech.quality.ci[1]).toBeGreaterThan(tech.quality.mean);
  });
});
