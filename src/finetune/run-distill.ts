import { writeFileSync } from "node:fs";
import type { ResolvedEval } from "../config/load-eval.ts";
import { InputError } from "../core/errors.ts";
import type { Item } from "../core/types.ts";
import { loadDataset } from "../datasets/load-dataset.ts";
import { createPromptRenderer } from "../datasets/prompt.ts";
import type { TrainingRates } from "../pricing/training-rates.ts";
import { createScorer } from "../scoring/index.ts";
import type { Scorer } from "../scoring/scorer.ts";
import { splitPart } from "../stats/index.ts";
import type { OutcomeStore } from "../store/outcome-store.ts";
import { type CostEstimate, distill, estimateTrainingCost, promptKey, type SkipReason } from "./distill.ts";
import { MIN_EXAMPLES, nextSteps, type TrainingFormat, trainingLine } from "./formats.ts";
import type { ScrubCounts } from "./scrub-personal.ts";
import { teacherAnswers } from "./teacher-answers.ts";
import { loadTraffic } from "./traffic.ts";

export interface DistillOptions {
  config: ResolvedEval;
  /** The eval model whose answers are distilled (its id in the eval). */
  teacher: string;
  store: OutcomeStore;
  /** Production traffic (JSONL) instead of the eval's stored answers. */
  traffic?: string;
  judgeThreshold?: number;
  format: TrainingFormat;
  out: string;
  /** The base model to fine-tune: picks the training rate for the cost estimate. */
  base?: string;
  epochs: number;
  rates: TrainingRates;
}

export interface DistillReport {
  eval: string;
  teacher: string;
  source: "store" | "traffic";
  format: TrainingFormat;
  out: string;
  examples: number;
  skipped: Record<SkipReason, number>;
  tokens: number;
  redactions: ScrubCounts;
  /** Split sizes of the eval: items of each part (training examples come from "train" only). */
  split: { train: number; calibration: number; heldOut: number } | null;
  cost: CostEstimate | null;
  nextSteps: string[];
}

/** Builds the training file from the teacher's passing answers and says what it holds and costs. */
export function runDistill(o: DistillOptions): DistillReport {
  const { config } = o;
  if (!config.models.some((m) => m.id === o.teacher))
    throw new InputError(
      config.source,
      "field models",
      `teacher "${o.teacher}" is not a model of this eval (${config.models.map((m) => m.id).join(", ")})`,
      "pass --teacher with the id of the eval model whose answers to learn (usually the flagship)",
    );
  const split = config.split === false ? undefined : config.split;
  if (!split?.trainFraction)
    throw new InputError(
      config.source,
      "field split.trainFraction",
      "the eval keeps no items for training: distilling would train on what the gate measures",
      "add split: { heldOutFraction: 0.3, trainFraction: 0.4 } (any fractions summing under 1), run `routegate eval` so the teacher answers the training items, then distill",
    );
  const scorer = exactScorer(config, o.traffic !== undefined && o.judgeThreshold !== undefined);
  const dataset = loadDataset(config.dataset);
  const render = createPromptRenderer(config.prompt, config.request);
  const rate = o.base ? o.rates.require(o.base, "--base") : undefined;
  const parts = { train: 0, calibration: 0, heldOut: 0 };
  for (const item of dataset.items) parts[splitPart(item, split)]++;

  const result = o.traffic
    ? fromTraffic(
        o,
        render,
        scorer,
        dataset.items.filter((it) => splitPart(it, split) !== "train"),
      )
    : fromStore(o, render, scorer, dataset.items, split);
  const min = MIN_EXAMPLES[o.format];
  if (result.examples.length < min)
    throw new InputError(
      o.traffic ?? config.source,
      undefined,
      `only ${result.examples.length} examples pass (${describeSkips(result.skipped)}); the ${o.format} format needs at least ${min}`,
      o.traffic
        ? "add traffic lines with expected answers or judge scores, or lower --judge-threshold"
        : "raise split.trainFraction or add items, and run `routegate eval` so the teacher answers them",
    );
  writeFileSync(o.out, `${result.examples.map((e) => trainingLine(e, o.format)).join("\n")}\n`, { mode: 0o600 });
  return {
    eval: config.name,
    teacher: o.teacher,
    source: o.traffic ? "traffic" : "store",
    format: o.format,
    out: o.out,
    examples: result.examples.length,
    skipped: result.skipped,
    tokens: result.tokens,
    redactions: result.redactions,
    split: parts,
    cost: rate ? estimateTrainingCost(result.tokens, o.epochs, rate) : null,
    nextSteps: nextSteps(o.format, o.out, o.base, config.name),
  };
}

function fromStore(
  o: DistillOptions,
  render: (item: Item) => ReturnType<ReturnType<typeof createPromptRenderer>>,
  scorer: Scorer | undefined,
  items: Item[],
  split: NonNullable<DistillOptions["config"]["split"]> & object,
) {
  // Only training items are looked up: a held-out item's answer is never even read.
  const train = items.filter((it) => splitPart(it, split) === "train");
  const found = teacherAnswers(train, render, o.store.answersOf(o.teacher));
  const r = distill({
    answers: found.answers,
    missing: { noAnswer: found.noAnswer, staleAnswer: found.staleAnswer },
    scorer,
    split,
  });
  r.skipped.heldOut = items.filter((it) => splitPart(it, split) === "heldOut").length;
  r.skipped.calibration = items.filter((it) => splitPart(it, split) === "calibration").length;
  return r;
}

function fromTraffic(
  o: DistillOptions,
  render: (item: Item) => ReturnType<ReturnType<typeof createPromptRenderer>>,
  scorer: Scorer | undefined,
  evalItems: Item[],
) {
  const lines = loadTraffic(o.traffic!);
  lines.forEach((l, i) => {
    if (l.model !== undefined && l.model !== o.teacher)
      throw new InputError(
        o.traffic!,
        `line ${i + 1}, field model`,
        `answered by "${l.model}", not the teacher "${o.teacher}"`,
        "keep only the teacher's answers in the traffic file, or pass that model as --teacher",
      );
  });
  const evalPrompts = new Set(evalItems.map((it) => promptKey(render(it).messages)));
  return distill({
    answers: lines.map((l) => {
      const { cache: _hint, ...request } = render(l.item);
      return {
        item: l.item,
        request,
        output: l.output,
        ...(l.judgeScore !== undefined ? { judgeScore: l.judgeScore } : {}),
      };
    }),
    missing: { noAnswer: 0, staleAnswer: 0 },
    scorer,
    split: undefined,
    evalPrompts,
    ...(o.judgeThreshold !== undefined ? { judgeThreshold: o.judgeThreshold } : {}),
  });
}

/** The eval's scorer, which must be exact (free, synchronous) unless traffic is judged by its scores. */
function exactScorer(config: ResolvedEval, judgedTraffic: boolean): Scorer | undefined {
  const scorer = createScorer(config.scorer as Parameters<typeof createScorer>[0], { file: config.source });
  if (scorer.kind === "exact") return scorer;
  if (judgedTraffic) return undefined;
  throw new InputError(
    config.source,
    "field scorer",
    "the eval scores with a judge: distill reads pass/fail from an exact scorer",
    "distill from traffic whose lines carry judgeScore (--from FILE --judge-threshold T), or give the eval an exact scorer",
  );
}

function describeSkips(skipped: Record<SkipReason, number>): string {
  const parts = Object.entries(skipped)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`);
  return parts.length ? `left out: ${parts.join(", ")}` : "nothing left out";
}
