import { Budget } from "../../src/collect/budget.ts";
import { CallGuard } from "../../src/collect/call-guard.ts";
import { CallStats } from "../../src/collect/call-stats.ts";
import { type Clock, FakeClock } from "../../src/collect/clock.ts";
import { ProviderLanes } from "../../src/collect/lanes.ts";
import type { LimitsByProvider } from "../../src/collect/provider-limits.ts";
import { type ClaimTiming, RequestClaims } from "../../src/collect/request-claims.ts";
import type { ResolvedModel } from "../../src/collect/resolved-model.ts";
import { DEFAULT_RETRY, type RetryPolicy } from "../../src/collect/retry.ts";
import { StoreCaller } from "../../src/collect/store-caller.ts";
import type { TokenPricing } from "../../src/contracts/model-spec.ts";
import type { ChatRequest, Item } from "../../src/core/types.ts";
import type { SecretScrubber } from "../../src/providers/scrub/secret-scrubber.ts";
import { OutcomeStore } from "../../src/store/outcome-store.ts";
import type { RecordingProvider } from "./recording-provider.ts";

/** Round prices for readable arithmetic: $1 per 1M input tokens, $4 per 1M output tokens. */
export const TEST_PRICING: TokenPricing = { input: 1, output: 4 };

export interface HarnessOptions {
  /** Model id -> the provider that answers it. */
  models: Record<string, RecordingProvider>;
  pricing?: TokenPricing;
  concurrency?: number;
  limits?: LimitsByProvider;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  maxCostUsd?: number | null;
  /** Default: a FakeClock, so backoff costs no real time. */
  clock?: Clock;
  random?: () => number;
  store?: OutcomeStore;
  offline?: boolean;
  /** The run's keys, as runEval passes them (providers/scrub). */
  scrubber?: SecretScrubber;
  /** Claims on requests in flight (default: none, as for a store no other process shares). */
  claims?: ClaimTiming;
  retryFailed?: boolean;
  /** Offline answers' commit blocks (default: StoreCaller's). */
  offlineBlock?: { rows: number; ms: number };
}

/** A StoreCaller over recording providers, wired as runEval wires it. */
export function collectHarness(opts: HarnessOptions) {
  const stats = new CallStats();
  const clock = opts.clock ?? new FakeClock();
  const budget = new Budget(opts.maxCostUsd ?? null);
  const store = opts.store ?? OutcomeStore.open(":memory:");
  const models = new Map<string, ResolvedModel>();
  for (const [id, provider] of Object.entries(opts.models)) {
    models.set(id, {
      spec: { id, provider: "openai", model: id },
      provider,
      pricing: opts.pricing ?? TEST_PRICING,
      snapshot: `${provider.id}:${id}`,
    });
  }
  const guard = new CallGuard({
    lanes: new ProviderLanes(opts.concurrency ?? 16, opts.limits ?? {}, clock),
    budget,
    retry: { ...DEFAULT_RETRY, ...opts.retry },
    timeoutMs: opts.timeoutMs ?? 0,
    clock,
    ...(opts.random ? { random: opts.random } : {}),
    stats,
    models: [...models.values()],
  });
  const caller = new StoreCaller({
    store,
    models,
    guard,
    stats,
    offline: opts.offline ?? false,
    ...(opts.scrubber ? { scrubber: opts.scrubber } : {}),
    ...(opts.claims ? { claims: new RequestClaims(store, opts.claims) } : {}),
    retryFailed: opts.retryFailed ?? false,
    ...(opts.offlineBlock ? { offlineBlock: opts.offlineBlock } : {}),
  });
  return { caller, store, stats, budget, clock, models };
}

/** Items q0..q(n-1) with distinct inputs. */
export function testItems(n: number): Item[] {
  return Array.from({ length: n }, (_, i) => ({ id: `q${i}`, input: `Question number ${i}: what is ${i} + ${i}?` }));
}

/** A small request for an item: its input as the user message, `maxTokens` of output allowed. */
export function testRequest(item: Item, maxTokens = 200): ChatRequest {
  return { messages: [{ role: "user", content: String(item.input) }], maxTokens, temperature: 0 };
}
