import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { EVAL_OUTPUT_VERSION, type EvalOutput } from "../contracts/eval-output.ts";
import type { EvalReport, RunReporter } from "./reporter.ts";

// The run folder's files, one reporter each: summary.json, report.md, report.html.

function fileReporter(name: string, content: (report: EvalReport) => string): RunReporter {
  return {
    onEvalEnd(report) {
      if (report.dir !== null) writeFileSync(join(report.dir, name), content(report));
    },
  };
}

/** report.md: sized for a pull-request comment, verdict first. */
export function markdownReporter(): RunReporter {
  return fileReporter("report.md", (r) => r.markdown());
}

/** report.html: one self-contained page. */
export function htmlReporter(): RunReporter {
  return fileReporter("report.html", (r) => r.html());
}

/**
 * summary.json in the run folder; with `stdout`, every eval's summary is also printed once the
 * run ends (`--json`): `{ schemaVersion, runs: [summary, ...] }`, the same shape for one eval or several.
 */
export function jsonReporter(opts: { stdout?: (text: string) => void } = {}): RunReporter {
  const file = fileReporter("summary.json", (r) => `${JSON.stringify(r.summary, null, 2)}\n`);
  const print = opts.stdout;
  if (!print) return file;
  return {
    ...file,
    onRunEnd(reports) {
      const output: EvalOutput = { schemaVersion: EVAL_OUTPUT_VERSION, runs: reports.map((r) => r.summary) };
      print(`${JSON.stringify(output, null, 2)}\n`);
    },
  };
}
