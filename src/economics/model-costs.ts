import type { TokenPricing } from "../contracts/model-spec.ts";
import type { ModelSummary, Summary } from "../contracts/summary.ts";
import type { PriceBook } from "../pricing/price-book.ts";

// Per-request token figures of each model, from summary.json's token totals, and the per-request
// cost those tokens would have under a lever setting. The planner never prices a policy from
// scratch: it scales the policy's measured cost by the ratio of a model's cost under the lever to
// its cost as measured, so the cascade calls, classifier calls and percentiles the eval measured
// carry over unchanged.

export interface ModelProfile {
  id: string;
  /** Mean input tokens per request (cached ones included). */
  input: number;
  /** Mean input tokens per request read from cache in the eval. */
  cachedInput: number;
  /** Mean output tokens per request (reasoning included). */
  output: number;
  /** USD per request as summary.json reports it (the eval's own caching included). */
  measuredUsd: number;
  pricing: TokenPricing | undefined;
}

export interface LeverSetting {
  /** Probability the stable prefix is read from cache; 0 = no caching. */
  hit: number;
  /** Share of input tokens in the stable prefix. */
  prefixShare: number;
  /** Share of requests sent through the batch API. */
  batchShare: number;
  /** Cache write price to use on a miss (the TTL decides 5 m or 1 h). */
  ttl: "5m" | "1h";
}

/**
 * Token figures per request: summary.json's model tokens are totals over all dataset items.
 * Pricing comes from the price book: exact rows for the id, `provider:snapshot` and the snapshot.
 */
export function modelProfiles(summary: Summary, book: PriceBook): Map<string, ModelProfile> {
  const n = Math.max(1, summary.dataset.items);
  const out = new Map<string, ModelProfile>();
  for (const m of summary.models) {
    out.set(m.id, {
      id: m.id,
      input: m.tokens.input / n,
      cachedInput: m.tokens.cachedInput / n,
      output: (m.tokens.output + m.tokens.reasoning) / n,
      measuredUsd: m.costPer1k / 1000,
      pricing: pricingFor(m, book),
    });
  }
  return out;
}

function pricingFor(m: ModelSummary, book: PriceBook): TokenPricing | undefined {
  const model = m.id.includes(":") ? m.id.slice(m.id.indexOf(":") + 1) : m.id;
  for (const name of [m.id, `${m.provider}:${m.snapshot}`, m.snapshot, model]) {
    const row = book.rowFor(name);
    if (row) return row;
  }
  return undefined;
}

/** Stable-prefix share the eval observed: cached input over all input. */
export function observedPrefixShare(p: ModelProfile): number {
  return p.input > 0 ? p.cachedInput / p.input : 0;
}

/**
 * USD per request for the profile's tokens under a lever setting:
 *   input x [(1 - s) x inputPrice + s x h x cachedPrice + s x (1 - h) x writePrice] + output x outputPrice
 * all / 1e6, then x [(1 - b) + b x batchMultiplier]. A miss writes the prefix (Anthropic bills the
 * write at a premium; providers that list no write price bill it as plain input).
 */
export function costUnder(p: ModelProfile, pricing: TokenPricing, lever: LeverSetting): number {
  const cached = pricing.cachedInput ?? pricing.input;
  const write = (lever.ttl === "1h" ? pricing.cacheWrite1h : pricing.cacheWrite5m) ?? pricing.input;
  const s = lever.prefixShare;
  const h = lever.hit;
  const inputPerToken = (1 - s) * pricing.input + s * h * cached + s * (1 - h) * write;
  const realTime = (p.input * inputPerToken + p.output * pricing.output) / 1e6;
  const batchMultiplier = pricing.batchMultiplier ?? 0.5;
  return realTime * (1 - lever.batchShare + lever.batchShare * batchMultiplier);
}

/**
 * USD per request as measured, recomputed from the same price row: uncached input at the input
 * price, cached input at the cached price. The lever factor costUnder / measuredFromTokens is
 * then free of any drift between the price row and the summary's price table version.
 */
export function measuredFromTokens(p: ModelProfile, pricing: TokenPricing): number {
  const cached = pricing.cachedInput ?? pricing.input;
  return ((p.input - p.cachedInput) * pricing.input + p.cachedInput * cached + p.output * pricing.output) / 1e6;
}
