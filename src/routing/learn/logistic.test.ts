import { describe, expect, it } from "vitest";
import { addHashedNgrams, fnv1a } from "./hashing.ts";
import { logLoss, trainLogistic, trainLogisticCv } from "./logistic.ts";
import { dot, type SparseRow, sigmoid } from "./sparse.ts";

// A separable toy problem: class 1 iff x0 > x1, with a little spread.
function toy(n: number): { rows: SparseRow[]; y: number[] } {
  const rows: SparseRow[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = ((i * 37) % 101) / 101;
    const b = ((i * 53 + 17) % 103) / 103;
    if (Math.abs(a - b) < 0.05) continue;
    rows.push({ index: [0, 1], value: [a, b] });
    y.push(a > b ? 1 : 0);
  }
  return { rows, y };
}

describe("logistic regression", () => {
  it("converges on a separable problem: every training point classified, low loss", () => {
    const { rows, y } = toy(300);
    const w = trainLogistic(rows, y, { dim: 2, l2: 1e-4, maxIterations: 2000 });
    const correct = rows.filter((r, i) => (sigmoid(dot(w, r)) > 0.5 ? 1 : 0) === y[i]).length;
    expect(correct).toBe(rows.length);
    expect(logLoss(w, rows, y)).toBeLessThan(0.25);
    // The boundary is x0 = x1: opposite weights, near-zero bias.
    expect(w[0]).toBeGreaterThan(1);
    expect(w[1]).toBeLessThan(-1);
  });

  it("is deterministic: the same data gives bit-identical weights", () => {
    const { rows, y } = toy(200);
    const a = trainLogistic(rows, y, { dim: 2, l2: 1e-3 });
    const b = trainLogistic(rows, y, { dim: 2, l2: 1e-3 });
    expect(b).toEqual(a);
    expect(trainLogisticCv(rows, y, { dim: 2 })).toEqual(trainLogisticCv(rows, y, { dim: 2 }));
  });

  it("fits soft targets: with no features, the bias is the logit of the mean target", () => {
    const rows = Array.from({ length: 40 }, () => ({ index: [], value: [] }));
    const targets = rows.map((_, i) => (i % 4 === 0 ? 1 : 0.5));
    const w = trainLogistic(rows, targets, { dim: 3, l2: 0.1, maxIterations: 3000, tolerance: 1e-9 });
    expect(sigmoid(w[3]!)).toBeCloseTo(0.625, 3);
  });

  it("stronger L2 shrinks the weights; CV picks a penalty and gives out-of-fold predictions", () => {
    const { rows, y } = toy(200);
    const weak = trainLogistic(rows, y, { dim: 2, l2: 1e-3 });
    const strong = trainLogistic(rows, y, { dim: 2, l2: 1 });
    expect(Math.abs(strong[0]!)).toBeLessThan(Math.abs(weak[0]!));
    const cv = trainLogisticCv(rows, y, { dim: 2 });
    expect([0.1, 0.03, 0.01, 0.003]).toContain(cv.l2);
    expect(cv.outOfFold).toHaveLength(rows.length);
    // Out-of-fold predictions still separate the classes well on this easy problem.
    const right = rows.filter((_, i) => (cv.outOfFold![i]! > 0 ? 1 : 0) === y[i]).length;
    expect(right / rows.length).toBeGreaterThan(0.9);
  });
});

describe("feature hashing", () => {
  it("is stable across runs and normalises each text to unit length", () => {
    expect(fnv1a("hello")).toBe(0x4f9f2cab);
    const cols = new Map<number, number>();
    addHashedNgrams(cols, "Refund my order please, refund it", "input", 10);
    let norm = 0;
    for (const v of cols.values()) norm += v * v;
    // Collisions may add up, so the norm is about 1, not exactly.
    expect(norm).toBeGreaterThan(0.8);
    expect(norm).toBeLessThan(1.2);
    for (const c of cols.keys()) expect(c).toBeLessThan(1024);
  });
});
