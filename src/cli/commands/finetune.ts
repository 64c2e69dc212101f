import type { Argv, CommandModule } from "yargs";
import { RunError } from "../../core/errors.ts";
import { openaiJobsClient } from "../../finetune/openai-jobs.ts";
import { type FollowOptions, follow, PROVIDER, submit } from "../../finetune/run-finetune.ts";
import { defaultTrainingRates, TrainingRates } from "../../pricing/training-rates.ts";
import type { FineTuneJobRecord } from "../../store/finetune-jobs.ts";
import { DEFAULT_STORE_PATH } from "../../store/outcome-store.ts";
import { openStore } from "../file-paths.ts";

interface CommonArgs {
  store: string;
  candidates: string;
  "training-prices"?: string;
  "poll-ms": number;
}

interface SubmitArgs extends CommonArgs {
  file: string;
  base: string;
  eval: string;
  epochs: number;
  "max-cost"?: number;
  yes: boolean;
  suffix?: string;
  wait: boolean;
}

interface StatusArgs extends CommonArgs {
  job?: string;
  wait: boolean;
}

function common<T>(y: Argv<T>): Argv<T> {
  return y
    .option("store", {
      type: "string",
      default: DEFAULT_STORE_PATH,
      describe: "outcome store (SQLite) that keeps the jobs",
    })
    .option("candidates", {
      type: "string",
      default: "finetuned.json",
      describe: "candidates file the succeeded ft: models are registered in (import it in the eval's models)",
    })
    .option("training-prices", { type: "string", describe: "training price table (JSON) instead of the built-in one" })
    .option("poll-ms", { type: "number", default: 30_000, describe: "milliseconds between status polls" }) as never;
}

export function finetuneCommand(): CommandModule {
  return {
    command: "finetune <action>",
    describe: "Fine-tune on a distilled file (OpenAI): submit a job, follow it, register the model as a candidate",
    builder: (y) =>
      y.command(submitCommand()).command(statusCommand()).demandCommand(1, "name an action: submit or status") as never,
    handler: () => {},
  };
}

function submitCommand(): CommandModule<object, SubmitArgs> {
  return {
    command: "submit",
    describe: "Print the estimated training cost, then (with --max-cost and --yes) upload the file and start the job",
    builder: (y) =>
      common(
        y
          .option("file", {
            type: "string",
            demandOption: true,
            describe: "training file from `routegate distill --format openai`",
          })
          .option("base", { type: "string", demandOption: true, describe: "base model, e.g. gpt-4.1-mini-2025-04-14" })
          .option("eval", {
            type: "string",
            demandOption: true,
            describe: "eval the file was distilled from (names the candidate)",
          })
          .option("epochs", {
            type: "number",
            default: 3,
            describe: "training epochs (sent to the job, so the estimate counts the same)",
          })
          .option("max-cost", { type: "number", describe: "USD the estimate may not exceed (required)" })
          .option("yes", { type: "boolean", default: false, describe: "upload and start the job (required)" })
          .option("suffix", { type: "string", describe: "suffix in the fine-tuned model's name" })
          .option("wait", {
            type: "boolean",
            default: true,
            describe: "poll until the job finishes (--no-wait: return once started)",
          }),
      ) as never,
    handler: async (args) => {
      const store = openStore(args.store);
      try {
        const job = await submit({
          ...followOptions(args, store, args.wait),
          file: args.file,
          base: args.base,
          eval: args.eval,
          epochs: args.epochs,
          maxCostUsd: args["max-cost"],
          yes: args.yes,
          ...(args.suffix ? { suffix: args.suffix } : {}),
        });
        failIfFailed([job]);
      } finally {
        store.close();
      }
    },
  };
}

function statusCommand(): CommandModule<object, StatusArgs> {
  return {
    command: "status",
    describe: "Poll the store's unfinished jobs (resumes after a restart) and list every job",
    builder: (y) =>
      common(
        y
          .option("job", { type: "string", describe: "only this job id" })
          .option("wait", { type: "boolean", default: false, describe: "poll until the jobs finish" }),
      ) as never,
    handler: async (args) => {
      const store = openStore(args.store);
      try {
        const jobs = args.job
          ? [store.fineTuneJobs.get(PROVIDER, args.job)].filter((j) => j !== undefined)
          : store.fineTuneJobs.all();
        if (args.job && jobs.length === 0) throw new RunError(`no job ${args.job} in ${args.store}`);
        const before = new Map(jobs.map((j) => [j.jobId, j.status]));
        const now = await follow(jobs, followOptions(args, store, args.wait));
        for (const j of now) process.stdout.write(`${describeJob(j)}\n`);
        if (now.length === 0) process.stdout.write(`no fine-tuning jobs in ${args.store}\n`);
        failIfFailed(now.filter((j) => before.get(j.jobId) !== j.status));
      } finally {
        store.close();
      }
    },
  };
}

function followOptions(args: CommonArgs, store: FollowOptions["store"], wait: boolean): FollowOptions {
  return {
    store,
    client: () => openaiJobsClient(),
    rates: args["training-prices"] ? TrainingRates.fromFile(args["training-prices"]) : defaultTrainingRates(),
    candidates: args.candidates,
    wait,
    pollMs: args["poll-ms"],
    say: (line) => process.stderr.write(`${line}\n`),
  };
}

function describeJob(j: FineTuneJobRecord): string {
  const cost =
    j.trainingCostUsd !== null
      ? `training $${j.trainingCostUsd.toFixed(2)}${j.trainedTokens !== null ? ` (${j.trainedTokens} trained tokens)` : " (estimate)"}`
      : `estimated $${j.estimatedCostUsd.toFixed(2)}`;
  return `${j.jobId}  ${j.status}  ${j.eval}  ${j.baseModel}${j.fineTunedModel ? ` -> ${j.fineTunedModel}` : ""}  ${cost}${j.error ? `  ${j.error}` : ""}`;
}

/** A job that ended failed or cancelled in this call is a run failure (exit 3); its record stays. */
function failIfFailed(jobs: FineTuneJobRecord[]): void {
  const bad = jobs.filter((j) => j.status === "failed" || j.status === "cancelled");
  if (bad.length)
    throw new RunError(
      `${bad.length} fine-tuning job(s) did not succeed`,
      bad.map((j) => `${j.jobId}: ${j.status}${j.error ? ` (${j.error})` : ""}`),
    );
}
