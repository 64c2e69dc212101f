import type { CallStats } from "../../collect/call-stats.ts";
import { collectionFigures } from "../../collect/collection-figures.ts";
import type { ResolvedModel } from "../../collect/resolved-model.ts";
import type { ResolvedEval } from "../../config/load-eval.ts";
import { SUMMARY_SCHEMA_VERSION, type Summary } from "../../contracts/summary.ts";
import type { Item } from "../../core/types.ts";
import type { DatasetItems } from "../../datasets/dataset-items.ts";
import { forEachWithMetadata } from "../../datasets/file-items.ts";
import type { Dataset } from "../../datasets/load-dataset.ts";
import type { GateCode } from "../../gate/gate-code.ts";
import type { PriceBook } from "../../pricing/price-book.ts";
import { priceOverridesOf } from "../../pricing/price-flag.ts";
import { aiq, paretoFrontier, perItemOracle } from "../../stats/index.ts";
import type { EvalResult, EvaluatedRouter } from "../eval-result.ts";
import type { SelectContext } from "../fit/calibrate.ts";
import type { IncumbentGateResult } from "../gate/incumbent-gate.ts";
import type { AnswerMatrix } from "../matrix/answer-matrix.ts";
import { maskedValues } from "../matrix/masked.ts";
import type { RouterFailure } from "../matrix/router-failure.ts";
import type { SplitMasks } from "../matrix/split.ts";
import { adversarialItems } from "./adversarial.ts";
import { featureFigures, itemFeatures } from "./feature-figures.ts";
import { modelFigures } from "./model-figures.ts";
import { recommend, selectionFigures } from "./recommend.ts";
import { routerFigures, type TwoTierIndex } from "./router-figures.ts";

