import { consoleReporter } from "./console-reporter.ts";
import { htmlReporter, jsonReporter, markdownReporter } from "./file-reporters.ts";
import type { RunReporter } from "./reporter.ts";
import { stepSummaryReporter } from "./step-summary-reporter.ts";

/**
 * What `routegate eval` reports: summary.json, report.md and report.html in the run folder, the
 * job summary on GitHub Actions, the console table with the verdict (always: --quiet hides
 * progress, never the result), and the summaries on stdout with --json.
 */
export function cliReporters(opts: {
  json: boolean;
  log: (line: string) => void;
  stdout: (text: string) => void;
  env?: NodeJS.ProcessEnv;
}): RunReporter[] {
  return [
    jsonReporter(opts.json ? { stdout: opts.stdout } : {}),
    markdownReporter(),
    htmlReporter(),
    stepSummaryReporter(opts.env ? { env: opts.env } : {}),
    consoleReporter({ log: opts.log }),
  ];
}
