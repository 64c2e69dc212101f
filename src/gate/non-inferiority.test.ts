import { describe, expect, it } from "vitest";
import { nonInferiorityGate, type PolicyItems } from "./non-inferiority.ts";
import { itemsFor80Power, simulateGate } from "./simulate.ts";

/** Aligned binary score arrays realising a paired table (a both right, b incumbent only, c candidate only, d neither). */
function fromTable(a: number, b: number, c: number, d: number): { base: PolicyItems; cand: PolicyItems } {
  const n = a + b + c + d;
  const base = new Float64Array(n);
  const cand = new Float64Array(n);
  let i = 0;
  for (let k = 0; k < a; k++, i++) base[i] = cand[i] = 1;
  for (let k = 0; k < b; k++, i++) base[i] = 1;
  for (let k = 0; k < c; k++, i++) cand[i] = 1;
  const flat = (v: number) => new Float64Array(n).fill(v);
  return {
    base: { quality: base, cost: flat(0.002), latencyMs: flat(500) },
    cand: { quality: cand, cost: flat(0.001), latencyMs: flat(300) },
  };
}

describe("nonInferiorityGate", () => {
  it("uses Newcombe's interval on binary scores (docs/metrics.md fixture (150, 12, 8, 30))", () => {
    const { base, cand } = fromTable(150, 12, 8, 30);
    const strict = nonInferiorityGate(base, cand, { maxDrop: 0.05 });
    const q = strict.quality[0]!;
    expect(q.interval.method).toBe("newcombe");
    expect(q.interval.delta).toBeCloseTo(-0.02, 4);
    expect(q.value).toBeCloseTo(-0.0651, 4);
    expect(q.interval.upper).toBeCloseTo(0.0245, 4);
    expect(strict.passed).toBe(false);
    // L = -0.0651 straddles -0.05: undecided, and more items would settle it at this effect.
    expect(q.undecided?.itemsNeeded).toBe(Math.ceil(200 * ((-0.02 - q.value) / 0.03) ** 2));
    expect(nonInferiorityGate(base, cand, { maxDrop: 0.07 }).passed).toBe(true);
  });

  it("refuses to pass on a set too small to show the allowed drop (rule of three)", () => {
    // 44 items, no disagreement: Newcombe's interval is nearly zero-width, yet a 2-point drop could
    // hide in zero losing items with probability 0.98^44 = 0.41.
    const { base, cand } = fromTable(20, 0, 0, 24);
    const v = nonInferiorityGate(base, cand, { maxDrop: 0.02 });
    expect(v.quality[0]!.interval.lower).toBeGreaterThan(-0.02);
    expect(v.passed).toBe(false);
    expect(v.quality[0]!.detail).toMatch(/fewer than 150 items cannot rule out a 2\.00 pts drop/);
    expect(v.quality[0]!.undecided?.itemsNeeded).toBeGreaterThanOrEqual(150);
  });

  it("says when more items cannot help", () => {
    const { base, cand } = fromTable(100, 30, 2, 68);
    const v = nonInferiorityGate(base, cand, { maxDrop: 0.02 });
    expect(v.passed).toBe(false);
    expect(v.quality[0]!.interval.upper).toBeLessThan(-0.02);
    expect(v.quality[0]!.undecided).toBeUndefined();
  });

  it("widens every interval for per-feature checks (Bonferroni) and checks each feature", () => {
    const { base, cand } = fromTable(150, 12, 8, 30);
    const features = Array.from({ length: 200 }, (_, i) => (i % 2 ? "triage" : "math"));
    const v = nonInferiorityGate(base, cand, { maxDrop: 0.07 }, { features });
    expect(v.quality.map((q) => q.name)).toEqual([
      "quality (all items)",
      "quality (feature math)",
      "quality (feature triage)",
    ]);
    const single = nonInferiorityGate(base, cand, { maxDrop: 0.07 }).quality[0]!;
    expect(v.quality[0]!.value).toBeLessThan(single.value);
    expect(v.quality[0]!.interval.level).toBeCloseTo(1 - 0.05 / 3, 10);
  });

  it("uses a seeded paired bootstrap on non-binary scores", () => {
    const n = 300;
    const base = new Float64Array(n).map((_, i) => ((i * 37) % 10) / 9);
    const cand = base.map((v, i) => Math.max(0, v - (i % 5 === 0 ? 0.1 : 0)));
    const items = (q: Float64Array): PolicyItems => ({
      quality: q,
      cost: new Float64Array(n),
      latencyMs: new Float64Array(n),
    });
    const a = nonInferiorityGate(items(base), items(cand), { maxDrop: 0.05 }, { seed: "s" });
    const b = nonInferiorityGate(items(base), items(cand), { maxDrop: 0.05 }, { seed: "s" });
    expect(a.quality[0]!.interval.method).toBe("paired-bootstrap");
    const meanDiff = cand.reduce((acc, v, i) => acc + v - base[i]!, 0) / n;
    expect(meanDiff).toBeLessThan(-0.005);
    expect(a.quality[0]!.interval.delta).toBeCloseTo(meanDiff, 10);
    expect(a.quality[0]!.value).toBe(b.quality[0]!.value);
    expect(a.passed).toBe(true);
  });

  it("compares cost and latency with ceilings, and skips p99 below 100 items", () => {
    const { base, cand } = fromTable(40, 2, 2, 6);
    const v = nonInferiorityGate(base, cand, {
      maxDrop: 0.5,
      maxCostPer1k: 0.5,
      maxP99CostPer1k: 0.5,
      maxP95LatencyMs: 250,
    });
    const byName = Object.fromEntries(v.ceilings.map((c) => [c.name, c]));
    expect(byName["cost per 1K requests"]!.value).toBeCloseTo(1, 10);
    expect(byName["cost per 1K requests"]!.passed).toBe(false);
    expect(byName["p99 cost per request"]!.passed).toBe(true);
    expect(byName["p99 cost per request"]!.detail).toMatch(/n too small/);
    expect(byName["p95 latency"]!.passed).toBe(false);
    expect(v.passed).toBe(false);
  });
});

