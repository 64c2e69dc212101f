import type { CallResult, ChatRequest, Item } from "../../core/types.ts";
import { inputText } from "../builtin/length.ts";
import { checkArithmetic } from "../confidence/arithmetic.ts";
import { finalNumber } from "../confidence/final-answer.ts";
import { selfReportedConfidence } from "../confidence/signals.ts";
import type { CodeVerifier } from "../confidence/types.ts";

// Features of a cheap model's answer, for a cascade-style learned router: the answer has been paid
// for anyway, and how it looks (a final answer present, arithmetic that checks out, truncation,
// repetition, token confidence) says a lot about whether it is right. Verifier results enter as
// +1 pass / -1 fail / 0 not applicable, so the learner weighs them instead of a hand-set rule.

export const RESPONSE_FEATURES = [
  "error",
  "chars",
  "lines",
  "numbers",
  "final-number-marked",
  "final-number-integer",
  "final-number-in-input",
  "final-number-size",
  "arithmetic",
  "arithmetic-failures",
  "truncated",
  "repeated-lines",
  "logprob-mean",
  "logprob-min",
  "has-logprobs",
  "self-reported",
] as const;

const squash = (n: number) => Math.log1p(n) / 5;
const selfReported = selfReportedConfidence();
const pm = (v: boolean | null) => (v === null ? 0 : v ? 1 : -1);

export function responseFeatures(
  item: Item,
  request: ChatRequest,
  answer: CallResult,
  verifiers: readonly CodeVerifier[] = [],
): number[] {
  const text = answer.error ? "" : answer.text;
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  const final = finalNumber(text);
  const arithmetic = checkArithmetic(text);
  const inputNumbers = new Set(
    (inputText(item).match(/\d[\d,]*(?:\.\d+)?/g) ?? []).map((n) => Number(n.replaceAll(",", ""))),
  );
  const self = answer.error
    ? null
    : selfReported.confidence({ item, request, model: answer.model, answer, ctx: NO_CALLS });
  return [
    answer.error ? 1 : 0,
    squash(text.length),
    squash(lines.length),
    squash(text.match(/\d[\d,]*(?:\.\d+)?/g)?.length ?? 0),
    final?.marked ? 1 : -1,
    final === null ? 0 : pm(Number.isInteger(final.value)),
    final === null ? 0 : pm(inputNumbers.has(final.value)),
    final === null ? 0 : Math.log10(1 + Math.abs(final.value)) / 6,
    arithmetic.checked === 0 ? 0 : pm(arithmetic.failed === 0),
    squash(arithmetic.failed),
    answer.usage.output.text + answer.usage.output.reasoning >= request.maxTokens - 1 ? 1 : 0,
    lines.length ? 1 - new Set(lines).size / lines.length : 0,
    answer.logprobs?.mean ?? 0,
    answer.logprobs ? Math.max(-10, answer.logprobs.min) / 10 : 0,
    answer.logprobs ? 1 : 0,
    typeof self === "number" ? self : 0,
    ...verifiers.map((v) => (answer.error ? -1 : pm(v(text, item)))),
  ];
}

// Self-reported confidence reads the text only; it never calls a model.
const NO_CALLS = {
  request: { messages: [], maxTokens: 1 },
  models: [],
  call: () => Promise.reject(new Error("response features make no calls")),
  embed: () => Promise.reject(new Error("response features make no calls")),
};
