import type { CommandModule } from "yargs";
import { createProgress } from "../../collect/progress.ts";
import { loadEvalFile, type ResolvedEval, resolveEval } from "../../config/load-eval.ts";
import { ExitCode } from "../../core/errors.ts";
import { runEval } from "../../evaluate/run-eval.ts";
import { defaultPriceBook } from "../../pricing/price-book.ts";
import { createProviderRegistry } from "../../providers/registry.ts";
import { writeReport } from "../../report/write-report.ts";
import { DEFAULT_STORE_PATH, OutcomeStore } from "../../store/outcome-store.ts";
import { adhocEvalConfig } from "../adhoc-eval.ts";
import { discoverEvalFiles } from "../discover.ts";
import { printRunTable } from "../print-table.ts";
import { newRunId } from "../run-id.ts";

interface EvalArgs {
  evals: string[];
  dataset?: string;
  models?: string;
  scorer?: string;
  weak?: string;
  strong?: string;
  routers?: string;
  json: boolean;
  offline: boolean;
  store: string;
  reports: string;
  concurrency: number;
  quiet: boolean;
}

export function evalCommand(setCode: (code: number) => void): CommandModule<object, EvalArgs> {
  return {
    command: "eval [evals..]",
    describe: "Run evals (every evals/*.eval.ts by default, or an ad-hoc run with --dataset/--models/--scorer)",
    builder: (y) =>
      y
        .positional("evals", {
          type: "string",
          array: true,
          default: [],
          describe: "eval names (evals/<name>.eval.ts) or files",
        })
        .option("dataset", {
          type: "string",
          describe: "ad-hoc run: dataset JSONL ({id, input, expected?, metadata?} per line)",
        })
        .option("models", {
          type: "string",
          describe: "ad-hoc run: comma-separated model specs, e.g. sim:cheap,sim:flagship or replay:MODEL@FILE.jsonl",
        })
        .option("scorer", {
          type: "string",
          describe: "ad-hoc run: scorer name (exact, normalized, label, numeric, regex, json, contains, choice)",
        })
        .option("weak", { type: "string", describe: "ad-hoc run: the weak model spec (enables two-tier figures)" })
        .option("strong", { type: "string", describe: "ad-hoc run: the strong model spec" })
        .option("routers", {
          type: "string",
          describe: "ad-hoc run: comma-separated built-in routers (random, length) or none",
        })
        .option("json", { type: "boolean", default: false, describe: "print the run's summary.json to stdout" })
        .option("offline", {
          type: "boolean",
          default: false,
          describe: "never call a networked provider; missing outcomes fail the run (exit 3)",
        })
        .option("store", { type: "string", default: DEFAULT_STORE_PATH, describe: "outcome store (SQLite) path" })
        .option("reports", { type: "string", default: "reports", describe: "folder for reports/<eval>/<run-id>/" })
        .option("concurrency", { type: "number", default: 16, describe: "provider calls in flight at once" })
        .option("quiet", { type: "boolean", default: false, describe: "no progress output" })
        .check((a) => {
          const adhoc = [a.dataset, a.models, a.scorer].filter((v) => v !== undefined).length;
          if (adhoc > 0 && adhoc < 3) throw new Error("an ad-hoc run needs all of --dataset, --models and --scorer");
          if (adhoc === 3 && a.evals.length > 0)
            throw new Error("give either eval names or --dataset/--models/--scorer, not both");
          if (!Number.isInteger(a.concurrency) || a.concurrency < 1)
            throw new Error("--concurrency must be a positive integer");
          return true;
        }) as never,
    handler: async (args) => {
      const configs: ResolvedEval[] =
        args.dataset && args.models && args.scorer
          ? [
              resolveEval(
                adhocEvalConfig({
                  dataset: args.dataset,
                  models: args.models,
                  scorer: args.scorer,
                  weak: args.weak,
                  strong: args.strong,
                  routers: args.routers,
                }),
                "command line",
                process.cwd(),
              ),
            ]
          : await Promise.all(discoverEvalFiles(process.cwd(), args.evals).map(loadEvalFile));
      const log = (line: string) => process.stderr.write(`${line}\n`);
      const tty = Boolean(process.stderr.isTTY) && !process.env.CI;
      const store = OutcomeStore.open(args.store);
      const summaries = [];
      try {
        const registry = createProviderRegistry();
        const prices = defaultPriceBook();
        for (const config of configs) {
          const runId = newRunId();
          store.recordRun({ runId, eval: config.name, startedAt: new Date().toISOString(), status: "running" });
          const result = await runEval(config, {
            store,
            registry,
            prices,
            runId,
            offline: args.offline,
            concurrency: args.concurrency,
            progress: (label) => createProgress(label, { tty, quiet: args.quiet || (args.json && !tty), log }),
          });
          const { summary } = result;
          store.finishRun(
            runId,
            summary.gate.passed ? "passed" : "gate-failed",
            summary.collection.providerCalls,
            summary.collection.fromStore,
          );
          const { dir } = writeReport(args.reports, summary);
          if (!args.quiet) printRunTable(summary, dir, log);
          if (!summary.gate.passed) setCode(ExitCode.GateFailed);
          summaries.push(summary);
        }
      } finally {
        store.close();
      }
      if (args.json)
        process.stdout.write(`${JSON.stringify(summaries.length === 1 ? summaries[0] : summaries, null, 2)}\n`);
    },
  };
}
