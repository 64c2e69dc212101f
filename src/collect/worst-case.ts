import type { TokenPricing } from "../contracts/model-spec.ts";
import type { ChatRequest, EmbedRequest, ProviderResult } from "../core/types.ts";
import { costOfUsage, inputTokens, outputTokens } from "../pricing/cost.ts";
import { resultCost } from "../pricing/result-cost.ts";
import { countChatTokens, countTokens } from "../providers/tokens.ts";

/**
 * k, the budget's factor over the input estimate. Input counts come from o200k_base (tokens.ts);
 * providers count with their own tokenizers and chat templates (Claude, Gemini and Llama
 * typically within +-15% of o200k on English prose, more on code and non-English text), so each
 * attempt reserves k x the estimate of its input, plus maxTokens of output, at the dearest input
 * price it could be billed. The budget's promise (collect/budget.ts): no overspend while the
 * provider counts at most k x our estimate; past that the run stops at the first reply that shows
 * it. The sim counts with o200k itself, so its estimate is exact.
 */
export const BUDGET_INPUT_FACTOR = 1.5;
const EXACT_INPUT: ReadonlySet<string> = new Set(["sim"]);

/** k for one provider: 1 where the estimate is exact (sim), BUDGET_INPUT_FACTOR elsewhere. */
export function inputFactor(providerId: string): number {
  return EXACT_INPUT.has(providerId) ? 1 : BUDGET_INPUT_FACTOR;
}

export interface WorstCase {
  /** Input (estimated, times k) plus maxTokens of output: what a TPM limiter charges up front. */
  tokens: number;
  /** The unpadded o200k estimate of the input, for the report of a reservation found too small. */
  estimatedInput: number;
  /** Those tokens priced as uncached input and output at the standard price. */
  costUsd: number;
}

/**
 * The most one attempt of `request` can cost while the provider counts at most k x our input
 * estimate: every input token at the dearest price it could be billed (a cache write where the
 * request asks for caching, plain input otherwise), and maxTokens of output.
 */
export function worstCase(request: ChatRequest, pricing: TokenPricing | null, providerId: string): WorstCase {
  const estimatedInput = countChatTokens(request.messages);
  const input = Math.ceil(estimatedInput * inputFactor(providerId));
  // An unpriced model (a replay without a price row, a GPU-hour model before its throughput is
  // measured) reserves nothing: its figure is 0 until it can be priced.
  const costUsd = resultCost(
    {
      usage: {
        input: { noCache: input, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 },
        output: { text: request.maxTokens, reasoning: 0 },
      },
    },
    pricing === null ? null : request.cache ? dearestInput(pricing) : pricing,
  ).usd;
  return { tokens: input + request.maxTokens, estimatedInput, costUsd };
}

/** Pricing whose input price is the highest of plain input and cache writes (Anthropic's 1.25x and 2x). */
function dearestInput(pricing: TokenPricing): TokenPricing {
  const input = Math.max(pricing.input, pricing.cacheWrite5m ?? 0, pricing.cacheWrite1h ?? 0);
  return { ...pricing, input };
}

/**
 * The most one embedding attempt can cost: its text's tokens, times k as for chat input. Never
 * below 4 characters a token, the estimate an adapter without token counts bills (google/embed.ts).
 */
export function embedWorstCase(request: EmbedRequest, pricing: TokenPricing | null, providerId: string): WorstCase {
  const estimatedInput = Math.max(countTokens(request.input), Math.ceil(request.input.length / 4));
  const input = Math.ceil(estimatedInput * inputFactor(providerId));
  const costUsd =
    pricing === null
      ? 0
      : costOfUsage(
          {
            input: { noCache: input, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 },
            output: { text: 0, reasoning: 0 },
          },
          pricing,
        );
  return { tokens: input, estimatedInput, costUsd };
}

/**
 * What one finished attempt cost, by the one cost rule (pricing/result-cost.ts); a model without a
 * price costs 0 here (its outcome fails to price later, with the right message).
 */
export function actualCost(result: ProviderResult, pricing: TokenPricing | null): number {
  return resultCost(result, pricing).usd;
}

/** Tokens one finished attempt used, for reconciling a TPM limiter's up-front charge. */
export function actualTokens(result: ProviderResult): number {
  return inputTokens(result.usage) + outputTokens(result.usage);
}
