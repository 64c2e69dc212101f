export { alwaysRouter } from "./builtin/always.ts";
export { inputText, lengthRouter } from "./builtin/length.ts";
export { randomRouter } from "./builtin/random.ts";
export { type ThresholdParams, thresholdRouter } from "./builtin/threshold.ts";
export {
  type AnyRouter,
  type Choice,
  defineRouter,
  paramGrid,
  type Router,
  type RouterContext,
  type RouterParams,
} from "./router.ts";
