import { z } from "zod";
import { ModelSpec } from "../../contracts/model-spec.ts";

// What eval files write to use a judge as their scorer. Validated by createScorer like every scorer
// config; the judge models named here are resolved and called through the run's store-backed
// caller, so their verdicts are cached and costed like any outcome.

const nonEmpty = z.string().min(1);

/** A judge model: a spec string ("openai:gpt-4o", "sim:flagship") or a full model spec. */
export const JudgeModelRef = z.union([nonEmpty, ModelSpec]);
export type JudgeModelRef = z.infer<typeof JudgeModelRef>;

/** A function from text to text, passed from code (eval files are TypeScript). */
const TextFn = z.custom<(text: string) => string>((v) => typeof v === "function", {
  message: "expected a function (text: string) => string",
});

/**
 * Redaction before any text reaches a judge provider: true (e-mail addresses and phone numbers),
 * a selection, extra regular expressions, or your own function.
 */
export const RedactOption = z.union([
  z.boolean(),
  z.strictObject({
    emails: z.boolean().optional(),
    phones: z.boolean().optional(),
    /** Extra patterns (regular expression sources, matched globally and case-insensitively). */
    patterns: z.array(nonEmpty).optional(),
  }),
  TextFn,
]);
export type RedactOption = z.infer<typeof RedactOption>;

/** Templates replacing the built-in ones: a path to a .hbs/.txt/.md file (relative to the eval file) or the text. */
export const PromptOverride = z.strictObject({ system: nonEmpty.optional(), user: nonEmpty.optional() });

/** An exact scorer to compare the judge with (kappaVsExact): a type name or a config object. */
const AgreeWith = z.union([nonEmpty, z.looseObject({ type: nonEmpty })]);

const common = {
  /** One judge, or several (a panel). */
  judge: z.union([JudgeModelRef, z.array(JudgeModelRef).min(1)]),
  /** How a panel combines its verdicts (default majority). */
  panel: z.enum(["majority", "mean"]).optional(),
  prompt: PromptOverride.optional(),
  /** The rubric (text or a file path); a sensible default is built in. */
  rubric: nonEmpty.optional(),
  /** Seed of the order assignment (default "routegate"). */
  seed: nonEmpty.optional(),
  redact: RedactOption.optional(),
  agreeWith: AgreeWith.optional(),
  /** Output cap of a judge call (default 512). */
  maxTokens: z.number().int().positive().optional(),
  /**
   * Items whose texts carry text aimed at the judge. "flag" (default): listed, and still counted.
   * "exclude": items whose question or reference (the dataset's own texts) carry it are left out
   * of every policy's judged quality. Either way an answer that carries it scores as a loss for
   * its author: excluding those would let a candidate drop the items it is losing.
   */
  onInjection: z.enum(["flag", "exclude"]).optional(),
};

/**
 * Pairwise: the candidate's answer against a reference text, in both orders (docs/metrics.md#judge).
 * `against: "reference"` (default) compares with the item's `expected`; `{ model }` with that
 * candidate model's answer on the same item (the baseline).
 */
export const JudgePairwiseConfig = z.strictObject({
  type: z.literal("judge-pairwise"),
  ...common,
  against: z.union([z.literal("reference"), z.strictObject({ model: nonEmpty })]).optional(),
});

const grading = {
  ...common,
  /** "1-10" maps s to (s - 1) / 9; "pass-fail" to 1 / 0 (or the share of criteria passed). Default 1-10, pass-fail with criteria. */
  scale: z.enum(["1-10", "pass-fail"]).optional(),
  /** Named criteria, each graded pass/fail; the score is the share passed. */
  criteria: z.array(nonEmpty).min(1).optional(),
};

/** Single-answer grading against a rubric. */
export const JudgeRubricConfig = z.strictObject({ type: z.literal("judge-rubric"), ...grading });

/** Single-answer grading with the item's known answer (`expected`) shown to the judge as the reference. */
export const JudgeReferenceConfig = z.strictObject({ type: z.literal("judge-reference"), ...grading });

/**
 * Verdicts recorded by a real judge, replayed instead of calling one (validation on public records).
 * `scores[itemId][modelId]`: rubric 1-10 scores (scale "1-10"), or pairwise scores already in
 * [0, 1] (a win probability or the mean of both orders; scale "unit").
 */
export const JudgeRecordedConfig = z.strictObject({
  type: z.literal("judge-recorded"),
  /** Who judged, as the records name it ("gpt-4 single-v1"). */
  judge: nonEmpty,
  mode: z.enum(["pairwise", "rubric"]),
  scale: z.enum(["1-10", "unit"]).optional(),
  scores: z.record(z.string(), z.record(z.string(), z.number())),
  /** Hash (or name) of the recorded judge prompt, for the run's record. */
  promptHash: nonEmpty.optional(),
  agreeWith: AgreeWith.optional(),
});

export const JudgeScorerConfig = z.discriminatedUnion("type", [
  JudgePairwiseConfig,
  JudgeRubricConfig,
  JudgeReferenceConfig,
  JudgeRecordedConfig,
]);
export type JudgeScorerConfig = z.infer<typeof JudgeScorerConfig>;
export type JudgeScorerType = JudgeScorerConfig["type"];
export type JudgePairwiseConfig = z.infer<typeof JudgePairwiseConfig>;
export type JudgeRubricConfig = z.infer<typeof JudgeRubricConfig>;
export type JudgeReferenceConfig = z.infer<typeof JudgeReferenceConfig>;
export type JudgeRecordedConfig = z.infer<typeof JudgeRecordedConfig>;
export type JudgeLiveConfig = JudgePairwiseConfig | JudgeRubricConfig | JudgeReferenceConfig;

export const judgeScorerTypes: readonly JudgeScorerType[] = [
  "judge-pairwise",
  "judge-rubric",
  "judge-reference",
  "judge-recorded",
];
