/**
 * Time as collection sees it. Retries, rate limits and their tests share one seam, so a test can
 * run minutes of backoff and rate limiting in microseconds with a fake clock.
 */
export interface Clock {
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason if it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  },
};

/**
 * For tests: a sleep yields to the event loop once (so whatever was ready runs at the old time),
 * then moves time forward by what was asked; every sleep is recorded. Sleeps add up, so it models
 * one sleeper at a time (a retry loop, a limiter's queue).
 */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(private t = 0) {}

  now(): number {
    return this.t;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.sleeps.push(ms);
    await new Promise((resolve) => setImmediate(resolve));
    this.t += Math.max(0, ms);
  }
}
