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

describe("choosing the penalty on a sample of the rows", () => {
  // Every 10th row's label is noise, the rest follow x0 > x1: a 1-in-10 sample sees only noise (the
  // strong penalty wins there), every row together is mostly signal (the weak one wins).
  const { rows, y } = toy(700);
  for (let i = 0; i < y.length; i += 10) y[i] = (fnv1a(String(i)) >>> 7) % 2;
  const selectionRows = Math.ceil(rows.length / 10);
  const sampled = <T>(xs: readonly T[]) => xs.filter((_, i) => i % 10 === 0);

  it("past `selectionRows`, picks the penalty the evenly spaced sample picks, then fits it on every row", () => {
    expect(Math.ceil(rows.length / selectionRows)).toBe(10);
    const candidates = [10, 1e-4];
    const everyRow = trainLogisticCv(rows, y, { dim: 2, candidates });
    const onSample = trainLogisticCv(sampled(rows), sampled(y), { dim: 2, candidates });
    expect([onSample.l2, everyRow.l2]).toEqual([10, 1e-4]);
    const cv = trainLogisticCv(rows, y, { dim: 2, candidates, selectionRows });
    expect(cv.l2).toBe(10);
    // Exactly the cross-fit at that one penalty over all rows: same weights, same out-of-fold logits.
    expect(cv).toEqual(trainLogisticCv(rows, y, { dim: 2, candidates: [10] }));
    expect(cv.outOfFold).toHaveLength(rows.length);
  });

  it("decides like the fit that chose on every row when both choose the same penalty", () => {
    const clean = toy(700); // no noise: the sample and every row pick the same penalty
    const full = trainLogisticCv(clean.rows, clean.y, { dim: 2 });
    const sampledFit = trainLogisticCv(clean.rows, clean.y, { dim: 2, selectionRows });
    expect(sampledFit).toEqual(full);
    const decisions = (w: number[]) => clean.rows.map((r) => dot(w, r) >= 0);
    expect(decisions(sampledFit.weights)).toEqual(decisions(full.weights));
  });

  it("at or below `selectionRows` every row takes part, as without the option", () => {
    expect(trainLogisticCv(rows, y, { dim: 2, selectionRows: rows.length })).toEqual(
      trainLogisticCv(rows, y, { dim: 2 }),
    );
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