export function summarise(args: {
  config: ResolvedEval;
  dataset: Dataset;
  matrix: AnswerMatrix;
  models: Map<string, ResolvedModel>;
  evaluated: EvaluatedRouter[];
  split: SplitMasks;
  twoTier: TwoTierIndex | null;
  stats: CallStats;
  /** What the run spent on provider calls, and its --max-cost cap (null: none). */
  spend: { spentUsd: number; budgetUsd: number | null };
  prices: PriceBook;
  runId: string;
  scorerName: string;
  /** The pull-request gate against the incumbent (the committed production config), when declared. */
  incumbentGate?: IncumbentGateResult | null;
  gateReview?: { base: string; changed: string[] } | null;
  /** Who computes the verdict (with `--gate-base`, the base branch's code). */
  gateCode: GateCode;
  /** Routers whose own code threw. */
  routerFailures?: readonly RouterFailure[];
  /** Families that could not be built, and why. */
  skipped?: ReadonlyArray<{ family: string; reason: string }>;
  /** What the select rule compared with on calibration items. */
  selectContext?: SelectContext;
  /** Every operating point of every routing policy's sweep on the reporting items ($ per 1K, quality). */
  policyCurve?: ReadonlyArray<{ cost: number; quality: number }>;
}): EvalResult {
  const { config, matrix, split, twoTier } = args;
  const seed = split.seed || "routegate";
  const mask = split.reporting;
  const oracle = perItemOracle(
    matrix.score.map((s) => maskedValues(s, mask)),
    matrix.cost.map((c) => maskedValues(c, mask)),
  );
  const features = itemFeatures(matrix.items);
  const routers = args.evaluated.map((e) => ({
    ...routerFigures({
      id: e.router.id,
      params: e.params,
      heldOut: split.enabled,
      matrix,
      phase: e.phase,
      rank: e.rank,
      outcome: e.outcome,
      mask,
      twoTier,
      oracleQuality: oracle.quality,
      seed,
    }),
    features: featureFigures({ id: e.router.id, features, outcome: e.outcome, mask, seed }),
    ...selectionFigures({
      e,
      matrix,
      mask,
      select: config.select,
      reference: args.selectContext?.reference,
      calibrationItems: split.calibrationCount,
    }),
    ...(e.router.embedders?.length ? { embedders: [...e.router.embedders] } : {}),
  }));
  // The oracle reads the scores: an upper bound to read against, never a point of the frontier.
  const points = routers
    .filter((r) => !r.evaluationOnly)
    .map((r) => ({ id: r.id, cost: r.costPer1k, quality: r.quality.mean }));
  const singles = points.filter((p) => p.id.startsWith("always:"));
  const cMin = Math.min(...singles.map((p) => p.cost));
  const cMax = Math.max(...singles.map((p) => p.cost));
  const aiqOf = (pts: ReadonlyArray<{ cost: number; quality: number }>) => (cMax > cMin ? aiq(pts, cMin, cMax) : null);

  const warnings: string[] = [];
  // A simulated judge makes the run simulated too: its scores are the sim's.
  const simulated = config.models.some((m) => m.provider === "sim") || matrix.judge?.simulated === true;
  if (simulated)
    warnings.push(
      "SIMULATED: at least one model is the sim provider; no figure of this run is evidence about real models.",
    );
  // The sim draws right and wrong answers from a difficulty: the examples label it per item; on a
  // user's own data it falls back to input length, so its figures (even perfect or inverted tiers)
  // say nothing about the task.
  if (
    config.models.some((m) => m.provider === "sim") &&
    !someItemWithMetadata(matrix.items, (i) => i.metadata?.["difficulty"] !== undefined)
  )
    warnings.push(
      "sim has no notion of this task: no item sets metadata.difficulty, so the sim models' right and wrong answers follow input length alone; use recorded outcomes (replay:) or real models for figures about your data.",
    );
  matrix.models.forEach((id, k) => {
    if (matrix.answers[k]!.anyEstimated()) {
      warnings.push(
        `${id}: token usage estimated with a tokenizer (the recorded outcomes carry none); costs are estimates.`,
      );
    }
  });
  if (matrix.judge) warnings.push(...matrix.judge.warnings);
  for (const e of args.evaluated) {
    if (e.swept > 1)
      warnings.push(
        `${e.router.id}: ${e.rule}, chosen on ${split.calibrationCount} calibration items among ${e.swept} parameter sets.`,
      );
  }

  const overrides = priceOverridesOf(args.prices);
  const partial: Omit<Summary, "gate"> = {
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    eval: config.name,
    runId: args.runId,
    createdAt: new Date().toISOString(),
    simulated,
    dataset: { name: args.dataset.name, items: args.dataset.items.length, hash: args.dataset.hash },
    split: {
      seed: split.seed,
      heldOutFraction: split.heldOutFraction,
      calibration: split.calibrationCount,
      heldOut: split.enabled ? split.heldOutCount : 0,
      ...(split.trainCount ? { train: split.trainCount } : {}),
    },
    priceTable: {
      version: args.prices.version,
      date: args.prices.date,
      ...(overrides.length ? { overrides } : {}),
    },
    scorer: args.scorerName,
    twoTier: config.weak && config.strong ? { weak: config.weak, strong: config.strong } : null,
    models: matrix.models.map((id, k) => modelFigures(matrix, k, args.models.get(id)!, seed, split.train)),
    routers,
    oracle: { quality: oracle.quality, costPer1k: 1000 * oracle.meanCost },
    frontier: paretoFrontier(points).map((p) => p.id),
    aiq: {
      routers: aiqOf(points),
      models: aiqOf(singles),
      ...(args.policyCurve?.length ? { policies: aiqOf([...args.policyCurve]) } : {}),
    },
    collection: collectionFigures(args.stats, args.spend),
    judge: matrix.judge?.summary ?? null,
    warnings,
  };
  const declared = args.gateCode.evaluateGates(config.gates, routers);
  const bg = args.incumbentGate;
  if (bg) partial.warnings.push(...bg.warnings);
  const checks = [...declared.checks, ...(bg?.checks ?? [])];
  const passed = args.gateCode.verdict(checks);
  const gate = {
    passed,
    verdict: checks.length === 0 ? ("no-gates" as const) : passed ? ("passed" as const) : ("blocked" as const),
    checks,
    // `baseline` is the deprecated first name of `incumbent`, kept for existing readers.
    ...(bg ? { incumbent: bg.incumbent, baseline: bg.incumbent } : {}),
    ...(args.gateReview ? { inputsFrom: args.gateReview.base, reviewRequired: args.gateReview.changed } : {}),
    ...(args.gateReview ? { codeFrom: args.gateCode.from } : {}),
  };
  const adversarial = adversarialItems({ matrix, evaluated: args.evaluated, split });
  const recommendation = args.selectContext ? recommend(args.evaluated, config.select, args.selectContext) : undefined;
  const failures = (args.routerFailures ?? []).map((f) => ({
    router: f.router,
    step: f.step,
    itemId: f.itemId,
    error: f.error,
    location: f.location,
  }));
  for (const f of failures)
    partial.warnings.push(
      `router ${f.router} FAILED in ${f.step}${f.itemId !== null ? ` on item ${f.itemId}` : ""}: ${f.error}${f.location ? ` (at ${f.location})` : ""}`,
    );
  for (const s of args.skipped ?? []) partial.warnings.push(`router family ${s.family} skipped: ${s.reason}.`);
  return {
    summary: {
      ...partial,
      gate,
      ...(adversarial.length ? { adversarial } : {}),
      ...(recommendation ? { recommendation } : {}),
      ...(failures.length ? { routerFailures: failures } : {}),
      ...(args.skipped?.length ? { skippedRouters: [...args.skipped] } : {}),
    },
    matrix,
    evaluated: args.evaluated,
    split,
  };
}

/** Whether any item with metadata passes `test` (those without are not read again). */
function someItemWithMetadata(items: DatasetItems, test: (item: Item) => boolean): boolean {
  let found = false;
  forEachWithMetadata(items, (item) => {
    found ||= test(item);
  });
  return found;
}
