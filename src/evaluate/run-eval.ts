import { collectByBatch, DEFAULT_BATCH_POLL_MS } from "../collect/batch-collector.ts";
import { Budget } from "../collect/budget.ts";
import { budgetRunError, settleOnStop } from "../collect/budget-stop.ts";
import { CallGuard, DEFAULT_TIMEOUT_MS } from "../collect/call-guard.ts";
import { CallStats } from "../collect/call-stats.ts";
import { type Clock, realClock } from "../collect/clock.ts";
import { ProviderLanes } from "../collect/lanes.ts";
import type { Progress } from "../collect/progress.ts";
import type { LimitsByProvider } from "../collect/provider-limits.ts";
import { type ClaimTiming, RequestClaims } from "../collect/request-claims.ts";
import { DEFAULT_RETRY, type RetryPolicy } from "../collect/retry.ts";
import { StoreCaller } from "../collect/store-caller.ts";
import type { ResolvedEval } from "../config/load-eval.ts";
import { RunError } from "../core/errors.ts";
import type { ChatRequest, Expected, Item } from "../core/types.ts";
import type { DatasetItems } from "../datasets/dataset-items.ts";
import type { Dataset } from "../datasets/load-dataset.ts";
import { type GateCode, ownGateCode } from "../gate/gate-code.ts";
import type { PriceBook } from "../pricing/price-book.ts";
import type { ProviderRegistry } from "../providers/registry.ts";
import { alwaysRouter } from "../routing/builtin/always.ts";
import type { AnyRouter } from "../routing/router.ts";
import { scorerName } from "../scoring/index.ts";
import type { OutcomeStore } from "../store/outcome-store.ts";
import type { EvalResult, EvaluatedRouter } from "./eval-result.ts";
import { calibrationHalves, crossFittedPoint } from "./fit/cross-fit.ts";
import { evaluateRouter } from "./fit/evaluate-router.ts";
import { familiesForRun } from "./fit/run-families.ts";
import { selectContext } from "./fit/select-context.ts";
import { sweepPoints } from "./fit/sweep.ts";
import { evaluateIncumbentGate } from "./gate/incumbent-gate.ts";
import { collectAnswers } from "./matrix/answer-matrix.ts";
import { RouterFailure } from "./matrix/router-failure.ts";
import { runScorePhases, scoresNothing } from "./matrix/score-phase.ts";
import { splitBuilder, withoutItems } from "./matrix/split.ts";
import { priceMeasuredModels } from "./models/measured-pricing.ts";
import { resolveEmbedders } from "./models/resolve-models.ts";
import { type PreparedEval, prepareEval } from "./prepare-eval.ts";
import { injectionFigures } from "./summary/injection-figures.ts";
import { summarise } from "./summary/summarise.ts";

export interface RunEvalOptions {
  store: OutcomeStore;
  registry: ProviderRegistry;
  prices: PriceBook;
  runId: string;
  offline: boolean;
  /** Provider calls in flight at once, over all providers. */
  concurrency: number;
  progress: (label: string) => Progress;
  /** Retry policy; what is left out keeps DEFAULT_RETRY's value. */
  retry?: Partial<RetryPolicy>;
  /** Per-attempt timeout (default DEFAULT_TIMEOUT_MS; 0: none). */
  timeoutMs?: number;
  /** Spending cap in USD for this run's provider calls (`--max-cost`); null or absent: none. */
  maxCostUsd?: number | null;
  /** A budget shared by several runs (one `routegate eval` command); replaces maxCostUsd. */
  budget?: Budget;
  /** Per-provider concurrency and RPM/TPM limits, by provider id ("*": every provider). */
  limits?: LimitsByProvider;
  /** Time for backoff and rate limits (tests pass a FakeClock). */
  clock?: Clock;
  /** Programmatic runs (importers of public records, benchmarks) may pass items already in memory. */
  dataset?: Dataset;
  /** ...and a request renderer instead of template files. */
  render?: (item: Item) => ChatRequest;
  /**
   * Collect the answer matrix's missing outcomes of openai, anthropic and google models through
   * their batch APIs (half price), one batch per model; other providers stay synchronous.
   */
  batch?: boolean;
  /** How often a batch is polled (default DEFAULT_BATCH_POLL_MS). */
  batchPollMs?: number;
  /** Collect every stored failure again (`--retry-failed`), not only those likely to pass now. */
  retryFailed?: boolean;
  /** Claims on requests in flight, shared by processes using the same store (tests shorten them). */
  claimTiming?: ClaimTiming;
  /** The run's inputs, already checked by prepareEval (the CLI checks every eval before opening the store). */
  prepared?: PreparedEval;
  /** Set when the gate's inputs were read from a base branch: the ref and what the change altered. */
  gateReview?: { base: string; changed: string[] };
  /** A declared gate without a usable incumbent (committed production config) passes, with a warning. */
  allowMissingIncumbent?: boolean;
  /** The code that computes the verdict: the base branch's with `--gate-base` (default: this checkout's). */
  gateCode?: GateCode;
}

