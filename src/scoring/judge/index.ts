// The judge room: LLM-judge scorers (pairwise, rubric, reference-guided, recorded verdicts),
// their verdict parsing, aggregation and diagnostics (docs/metrics.md#judge).
export { combinePanel, orderValue, pairScore, rubricScore } from "./aggregate.ts";
export {
  JudgePairwiseConfig,
  JudgeRecordedConfig,
  JudgeReferenceConfig,
  JudgeRubricConfig,
  JudgeScorerConfig,
  type JudgeScorerType,
  judgeScorerTypes,
  RedactOption,
} from "./config.ts";
export { flipRate, kappaVsExact, lengthCorrelation, type PairRecord, tieRate } from "./diagnostics.ts";
export { modelFamily, sharedFamilyWarnings } from "./family.ts";
export { injectionItems, looksLikeInjection } from "./injection.ts";
export { createLiveJudge, DEFAULT_ORDER_SEED, type LiveJudgeContext } from "./live-judge.ts";
export { createRecordedJudge } from "./recorded-judge.ts";
export { createRedactor, EMAIL_MASK, PHONE_MASK, type Redactor } from "./redact.ts";
export { assertSameJudge, judgeDifferences } from "./same-judge.ts";
export type { JudgeCaller, JudgeItemDetail, JudgeMode, JudgeRun, JudgeRunInput, JudgeScorer } from "./types.ts";
export { parseVerdict, type VerdictShape } from "./verdict.ts";
