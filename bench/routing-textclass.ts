import { runImported } from "../devkit/importers/run-imported.ts";
import { importTextClass } from "../devkit/importers/textclass.ts";
import type { EvalResult, EvaluatedRouter } from "../src/evaluate/eval-result.ts";
import { thresholdsFromRanks } from "../src/evaluate/fit/calibrate.ts";
import { decideAll } from "../src/evaluate/matrix/decide-all.ts";
import { evaluateChoices, type PolicyOutcome } from "../src/evaluate/matrix/policy-outcome.ts";
import type { RouterParams } from "../src/routing/index.ts";
import { agreementWith, cascadeRouter, qualityCostRouter } from "../src/routing/index.ts";
import { duringCalibrationSweep } from "../src/routing/learn/cross-fitted.ts";
import { newcombePairedInterval, pairedTable } from "../src/stats/index.ts";

/** The naive baseline the issue asks every policy to be compared with. */
const NAIVE = "replay:gpt-4o-2024-05-13";
/** Models whose recorded outcomes lack reasoning tokens: their cost is a lower bound. */
const REASONING_UNRECORDED = /o1|o3|o4|reasoner|r1/i;
const MARGIN = 0.01;

type Mask = Uint8Array;
const meanOver = (v: ArrayLike<number>, mask: Mask) => {
  let s = 0;
  let n = 0;
  for (let i = 0; i < mask.length; i++)
    if (mask[i]) {
      s += v[i]!;
      n++;
    }
  return n ? s / n : Number.NaN;
};
const picked = (v: ArrayLike<number>, mask: Mask) => Array.from(v).filter((_, i) => mask[i]);

/**
 * One TextClass task. Nothing here is specific to the task: the best single model and the probes
 * are chosen from calibration figures by fixed rules, the routers are generic, and every choice is
 * made on calibration items. Each router's operating point is the cheapest one that is
 * non-inferior to the best single model on calibration (Newcombe's paired interval, 1-point
 * margin: the same test the goal applies on held-out); among routers, the cheapest such policy
 * is reported. Then it is measured on held-out items against the best single model.
 */
export async function benchTextClassTask(dir: string, task: string) {
  const bench = importTextClass(dir, task);
  const base = {
    name: `bench-${task}`,
    scorer: { type: "label", labels: bench.labels },
    // A policy must match the best single model on calibration, not merely come close.
    select: { minQualityRatio: 1 },
  } as const;
  const singles = await runImported(bench, base);
  const cal = singles.split.calibration;
  const m = singles.matrix;
  const calStats = m.models.map((id, k) => ({ id, q: meanOver(m.score[k]!, cal), c: meanOver(m.cost[k]!, cal) }));
  const best = [...calStats].sort((a, b) => b.q - a.q || a.c - b.c)[0]!;
  // Probes: the two most accurate models on calibration among those at half the best's cost or less.
  const probes = calStats
    .filter((s) => s.c <= best.c / 2)
    .sort((a, b) => b.q - a.q || a.c - b.c)
    .slice(0, 2)
    .map((s) => s.id);
  const models = m.models;
  const routers = [
    qualityCostRouter({ models, predictor: "means", id: "quality-cost-means" }),
    qualityCostRouter({ models, id: "quality-cost-learned" }),
    ...(probes.length === 2
      ? [
          qualityCostRouter({ models, probes, id: "quality-cost-probed" }),
          cascadeRouter({
            models: [probes[0]!, best.id],
            sources: [agreementWith(probes[1]!)],
            id: "agreement-cascade",
          }),
        ]
      : []),
  ];
  const result = await runImported(bench, { ...base, routers });
  return report(task, result, best, probes);
}

