import { z } from "zod";
import type { Usage } from "../../core/types.ts";
import { checkParts, count, parseRawUsage } from "../hosted/parse-usage.ts";

const tokens = z.number().int().nonnegative();
const optTokens = tokens.nullish();

/** Chat Completions `usage` (also what vLLM and other OpenAI-compatible servers send). */
export const OpenAIChatUsage = z.looseObject({
  prompt_tokens: tokens,
  completion_tokens: tokens,
  prompt_tokens_details: z.looseObject({ cached_tokens: optTokens, cache_write_tokens: optTokens }).nullish(),
  completion_tokens_details: z.looseObject({ reasoning_tokens: optTokens }).nullish(),
});
export type OpenAIChatUsage = z.infer<typeof OpenAIChatUsage>;

/** Responses API `usage`. */
export const OpenAIResponsesUsage = z.looseObject({
  input_tokens: tokens,
  output_tokens: tokens,
  input_tokens_details: z.looseObject({ cached_tokens: optTokens }).nullish(),
  output_tokens_details: z.looseObject({ reasoning_tokens: optTokens }).nullish(),
});
export type OpenAIResponsesUsage = z.infer<typeof OpenAIResponsesUsage>;

/**
 * OpenAI usage -> Usage (docs/metrics.md#cost). `prompt_tokens` includes cached (and written)
 * tokens; `completion_tokens` includes reasoning tokens. OpenAI bills cache writes as plain input:
 * they land in cacheWrite5m, whose price defaults to the input price.
 * Accepts the Chat Completions and the Responses API shapes.
 */
export function usageFromOpenAI(raw: unknown): Usage {
  if (raw !== null && typeof raw === "object" && "input_tokens" in raw && !("prompt_tokens" in raw)) {
    const u = parseRawUsage(OpenAIResponsesUsage, raw, "openai");
    return split(
      u.input_tokens,
      count(u.input_tokens_details?.cached_tokens),
      0,
      u.output_tokens,
      count(u.output_tokens_details?.reasoning_tokens),
    );
  }
  const u = parseRawUsage(OpenAIChatUsage, raw, "openai");
  return split(
    u.prompt_tokens,
    count(u.prompt_tokens_details?.cached_tokens),
    count(u.prompt_tokens_details?.cache_write_tokens),
    u.completion_tokens,
    count(u.completion_tokens_details?.reasoning_tokens),
  );
}

function split(prompt: number, cached: number, written: number, completion: number, reasoning: number): Usage {
  checkParts("openai", "cached + cache-write tokens", prompt, cached + written);
  checkParts("openai", "reasoning tokens", completion, reasoning);
  return {
    input: { noCache: prompt - cached - written, cacheRead: cached, cacheWrite5m: written, cacheWrite1h: 0 },
    output: { text: completion - reasoning, reasoning },
  };
}
