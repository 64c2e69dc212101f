import { fileURLToPath } from "node:url";
import { importGsm8k } from "../devkit/importers/gsm8k.ts";
import { runImported } from "../devkit/importers/run-imported.ts";
import { sweepPoints } from "../src/evaluate/fit/sweep.ts";
import { lengthRouter } from "../src/routing/index.ts";

/**
 * Sweep speed: how many (item, threshold) decisions per second the engine's calibration sweep
 * (`sweepPoints`, what `runEval` runs: a threshold router is swept in one pass over its items
 * sorted by rank, with the policy's quality, cost and strong-share accounting) replays, against a
 * plain typed-array loop doing the same work in the same process: sort the items by rank, then
 * walk the thresholds in order keeping running sums of quality and cost.
 */
export async function benchSweep(): Promise<{
  items: number;
  thresholds: number;
  decisionsPerSec: number;
  plainLoopPerSec: number;
  ratio: number;
}> {
  const dir = fileURLToPath(new URL("../../shared/data/routellm_gsm8k", import.meta.url));
  const bench = importGsm8k(dir);
  const router = lengthRouter({ weak: bench.weak, strong: bench.strong });
  const result = await runImported(bench, {
    name: "bench",
    weak: bench.weak,
    strong: bench.strong,
    scorer: { type: "numeric", routellmCompat: true },
    routers: [router],
    split: false,
  });
  const evaluated = result.evaluated.find((e) => e.router.id === "length")!;
  const { matrix } = result;
  const modelIndex = new Map(matrix.models.map((m, k) => [m, k]));
  const rank = evaluated.rank!;
  const thresholds = Array.from(new Set(rank)).sort((a, b) => a - b);
  const n = rank.length;

  const time = (fn: () => number) => {
    fn(); // warm up
    let reps = 0;
    let sink = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0;
    while (elapsed < 1.5) {
      sink += fn();
      reps++;
      elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    }
    if (sink === Number.MIN_VALUE) console.log(sink);
    return (reps * thresholds.length * n) / elapsed;
  };

  const grid = thresholds.map((threshold) => ({ ...router.params, threshold }));
  const all = new Uint8Array(n).fill(1);
  const engine = () => {
    const points = sweepPoints({
      router,
      phase: evaluated.phase,
      matrix,
      grid,
      modelIndex,
      mask: all,
      strongIndex: 1,
    });
    let q = 0;
    for (const p of points) q += p.quality + p.cost;
    return q;
  };
  const [weakScore, strongScore] = [matrix.score[0]!, matrix.score[1]!];
  const [weakCost, strongCost] = [matrix.cost[0]!, matrix.cost[1]!];
  const sortedThresholds = Float64Array.from(thresholds);
  const plain = () => {
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => rank[a]! - rank[b]!);
    let quality = 0;
    let cost = 0;
    for (let i = 0; i < n; i++) {
      quality += strongScore[i]!;
      cost += strongCost[i]!;
    }
    let sink = 0;
    let p = 0;
    for (let t = 0; t < sortedThresholds.length; t++) {
      const threshold = sortedThresholds[t]!;
      while (p < n && rank[order[p]!]! < threshold) {
        const i = order[p]!;
        quality += weakScore[i]! - strongScore[i]!;
        cost += weakCost[i]! - strongCost[i]!;
        p++;
      }
      sink += quality / n + cost / n;
    }
    return sink;
  };
  // Interleaved rounds, best of three each: the machine is shared, so neither side gets a quiet spell alone.
  let engineRate = 0;
  let plainRate = 0;
  for (let round = 0; round < 3; round++) {
    engineRate = Math.max(engineRate, time(engine));
    plainRate = Math.max(plainRate, time(plain));
  }
  return {
    items: n,
    thresholds: thresholds.length,
    decisionsPerSec: engineRate,
    plainLoopPerSec: plainRate,
    ratio: engineRate / plainRate,
  };
}
