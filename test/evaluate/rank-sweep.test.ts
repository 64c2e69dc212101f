import { beforeAll, describe, expect, it } from "vitest";
import { runImported } from "../../devkit/importers/run-imported.ts";
import type { EvalResult } from "../../src/evaluate/eval-result.ts";
import { rankSweep, sweepsByRank } from "../../src/evaluate/fit/rank-sweep.ts";
import { sweepPoints } from "../../src/evaluate/fit/sweep.ts";
import { learnedRouter, lengthRouter, type RouterParams } from "../../src/routing/index.ts";
import { duringCalibrationSweep } from "../../src/routing/learn/cross-fitted.ts";
import { syntheticBenchmark } from "../routing/synthetic.ts";

const [cheap, strong] = ["replay:cheap", "replay:strong"];

describe("the sort-based rank sweep", () => {
  let result: EvalResult;
  beforeAll(async () => {
    result = await runImported(syntheticBenchmark(), {
      name: "rank-sweep",
      weak: cheap,
      strong,
      scorer: { type: "numeric", extract: "hash" },
      routers: [lengthRouter({ weak: cheap, strong }), learnedRouter({ weak: cheap, strong, useWeakAnswer: true })],
    });
  });

  it("gives the figures of deciding every item at every threshold (quality, cost, strong share, paired sums)", () => {
    const modelIndex = new Map(result.matrix.models.map((m, k) => [m, k]));
    const reference = result.matrix.score[2]!;
    for (const id of ["length", "learned-cascade"]) {
      const e = result.evaluated.find((x) => x.router.id === id)!;
      const rank = e.rank!;
      // Every distinct rank, one below all and one above all, in shuffled grid order.
      const values = [...new Set(rank)].sort((a, b) => a - b);
      const thresholds = [values.at(-1)! + 1, ...values, values[0]! - 1]
        .reverse()
        .sort((a, b) => Math.sin(a) - Math.sin(b));
      const grid: RouterParams[] = thresholds.map((threshold) => ({ ...e.params, threshold }));
      const args = {
        router: e.router,
        phase: e.phase,
        matrix: result.matrix,
        grid,
        modelIndex,
        mask: result.split.calibration,
        strongIndex: 2,
        reference,
      };
      expect(sweepsByRank(args)).toBe(true);
      // Learned routers rank with cross-fitted predictions inside a calibration sweep.
      const byRank = duringCalibrationSweep(() => rankSweep(args));
      expect(sweepPoints(args).map((p) => p.quality)).toEqual(byRank.map((p) => p.quality));
      // The same router without the promise goes through the per-point fused loop.
      const fused = sweepPoints({ ...args, router: { ...e.router, decidesByRank: false } });
      expect(byRank).toHaveLength(grid.length);
      grid.forEach((_, g) => {
        expect(byRank[g]!.quality).toBeCloseTo(fused[g]!.quality, 12);
        expect(byRank[g]!.cost).toBeCloseTo(fused[g]!.cost, 12);
        expect(byRank[g]!.strongShare).toBeCloseTo(fused[g]!.strongShare!, 12);
        const [a, b] = [byRank[g]!.paired!, fused[g]!.paired!];
        expect([a.n, a.binary]).toEqual([b.n, b.binary]);
        for (const key of ["candidate", "reference", "both", "candidateSquares", "referenceSquares"] as const)
          expect(a[key]).toBeCloseTo(b[key], 9);
      });
    }
  });

  it("is used only for a router that promises rank-threshold decisions and a grid varying the threshold alone", () => {
    const e = result.evaluated.find((x) => x.router.id === "length")!;
    const modelIndex = new Map(result.matrix.models.map((m, k) => [m, k]));
    const base = {
      router: e.router,
      phase: e.phase,
      matrix: result.matrix,
      modelIndex,
      mask: result.split.calibration,
      strongIndex: 2,
    };
    const thresholds = [
      { ...e.params, threshold: 10 },
      { ...e.params, threshold: 50 },
    ];
    expect(sweepsByRank({ ...base, grid: thresholds })).toBe(true);
    expect(sweepsByRank({ ...base, grid: [thresholds[0]!, { ...thresholds[1]!, strong: "replay:mid" }] })).toBe(false);
    expect(sweepsByRank({ ...base, router: { ...e.router, decidesByRank: false }, grid: thresholds })).toBe(false);
  });
});
