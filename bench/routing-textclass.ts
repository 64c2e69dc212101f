import { runImported } from "../devkit/importers/run-imported.ts";
import { importTextClass } from "../devkit/importers/textclass.ts";
import type { RouterSummary } from "../src/contracts/summary.ts";
import { maskedMean, maskedValues } from "../src/evaluate/matrix/masked.ts";
import { cheapModels, FAMILY_NAMES } from "../src/routing/index.ts";
import { newcombePairedInterval, pairedTable } from "../src/stats/index.ts";
import { pinnedPricing, TEXTCLASS_PRICES } from "./textclass-prices.ts";

/** The naive baseline every policy is also compared with. */
const NAIVE = "replay:gpt-4o-2024-05-13";
const MARGIN = 0.01;

/**
 * One TextClass task, as a user's unseen task would be run: `routegate eval --dataset ... --models
 * ... --scorer label --non-inferior-to best --margin 0.01` with no router named, i.e. every built-in
 * family, each built by fixed rules from calibration figures, each operating point the cheapest
 * non-inferior to the best single model on calibration items, and the recommended policy chosen
 * across them on cross-fitted calibration figures. Nothing here is specific to the task. Then the
 * recommended policy is measured on held-out items against the best single model (Newcombe, 1-point
 * margin), at the prices fixed in textclass-prices.ts.
 */
export async function benchTextClassTask(dir: string, task: string, opts: { seed?: string; storePath?: string } = {}) {
  const bench = importTextClass(dir, task);
  bench.models = bench.models.map((m) => ({ ...m, pricing: pinnedPricing(m.model) }));
  const seed = opts.seed ?? "routegate";
  const result = await runImported(
    bench,
    {
      name: `bench-${task}`,
      scorer: { type: "label", labels: bench.labels },
      families: [...FAMILY_NAMES],
      select: { nonInferiorTo: "best", margin: MARGIN },
      split: { heldOutFraction: 0.5, seed },
    },
    opts.storePath ? { storePath: opts.storePath } : {},
  );
  const { matrix, split, summary } = result;
  const { calibration: cal, heldOut: ho } = split;
  const k = (id: string) => matrix.models.indexOf(id);
  const reference = summary.routers.find((r) => r.nonInferiority)!.nonInferiority!.reference;
  const bestHo = maskedValues(matrix.score[k(reference)]!, ho);
  const bestCost = 1000 * maskedMean(matrix.cost[k(reference)]!, ho);
  const naiveK = k(NAIVE);
  const facts = {
    models: matrix.models,
    quality: matrix.score.map((s) => maskedMean(s, cal)),
    cost: matrix.cost.map((c) => maskedMean(c, cal)),
  };
  const policy = (r: RouterSummary) => {
    const e = result.evaluated.find((x) => x.router.id === r.id)!;
    const q = maskedValues(e.outcome.quality, ho);
    const naive = naiveK >= 0 ? newcombePairedInterval(pairedTable(maskedValues(matrix.score[naiveK]!, ho), q)) : null;
    const vsBest = newcombePairedInterval(pairedTable(bestHo, q));
    return {
      id: r.id,
      params: Object.fromEntries(
        Object.entries(r.params).filter(([, v]) => !Array.isArray(v) && !(typeof v === "string" && v.length > 80)),
      ),
      calibration: {
        quality: r.calibration!.quality,
        costPer1k: r.calibration!.costPer1k,
        lower: r.calibration!.nonInferiorityLower,
        nonInferior: (r.calibration!.nonInferiorityLower ?? -1) > -MARGIN,
        crossFitted: r.calibration!.crossFitted ?? null,
      },
      quality: r.quality.mean,
      costPer1k: r.costPer1k,
      costRatio: r.costPer1k / bestCost,
      vsBest: { delta: vsBest.delta, lower: vsBest.lower, nonInferior: vsBest.lower > -MARGIN },
      vsGpt4o: naive && {
        delta: naive.delta,
        lower: naive.lower,
        nonInferior: naive.lower > -MARGIN,
        costRatio: r.costPer1k / (1000 * maskedMean(matrix.cost[naiveK]!, ho)),
      },
      ...(r.evaluationOnly ? { evaluationOnly: true } : {}),
    };
  };
  const policies = summary.routers.filter((r) => !r.id.startsWith("always:")).map(policy);
  const chosenId = summary.recommendation!.router;
  const chosen = chosenId.startsWith("always:")
    ? policy(summary.routers.find((r) => r.id === chosenId)!)
    : policies.find((p) => p.id === chosenId)!;
  // "A model under half the best's price exists": judged on calibration cost per item.
  const halfApplies = matrix.models.some(
    (id) => maskedMean(matrix.cost[k(id)]!, cal) < maskedMean(matrix.cost[k(reference)]!, cal) / 2,
  );
  // AIQ of the routing policies alone (no single model, no oracle) against the single models alone.
  // AIQ of the routing policies alone, RouterBench's way: every operating point of each router's
  // sweep on held-out items (summary.aiq.policies), against the single models alone.
  const aiqPolicies = summary.aiq.policies ?? Number.NaN;
  const aiqSingles = summary.aiq.models ?? Number.NaN;
  const nonInferior = chosen.vsBest.nonInferior;
  const knn = policies.find((p) => p.id === "knn") ?? null;
  return {
    task,
    seed,
    items: summary.dataset.items,
    heldOut: summary.split.heldOut,
    bestSingle: {
      id: reference,
      calibrationQuality: maskedMean(matrix.score[k(reference)]!, cal),
      quality: maskedMean(matrix.score[k(reference)]!, ho),
      costPer1k: bestCost,
    },
    probes: cheapModels(facts)
      .slice(0, 2)
      .map((i) => matrix.models[i]!),
    chosen: chosenId,
    chosenRule: summary.recommendation!.rule,
    chosenFigures: { quality: chosen.quality, costRatio: chosen.costRatio, vsBest: chosen.vsBest },
    goals: {
      nonInferior,
      costRatio: chosen.costRatio,
      nonInferiorAtBestCost: nonInferior && chosen.costRatio <= 1 + 1e-12,
      nonInferiorAndCheaper: nonInferior && chosen.costRatio < 1,
      halfCostApplies: halfApplies,
      atHalfCost: nonInferior && chosen.costRatio <= 0.5,
      met: nonInferior && (halfApplies ? chosen.costRatio < 1 : chosen.costRatio <= 1 + 1e-12),
      aiqAboveSingles: aiqPolicies > aiqSingles,
    },
    aiq: { policies: aiqPolicies, models: aiqSingles, routers: summary.aiq.routers },
    oracle: summary.oracle,
    policies,
    knn,
    skipped: summary.skippedRouters ?? [],
    flags: matrix.models
      .filter((id) => TEXTCLASS_PRICES[id.replace(/^replay:/, "")]?.lowerBound)
      .map((id) => `${id}: reasoning tokens not recorded; its cost is a lower bound`),
  };
}
