import type { CommandModule } from "yargs";
import { InputError } from "../../core/errors.ts";
import { compareRuns, datasetMismatch } from "../../report/compare-runs.ts";
import { loadSummary } from "../../report/load-summary.ts";
import { renderRunDiff } from "../../report/render-compare.ts";
import { assertSameJudge } from "../../scoring/judge/index.ts";

interface CompareArgs {
  runA: string;
  runB: string;
  reports: string;
  force: boolean;
  json: boolean;
}

export function compareCommand(): CommandModule<object, CompareArgs> {
  return {
    command: "compare <runA> <runB>",
    describe: "Print a Markdown diff of two runs (B against A): per-policy quality, cost and strong-share deltas",
    builder: (y) =>
      y
        .positional("runA", {
          type: "string",
          demandOption: true,
          describe: "run folder, summary.json, or EVAL@latest / EVAL@RUN_ID",
        })
        .positional("runB", { type: "string", demandOption: true, describe: "the run to compare against A" })
        .option("reports", { type: "string", default: "reports", describe: "reports folder for EVAL@RUN references" })
        .option("force", {
          type: "boolean",
          default: false,
          describe: "compare even when the runs scored different datasets (the deltas then mix items)",
        })
        .option("json", { type: "boolean", default: false, describe: "print the diff as JSON instead of Markdown" })
        .example(
          "$0 compare triage@latest reports/triage/2026-11-26T04-34-52Z-1c33",
          "latest run against an older one",
        ) as never,
    handler: (args) => {
      const a = loadSummary(args.runA, args.reports);
      const b = loadSummary(args.runB, args.reports);
      const mismatch = datasetMismatch(a.summary, b.summary);
      if (mismatch && !args.force) {
        throw new InputError(
          `${a.file} vs ${b.file}`,
          "dataset.hash",
          `refusing to compare: ${mismatch}`,
          "compare runs of the same dataset, or pass --force to compare anyway",
        );
      }
      // Different judges score differently: such runs are never compared, --force or not (docs/metrics.md#judge).
      assertSameJudge(a.summary.judge, b.summary.judge, { a: a.file, b: b.file });
      const diff = compareRuns(a.summary, b.summary);
      process.stdout.write(
        args.json
          ? `${JSON.stringify({ ...diff, datasetMismatch: mismatch }, null, 2)}\n`
          : renderRunDiff(diff, mismatch),
      );
    },
  };
}
