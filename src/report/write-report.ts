import { appendFileSync, cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Summary } from "../contracts/summary.ts";
import { renderHtml } from "./render-html.ts";
import { renderMarkdown } from "./render-markdown.ts";

export interface WriteReportOptions {
  /** Where GITHUB_STEP_SUMMARY is read from (tests pass their own). */
  env?: NodeJS.ProcessEnv;
}

/**
 * Writes reports/<eval>/<run-id>/{summary.json, report.md, report.html} and refreshes
 * reports/<eval>/latest/. latest/ is a copy, not a symlink, so it survives artifact uploads and
 * Windows checkouts. On GitHub Actions the Markdown is also appended to the job summary, which is
 * where a fork's pull request (whose token cannot comment) shows its verdict.
 */
export function writeReport(
  reportsDir: string,
  summary: Summary,
  opts: WriteReportOptions = {},
): { dir: string; markdown: string } {
  // Validate before writing: summary.json is a contract, a malformed one must never reach users.
  const valid = Summary.parse(summary);
  const dir = join(reportsDir, valid.eval, valid.runId);
  mkdirSync(dir, { recursive: true });
  const markdown = renderMarkdown(valid);
  writeFileSync(join(dir, "summary.json"), `${JSON.stringify(valid, null, 2)}\n`);
  writeFileSync(join(dir, "report.md"), markdown);
  writeFileSync(join(dir, "report.html"), renderHtml(valid));
  const latest = join(reportsDir, valid.eval, "latest");
  rmSync(latest, { recursive: true, force: true });
  cpSync(dir, latest, { recursive: true });
  appendStepSummary(markdown, opts.env ?? process.env);
  return { dir, markdown };
}

/** Appends one run's report to $GITHUB_STEP_SUMMARY (a run of several evals appends each in turn). */
export function appendStepSummary(markdown: string, env: NodeJS.ProcessEnv): boolean {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return false;
  appendFileSync(file, `${markdown.trimEnd()}\n\n`);
  return true;
}
