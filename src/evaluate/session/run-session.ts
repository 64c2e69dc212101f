import { Budget } from "../../collect/budget.ts";
import { DEFAULT_MAX_ERROR_SHARE, errorShareFailure } from "../../collect/error-share.ts";
import type { ResolvedEval } from "../../config/load-eval.ts";
import { ExitCode, RunError } from "../../core/errors.ts";
import type { ChatRequest, Item } from "../../core/types.ts";
import type { DatasetIndex } from "../../datasets/dataset-index.ts";
import type { Dataset } from "../../datasets/load-dataset.ts";
import { planSection } from "../../economics/report-section.ts";
import { loadTrafficProfile } from "../../economics/traffic-profile.ts";
import type { ReportSection } from "../../report/report-section.ts";
import { evalReport } from "../../reporters/eval-report.ts";
import type { EvalReport, RunReporter } from "../../reporters/reporter.ts";
import { createFolder, refreshLatest, runFolder } from "../../reporters/run-folder.ts";
import type { OutcomeStore } from "../../store/outcome-store.ts";
import type { EvalResult } from "../eval-result.ts";
import { prepareEval } from "../prepare-eval.ts";
import { type RunEvalOptions, runEval } from "../run-eval.ts";
import { newRunId } from "./run-id.ts";

/** One eval of a session, its inputs resolved (the gate's from the base branch where asked). */
export interface SessionEval {
  config: ResolvedEval;
  /** Set when the gate's inputs were read from a base branch: the ref and what the change altered. */
  gateReview?: { base: string; changed: string[] };
  /** Default: a new sortable id (newRunId). */
  runId?: string;
  /** Programmatic runs (importers, benchmarks) may pass items already in memory... */
  dataset?: Dataset;
  /** ...and a request renderer instead of template files. */
  render?: (item: Item) => ChatRequest;
}

export interface SessionOptions
  extends Omit<
    RunEvalOptions,
    "store" | "runId" | "gateReview" | "dataset" | "render" | "budget" | "maxCostUsd" | "prepared"
  > {
  /**
   * The outcome store, or how to open it: a function is called once every eval's inputs have been
   * checked, so a session refused for bad input (exit 2) leaves no store behind.
   */
  store: OutcomeStore | (() => OutcomeStore);
  /**
   * Where dataset files' checks are remembered between runs, so a repeat run does not parse an
   * unchanged file again to check it; written when the store is opened. Absent: none.
   */
  datasetIndex?: DatasetIndex;
  /** Where run folders go (reports/<eval>/<run-id>/, then latest/); null: none (reporters then get dir null). */
  reportsDir: string | null;
  reporters?: readonly RunReporter[];
  /** A run whose share of failed outcomes is above this fails (exit 3) after its report. Default 0.1. */
  maxErrorShare?: number;
  /** One spending cap for every eval of the session (`--max-cost`); null or absent: none. */
  maxCostUsd?: number | null;
  /** Where the session says why a run failed after its report (the CLI's stderr). */
  log?: (line: string) => void;
}

export interface SessionRun {
  config: ResolvedEval;
  runId: string;
  result: EvalResult;
  report: EvalReport;
  /** Set when too many outcomes failed: the run's figures describe outages more than models. */
  tooManyErrors: RunError | null;
}

export interface SessionResult {
  runs: SessionRun[];
  /** 0 all gates passed; 1 a gate failed; 3 a run had too many failed outcomes. */
  exitCode: number;
}

/**
 * A run session: the evals of one command (`routegate eval`, a benchmark, an importer), one after
 * another on one store and one budget. First every eval's inputs are checked (dataset, scorer,
 * prompt, models and their keys and prices, the traffic profile), before the store is opened and
 * before any call is paid for. Then, per eval, it records the run in the store, runs it, checks its
 * share of failed outcomes, adds the cost plan where the eval names a traffic profile, and hands
 * the report to each reporter. A run that fails is recorded as failed (or crashed) and its error
 * thrown; outcomes already paid for stay in the store.
 */
export async function runSession(evals: readonly SessionEval[], opts: SessionOptions): Promise<SessionResult> {
  const {
    reporters = [],
    reportsDir,
    maxErrorShare = DEFAULT_MAX_ERROR_SHARE,
    maxCostUsd,
    store: storeOrOpen,
    datasetIndex,
    ...runOpts
  } = opts;
  const ready = evals.map((e) => ({
    ...e,
    prepared: prepareEval(e.config, {
      registry: opts.registry,
      prices: opts.prices,
      ...(e.dataset ? { dataset: e.dataset } : {}),
      ...(e.render ? { render: e.render } : {}),
      ...(datasetIndex ? { datasetIndex } : {}),
    }),
    traffic: e.config.traffic ? loadTrafficProfile(e.config.traffic) : null,
  }));
  const store = typeof storeOrOpen === "function" ? storeOrOpen() : storeOrOpen;
  datasetIndex?.save();
  // One cap for the whole session: evals run one after another and draw on the same budget.
  const budget = new Budget(maxCostUsd ?? null);
  const runs: SessionRun[] = [];
  let exitCode: number = ExitCode.Ok;
  for (const r of reporters) await r.onRunStart?.(evals.map((e) => e.config.name));
  for (const e of ready) {
    const { config, prepared, traffic } = e;
    const runId = e.runId ?? newRunId();
    store.recordRun({ runId, eval: config.name, startedAt: new Date().toISOString(), status: "running" });
    const result = await runEval(config, {
      ...runOpts,
      store,
      prepared,
      budget,
      runId,
      ...(e.gateReview ? { gateReview: e.gateReview } : {}),
    }).catch((err: unknown) => {
      store.finishRun(runId, err instanceof RunError ? "failed" : "crashed", 0, 0);
      throw err;
    });
    const { summary } = result;
    const tooManyErrors = errorShareFailure(config.name, summary.collection, maxErrorShare);
    store.finishRun(
      runId,
      tooManyErrors ? "too-many-errors" : summary.gate.passed ? "passed" : "gate-failed",
      summary.collection.providerCalls,
      summary.collection.fromStore,
    );
    const sections: ReportSection[] = traffic ? [planSection(summary, traffic, opts.prices)] : [];
    const dir = reportsDir === null ? null : runFolder(reportsDir, config.name, runId);
    const report = evalReport(summary, dir, sections);
    if (dir !== null) createFolder(dir);
    for (const r of reporters) await r.onEvalEnd?.(report);
    if (reportsDir !== null && dir !== null) refreshLatest(reportsDir, config.name, dir);
    if (!summary.gate.passed) exitCode = Math.max(exitCode, ExitCode.GateFailed);
    if (summary.routerFailures?.length) {
      opts.log?.(`routegate: run failed: ${summary.routerFailures.length} router(s) threw; see the report`);
      exitCode = Math.max(exitCode, ExitCode.RunFailed);
    }
    if (tooManyErrors) {
      opts.log?.(`routegate: run failed: ${tooManyErrors.message}`);
      exitCode = Math.max(exitCode, ExitCode.RunFailed);
    }
    runs.push({ config, runId, result, report, tooManyErrors });
  }
  for (const r of reporters) await r.onRunEnd?.(runs.map((run) => run.report));
  return { runs, exitCode };
}
