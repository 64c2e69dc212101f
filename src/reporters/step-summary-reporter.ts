import { appendFileSync } from "node:fs";
import type { RunReporter } from "./reporter.ts";

/** Appends one run's report to $GITHUB_STEP_SUMMARY (a run of several evals appends each in turn). */
export function appendStepSummary(markdown: string, env: NodeJS.ProcessEnv): boolean {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return false;
  appendFileSync(file, `${markdown.trimEnd()}\n\n`);
  return true;
}

/**
 * On GitHub Actions, each eval's report.md (its cost plan included) is appended to the job
 * summary, which is where a fork's pull request (whose token cannot comment) shows its verdict.
 * Unset or empty GITHUB_STEP_SUMMARY: nothing is appended.
 */
export function stepSummaryReporter(opts: { env?: NodeJS.ProcessEnv } = {}): RunReporter {
  return {
    onEvalEnd(report) {
      appendStepSummary(report.markdown(), opts.env ?? process.env);
    },
  };
}
