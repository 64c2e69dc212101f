// The public data contracts, one file each: a zod schema and its type. This room is the ground
// floor: it imports zod and src/core only, and every other room takes its contracts from here.
export { DatasetLine } from "./dataset-line.ts";
export { EVAL_OUTPUT_VERSION, EvalOutput } from "./eval-output.ts";
export { JudgeSummary } from "./judge-summary.ts";
export { GpuPricing, ModelSpec, ProviderName, parseModelSpec, TokenPricing } from "./model-spec.ts";
export { RecordedOutcomeLine, RecordedUsage } from "./recorded-outcome.ts";
export {
  parseRoutingConfig,
  ROUTING_CONFIG_VERSION,
  RoutingConfig,
  RoutingConfigError,
  validateRoutingConfig,
} from "./routing-config.ts";
export * from "./summary.ts";
