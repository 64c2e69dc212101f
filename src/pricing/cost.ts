import type { TokenPricing } from "../contracts/model-spec.ts";
import type { Usage } from "../core/types.ts";

/** The batch price as a share of the standard one where a price gives none (OpenAI, Anthropic, Google: half). */
export const DEFAULT_BATCH_MULTIPLIER = 0.5;

export interface CostOptions {
  /** Priced at the batch price: every component times `batchMultiplier` (default DEFAULT_BATCH_MULTIPLIER). */
  batch?: boolean;
}

/**
 * USD cost of a usage at a price, exactly the formula of docs/metrics.md (usage and cost). What a
 * result cost (recorded bills, failures, the batch tier) is `resultCost`'s question, not this one's:
 * (noCache x input + cacheRead x cachedInput + cacheWrite5m x write5m + cacheWrite1h x write1h
 *  + (text + reasoning) x output) / 1e6. Missing cachedInput / cacheWrite prices default to the
 * input price (a provider that lists none charges cached and written tokens as plain input).
 */
export function costOfUsage(usage: Usage, pricing: TokenPricing, opts: CostOptions = {}): number {
  const cachedInput = pricing.cachedInput ?? pricing.input;
  const write5m = pricing.cacheWrite5m ?? pricing.input;
  const write1h = pricing.cacheWrite1h ?? pricing.input;
  const { noCache, cacheRead, cacheWrite5m, cacheWrite1h } = usage.input;
  const micro =
    noCache * pricing.input +
    cacheRead * cachedInput +
    cacheWrite5m * write5m +
    cacheWrite1h * write1h +
    (usage.output.text + usage.output.reasoning) * pricing.output;
  const multiplier = opts.batch ? (pricing.batchMultiplier ?? DEFAULT_BATCH_MULTIPLIER) : 1;
  return (micro * multiplier) / 1e6;
}

/** All-zero usage (a call the provider did not bill, or a recorded cost without tokens). */
export function zeroUsage(): Usage {
  return { input: { noCache: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 }, output: { text: 0, reasoning: 0 } };
}

/** Total input tokens (cached and written included). */
export function inputTokens(usage: Usage): number {
  const i = usage.input;
  return i.noCache + i.cacheRead + i.cacheWrite5m + i.cacheWrite1h;
}

/** Total output tokens (reasoning included). */
export function outputTokens(usage: Usage): number {
  return usage.output.text + usage.output.reasoning;
}
