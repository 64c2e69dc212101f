import type { TokenPricing } from "../contracts/model-spec.ts";
import type { ChatRequest, ProviderResult } from "../core/types.ts";
import { costOfUsage, inputTokens, outputTokens } from "../pricing/cost.ts";
import { countChatTokens } from "../providers/tokens.ts";

/**
 * Input counts come from o200k_base (tokens.ts). sim and replay count with it themselves, so
 * their estimate is exact; real providers tokenize differently (Claude, Gemini and Llama
 * typically within +-15%, worse on code and non-English text), so their input is padded: the
 * budget's promise is never to overspend, and an underestimate would break it.
 */
const INPUT_MARGIN: Readonly<Record<string, number>> = { sim: 1, replay: 1 };
const DEFAULT_INPUT_MARGIN = 1.25;

export interface WorstCase {
  /** Input (estimated, padded) plus maxTokens of output: what a TPM limiter charges up front. */
  tokens: number;
  /** Those tokens priced as uncached input and output at the standard price. */
  costUsd: number;
}

/** The most one attempt of `request` can cost: every input token uncached, and maxTokens of output. */
export function worstCase(request: ChatRequest, pricing: TokenPricing | null, providerId: string): WorstCase {
  const margin = INPUT_MARGIN[providerId] ?? DEFAULT_INPUT_MARGIN;
  const input = Math.ceil(countChatTokens(request.messages) * margin);
  const costUsd =
    pricing === null
      ? 0
      : costOfUsage(
          {
            input: { noCache: input, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 },
            output: { text: request.maxTokens, reasoning: 0 },
          },
          pricing,
        );
  return { tokens: input + request.maxTokens, costUsd };
}

/**
 * What one finished attempt cost. Recorded costs are used only where usage is unknown or merely
 * estimated, as in the outcome table's pricing; a model without a price row costs 0 here (its
 * outcome fails to price later, with the right message).
 */
export function actualCost(result: ProviderResult, pricing: TokenPricing | null): number {
  if (result.recordedCostUsd !== undefined && result.usageEstimated) return result.recordedCostUsd;
  if (pricing === null) return 0;
  return costOfUsage(result.usage, pricing, { batch: result.serviceTier === "batch" });
}

/** Tokens one finished attempt used, for reconciling a TPM limiter's up-front charge. */
export function actualTokens(result: ProviderResult): number {
  return inputTokens(result.usage) + outputTokens(result.usage);
}
