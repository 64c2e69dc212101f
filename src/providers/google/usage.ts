import { z } from "zod";
import type { Usage } from "../../core/types.ts";
import { checkParts, count, parseRawUsage } from "../hosted/parse-usage.ts";

const optTokens = z.number().int().nonnegative().nullish();

/** `usageMetadata` of generateContent (every count may be absent, e.g. on an empty reply). */
export const GeminiUsage = z.looseObject({
  promptTokenCount: optTokens,
  cachedContentTokenCount: optTokens,
  candidatesTokenCount: optTokens,
  thoughtsTokenCount: optTokens,
  toolUsePromptTokenCount: optTokens,
});
export type GeminiUsage = z.infer<typeof GeminiUsage>;

/**
 * Gemini usageMetadata -> Usage (docs/metrics.md#cost). `promptTokenCount` includes
 * `cachedContentTokenCount`; thoughts are billed as output and are not inside candidates.
 * `toolUsePromptTokenCount` is outside the usage mapping (docs/metrics.md#cost) and ignored (routegate sends no tools).
 */
export function usageFromGemini(raw: unknown): Usage {
  const u = parseRawUsage(GeminiUsage, raw, "google");
  const prompt = count(u.promptTokenCount);
  const cached = count(u.cachedContentTokenCount);
  checkParts("google", "cachedContentTokenCount", prompt, cached);
  return {
    input: { noCache: prompt - cached, cacheRead: cached, cacheWrite5m: 0, cacheWrite1h: 0 },
    output: { text: count(u.candidatesTokenCount), reasoning: count(u.thoughtsTokenCount) },
  };
}