/**
 * One eval, end to end: collect (or replay) every candidate's answers, run each router's score
 * step, calibrate its parameters on the calibration split, and measure it on the held-out split.
 */
export async function runEval(config: ResolvedEval, opts: RunEvalOptions): Promise<EvalResult> {
  const { dataset, scorer, render, models, scrubber } = opts.prepared ?? prepareEval(config, opts);
  let answerSpace: Expected[] | undefined;
  const stats = new CallStats();
  const clock = opts.clock ?? realClock;
  const budget = opts.budget ?? new Budget(opts.maxCostUsd ?? null);
  const spentBefore = budget.spentUsd;
  const guard = new CallGuard({
    lanes: new ProviderLanes(opts.concurrency, opts.limits ?? {}, clock),
    budget,
    retry: { ...DEFAULT_RETRY, ...opts.retry },
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    clock,
    stats,
    models: [...models.values()],
  });
  const claims = new RequestClaims(opts.store, opts.claimTiming);
  const caller = new StoreCaller({
    store: opts.store,
    models,
    guard,
    stats,
    offline: opts.offline,
    answerSpace: () => {
      answerSpace ??= distinctExpected(dataset.items);
      return answerSpace;
    },
    scrubber,
    retryFailed: opts.retryFailed ?? false,
    claims,
  });

  const modelIds = config.models.map((m) => m.id);
  // Whatever stops the run (the budget, a failure), calls in flight finish and are stored first.
  // Offline answers held for a block's transaction are written when the run ends, or when a phase
  // fails: the writer thread's last commits go on while the routers are scored and summarised,
  // instead of being waited for between phases (they cost nothing to collect again if lost).
  const settling = <T>(run: () => Promise<T>) =>
    settleOnStop(run, caller, (stop) => budgetRunError(config.name, stop, budget, stats));
  let result: EvalResult;
  try {
    if (opts.batch && !opts.offline) {
      // Batch calls bypass the call guard, so a cap could not be enforced before the money is spent.
      if (budget.capUsd !== null)
        throw new RunError(`eval ${config.name}: batch mode cannot enforce a spending cap yet`);
      await collectByBatch({
        store: opts.store,
        caller,
        items: dataset.items,
        models: modelIds,
        render,
        pollMs: opts.batchPollMs ?? DEFAULT_BATCH_POLL_MS,
        clock,
        claims,
      });
    }
    // The split is drawn as collection reads the items: a dataset file is not read again for it.
    const splitting = splitBuilder(dataset.items.length, config.split);
    const matrix = await settling(() =>
      collectAnswers(
        caller,
        dataset.items,
        modelIds,
        render,
        scorer,
        opts.progress(`collect ${config.name}`),
        scorer.kind === "judge" ? opts.progress(`judge ${config.name}`) : undefined,
        // Self-hosted models without a configured throughput are priced from these answers, before costing.
        (answers) => {
          failOnMissing(stats, config.name);
          priceMeasuredModels(answers, modelIds, models, config, opts.prices, opts.concurrency);
        },
        splitting.reads ? splitting.add : undefined,
      ),
    );
    failOnMissing(stats, config.name);

    const fullSplit = splitting.done();
    // judge.onInjection "exclude": items whose own texts talk to the judge leave every policy's figures.
    const drop = matrix.judge?.onInjection === "exclude" ? matrix.judge.injectionExcludable : undefined;
    const split = drop?.some((v) => v === 1) ? withoutItems(fullSplit, drop) : fullSplit;
    const modelIndex = new Map(modelIds.map((id, k) => [id, k]));
    const twoTier =
      config.weak && config.strong
        ? { weak: modelIndex.get(config.weak)!, strong: modelIndex.get(config.strong)! }
        : null;
    const { context, reference } = selectContext(config.select, matrix, split.calibration, config.source);

    const families = familiesForRun({ config, matrix, calibration: split.calibration, models, offline: opts.offline });
    const skipped: Array<{ family: string; reason: string }> = [...families.skipped];
    const taken = new Set([...modelIds.map((id) => `always:${id}`), ...config.routers.map((r) => r.id)]);
    const familyRouters = families.routers.filter((r) => {
      if (!taken.has(r.id)) return true;
      skipped.push({ family: r.id, reason: `the eval already has a router with id "${r.id}"` });
      return false;
    });
    // The single-model baselines score every item null and call nothing: their score step reads no item.
    const singles = modelIds.map((id) => scoresNothing(alwaysRouter(id)));
    const routers: AnyRouter[] = [...singles, ...config.routers, ...familyRouters];
    resolveEmbedders(routers, models, opts, config.source);
    const evaluated: EvaluatedRouter[] = [];
    const failures: RouterFailure[] = [];
    const run = {
      matrix,
      caller,
      calibration: split.calibration,
      modelIndex,
      strongIndex: twoTier?.strong ?? null,
      select: config.select,
      context,
      ...(reference ? { reference } : {}),
    };
    // Every router's score step in one pass over the items, then each router's fit, sweep and choice.
    const phases = await settling(() => runScorePhases(routers, matrix, caller));
    for (const [r, router] of routers.entries()) {
      try {
        const phase = phases[r]!;
        if (phase instanceof RouterFailure) throw phase;
        const e = await settling(() => evaluateRouter(router, run, phase));
        if (families.evaluationOnly.includes(router.id) && familyRouters.includes(router)) e.evaluationOnly = true;
        evaluated.push(e);
      } catch (err) {
        // A router whose own code threw fails alone: the others are evaluated and reported.
        if (!(err instanceof RouterFailure)) throw err;
        failures.push(err);
      }
      failOnMissing(stats, config.name);
    }
    // Every operating point each routing policy reaches on the reporting items: its AIQ curve.
    const policyCurve = evaluated
      .filter((e) => !e.evaluationOnly && !e.router.id.startsWith("always:"))
      .flatMap((e) =>
        sweepPoints({ ...run, router: e.router, phase: e.phase, grid: e.grid, mask: split.reporting }).map((p) => ({
          cost: 1000 * p.cost,
          quality: p.quality,
        })),
      );
    // The recommendation compares policies on cross-fitted calibration figures (cross-fit.ts).
    if (split.enabled) {
      const halves = calibrationHalves(split.half!, split.calibration);
      for (const e of evaluated) if (!e.evaluationOnly) e.crossFitted = crossFittedPoint(e, run, halves);
    }

    const incumbentGate = config.gate
      ? await settling(() =>
          evaluateIncumbentGate({
            spec: config.gate!,
            evalName: config.name,
            source: config.source,
            matrix,
            evaluated,
            routers,
            split,
            caller,
            allowMissingIncumbent: opts.allowMissingIncumbent ?? false,
            gateCode: opts.gateCode ?? ownGateCode,
          }),
        )
      : null;
    failOnMissing(stats, config.name);
    if (matrix.judge?.summary.injection) {
      const excluded: string[] = [];
      drop?.forEach((v, i) => {
        if (v) excluded.push(dataset.items.at(i)!.id);
      });
      matrix.judge.summary.injection = injectionFigures(matrix.judge, evaluated, fullSplit.reporting, excluded);
    }

    result = summarise({
      incumbentGate,
      gateReview: opts.gateReview ?? null,
      gateCode: opts.gateCode ?? ownGateCode,
      config,
      dataset,
      matrix,
      models,
      evaluated,
      split,
      twoTier,
      stats,
      spend: { spentUsd: budget.spentUsd - spentBefore, budgetUsd: budget.capUsd },
      prices: opts.prices,
      runId: opts.runId,
      scorerName: scorerName(config.scorer as Parameters<typeof scorerName>[0]),
      routerFailures: failures,
      policyCurve,
      skipped,
      selectContext: context,
    });
  } catch (err) {
    // A run that fails keeps what it collected: the offline answers it holds are committed first
    // (the run's own error is the one reported).
    try {
      caller.flush();
    } catch {}
    throw err;
  }
  caller.flush();
  return result;
}

function failOnMissing(stats: CallStats, evalName: string): void {
  if (stats.missing.length === 0) return;
  throw new RunError(
    `eval ${evalName}: ${stats.missing.length} outcome(s) are missing and this run cannot collect them (offline or replay). Collect them with a live run, or add them to the recorded-outcomes file.`,
    stats.missing,
  );
}

function distinctExpected(items: DatasetItems): Expected[] {
  const seen = new Map<string, Expected>();
  items.forEach(({ expected }) => {
    if (expected !== undefined) seen.set(JSON.stringify(expected), expected);
  });
  return [...seen.values()];
}
