import type { CommandModule } from "yargs";
import { loadEvalFile } from "../../config/load-eval.ts";
import { InputError } from "../../core/errors.ts";
import { TRAINING_FORMATS, type TrainingFormat } from "../../finetune/formats.ts";
import { type DistillReport, runDistill } from "../../finetune/run-distill.ts";
import { defaultTrainingRates, TrainingRates } from "../../pricing/training-rates.ts";
import { DEFAULT_STORE_PATH } from "../../store/outcome-store.ts";
import { discoverEvalFiles } from "../discover.ts";
import { openStore, prepareFilePath } from "../file-paths.ts";

interface DistillArgs {
  eval: string;
  teacher: string;
  from?: string;
  "judge-threshold"?: number;
  format: TrainingFormat;
  out: string;
  base?: string;
  epochs: number;
  store: string;
  "training-prices"?: string;
  json: boolean;
}

export function distillCommand(): CommandModule<object, DistillArgs> {
  return {
    command: "distill",
    describe:
      "Write a fine-tuning file from the teacher's stored answers that pass the eval's scorer (train split only)",
    builder: (y) =>
      y
        .option("eval", { type: "string", demandOption: true, describe: "eval name (evals/<name>.eval.ts) or file" })
        .option("teacher", { type: "string", demandOption: true, describe: "id of the eval model to learn from" })
        .option("from", {
          type: "string",
          describe: "production traffic (JSONL: input, output, expected? or judgeScore?) instead of the stored answers",
        })
        .option("judge-threshold", {
          type: "number",
          describe: "with --from: keep unlabelled lines whose judgeScore is at least this (0-1)",
        })
        .option("format", {
          choices: TRAINING_FORMATS,
          default: "openai" as TrainingFormat,
          describe:
            "openai: chat fine-tuning JSONL; gemini: Vertex AI tuning JSONL; chat: generic chat JSONL (TRL, Axolotl, vLLM LoRA)",
        })
        .option("out", { type: "string", demandOption: true, describe: "training file to write (JSONL)" })
        .option("base", { type: "string", describe: "base model to fine-tune: prices the training estimate" })
        .option("epochs", { type: "number", default: 3, describe: "training epochs the estimate assumes" })
        .option("store", { type: "string", default: DEFAULT_STORE_PATH, describe: "outcome store (SQLite) path" })
        .option("training-prices", {
          type: "string",
          describe: "training price table (JSON) instead of the built-in one",
        })
        .option("json", { type: "boolean", default: false, describe: "print the summary as JSON" })
        .example(
          "$0 distill --eval triage --teacher flagship --base gpt-4.1-mini-2025-04-14 --out triage-train.jsonl",
          "the flagship's passing answers on triage's training items",
        ) as never,
    handler: async (args) => {
      const threshold = args["judge-threshold"];
      if (threshold !== undefined && !(threshold >= 0 && threshold <= 1))
        throw new InputError(
          "command line",
          "--judge-threshold",
          `${threshold} is outside [0, 1]`,
          "give a judge score between 0 and 1",
        );
      if (threshold !== undefined && args.from === undefined)
        throw new InputError(
          "command line",
          "--judge-threshold",
          "applies to traffic only",
          "add --from traffic.jsonl, or drop it",
        );
      if (!(Number.isInteger(args.epochs) && args.epochs >= 1))
        throw new InputError(
          "command line",
          "--epochs",
          `${args.epochs} is not a positive integer`,
          "give --epochs 1 or more",
        );
      const [file] = discoverEvalFiles(process.cwd(), [args.eval]);
      const config = await loadEvalFile(file!);
      prepareFilePath(args.out, "--out", "train.jsonl");
      const store = openStore(args.store);
      try {
        const report = runDistill({
          config,
          teacher: args.teacher,
          store,
          ...(args.from !== undefined ? { traffic: args.from } : {}),
          ...(threshold !== undefined ? { judgeThreshold: threshold } : {}),
          format: args.format,
          out: args.out,
          ...(args.base !== undefined ? { base: args.base } : {}),
          epochs: args.epochs,
          rates: args["training-prices"] ? TrainingRates.fromFile(args["training-prices"]) : defaultTrainingRates(),
        });
        process.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : renderDistill(report));
      } finally {
        store.close();
      }
    },
  };
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");

export function renderDistill(r: DistillReport): string {
  const lines = [
    `distill ${r.eval}: ${r.examples} examples, ${int(r.tokens)} tokens from ${r.teacher}'s ${r.source === "store" ? "stored answers" : "traffic"} -> ${r.out} (${r.format} format)`,
  ];
  if (r.split)
    lines.push(
      `split: ${r.split.train} train / ${r.split.calibration} calibration / ${r.split.heldOut} held-out items; examples come from train only${r.source === "traffic" ? " (traffic repeating a calibration or held-out prompt is left out)" : ""}`,
    );
  const skipped = Object.entries(r.skipped).filter(([, n]) => n > 0);
  if (skipped.length) lines.push(`left out: ${skipped.map(([k, n]) => `${n} ${k}`).join(", ")}`);
  const scrubbed = Object.entries(r.redactions);
  lines.push(
    `scrubbed: ${scrubbed.length ? scrubbed.map(([k, n]) => `${n} ${k}`).join(", ") : "nothing found"} (names of people are not detected: review the file before uploading it)`,
  );
  if (r.cost) {
    const c = r.cost;
    lines.push(
      `estimated training cost: ${int(r.tokens)} tokens x ${c.epochs} epochs = ${int(c.trainedTokens)} trained tokens x $${c.rate.trainingPer1M}/1M (${c.rate.base}, ${c.rate.source}, ${c.rate.date}${c.rate.uncertain ? ", unverified" : ""}) = $${c.usd.toFixed(2)}`,
    );
  } else lines.push("estimated training cost: give --base to price it from the training price table");
  lines.push("next:", ...r.nextSteps.map((s) => `  ${s}`));
  return `${lines.join("\n")}\n`;
}
