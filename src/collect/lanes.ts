import pLimit, { type LimitFunction } from "p-limit";
import type { Clock } from "./clock.ts";
import { type LimitsByProvider, limitsFor } from "./provider-limits.ts";
import { TokenBucket } from "./token-bucket.ts";

/** One provider's share of the traffic: its concurrency slot, then its rate limits per attempt. */
export interface Lane {
  /** Runs one call (all its attempts) in a slot of this provider and of the global cap. */
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** Whether `admit` needs a token estimate (a TPM limit is set). */
  readonly countsTokens: boolean;
  /** Waits until the RPM and TPM limits allow one more attempt of about `tokens` tokens. */
  admit(tokens: number): Promise<void>;
  /** Reconciles the TPM charge once the attempt's real usage is known (0 when it used none). */
  reconcile(estimatedTokens: number, actualTokens: number): void;
}

/**
 * Per-provider lanes over one global concurrency cap. A call takes its provider's slot before a
 * global one, so calls queued behind a throttled provider never hold global slots that another
 * provider could use.
 */
export class ProviderLanes {
  private readonly global: LimitFunction;
  private readonly lanes = new Map<string, Lane>();

  constructor(
    concurrency: number,
    private readonly limits: LimitsByProvider,
    private readonly clock: Clock,
  ) {
    this.global = pLimit(concurrency);
  }

  for(providerId: string): Lane {
    let lane = this.lanes.get(providerId);
    if (!lane) {
      lane = this.build(providerId);
      this.lanes.set(providerId, lane);
    }
    return lane;
  }

  private build(providerId: string): Lane {
    const { concurrency, rpm, tpm } = limitsFor(this.limits, providerId);
    const global = this.global;
    const own = concurrency ? pLimit(concurrency) : null;
    // Bursts of one second's worth: a full minute's worth at once would trip providers that
    // enforce their per-minute limits over shorter windows.
    const requests = rpm ? new TokenBucket(rpm, Math.max(1, rpm / 60), this.clock) : null;
    const tokens = tpm ? new TokenBucket(tpm, Math.max(1, tpm / 60), this.clock) : null;
    return {
      run: own ? (fn) => own(() => global(fn)) : (fn) => global(fn),
      countsTokens: tokens !== null,
      async admit(n) {
        if (requests) await requests.take(1);
        if (tokens) await tokens.take(n);
      },
      reconcile(estimated, actual) {
        tokens?.adjust(estimated - actual);
      },
    };
  }
}
