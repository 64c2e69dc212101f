import { ProviderError, ProviderErrorCode } from "../providers/provider-error.ts";

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs one provider attempt with a deadline. The attempt gets a signal that aborts at the deadline
 * (or when `outer` aborts); the deadline wins even against a provider that ignores its signal, so
 * a hung connection cannot hold a concurrency slot or a budget reservation forever.
 * A timed-out attempt fails with a retryable ProviderError "timeout".
 */
export async function withTimeout<T>(
  attempt: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
  outer?: AbortSignal,
): Promise<T> {
  outer?.throwIfAborted();
  // 0 or Infinity: no deadline (setTimeout would fire at once for Infinity).
  if (!(timeoutMs > 0 && timeoutMs < MAX_TIMER_MS)) return attempt(outer ?? new AbortController().signal);
  const controller = new AbortController();
  const signal = outer ? AbortSignal.any([outer, controller.signal]) : controller.signal;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new ProviderError(`no answer within ${timeoutMs} ms`, ProviderErrorCode.Timeout, true);
      reject(err);
      controller.abort(err);
    }, timeoutMs);
  });
  try {
    return await Promise.race([attempt(signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
