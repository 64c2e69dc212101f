import type { Summary } from "../contracts/summary.ts";
import type { ReportSection } from "../report/report-section.ts";

/** One eval's finished run, as reporters see it. */
export interface EvalReport {
  /** summary.json's content, validated against the contract. */
  summary: Summary;
  /**
   * The run folder, reports/<eval>/<run-id>/, created before `onEvalEnd`; the session copies it to
   * reports/<eval>/latest/ once every reporter is done. null when the session writes no files.
   */
  dir: string | null;
  /** Sections other rooms add to the report (the cost plan of an eval with `traffic`). */
  sections: readonly ReportSection[];
  /** report.md's text, sections included: rendered once, for every reporter that asks. */
  markdown(): string;
  /** report.html's text, sections included: rendered once, for every reporter that asks. */
  html(): string;
}

/**
 * An output of a run session, after vitest's reporter interface: every hook is optional, and the
 * session calls each reporter's hooks in the order the reporters were given.
 * - onRunStart: before the first eval runs, with the evals' names.
 * - onEvalEnd: after an eval's summary is made and its run recorded (files, job summary, console).
 * - onRunEnd: after the last eval, with every eval's report (the --json output).
 * A run that fails (bad input, a provider failure, the budget) throws before onRunEnd.
 */
export interface RunReporter {
  onRunStart?(evals: readonly string[]): void | Promise<void>;
  onEvalEnd?(report: EvalReport): void | Promise<void>;
  onRunEnd?(reports: readonly EvalReport[]): void | Promise<void>;
}
