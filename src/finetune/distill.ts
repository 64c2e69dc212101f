import { createHash } from "node:crypto";
import type { ChatMessage, ChatRequest, Item } from "../core/types.ts";
import type { TrainingRow } from "../pricing/training-rates.ts";
import { trainingCostUsd } from "../pricing/training-rates.ts";
import { countMessagesTokens } from "../providers/tokens.ts";
import { answerInjection, looksLikeInjection } from "../scoring/judge/injection.ts";
import type { Scorer } from "../scoring/scorer.ts";
import { type SplitOptions, splitPart } from "../stats/index.ts";
import type { TrainingExample } from "./formats.ts";
import { type ScrubCounts, scrubPersonal } from "./scrub-personal.ts";

// Distillation: the teacher's answers that pass become training examples. What may never reach a
// training file, in the order it is checked: items outside the train split (held-out and
// calibration items are what the fine-tuned candidate is gated and calibrated on), answers that
// fail the eval's scorer (or the judge threshold), items flagged adversarial or reading as a prompt
// injection, and repeats of a prompt already taken. Every text is scrubbed of secrets and personal
// data before it is written.

/** One answer the teacher gave, to an eval item (from the store) or a traffic line. */
export interface TeacherAnswer {
  item: Item;
  /** The prompt the teacher was asked; undefined when no stored answer matches the eval's prompt. */
  request: ChatRequest;
  output: string;
  /** Set for traffic without labels: the judge's score of the answer. */
  judgeScore?: number;
}

export type SkipReason =
  | "heldOut"
  | "calibration"
  | "overlapsEval"
  | "noAnswer"
  | "staleAnswer"
  | "failed"
  | "unlabelled"
  | "belowThreshold"
  | "adversarial"
  | "duplicate";

export interface DistillInput {
  answers: TeacherAnswer[];
  /** Eval items the teacher has no usable answer for, by reason (counted, never written). */
  missing: { noAnswer: number; staleAnswer: number };
  /** The eval's exact scorer; undefined when the eval judges (traffic is then passed on judge scores). */
  scorer: Scorer | undefined;
  /** The eval's split (with trainFraction); for traffic, undefined: traffic is no eval item. */
  split: SplitOptions | undefined;
  /** Prompts of the eval's calibration and held-out items: traffic repeating one is left out. */
  evalPrompts?: ReadonlySet<string>;
  judgeThreshold?: number;
}

export interface DistillResult {
  examples: TrainingExample[];
  skipped: Record<SkipReason, number>;
  /** Tokens of the written examples (prompt + answer, with per-message framing). */
  tokens: number;
  redactions: ScrubCounts;
}

export function distill(input: DistillInput): DistillResult {
  const skipped: Record<SkipReason, number> = {
    heldOut: 0,
    calibration: 0,
    overlapsEval: 0,
    noAnswer: input.missing.noAnswer,
    staleAnswer: input.missing.staleAnswer,
    failed: 0,
    unlabelled: 0,
    belowThreshold: 0,
    adversarial: 0,
    duplicate: 0,
  };
  const seen = new Set<string>();
  const redactions: ScrubCounts = {};
  const examples: TrainingExample[] = [];
  let tokens = 0;
  for (const a of input.answers) {
    const reason = rejection(a, input, seen);
    if (reason) {
      skipped[reason]++;
      continue;
    }
    const prompt = a.request.messages.map((m) => ({ ...m, content: scrubPersonal(m.content, redactions) }));
    const answer = scrubPersonal(a.output, redactions);
    examples.push({ id: a.item.id, prompt, answer });
    tokens += countMessagesTokens([...prompt, { role: "assistant", content: answer }]);
  }
  return { examples, skipped, tokens, redactions };
}

function rejection(a: TeacherAnswer, input: DistillInput, seen: Set<string>): SkipReason | undefined {
  if (input.split) {
    const part = splitPart(a.item, input.split);
    if (part !== "train") return part;
  } else if (input.evalPrompts?.has(promptKey(a.request.messages))) return "overlapsEval";
  const verdict = passes(a, input);
  if (verdict) return verdict;
  if (isAdversarial(a)) return "adversarial";
  const key = promptKey(a.request.messages);
  if (seen.has(key)) return "duplicate";
  seen.add(key);
  return undefined;
}

function passes(a: TeacherAnswer, input: DistillInput): SkipReason | undefined {
  // Eval items are scored as the eval scores them; traffic by its label, else by the judge's score.
  const { scorer } = input;
  if (scorer && (input.split || a.item.expected !== undefined))
    return scorer(a.output, a.item).pass ? undefined : "failed";
  if (a.judgeScore === undefined || input.judgeThreshold === undefined) return "unlabelled";
  return a.judgeScore >= input.judgeThreshold ? undefined : "belowThreshold";
}

/** Flagged in the dataset (`metadata.adversarial`, an injection tag) or reading as an injection. */
function isAdversarial(a: TeacherAnswer): boolean {
  const meta = a.item.metadata ?? {};
  if (meta["adversarial"] === true) return true;
  const tags = Array.isArray(meta["tags"]) ? meta["tags"] : [];
  if (tags.some((t) => typeof t === "string" && /injection|jailbreak|adversarial/i.test(t))) return true;
  const question = a.request.messages.map((m) => m.content).join("\n");
  return looksLikeInjection(question) || answerInjection(a.output, question) !== null;
}

/** A prompt's identity for duplicate checks: the messages with case and whitespace runs folded. */
export function promptKey(messages: readonly ChatMessage[]): string {
  const folded = messages.map((m) => `${m.role}\u0000${m.content.toLowerCase().replace(/\s+/g, " ").trim()}`);
  return createHash("sha256").update(folded.join("\u0001")).digest("hex");
}

export interface CostEstimate {
  epochs: number;
  trainedTokens: number;
  usd: number;
  rate: TrainingRow;
}

/** Trained tokens = file tokens x epochs, at the row's training rate. */
export function estimateTrainingCost(tokens: number, epochs: number, rate: TrainingRow): CostEstimate {
  const trainedTokens = tokens * epochs;
  return { epochs, trainedTokens, usd: trainingCostUsd(trainedTokens, rate), rate };
}
