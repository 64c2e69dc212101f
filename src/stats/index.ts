export { cohensKappa, pearson } from "./agreement.ts";
export { aiq, risingUpperHull, type XY } from "./aiq.ts";
export { isBinary } from "./binary.ts";
export {
  type BootstrapOptions,
  bootstrapMeanInterval,
  type MeanInterval,
  pairedBootstrapDiffInterval,
} from "./bootstrap.ts";
export { smallestXReaching, trapezoidArea } from "./curve.ts";
export { mean } from "./mean.ts";
export { type DeltaInterval, newcombePairedInterval, type PairedTable, pairedTable } from "./newcombe.ts";
export { bonferroniZ, inverseNormalCdf, zForAlpha } from "./normal.ts";
export { type PerItemOracle, perItemOracle } from "./oracle.ts";
export { addPair, emptyPairedSums, type PairedSums, pairedIntervalFromSums, pairedSums } from "./paired-sums.ts";
export { type CostQualityPoint, paretoFrontier } from "./pareto.ts";
export {
  type CostPercentiles,
  costPercentiles,
  MIN_ITEMS_FOR_P99,
  percentile,
  quantile,
  quantileSorted,
} from "./percentile.ts";
export { type QualityInterval, qualityInterval } from "./quality.ts";
export { createRng, hashSeed, type Rng, randomUniforms } from "./random.ts";
export {
  foldOf,
  isHeldOut,
  isTraining,
  type SplitOptions,
  type SplitPart,
  splitGroupId,
  splitHash,
  splitPart,
} from "./split.ts";
export {
  normalisedDollars,
  pgrOf,
  type TwoTierCurve,
  type TwoTierItems,
  twoTierOracleRank,
  twoTierSweep,
} from "./two-tier.ts";
export {
  cheapestPointReaching,
  DEFAULT_PGR_TARGETS,
  pgrTargetKey,
  type RandomRouterApgr,
  randomRouterApgr,
  summarizeTwoTier,
  type TwoTierSummary,
} from "./two-tier-summary.ts";
export { wilsonInterval, Z95 } from "./wilson.ts";
