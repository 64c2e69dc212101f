import { fileURLToPath } from "node:url";
import { importGsm8k } from "../devkit/importers/gsm8k.ts";
import { runImported } from "../devkit/importers/run-imported.ts";
import { sweepPoints } from "../src/evaluate/fit/sweep.ts";
import { lengthRouter } from "../src/routing/index.ts";

/**
 * Sweep speed: how many (item, parameter) decisions per second the engine's calibration sweep
 * (`sweepPoints`, what `runEval` runs: the router's decide, batched where the router offers it,
 * and the policy's quality, cost and strong-share accounting) replays, against a plain loop that
 * only compares a typed array of ranks with the threshold, measured in the same process.
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
  const engine = time(() => {
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
    for (const p of points) q += p.quality;
    return q;
  });
  const strong = matrix.score[1]!;
  const weak = matrix.score[0]!;
  const plain = time(() => {
    let q = 0;
    for (const threshold of thresholds) for (let i = 0; i < n; i++) q += rank[i]! >= threshold ? strong[i]! : weak[i]!;
    return q;
  });
  return {
    items: n,
    thresholds: thresholds.length,
    decisionsPerSec: engine,
    plainLoopPerSec: plain,
    ratio: engine / plain,
  };
}
