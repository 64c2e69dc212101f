import { z } from "zod";
import type { Usage } from "../../core/types.ts";
import { checkParts, count, parseRawUsage } from "../hosted/parse-usage.ts";

const tokens = z.number().int().nonnegative();
const optTokens = tokens.nullish();

/** Messages API `usage` (cache fields may be null or absent). */
export const AnthropicUsage = z.looseObject({
  input_tokens: tokens,
  output_tokens: tokens,
  cache_read_input_tokens: optTokens,
  cache_creation_input_tokens: optTokens,
  cache_creation: z
    .looseObject({ ephemeral_5m_input_tokens: optTokens, ephemeral_1h_input_tokens: optTokens })
    .nullish(),
});
export type AnthropicUsage = z.infer<typeof AnthropicUsage>;

/**
 * Anthropic usage -> Usage (docs/metrics.md#cost). `input_tokens` excludes cache reads and writes.
 * Cache writes split by `cache_creation.ephemeral_5m/1h_input_tokens`; all 5m when the split is
 * absent; any part of `cache_creation_input_tokens` the split does not cover counts as 5m.
 * Extended-thinking tokens are inside `output_tokens` and not reported apart: reasoning stays 0.
 */
export function usageFromAnthropic(raw: unknown): Usage {
  const u = parseRawUsage(AnthropicUsage, raw, "anthropic");
  const split = u.cache_creation;
  let write5m = count(split?.ephemeral_5m_input_tokens);
  const write1h = count(split?.ephemeral_1h_input_tokens);
  const total = u.cache_creation_input_tokens ?? write5m + write1h;
  checkParts("anthropic", "cache_creation split", total, write5m + write1h);
  write5m += total - write5m - write1h;
  return {
    input: {
      noCache: u.input_tokens,
      cacheRead: count(u.cache_read_input_tokens),
      cacheWrite5m: write5m,
      cacheWrite1h: write1h,
    },
    output: { text: u.output_tokens, reasoning: 0 },
  };
}
