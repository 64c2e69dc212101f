import { canonicalModelId } from "../contracts/model-spec.ts";
import { parseRoutingConfig, type RoutingConfig, type RoutingConfigError } from "../contracts/routing-config.ts";
import type { CallResult, ChatRequest, Item } from "../core/types.ts";
import { defaultPriceBook, type PriceBook } from "../pricing/price-book.ts";
import type { ProviderLoader } from "../providers/network-loader.ts";
import { ProviderError } from "../providers/provider-error.ts";
import type { ProviderLookup } from "../providers/provider-lookup.ts";
import { lazyProviderSource, registryProviderSource } from "../providers/provider-source.ts";
import type { AnyRouter, RouterContext } from "../routing/router.ts";
import { compileAllowList, type RuntimeAllowList } from "./allow-list.ts";
import { type BoundConfig, bindConfig } from "./bind-config.ts";
import { RoutingConfigHolder } from "./config-holder.ts";
import { ProviderCaller } from "./provider-caller.ts";

/** A live request: what the router scores (the input before templating) and what is sent. */
export interface RouteInput {
  /** Your request id: it keys the request identity, as the item id does in evaluation. */
  id: string;
  input: Item["input"];
  metadata?: Record<string, unknown>;
  request: ChatRequest;
}

/** One routing decision, for observability: what was chosen, why, and what it cost. */
export interface DecisionLog {
  requestId: string;
  at: string;
  router: { id: string; params: RoutingConfig["router"]["params"] };
  scores: unknown;
  chosen: string;
  reason?: string;
  /** The model whose answer was returned (differs from `chosen` after a fallback). */
  answeredBy: string;
  fallbacks: Array<{ model: string; error: string }>;
  calls: Array<{ model: string; requestHash: string; costUsd: number; latencyMs: number; redacted?: true }>;
  costUsd: number;
  latencyMs: number;
}

export interface RuntimeDecision {
  answer: CallResult;
  model: string;
  calls: CallResult[];
  log: DecisionLog;
}

export interface RuntimeRouter {
  route(input: RouteInput, signal?: AbortSignal): Promise<RuntimeDecision>;
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
    async route(input, signal) {
      const { router, models, embedders, cfg } = holder.bound;
      const started = Date.now();
      const caller = new ProviderCaller(models, input.id, signal, embedders);
      const item: Item = { id: input.id, input: input.input, ...(input.metadata ? { metadata: input.metadata } : {}) };
      const ctx: RouterContext = {
        request: input.request,
        models: cfg.models.map((m) => m.id),
        call: (m, r, o) => caller.call(m, r, o),
        embed: (m, r, o) => caller.embed(m, r, o),
      };
      const scores = await router.score(item, ctx);
      const decided = router.decide(scores, cfg.router.params);
      // One model identity: a decision naming a spec string of a model is logged by the model's id.
      const ids = cfg.models.map((m) => m.id);
      const choice = { ...decided, model: canonicalModelId(decided.model, ids) ?? decided.model };
      const fallbacks: DecisionLog["fallbacks"] = [];
      let answer: CallResult | undefined;
      for (const model of fallbackOrder(choice.model, cfg)) {
        try {
          answer = await caller.call(model, input.request);
          break;
        } catch (err) {
          if (!(err instanceof ProviderError) || !err.isRetryable) throw err;
          fallbacks.push({ model, error: err.message });
        }
      }
      if (!answer)
        throw new ProviderError(
          `every model failed: ${fallbacks.map((f) => `${f.model}: ${f.error}`).join("; ")}`,
          "server_error",
          true,
        );
      const log: DecisionLog = {
        requestId: input.id,
        at: new Date(started).toISOString(),
        router: { id: cfg.router.id, params: cfg.router.params },
        scores,
        chosen: choice.model,
        ...(choice.reason ? { reason: choice.reason } : {}),
        answeredBy: answer.model,
        fallbacks,
        calls: caller.calls.map((c) => ({
          model: c.model,
          requestHash: c.requestHash,
          costUsd: c.costUsd,
          latencyMs: c.latencyMs,
          ...(c.redacted ? { redacted: true as const } : {}),
        })),
        costUsd: caller.calls.reduce((s, c) => s + c.costUsd, 0),
        latencyMs: Date.now() - started,
      };
      opts.onDecision?.(log);
      return { answer, model: answer.model, calls: [...caller.calls], log };
    },
  };
}

/** The chosen model first, then the others in the config's order. */
function fallbackOrder(chosen: string, cfg: RoutingConfig): string[] {
  return [chosen, ...cfg.models.map((m) => m.id).filter((id) => id !== chosen)];
}
