import type { TokenPricing } from "../contracts/model-spec.ts";
import type { ModelSummary, Summary } from "../contracts/summary.ts";
import type { Usage } from "../core/types.ts";
import type { PriceBook } from "../pricing/price-book.ts";
import { resultCost } from "../pricing/result-cost.ts";

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
 * Pricing is the price the run applied (`models[].pricing.usdPerMillion`: the spec's own pricing,
 * else the price table's row, GPU-hours converted per token); a summary written before it was
 * recorded falls back to the price book: exact rows for the id, `provider:snapshot` and the snapshot.
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
  if (m.pricing?.usdPerMillion) return m.pricing.usdPerMillion;
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
 * USD per request for the profile's tokens under a lever setting, by the one cost rule
 * (pricing/result-cost.ts) applied to the request's expected usage: of its input, a share s is
 * the stable prefix, read from cache with probability h and written on a miss (Anthropic bills
 * the write at a premium; providers that list no write price bill it as plain input):
 *   usage = {uncached: input x (1 - s), cache read: input x s x h, cache write: input x s x (1 - h), output}
 *   cost  = (1 - b) x cost(usage, real time) + b x cost(usage, batch)
 */
export function costUnder(p: ModelProfile, pricing: TokenPricing, lever: LeverSetting): number {
  const s = lever.prefixShare;
  const h = lever.hit;
  const written = p.input * s * (1 - h);
  const usage: Usage = {
    input: {
      noCache: p.input * (1 - s),
      cacheRead: p.input * s * h,
      cacheWrite5m: lever.ttl === "5m" ? written : 0,
      cacheWrite1h: lever.ttl === "1h" ? written : 0,
    },
    output: { text: p.output, reasoning: 0 },
  };
  const realTime = resultCost({ usage }, pricing).usd;
  const batch = resultCost({ usage, serviceTier: "batch" }, pricing).usd;
  return (1 - lever.batchShare) * realTime + lever.batchShare * batch;
}

/**
 * USD per request as measured, recomputed from the same price: uncached input at the input price,
 * cached input at the cached price, by the one cost rule. The lever factor costUnder /
 * measuredFromTokens is then free of any drift between the price and the summary's price table.
 */
export function measuredFromTokens(p: ModelProfile, pricing: TokenPricing): number {
  const usage: Usage = {
    input: { noCache: p.input - p.cachedInput, cacheRead: p.cachedInput, cacheWrite5m: 0, cacheWrite1h: 0 },
    output: { text: p.output, reasoning: 0 },
  };
  return resultCost({ usage }, pricing).usd;
}
