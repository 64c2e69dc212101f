import { canonicalModelId, type ModelSpec } from "../contracts/model-spec.ts";
import type { RoutingConfig } from "../contracts/routing-config.ts";
import type { CallResult, ChatRequest, Item } from "../core/types.ts";
import type { Choice, RouterContext } from "../routing/router.ts";
import type { BoundConfig } from "./bind-config.ts";
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
  /** The router's single-number score (`rank`), where it has one: what drift checks compare. */
  rank?: number;
  chosen: string;
  reason?: string;
  /** The model whose answer was returned (differs from `chosen` after a fallback). */
  answeredBy: string;
  fallbacks: Array<{ model: string; error: string }>;
  calls: Array<{ model: string; requestHash: string; costUsd: number; latencyMs: number; redacted?: true }>;
  costUsd: number;
  latencyMs: number;
}

/**
 * A request scored and decided, not yet answered: the config it started on (a reload never
 * changes it midway), the router's scores and choice, and the caller holding the score step's
 * calls (a cascade's accepted weak answer is not paid twice).
 */
export interface RoutePlan {
  bound: BoundConfig;
  input: RouteInput;
  caller: ProviderCaller;
  scores: unknown;
  choice: Choice;
  rank: number | undefined;
  started: number;
}

/** Runs the score and decide steps of the bound config's router for one request. */
export async function planRoute(bound: BoundConfig, input: RouteInput, signal?: AbortSignal): Promise<RoutePlan> {
  const { router, models, embedders, cfg } = bound;
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
  const ranked = router.rank?.(scores, cfg.router.params);
  const rank = typeof ranked === "number" && Number.isFinite(ranked) ? ranked : undefined;
  return { bound, input, caller, scores, choice, rank, started };
}

/** The chosen model first, then the others in the config's order: the fallback order. */
export function fallbackOrder(plan: RoutePlan): ModelSpec[] {
  const models = plan.bound.cfg.models;
  const chosen = models.find((m) => m.id === plan.choice.model);
  return [...(chosen ? [chosen] : []), ...models.filter((m) => m.id !== plan.choice.model)];
}

/** The decision log of an answered plan. */
export function decisionLog(plan: RoutePlan, answer: CallResult, fallbacks: DecisionLog["fallbacks"]): DecisionLog {
  const { cfg } = plan.bound;
  const calls = plan.caller.calls;
  return {
    requestId: plan.input.id,
    at: new Date(plan.started).toISOString(),
    router: { id: cfg.router.id, params: cfg.router.params },
    scores: plan.scores,
    ...(plan.rank !== undefined ? { rank: plan.rank } : {}),
    chosen: plan.choice.model,
    ...(plan.choice.reason ? { reason: plan.choice.reason } : {}),
    answeredBy: answer.model,
    fallbacks,
    calls: calls.map((c) => ({
      model: c.model,
      requestHash: c.requestHash,
      costUsd: c.costUsd,
      latencyMs: c.latencyMs,
      ...(c.redacted ? { redacted: true as const } : {}),
    })),
    costUsd: calls.reduce((s, c) => s + c.costUsd, 0),
    latencyMs: Date.now() - plan.started,
  };
}
