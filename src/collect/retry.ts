import { ProviderError } from "../providers/provider-error.ts";
import { type Clock, realClock } from "./clock.ts";

export interface RetryPolicy {
  /** Attempts per call, the first included (1 = never retry). */
  maxAttempts: number;
  /** Backoff ceiling of the first retry; it doubles per retry, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * The longest `retry-after` honoured. A provider asking for a longer wait (a daily quota, an
   * outage) ends the call's retries: its failure is stored as retryable and the next run tries
   * again, rather than this run sleeping for an hour or retrying early into the same 429.
   */
  maxRetryAfterMs: number;
}

// The SDKs' own defaults (0.5 s doubling to 8 s), one attempt more: routegate owns retries, so the
// adapters run their SDKs with retries off.
export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8000,
  maxRetryAfterMs: 60_000,
};

export interface RetryHooks {
  clock?: Clock;
  /** Uniform in [0, 1); injectable so tests can pin the jitter. */
  random?: () => number;
  /** Aborts the backoff sleep (a cancelled run). */
  signal?: AbortSignal;
}

/**
 * How long to wait before retry number `retry` (1-based) after `err`, or null to give up.
 * A provider's retry-after is honoured as given (up to maxRetryAfterMs); otherwise exponential
 * backoff with full jitter, so a burst of 429s does not come back in lockstep.
 */
export function retryDelayMs(
  err: ProviderError,
  retry: number,
  policy: RetryPolicy,
  random: () => number,
): number | null {
  if (err.retryAfterMs !== undefined) return err.retryAfterMs <= policy.maxRetryAfterMs ? err.retryAfterMs : null;
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1)) * random();
}

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, or runs out of attempts;
 * the last error is rethrown as is. Errors other than ProviderError (a refused budget, an abort)
 * are never retried.
 */
export async function withRetries<T>(
  attempt: (n: number) => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY,
  hooks: RetryHooks = {},
): Promise<T> {
  const clock = hooks.clock ?? realClock;
  const random = hooks.random ?? Math.random;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (!(err instanceof ProviderError) || !err.isRetryable || n >= policy.maxAttempts) throw err;
      const delay = retryDelayMs(err, n, policy, random);
      if (delay === null) throw err;
      await clock.sleep(delay, hooks.signal);
    }
  }
}
