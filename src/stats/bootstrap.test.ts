import { describe, expect, it } from "vitest";
import { bootstrapMeanInterval, dictionaryCode, pairedBootstrapDiffInterval } from "./bootstrap.ts";
import { newcombePairedInterval, pairedTable } from "./newcombe.ts";
import { quantileSorted } from "./percentile.ts";
import { createRng, randomUniforms } from "./random.ts";
import { wilsonInterval } from "./wilson.ts";

function bernoulli(successes: number, n: number): Float64Array {
  const s = new Float64Array(n);
  s.fill(1, 0, successes);
  return s;
}

describe("seeded PRNG", () => {
  it("is reproducible per seed and differs between seeds", () => {
    expect(randomUniforms(5, "a")).toEqual(randomUniforms(5, "a"));
    expect(randomUniforms(5, "a")).not.toEqual(randomUniforms(5, "b"));
    expect(randomUniforms(5, 7)).toEqual(randomUniforms(5, "7"));
  });

  it("is uniform enough on [0, 1)", () => {
    const rng = createRng("uniform");
    const bins = new Float64Array(10);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = rng();
      if (u < 0 || u >= 1) outside++;
      else bins[Math.floor(u * 10)]! += 1;
    }
    expect(outside).toBe(0);
    for (const b of bins) expect(Math.abs(b - 10_000)).toBeLessThan(500);
  });
});

describe("bootstrapMeanInterval", () => {
  it("is reproducible with a seed", () => {
    const scores = Float64Array.from({ length: 300 }, (_, i) => ((i * 37) % 11) / 10);
    const a = bootstrapMeanInterval(scores, { seed: "x", B: 2000 });
    const b = bootstrapMeanInterval(scores, { seed: "x", B: 2000 });
    const c = bootstrapMeanInterval(scores, { seed: "y", B: 2000 });
    expect(a).toEqual(b);
    expect(c.lower).not.toBe(a.lower);
  });

  it("on a Bernoulli sample lands close to Wilson", () => {
    const r = bootstrapMeanInterval(bernoulli(180, 200), { seed: "coverage" });
    const [lo, hi] = wilsonInterval(180, 200);
    expect(r.mean).toBe(0.9);
    expect(Math.abs(r.lower - lo)).toBeLessThan(0.015);
    expect(Math.abs(r.upper - hi)).toBeLessThan(0.015);
  });

  it("covers the true mean about 95% of the time", () => {
    const rng = createRng("coverage-sim");
    let covered = 0;
    const runs = 200;
    for (let r = 0; r < runs; r++) {
      const s = Float64Array.from({ length: 100 }, () => rng());
      const { lower, upper } = bootstrapMeanInterval(s, { seed: r, B: 1000 });
      if (lower <= 0.5 && 0.5 <= upper) covered++;
    }
    expect(covered / runs).toBeGreaterThan(0.88);
    expect(covered / runs).toBeLessThan(0.99);
  });

  it("runs the default B = 10,000 on n = 1,000 to an interval around the mean", () => {
    const scores = randomUniforms(1000, "speed");
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    const { lower, upper } = bootstrapMeanInterval(scores, { seed: "speed" });
    expect(lower).toBeLessThan(mean);
    expect(upper).toBeGreaterThan(mean);
    expect(upper - lower).toBeLessThan(0.1);
  });
});

/** The plain resampling loop: B means of n draws read straight from `values`. */
function referenceInterval(values: Float64Array, B: number, seed: string): [number, number] {
  const rng = createRng(seed);
  const n = values.length;
  const means = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += values[Math.floor(rng() * n)]!;
    means[b] = sum / n;
  }
  means.sort();
  return [quantileSorted(means, 0.025), quantileSorted(means, 0.975)];
}

describe("bootstrap through a table of distinct values", () => {
  const rng = createRng("coded");
  const cases: Array<[string, Float64Array]> = [
    [
      "paired 0/1 differences (3 values, byte codes)",
      Float64Array.from({ length: 500 }, () => Math.floor(rng() * 3) - 1),
    ],
    [
      "graded scores (1,000 values, 2-byte codes)",
      Float64Array.from({ length: 3000 }, () => Math.floor(rng() * 1000) / 999),
    ],
    ["continuous scores (over 65,536 values, read directly)", Float64Array.from({ length: 70_000 }, () => rng())],
  ];
  it.each(cases)("gives bit for bit the plain loop's interval: %s", (_, values) => {
    const B = values.length > 10_000 ? 40 : 400;
    const { lower, upper } = bootstrapMeanInterval(values, { B, seed: "same" });
    expect([lower, upper]).toEqual(referenceInterval(values, B, "same"));
  });

  it("codes every value to itself, in bytes while there are at most 256 distinct values", () => {
    const values = Float64Array.of(0.5, -1, 0.5, 0, -0, 1, Number.NaN);
    const coded = dictionaryCode(values)!;
    expect(coded.codes).toBeInstanceOf(Uint8Array);
    expect(Array.from(coded.codes, (c) => coded.table[c])).toEqual([0.5, -1, 0.5, 0, 0, 1, Number.NaN]);
    expect(dictionaryCode(Float64Array.from({ length: 300 }, (_, i) => i))!.codes).toBeInstanceOf(Uint16Array);
    expect(dictionaryCode(Float64Array.from({ length: 70_000 }, (_, i) => i))).toBeNull();
  });
});

describe("pairedBootstrapDiffInterval", () => {
  it("agrees with Newcombe on binary scores", () => {
    // The (150, 12, 8, 30) table of docs/metrics.md#the-gate as aligned arrays.
    const base = new Float64Array(200);
    const cand = new Float64Array(200);
    base.fill(1, 0, 162);
    cand.fill(1, 0, 150);
    cand.fill(1, 162, 170);
    const boot = pairedBootstrapDiffInterval(base, cand, { seed: "paired" });
    const exact = newcombePairedInterval(pairedTable(base, cand));
    expect(boot.delta).toBeCloseTo(-0.02, 12);
    expect(Math.abs(boot.lower - exact.lower)).toBeLessThan(0.01);
    expect(Math.abs(boot.upper - exact.upper)).toBeLessThan(0.01);
  });

  it("rejects misaligned arrays", () => {
    expect(() => pairedBootstrapDiffInterval(new Float64Array(2), new Float64Array(3))).toThrow(RangeError);
  });
});
