import { describe, expect, it } from "vitest";
import { errors } from "../../devkit/collect-harness/recording-provider.ts";
import { ProviderError } from "../providers/provider-error.ts";
import { FakeClock } from "./clock.ts";
import { DEFAULT_RETRY, type RetryPolicy, retryDelayMs, withRetries } from "./retry.ts";

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8000, maxRetryAfterMs: 60_000 };

/** An attempt function that throws the given errors in order, then returns "done". */
function scripted(failures: Error[]) {
  let n = 0;
  const fn = async () => {
    const err = failures[n++];
    if (err) throw err;
    return "done";
  };
  return { fn, attempts: () => n };
}

describe("withRetries", () => {
  it("waits exactly the provider's retry-after before retrying, for any provider", async () => {
    const clock = new FakeClock();
    const s = scripted([errors.rateLimited(7000), errors.rateLimited(1234)]);
    await expect(withRetries(s.fn, policy, { clock, random: () => 0.99 })).resolves.toBe("done");
    expect(s.attempts()).toBe(3);
    expect(clock.sleeps).toEqual([7000, 1234]);
  });

  it("gives up when the retry-after asks for more than maxRetryAfterMs (the next run retries it)", async () => {
    const clock = new FakeClock();
    const tooLong = errors.rateLimited(policy.maxRetryAfterMs + 1);
    const s = scripted([tooLong]);
    await expect(withRetries(s.fn, policy, { clock })).rejects.toBe(tooLong);
    expect(s.attempts()).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it("backs off exponentially with full jitter, capped at maxDelayMs, without a retry-after", async () => {
    const clock = new FakeClock();
    const s = scripted([errors.server(), errors.server(), errors.server()]);
    await withRetries(s.fn, { ...policy, maxDelayMs: 1500 }, { clock, random: () => 0.5 });
    // Ceilings 500, 1000, 2000 -> capped 1500; half of each with random() = 0.5.
    expect(clock.sleeps).toEqual([250, 500, 750]);
    expect(retryDelayMs(errors.server(), 1, policy, () => 0)).toBe(0);
    expect(retryDelayMs(errors.server(), 10, policy, () => 0.999_999)).toBeLessThanOrEqual(policy.maxDelayMs);
  });

  it("stops at maxAttempts and rethrows the last error", async () => {
    const clock = new FakeClock();
    const last = errors.server(503);
    const s = scripted([errors.server(), errors.server(), errors.server(), last, errors.server()]);
    await expect(withRetries(s.fn, policy, { clock })).rejects.toBe(last);
    expect(s.attempts()).toBe(policy.maxAttempts);
    expect(clock.sleeps).toHaveLength(policy.maxAttempts - 1);
  });

  it("fails fast on a non-retryable error and on anything that is not a ProviderError", async () => {
    const clock = new FakeClock();
    const bad = errors.badRequest();
    const s = scripted([bad]);
    await expect(withRetries(s.fn, policy, { clock })).rejects.toBe(bad);
    expect(s.attempts()).toBe(1);
    const bug = new TypeError("a bug");
    const t = scripted([bug]);
    await expect(withRetries(t.fn, policy, { clock })).rejects.toBe(bug);
    expect(t.attempts()).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it("retries timeouts (retryable) and never retries with maxAttempts 1", async () => {
    const clock = new FakeClock();
    const timeout = new ProviderError("no answer", "timeout", true);
    const s = scripted([timeout]);
    await expect(withRetries(s.fn, { ...DEFAULT_RETRY, maxAttempts: 2 }, { clock })).resolves.toBe("done");
    const once = scripted([timeout]);
    await expect(withRetries(once.fn, { ...DEFAULT_RETRY, maxAttempts: 1 }, { clock })).rejects.toBe(timeout);
  });

  it("stops sleeping when the run's signal aborts", async () => {
    const controller = new AbortController();
    controller.abort(new Error("cancelled"));
    const s = scripted([errors.server()]);
    await expect(withRetries(s.fn, policy, { clock: new FakeClock(), signal: controller.signal })).rejects.toThrow(
      "cancelled",
    );
  });
});
