import type { CallResult, ChatRequest, Item } from "../core/types.ts";
import type { RoutingConfig } from "../export/routing-config.ts";
import { defaultPriceBook, type PriceBook } from "../pricing/price-book.ts";
import { ProviderError } from "../providers/provider.ts";
import { createProviderRegistry, type ProviderRegistry } from "../providers/registry.ts";
import { alwaysRouter } from "../routing/builtin/always.ts";
import type { AnyRouter, RouterContext } from "../routing/router.ts";
import { parseRoutingConfig, RoutingConfigError, RoutingConfigHolder } from "./load-config.ts";
import { ProviderCaller, type RuntimeModel } from "./provider-caller.ts";

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
  calls: Array<{ model: string; requestHash: string; costUsd: number; latencyMs: number }>;
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
  /** Loads a new config; an invalid one is refused and the last good one stays. */
  update(text: string, source?: string): RoutingConfigError | null;
}

export interface CreateRouterOptions {
  /** Routers registered in code; the config names one by id (`always:<model>` needs none). */
  routers: readonly AnyRouter[];
  providers?: ProviderRegistry;
  prices?: PriceBook;
  onDecision?: (log: DecisionLog) => void;
}

/**
 * Production routing with the exact router code the evaluation ran: score, then decide, then
 * answer with the chosen model, falling back to the next model on 429/5xx/timeouts.
 */
export function createRouter(config: RoutingConfig | string, opts: CreateRouterOptions): RuntimeRouter {
  const holder = new RoutingConfigHolder(typeof config === "string" ? parseRoutingConfig(config) : config);
  const providers = opts.providers ?? createProviderRegistry();
  const prices = opts.prices ?? defaultPriceBook();
  let bound = bind(holder.config, opts.routers, providers, prices);

  return {
    get config() {
      return holder.config;
    },
    update(text, source) {
      const error = holder.update(text, source);
      if (error) return error;
      try {
        bound = bind(holder.config, opts.routers, providers, prices);
        return null;
      } catch (err) {
        return new RoutingConfigError((err as Error).message);
      }
    },
    async route(input, signal) {
      const { router, models, cfg } = bound;
      const started = Date.now();
      const caller = new ProviderCaller(models, input.id, signal);
      const item: Item = { id: input.id, input: input.input, ...(input.metadata ? { metadata: input.metadata } : {}) };
      const ctx: RouterContext = {
        request: input.request,
        models: cfg.models.map((m) => m.id),
        call: (m, r, o) => caller.call(m, r, o),
      };
      const scores = await router.score(item, ctx);
      const choice = router.decide(scores, cfg.router.params);
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
        })),
        costUsd: caller.calls.reduce((s, c) => s + c.costUsd, 0),
        latencyMs: Date.now() - started,
      };
      opts.onDecision?.(log);
      return { answer, model: answer.model, calls: [...caller.calls], log };
    },
  };
}

function bind(cfg: RoutingConfig, routers: readonly AnyRouter[], providers: ProviderRegistry, prices: PriceBook) {
  const router = cfg.router.id.startsWith("always:")
    ? alwaysRouter(cfg.router.id.slice("always:".length))
    : routers.find((r) => r.id === cfg.router.id);
  if (!router) {
    throw new RoutingConfigError(
      `the routing config names router "${cfg.router.id}", which is not registered in code (registered: ${routers.map((r) => r.id).join(", ") || "none"})`,
    );
  }
  const models = new Map<string, RuntimeModel>();
  for (const spec of cfg.models) {
    const provider = providers.get(spec.provider);
    let pricing: RuntimeModel["pricing"] = null;
    try {
      pricing = prices.priceFor(spec);
    } catch {
      // Production must route even when a price row is missing; the decision log then shows cost 0.
    }
    models.set(spec.id, { spec, provider, pricing });
  }
  return { router, models, cfg };
}

/** The chosen model first, then the others in the config's order. */
function fallbackOrder(chosen: string, cfg: RoutingConfig): string[] {
  return [chosen, ...cfg.models.map((m) => m.id).filter((id) => id !== chosen)];
}
