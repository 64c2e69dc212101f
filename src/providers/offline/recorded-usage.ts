import type { z } from "zod";
import type { RecordedUsage } from "../../contracts/recorded-outcome.ts";
import type { Usage } from "../../core/types.ts";

export type RecordedUsageFields = z.infer<typeof RecordedUsage>;

/**
 * Recorded-outcome usage (the import contract) -> Usage. `inputTokens` includes cached and written
 * tokens; `outputTokens` includes reasoning tokens. Cache writes count as 5-minute writes.
 * Throws a RangeError when the parts exceed their totals; callers add the file and line.
 */
export function usageFromRecorded(u: RecordedUsageFields): Usage {
  const cached = u.cachedInputTokens ?? 0;
  const written = u.cacheWriteTokens ?? 0;
  const reasoning = u.reasoningTokens ?? 0;
  if (cached + written > u.inputTokens) {
    throw new RangeError(
      `cachedInputTokens + cacheWriteTokens (${cached + written}) exceed inputTokens (${u.inputTokens}), which includes them`,
    );
  }
  if (reasoning > u.outputTokens) {
    throw new RangeError(`reasoningTokens (${reasoning}) exceed outputTokens (${u.outputTokens}), which includes them`);
  }
  return {
    input: { noCache: u.inputTokens - cached - written, cacheRead: cached, cacheWrite5m: written, cacheWrite1h: 0 },
    output: { text: u.outputTokens - reasoning, reasoning },
  };
}
