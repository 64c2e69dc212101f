import { ProviderError } from "../providers/provider.ts";

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 8000 };

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, or runs out of attempts.
 * Honours the provider's retry-after when it gave one; otherwise exponential backoff with full
 * jitter, so a burst of 429s does not come back in lockstep.
 */
export async function withRetries<T>(attempt: () => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      const retryable = err instanceof ProviderError && err.isRetryable;
      if (!retryable || n >= policy.maxAttempts) throw err;
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1)) * Math.random();
      await new Promise((r) => setTimeout(r, err.retryAfterMs ?? backoff));
    }
  }
}
