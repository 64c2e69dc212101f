// What production imports: the router runtime, the routing-config contract and the router API.
// It must never pull in the store, the collector, the report, the CLI or CI-only tools
// (better-sqlite3, handlebars, yargs, danger, playwright): test/runtime/boundary.test.ts checks it.
export {
  parseRoutingConfig,
  ROUTING_CONFIG_VERSION,
  RoutingConfig,
  RoutingConfigError,
  validateRoutingConfig,
} from "../contracts/routing-config.ts";
export { modelParam, requireModels } from "../routing/params.ts";
export {
  type AnyRouter,
  defineRouter,
  type ParamsContext,
  type ParamsSchema,
  type Router,
  type RouterContext,
} from "../routing/router.ts";
export type { RuntimeAllowList } from "./allow-list.ts";
export { RoutingConfigHolder } from "./config-holder.ts";
export {
  type CreateRouterOptions,
  createRouter,
  type DecisionLog,
  type RouteInput,
  type RuntimeDecision,
  type RuntimeRouter,
} from "./create-router.ts";
