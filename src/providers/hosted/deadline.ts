import { timeoutError } from "./errors.ts";

/** The per-request timeout when the provider's options give none. */
export const DEFAULT_TIMEOUT_MS = 60_000;
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * One call's abort signal: fires when the caller aborts (`ctx.signal`, a run being stopped) or when
 * the per-request deadline passes. The adapters hand `signal` to the SDK and, when the call fails,
 * ask `settle` what the failure means: the caller's abort is passed through as is (it is not an
 * outcome and is never stored); the deadline becomes a `timeout` ProviderError; anything else goes
 * to the SDK-specific mapping.
 */
export class Deadline {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout> | undefined;
  private expired = false;
  private readonly onOuterAbort: () => void;

  constructor(
    readonly timeoutMs: number,
    private readonly outer?: AbortSignal,
  ) {
    this.signal = this.controller.signal;
    this.onOuterAbort = () => this.controller.abort(outer?.reason);
    if (outer?.aborted) this.controller.abort(outer.reason);
    else outer?.addEventListener("abort", this.onOuterAbort, { once: true });
    // 0 (or Infinity) means no deadline, as for the collector's --timeout-ms.
    this.timer =
      timeoutMs > 0 && timeoutMs < MAX_TIMER_MS
        ? setTimeout(() => {
            this.expired = true;
            this.controller.abort(new DOMException("routegate request deadline", "TimeoutError"));
          }, timeoutMs)
        : undefined;
  }

  /** Throws the caller's abort reason right away when the call was cancelled before it began. */
  throwIfCancelled(): void {
    if (this.outer?.aborted) throw abortReason(this.outer);
  }

  /** What a failed call should throw. `map` turns SDK errors into ProviderErrors. */
  settle(provider: string, err: unknown, map: (err: unknown) => unknown): unknown {
    if (this.outer?.aborted) return abortReason(this.outer);
    if (this.expired) return timeoutError(provider, this.timeoutMs);
    return map(err);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.outer?.removeEventListener("abort", this.onOuterAbort);
  }
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

/**
 * The SDK's own timeout, set just past ours so the Deadline fires first and classifies the
 * failure; with no deadline of ours, the SDKs' usual 10 minutes. Always explicit: without one the
 * Anthropic SDK refuses non-streaming calls whose max_tokens it guesses would take longer.
 */
export function sdkTimeoutMs(timeoutMs: number): number {
  return timeoutMs > 0 && timeoutMs < MAX_TIMER_MS ? timeoutMs + 1000 : 600_000;
}

/**
 * Runs one provider call under its own deadline (the SDK's loading stays outside it): `run` gets
 * the deadline to pass its signal on, and the deadline is always released.
 */
export async function underDeadline<T>(
  timeoutMs: number,
  signal: AbortSignal | undefined,
  run: (deadline: Deadline) => Promise<T>,
): Promise<T> {
  const deadline = new Deadline(timeoutMs, signal);
  try {
    deadline.throwIfCancelled();
    return await run(deadline);
  } finally {
    deadline.dispose();
  }
}

/**
 * One SDK request, timed around the request alone. A failure is classified by the deadline
 * (the caller's abort, our timeout, or `map` for the SDK's own errors). Keys are scrubbed from
 * what the adapter returns and throws by its caller (providers/scrub), whatever path they took.
 */
export async function timedRequest(
  deadline: Deadline,
  provider: string,
  send: (signal: AbortSignal) => Promise<unknown>,
  map: (err: unknown) => unknown,
): Promise<{ reply: unknown; latencyMs: number }> {
  const started = performance.now();
  try {
    const reply = await send(deadline.signal);
    return { reply, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    throw deadline.settle(provider, err, map);
  }
}
