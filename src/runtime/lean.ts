// The production runtime as @routegate/runtime ships it: the router runtime, the routing-config
// contract and the router API, with the network providers only (each adapter and its SDK loaded
// when a config names it). It must never pull in the store, the collector, the report, the CLI,
// CI-only tools, the simulated or replay providers, batch code or the tokenizer:
// test/runtime/boundary.test.ts checks it.
import { networkProviderLoader } from "../providers/network-loader.ts";
import { type CreateRouter, routerFactory } from "./create-router.ts";

export type { ModelSpec, ProviderName, TokenPricing } from "../contracts/model-spec.ts";
export {
  parseRoutingConfig,
  ROUTING_CONFIG_VERSION,
  RoutingConfig,
  RoutingConfigError,
  validateRoutingConfig,
} from "../contracts/routing-config.ts";
export type {
  CallOptions,
  CallResult,
  ChatMessage,
  ChatRequest,
  Item,
  ModelCaller,
  ModelId,
  ProviderCallContext,
  ProviderResult,
  Usage,
} from "../core/types.ts";
export { PROVIDER_SDKS } from "../providers/network-loader.ts";
export type { Provider } from "../providers/provider.ts";
export { ProviderError } from "../providers/provider-error.ts";
export type { ProviderLookup } from "../providers/provider-lookup.ts";
export { modelParam, requireModels } from "../routing/params.ts";
export {
  type AnyRouter,
  type Choice,
  defineRouter,
  type ParamsContext,
  type ParamsSchema,
  type Router,
  type RouterContext,
  type RouterParams,
} from "../routing/router.ts";
export type { RuntimeAllowList } from "./allow-list.ts";
export { RoutingConfigHolder } from "./config-holder.ts";
export type {
  CreateRouter,
  CreateRouterOptions,
  DecisionLog,
  RouteInput,
  RuntimeDecision,
  RuntimeRouter,
} from "./create-router.ts";

/** {@inheritDoc CreateRouter} Built-in providers: openai, vllm, anthropic, google. */
export const createRouter: CreateRouter = routerFactory(() => networkProviderLoader());
