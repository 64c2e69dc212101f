export { alwaysRouter } from "./builtin/always.ts";
export { inputText, lengthRouter } from "./builtin/length.ts";
export { randomRouter } from "./builtin/random.ts";
export { type ThresholdParams, thresholdRouter } from "./builtin/threshold.ts";
export {
  type AnyRouter,
  type Choice,
  defineRouter,
  type FitExample,
  paramGrid,
  type Router,
  type RouterContext,
  type RouterParamValue,
  type RouterParams,
} from "./router.ts";