function report(task: string, result: EvalResult, best: { id: string; q: number; c: number }, probes: string[]) {
  const { matrix, split, summary, evaluated } = result;
  const { calibration: cal, heldOut: ho } = split;
  const k = (id: string) => matrix.models.indexOf(id);
  const bestHo = picked(matrix.score[k(best.id)]!, ho);
  const bestCost = 1000 * meanOver(matrix.cost[k(best.id)]!, ho);
  const naiveK = k(NAIVE);
  const bestCal = picked(matrix.score[k(best.id)]!, cal);
  const policies = evaluated
    .filter((e) => !e.router.id.startsWith("always:"))
    .map((e) => ({ ...e, ...nonInferiorPoint(result, e, bestCal) }))
    .map((e) => {
      const q = picked(e.outcome.quality, ho);
      const vsBest = newcombePairedInterval(pairedTable(bestHo, q));
      const vsNaive = naiveK >= 0 ? newcombePairedInterval(pairedTable(picked(matrix.score[naiveK]!, ho), q)) : null;
      const cost = 1000 * meanOver(e.outcome.cost, ho);
      return {
        id: e.router.id,
        params: Object.fromEntries(Object.entries(e.params).filter(([, v]) => !Array.isArray(v))),
        calibration: { ...e.calibration, nonInferior: e.calibration.lower > -MARGIN },
        quality: meanOver(e.outcome.quality, ho),
        costPer1k: cost,
        costRatio: cost / bestCost,
        vsBest: { delta: vsBest.delta, lower: vsBest.lower, nonInferior: vsBest.lower > -MARGIN },
        vsGpt4o: vsNaive && {
          delta: vsNaive.delta,
          lower: vsNaive.lower,
          nonInferior: vsNaive.lower > -MARGIN,
          costRatio: cost / (1000 * meanOver(matrix.cost[naiveK]!, ho)),
        },
      };
    });
  // The policy is chosen on calibration: the cheapest non-inferior there (else the best quality).
  const reaching = policies.filter((p) => p.calibration.nonInferior);
  const chosen = (reaching.length ? reaching : policies).sort((a, b) =>
    reaching.length ? a.calibration.costPer1k - b.calibration.costPer1k : b.calibration.quality - a.calibration.quality,
  )[0]!;
  // "A model under half the best's price exists": judged on calibration cost per item.
  const halfApplies = matrix.models.some((id) => meanOver(matrix.cost[k(id)]!, cal) < best.c / 2);
  const lowerBound = matrix.models.filter((id) => REASONING_UNRECORDED.test(id));
  return {
    task,
    items: summary.dataset.items,
    heldOut: summary.split.heldOut,
    bestSingle: {
      id: best.id,
      calibrationQuality: best.q,
      quality: meanOver(matrix.score[k(best.id)]!, ho),
      costPer1k: bestCost,
    },
    probes,
    chosen: chosen.id,
    goals: {
      nonInferiorAndCheaper: chosen.vsBest.nonInferior && chosen.costRatio < 1,
      halfCostApplies: halfApplies,
      atHalfCost: chosen.vsBest.nonInferior && chosen.costRatio <= 0.5,
      aiqAboveSingles: (summary.aiq.routers ?? 0) > (summary.aiq.models ?? 0),
    },
    aiq: summary.aiq,
    oracle: summary.oracle,
    policies,
    flags: lowerBound.map((id) => `${id}: reasoning tokens not recorded; its cost is a lower bound`),
  };
}

/**
 * Re-runs a router's sweep (its grid, or thresholds read off its calibration ranks) on calibration
 * items, with learned routers answering by cross-fitted predictions as in the engine's sweep, and
 * picks the cheapest point non-inferior to the best single model there; when none is, the point
 * with the highest lower bound. Returns that point's plain outcome (what production would do) and
 * its calibration figures.
 */
function nonInferiorPoint(
  result: EvalResult,
  e: EvaluatedRouter,
  bestCal: number[],
): {
  params: RouterParams;
  outcome: PolicyOutcome;
  calibration: { quality: number; costPer1k: number; lower: number };
} {
  const { matrix, split } = result;
  const cal = split.calibration;
  const modelIndex = new Map(matrix.models.map((id, k) => [id, k]));
  const grid: RouterParams[] = e.router.grid?.length
    ? e.router.grid.map((p: Partial<RouterParams>) => ({ ...e.params, ...p }) as RouterParams)
    : e.rank && typeof e.params["threshold"] === "number"
      ? thresholdsFromRanks(e.rank, cal).map((threshold) => ({ ...e.params, threshold }))
      : [e.params];
  const replay = (params: RouterParams) =>
    evaluateChoices(matrix, e.phase, decideAll(e.router, e.phase, params, modelIndex));
  const points = grid.map((params) => {
    const outcome = duringCalibrationSweep(() => replay(params));
    return {
      params,
      quality: meanOver(outcome.quality, cal),
      costPer1k: 1000 * meanOver(outcome.cost, cal),
      lower: newcombePairedInterval(pairedTable(bestCal, picked(outcome.quality, cal))).lower,
    };
  });
  const passing = points.filter((p) => p.lower > -MARGIN).sort((a, b) => a.costPer1k - b.costPer1k);
  const chosen = passing[0] ?? [...points].sort((a, b) => b.lower - a.lower)[0]!;
  const { params, ...calibration } = chosen;
  return { params, outcome: replay(params), calibration };
}
