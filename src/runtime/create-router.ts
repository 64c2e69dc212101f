import { parseRoutingConfig, type RoutingConfig, type RoutingConfigError } from "../contracts/routing-config.ts";
import type { CallResult } from "../core/types.ts";
import { defaultPriceBook, type PriceBook } from "../pricing/price-book.ts";
import type { ProviderLoader } from "../providers/network-loader.ts";
import type { ProviderLookup } from "../providers/provider-lookup.ts";
import { lazyProviderSource, registryProviderSource } from "../providers/provider-source.ts";
import type { AnyRouter } from "../routing/router.ts";
import { compileAllowList, type RuntimeAllowList } from "./allow-list.ts";
import { answerPlan } from "./answer.ts";
import { type BoundConfig, bindConfig } from "./bind-config.ts";
import { RoutingConfigHolder } from "./config-holder.ts";
import { type DecisionLog, decisionLog, planRoute, type RouteInput, type RoutePlan } from "./route-plan.ts";

export type { DecisionLog, RouteInput, RoutePlan } from "./route-plan.ts";

export interface RuntimeDecision {
  answer: CallResult;
  model: string;
  calls: CallResult[];
  log: DecisionLog;
}

export interface RuntimeRouter {
  route(input: RouteInput, signal?: AbortSignal): Promise<RuntimeDecision>;
  /**
   * The score and decide steps alone, on the config in force now (a later reload does not change
   * it): for hosts that answer themselves, e.g. streamed (runtime/answer.ts), or only compare
   * decisions (shadow evaluation).
   */
  plan(input: RouteInput, signal?: AbortSignal): Promise<RoutePlan>;
  readonly config: RoutingConfig;
  /**
   * Loads a new config. One that is invalid, not allowed by the host, or whose router or params
   * are refused changes nothing: `config` and routing stay on the last good one.
   */
  update(text: string, source?: string): RoutingConfigError | null;
}

export interface CreateRouterOptions {
  /** Routers registered in code; the config names one by id (`always:<model>` needs none). */
  routers: readonly AnyRouter[];
  /**
   * Providers, endpoints and key variables the config may use (see RuntimeAllowList). Default:
   * openai, anthropic and google at their own endpoints with their own key variables; no vllm,
   * no other base URL or key variable, no sim or replay.
   */
  allow?: RuntimeAllowList;
  /**
   * Providers to route with (custom ones, test doubles). Default: the built-in providers, each
   * imported the first time a config names it, so an openai-only service never loads the others.
   */
  providers?: ProviderLookup;
  prices?: PriceBook;
  onDecision?: (log: DecisionLog) => void;
  /** Names the config in error messages (default "routing config"). */
  source?: string;
}

/**
 * Production routing with the exact router code the evaluation ran: score, then decide, then
 * answer with the chosen model, falling back to the next model on 429/5xx/timeouts. A config the
 * host does not allow (provider, base URL, key variable, sim/replay), whose provider's SDK is not
 * installed, whose router is not registered or whose params its router's schema rejects, is
 * refused: at creation by a thrown RoutingConfigError, on `update` by the returned one, the last
 * good config staying in force.
 */
export type CreateRouter = (config: RoutingConfig | string, opts: CreateRouterOptions) => RuntimeRouter;

/**
 * createRouter over a set of built-in providers: @routegate/runtime's has the network providers
 * only; the full package's (routegate/runtime) adds sim and replay for tests and demos.
 */
export function routerFactory(builtIn: () => ProviderLoader): CreateRouter {
  return (config, opts) => createRouterWith(config, opts, builtIn);
}

function createRouterWith(
  config: RoutingConfig | string,
  opts: CreateRouterOptions,
  builtIn: () => ProviderLoader,
): RuntimeRouter {
  const source = opts.source ?? "routing config";
  const deps = {
    routers: opts.routers,
    allow: compileAllowList(opts.allow),
    providers: opts.providers ? registryProviderSource(opts.providers) : lazyProviderSource(builtIn()),
    prices: opts.prices ?? defaultPriceBook(),
  };
  const holder = new RoutingConfigHolder<BoundConfig>(
    typeof config === "string" ? parseRoutingConfig(config, source) : config,
    (cfg, from) => bindConfig(cfg, from, deps),
    source,
  );

  return {
    get config() {
      return holder.config;
    },
    update(text, from) {
      return holder.update(text, from);
    },
    plan(input, signal) {
      return planRoute(holder.bound, input, signal);
    },
    async route(input, signal) {
      const plan = await planRoute(holder.bound, input, signal);
      const { answer, fallbacks } = await answerPlan(plan, signal ? { signal } : {});
      const log = decisionLog(plan, answer, fallbacks);
      opts.onDecision?.(log);
      return { answer, model: answer.model, calls: [...plan.caller.calls], log };
    },
  };
}
