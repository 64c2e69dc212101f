import type { Summary } from "../contracts/summary.ts";
import type { ReportSection } from "../report/report-section.ts";
import { evalReport } from "./eval-report.ts";
import { htmlReporter, jsonReporter, markdownReporter } from "./file-reporters.ts";
import { createFolder, refreshLatest, runFolder } from "./run-folder.ts";
import { stepSummaryReporter } from "./step-summary-reporter.ts";

export interface WriteReportOptions {
  /** Where GITHUB_STEP_SUMMARY is read from (tests pass their own). */
  env?: NodeJS.ProcessEnv;
  sections?: readonly ReportSection[];
}

/**
 * Writes reports/<eval>/<run-id>/{summary.json, report.md, report.html}, refreshes
 * reports/<eval>/latest/ and appends the Markdown to the job summary: what a run session's file
 * reporters do, for a summary made outside a session (tests, importers).
 */
export function writeReport(
  reportsDir: string,
  summary: Summary,
  opts: WriteReportOptions = {},
): { dir: string; markdown: string } {
  // Validated before anything is written: a malformed summary.json must never reach users.
  const dir = runFolder(reportsDir, summary.eval, summary.runId);
  const report = evalReport(summary, dir, opts.sections);
  createFolder(dir);
  for (const reporter of [jsonReporter(), markdownReporter(), htmlReporter()]) reporter.onEvalEnd?.(report);
  refreshLatest(reportsDir, report.summary.eval, dir);
  stepSummaryReporter(opts.env ? { env: opts.env } : {}).onEvalEnd?.(report);
  return { dir, markdown: report.markdown() };
}
