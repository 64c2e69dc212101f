// The scorer seam: what every exact metric returns, and the config users write in eval files.
// Handlers live in ./handlers (one file per type), the type -> factory registry in ./scorer-registry.ts.
import { z } from "zod";
import type { Item } from "../core/types.ts";
import type { JudgeScorerConfig } from "./judge/config.ts";
import type { JudgeScorer } from "./judge/types.ts";

/** One item's score. `score` is in [0, 1] (docs/metrics.md#item-scores); binary scorers return 0 or 1. */
export interface ScoreResult {
  score: number;
  pass: boolean;
  /** Why the score is what it is: the extracted answer, the reason for a 0, per-field results. */
  details?: Record<string, unknown>;
}

/** A synchronous, pure scorer: the same output and item always give the same result. */
export type Scorer = (output: string, item: Item) => ScoreResult;

/**
 * A scorer as the registry builds it: callable as a plain `Scorer`, tagged with its kind and name.
 * `kind` discriminates the scorer families: exact scorers are sync and free; judge scorers
 * (`{ kind: "judge" }`, ./judge) are async, score the whole answer matrix at once, and reach
 * their judge models through the run's caller, so their verdicts are cached and costed.
 */
export type ExactScorer = Scorer & { readonly kind: "exact"; readonly name: string };
export type AnyScorer = ExactScorer | JudgeScorer;
export type { JudgeScorer };

// ---- config (what eval files write) --------------------------------------------------------------

const nonEmpty = z.string().min(1);

/** Output equals expected after trimming leading/trailing whitespace. */
export const ExactConfig = z.strictObject({ type: z.literal("exact") });
/** Output equals expected ignoring case, whitespace runs and punctuation/symbols. */
export const NormalizedConfig = z.strictObject({ type: z.literal("normalized") });
/** Extract one of `labels` from the output and compare it with expected. */
export const LabelConfig = z.strictObject({
  type: z.literal("label"),
  labels: z.array(nonEmpty).min(1),
  caseSensitive: z.boolean().optional(),
});
/** Parse a number from the output and compare it with expected within a tolerance. */
export const NumericConfig = z.strictObject({
  type: z.literal("numeric"),
  /** Absolute tolerance (default 1e-6). */
  tolerance: z.number().nonnegative().optional(),
  /** Relative tolerance, |a - b| <= relative * |expected|; either tolerance passing is a pass. */
  relative: z.number().nonnegative().optional(),
  /**
   * Which number: "auto" (default) the number after the last `####` when present, else the one
   * after the last explicit "answer is" / "Answer:" / `\boxed{`, else the last number; "hash" only the number after `####` (no marker scores 0); "last"; "first".
   */
  extract: z.enum(["auto", "hash", "last", "first"]).optional(),
  /**
   * Reproduce RouteLLM's GSM8K rule exactly: drop commas, take the last run of digits (no sign, no
   * decimals), compare as integers with expected read the same way. For parity checks only.
   */
  routellmCompat: z.boolean().optional(),
});
/** Pass when the regular expression matches the output (expected is not used). */
export const RegexConfig = z.strictObject({
  type: z.literal("regex"),
  pattern: nonEmpty,
  flags: z.string().optional(),
});
/** A zod schema passed from code (classic or mini), validated by instance. */
export const ZodSchemaValue = z.custom<z.core.$ZodType>((v) => v instanceof z.core.$ZodType, {
  message: "expected a zod schema object (pass it from code, e.g. schema: z.object({...}))",
});
/** Parse a JSON object from the output and score the mean per-field accuracy against expected. */
export const JsonConfig = z.strictObject({
  type: z.literal("json"),
  schema: ZodSchemaValue.optional(),
  /** Fields to compare (dot paths allowed); default: the expected object's own keys. */
  fields: z.array(nonEmpty).min(1).optional(),
  /** Absolute tolerance for numeric fields (default 1e-6). */
  tolerance: z.number().nonnegative().optional(),
});
/** Pass when `value` (or expected) appears in the output. */
export const ContainsConfig = z.strictObject({
  type: z.literal("contains"),
  value: nonEmpty.optional(),
  caseSensitive: z.boolean().optional(),
});
/** Extract a multiple-choice letter from the output and compare it with expected. */
export const ChoiceConfig = z.strictObject({
  type: z.literal("choice"),
  /** Choice letters, default A B C D. */
  choices: z
    .array(z.string().regex(/^[A-Za-z]$/, "a choice is a single letter"))
    .min(2)
    .optional(),
});

export const ScorerConfig = z.discriminatedUnion("type", [
  ExactConfig,
  NormalizedConfig,
  LabelConfig,
  NumericConfig,
  RegexConfig,
  JsonConfig,
  ContainsConfig,
  ChoiceConfig,
]);
export type ScorerConfig = z.infer<typeof ScorerConfig>;
export type ScorerType = ScorerConfig["type"];
/** Exact and judge scorer configs: what an eval file's `scorer` field may hold. */
export type AnyScorerConfig = ScorerConfig | JudgeScorerConfig;
export type ConfigOf<K extends ScorerType> = Extract<ScorerConfig, { type: K }>;

export type ExactConfig = z.infer<typeof ExactConfig>;
export type NormalizedConfig = z.infer<typeof NormalizedConfig>;
export type LabelConfig = z.infer<typeof LabelConfig>;
export type NumericConfig = z.infer<typeof NumericConfig>;
export type RegexConfig = z.infer<typeof RegexConfig>;
export type JsonConfig = z.infer<typeof JsonConfig>;
export type ContainsConfig = z.infer<typeof ContainsConfig>;
export type ChoiceConfig = z.infer<typeof ChoiceConfig>;

/**
 * A factory's complaint about its config (a bad regex, conflicting options). `createScorer` turns it
 * into an InputError naming the eval file and the field, e.g. `scorer.pattern`.
 */
export class ScorerConfigProblem extends Error {
  override readonly name = "ScorerConfigProblem";
  constructor(
    /** The option at fault, relative to the scorer config (e.g. "pattern"). */
    readonly field: string,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${field}: ${problem}`);
  }
}
