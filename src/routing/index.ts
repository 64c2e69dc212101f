export { alwaysRouter } from "./builtin/always.ts";
export {
  CASCADE_GRID,
  type CascadeParams,
  type CascadeScores,
  type CascadeStage,
  type Combine,
  cascadeRouter,
} from "./builtin/cascade.ts";
export { CLASSIFIER_FAILED_RANK, type ClassifierScores, classifierRouter } from "./builtin/classifier.ts";
export {
  CLASSIFIER_INSTRUCTIONS,
  CLASSIFIER_TEMPLATE,
  classifierRequest,
  parseComplexity,
} from "./builtin/classifier-prompt.ts";
export { inputText, lengthRouter } from "./builtin/length.ts";
export { randomRouter } from "./builtin/random.ts";
export { type ThresholdParams, thresholdParamsSchema, thresholdRouter } from "./builtin/threshold.ts";
export * from "./confidence/index.ts";
export { DATA_RULE, fenceData } from "./data-fence.ts";
export { bestIndex, cheapModels, type FamilyFacts, twoTiers } from "./families/facts.ts";
export {
  type BuiltFamilies,
  buildFamilies,
  FAMILY_NAMES,
  type FamilyName,
  type FamilyOptions,
} from "./families/families.ts";
export { parseJsonOutput } from "./json-output.ts";
export type { FeatureRow } from "./learn/feature-row.ts";
export { MAX_INDEX_BYTES } from "./learn/knn-index.ts";
export { K_CANDIDATES, type KnnParams, type KnnScores, knnRouter } from "./learn/knn-router.ts";
export { type LearnedParams, type LearnedScores, learnedRouter } from "./learn/learned-router.ts";
export { logLoss, trainLogistic, trainLogisticCv } from "./learn/logistic.ts";
export {
  LAMBDA_GRID,
  type QualityCostParams,
  type QualityCostScores,
  qualityCostRouter,
} from "./learn/quality-cost-router.ts";
export { checkRouterParams, lengthOneOf, modelParam, requireModels } from "./params.ts";
export {
  type AnyRouter,
  type Choice,
  defineRouter,
  type FitExample,
  itemOnlyScore,
  type ParamsContext,
  type ParamsSchema,
  paramGrid,
  type Router,
  type RouterContext,
  type RouterParams,
  type RouterParamValue,
} from "./router.ts";
