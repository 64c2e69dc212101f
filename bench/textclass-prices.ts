import type { TokenPricing } from "../src/contracts/model-spec.ts";

/**
 * Every TextClass model's price, fixed before any routing figure was measured (USD per 1M tokens;
 * the benchmark records one label per item, so input dominates). The bench prices each replayed
 * model from this table (a spec `pricing` override), so a later change to the shipped price table
 * cannot move these figures silently; test/real-data/textclass-prices.test.ts checks each row
 * against the shipped table. Locally served models (Ollama, self-hosted by the benchmark's author)
 * are priced at the hosted-API price of the same open model, never as free.
 */
export const TEXTCLASS_PRICES_DATE = "2026-11";

export interface PinnedPrice extends TokenPricing {
  /** Where the price comes from. */
  source: string;
  /** The shipped price-table row it equals (the hosted equivalent for locally served models). */
  row: string;
  /** Reasoning tokens were not recorded: its cost is a lower bound. */
  lowerBound?: true;
}

const openai = "openai.com/api/pricing (2026-11)";
const anthropic = "anthropic.com/pricing (2026-11)";
const google = "ai.google.dev/gemini-api/docs/pricing (2026-11)";
const mistral = "mistral.ai/pricing (2026-11)";
const fireworks = "fireworks.ai/pricing (2026-11)";
const local =
  "run locally by the benchmark (Ollama): the hosted price of the same open model, fireworks.ai/pricing (2026-11)";

export const TEXTCLASS_PRICES: Readonly<Record<string, PinnedPrice>> = {
  "gpt-4o-2024-05-13": { input: 5, output: 15, source: openai, row: "gpt-4o-2024-05-13" },
  "gpt-4o-mini-2024-07-18": { input: 0.15, cachedInput: 0.075, output: 0.6, source: openai, row: "gpt-4o-mini" },
  "gpt-4.1-2025-04-14": { input: 2, cachedInput: 0.5, output: 8, source: openai, row: "gpt-4.1" },
  "gpt-4.1-mini-2025-04-14": { input: 0.4, cachedInput: 0.1, output: 1.6, source: openai, row: "gpt-4.1-mini" },
  "gpt-4.1-nano-2025-04-14": { input: 0.1, cachedInput: 0.025, output: 0.4, source: openai, row: "gpt-4.1-nano" },
  "gpt-3.5-turbo-0125": { input: 0.5, output: 1.5, source: openai, row: "gpt-3.5-turbo-0125" },
  "o3-mini-2025-01-31": {
    input: 1.1,
    cachedInput: 0.55,
    output: 4.4,
    source: openai,
    row: "o3-mini",
    lowerBound: true,
  },
  "claude-3-5-sonnet-20241022": { input: 3, cachedInput: 0.3, output: 15, source: anthropic, row: "claude-3-5-sonnet" },
  "claude-3-5-haiku-20241022": { input: 0.8, cachedInput: 0.08, output: 4, source: anthropic, row: "claude-3-5-haiku" },
  "gemini-1.5-pro": { input: 1.25, output: 5, source: google, row: "gemini-1.5-pro" },
  "gemini-1.5-flash": { input: 0.075, output: 0.3, source: google, row: "gemini-1.5-flash" },
  "gemini-1.5-flash-8b": { input: 0.0375, output: 0.15, source: google, row: "gemini-1.5-flash-8b" },
  "gemini-2.0-flash": { input: 0.1, cachedInput: 0.025, output: 0.4, source: google, row: "gemini-2.0-flash" },
  "llama-3.1-405b@fireworks": { input: 3, output: 3, source: fireworks, row: "llama-3.1-405b@fireworks" },
  "llama-3.1-70b@ollama": { input: 0.9, output: 0.9, source: local, row: "llama-3.1-70b@fireworks" },
  "llama-3.1-8b@ollama": { input: 0.2, output: 0.2, source: local, row: "llama-3.1-8b@fireworks" },
  "mistral-large-2411": { input: 2, output: 6, source: mistral, row: "mistral-large-2411" },
  "open-mixtral-8x22b": { input: 2, output: 6, source: mistral, row: "open-mixtral-8x22b" },
  "ministral-8b-2410": { input: 0.1, output: 0.1, source: mistral, row: "ministral-8b" },
  "deepseek-chat": {
    input: 0.27,
    cachedInput: 0.07,
    output: 1.1,
    source: "api-docs.deepseek.com/quick_start/pricing (2026-11)",
    row: "deepseek-chat",
  },
};

/** The spec pricing of a pinned model (USD per 1M tokens, no batch discount: the bench calls live). */
export function pinnedPricing(model: string): TokenPricing {
  const p = TEXTCLASS_PRICES[model];
  if (!p) throw new Error(`TextClass model ${model} has no pinned price: add it to bench/textclass-prices.ts`);
  return {
    input: p.input,
    output: p.output,
    ...(p.cachedInput !== undefined ? { cachedInput: p.cachedInput } : {}),
  };
}
