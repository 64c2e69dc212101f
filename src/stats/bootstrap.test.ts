import { describe, expect, it } from "vitest";
import { bootstrapMeanInterval, pairedBootstrapDiffInterval } from "./bootstrap.ts";
import { newcombePairedInterval, pairedTable } from "./newcombe.ts";
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