describe("gate calibration by simulation", () => {
  it("passes truly-maxDrop-worse candidates at most ~2.5% of the time", () => {
    const r = simulateGate({ incumbentQuality: 0.85, discordance: 0.12, maxDrop: 0.03, items: 400, simulations: 4000 });
    expect(r.falsePassRate).toBeLessThanOrEqual(0.025 + 3 * r.falsePassSe + 0.005);
    // ... and it is not vacuous: equal candidates mostly pass at a reasonable size.
    expect(r.falseBlockRate).toBeLessThan(0.9);
  });

  it("keeps the false-pass rate at ~2.5% even on a tiny, nearly identical golden set", () => {
    const r = simulateGate({ incumbentQuality: 0.42, discordance: 0.03, maxDrop: 0.02, items: 44, simulations: 4000 });
    expect(r.falsePassRate).toBeLessThanOrEqual(0.025 + 3 * r.falsePassSe + 0.005);
  });

  it("needs more items for a smaller allowed drop", () => {
    const base = { incumbentQuality: 0.85, discordance: 0.12, simulations: 600 };
    const loose = itemsFor80Power({ ...base, maxDrop: 0.05 })!;
    const tight = itemsFor80Power({ ...base, maxDrop: 0.02 })!;
    expect(tight).toBeGreaterThan(2 * loose);
    expect(simulateGate({ ...base, maxDrop: 0.05, items: loose }).falseBlockRate).toBeLessThanOrEqual(0.25);
  });
});

describe("a feature with too few items (issue 10 item 11)", () => {
  // An identical candidate on 320 items: 300 of feature "big", 20 of "small" (the minimum at a
  // 2-point drop is 150). The small feature cannot be decided, and must not block by default.
  const identical = () => {
    const quality = Float64Array.from({ length: 320 }, (_, i) => (i % 3 === 0 ? 0 : 1));
    const flat = (v: number) => new Float64Array(320).fill(v);
    const policy = { quality, cost: flat(0.001), latencyMs: flat(300) };
    const features = Array.from({ length: 320 }, (_, i) => (i < 300 ? "big" : "small"));
    return { policy, features };
  };

  it("is reported undecided, does not block, and the identical candidate passes", () => {
    const { policy, features } = identical();
    const v = nonInferiorityGate(policy, policy, { maxDrop: 0.02 }, { features });
    const small = v.quality.find((q) => q.name === "quality (feature small)")!;
    expect(small.passed).toBe(false);
    expect(small.blocking).toBe(false);
    const needed = small.undecided!.itemsNeeded!;
    expect(needed).toBeGreaterThanOrEqual(150);
    expect(small.detail).toContain(`undecided: needs ${needed} items, so it does not block`);
    expect(v.quality.filter((q) => q.blocking).every((q) => q.passed)).toBe(true);
    expect(v.passed).toBe(true);
  });

  it('blocks with perFeature "strict"', () => {
    const { policy, features } = identical();
    const v = nonInferiorityGate(policy, policy, { maxDrop: 0.02 }, { features, perFeature: "strict" });
    expect(v.passed).toBe(false);
    expect(v.quality.find((q) => q.name === "quality (feature small)")!.blocking).toBe(true);
  });

  it("still blocks a small feature shown worse, and the overall check still decides", () => {
    const { policy, features } = identical();
    // The candidate loses every small-feature item: even a 20-item interval shows that drop.
    const worse = { ...policy, quality: Float64Array.from(policy.quality, (q, i) => (i >= 300 ? 0 : q)) };
    const base = { ...policy, quality: Float64Array.from(policy.quality, (q, i) => (i >= 300 ? 1 : q)) };
    expect(nonInferiorityGate(base, worse, { maxDrop: 0.02 }, { features }).passed).toBe(false);
    // Too few items overall: the overall check is undecided and blocks, whatever the features say.
    const few = {
      quality: policy.quality.slice(280),
      cost: policy.cost.slice(280),
      latencyMs: policy.latencyMs.slice(280),
    };
    expect(nonInferiorityGate(few, few, { maxDrop: 0.02 }, { features: features.slice(280) }).passed).toBe(false);
  });
});
