import type { JudgeSummary } from "../../contracts/judge-summary.ts";
import type { ModelSpec } from "../../contracts/model-spec.ts";
import type { CallOptions, CallResult, ChatRequest, Item, ModelId } from "../../core/types.ts";

export type JudgeMode = "pairwise" | "rubric" | "reference";

/**
 * How a judge reaches models: in evaluation, the store-backed caller (answers cached by request
 * hash, priced from usage, under the run's budget and rate limits). Role "judge" always.
 */
export interface JudgeCaller {
  call(item: Item, model: ModelId, request: ChatRequest, opts: CallOptions): Promise<CallResult>;
  /** A candidate's or judge's spec (for family warnings and the simulated judge's dialect). */
  specOf(model: ModelId): ModelSpec;
  /** The snapshot a model's requests are hashed with (the run's record of the judge). */
  snapshotOf(model: ModelId): string;
}

export interface JudgeProgress {
  start(total: number): void;
  tick(fromStore: boolean): void;
  stop(): void;
}

/** Every candidate's answer to every item: what a judge scores. Rows are models, columns items. */
export interface JudgeRunInput {
  caller: JudgeCaller;
  items: readonly Item[];
  models: readonly ModelId[];
  results: readonly (readonly CallResult[])[];
  /** The request each item was answered with: its last user turn is the question when input is not text. */
  requests: readonly ChatRequest[];
  progress?: JudgeProgress;
}

/** One order of a pairwise comparison (or the single call of a grading), as recorded for audit. */
export interface JudgeAsk {
  /** Judge model id. */
  judge: ModelId;
  /** Pairwise: where the candidate stood in this order. */
  candidate?: "A" | "B";
  /** The candidate's value from this verdict: 1 / 0.5 / 0 (pairwise) or the grade in [0, 1]; null on error. */
  value: number | null;
  /** Request hashes of the judge outcomes (two when the verdict was asked again). */
  hashes: string[];
  repaired: boolean;
  error?: string;
}

/** Why an answer scored what it did under the judge. */
export interface JudgeItemDetail {
  score: number;
  /**
   * No judge call: the answer is an error (0), identical to the reference (0.5), the baseline itself
   * (0.5), against an errored baseline answer (0.5, a judge error), or one of the two texts carries
   * text aimed at the judge (a loss for its author: 0 for the candidate's, 1 against the baseline's).
   */
  skipped?:
    | "answer-error"
    | "identical"
    | "baseline-error"
    | "baseline-itself"
    | "answer-injection"
    | "baseline-injection";
  /** Set when the judge failed (the answer then scores 0). */
  judgeError?: string;
  /** Pairwise: the two orders' combined values, first-asked first. */
  orders?: { candidate: "A" | "B"; value: number }[];
  asks: JudgeAsk[];
}

export interface JudgeRun {
  /** Per model and item, in [0, 1]: what policies are scored with. */
  score: Float64Array[];
  /** 1 where the judge failed on that answer (scored 0, counted, left out of the diagnostics). */
  judgeError: Uint8Array[];
  details: JudgeItemDetail[][];
  summary: JudgeSummary;
  warnings: string[];
  /** A judge is the simulated provider: the run's figures are simulated. */
  simulated: boolean;
  /** Per item: 1 where any text the judge saw (question, reference or an answer) is aimed at it. */
  injectionFlagged?: Uint8Array;
  /** Per item: 1 where the dataset's own texts (question or reference) are; what "exclude" leaves out. */
  injectionExcludable?: Uint8Array;
  onInjection?: "flag" | "exclude";
}

/** A judge as the scorer table builds it: async, cached through the caller, scored over the whole matrix. */
export interface JudgeScorer {
  readonly kind: "judge";
  readonly name: string;
  readonly mode: JudgeMode;
  /** Judge models the run must resolve (none for recorded verdicts). */
  readonly judges: readonly ModelSpec[];
  readonly promptHash: string;
  run(input: JudgeRunInput): Promise<JudgeRun>;
}
