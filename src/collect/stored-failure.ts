import { ProviderErrorCode } from "../providers/provider-error.ts";
import type { ServedOutcome } from "../store/outcome-store.ts";

/**
 * Stored failures that a later run may well not repeat (a rate limit, an outage, a timeout, a
 * dropped connection): they are collected again by every run instead of being served from the
 * store forever.
 */
export const RETRY_ON_NEXT_RUN: ReadonlySet<string> = new Set([
  ProviderErrorCode.RateLimited,
  ProviderErrorCode.Server,
  ProviderErrorCode.Connection,
  ProviderErrorCode.Timeout,
  ProviderErrorCode.BatchExpired,
  ProviderErrorCode.BatchCanceled,
]);

/**
 * Failures that are most likely one-offs but may have been billed (a 2xx reply routegate could not
 * read): collected again automatically, but only until MAX_AUTOMATIC_TRIES runs have tried them.
 * Past that they are kept (and served) until a run asks for `--retry-failed`.
 */
export const RETRY_BOUNDED: ReadonlySet<string> = new Set([ProviderErrorCode.BadResponse]);

/** Runs that may collect a RETRY_BOUNDED failure without being asked: the first and one retry. */
export const MAX_AUTOMATIC_TRIES = 2;

/**
 * Whether a stored outcome should be collected again rather than served. Successful outcomes never
 * are; other failures (a bad request, a refused key, a recorded error) would fail the same way
 * again, so they are kept unless `retryFailed` (the `--retry-failed` flag) asks for every failure.
 */
export function collectAgain(stored: ServedOutcome, retryFailed: boolean): boolean {
  if (stored.error === null && stored.errorCode === null) return false;
  if (retryFailed) return true;
  const code = stored.errorCode ?? "";
  if (RETRY_ON_NEXT_RUN.has(code)) return true;
  return RETRY_BOUNDED.has(code) && (stored.tries ?? 1) < MAX_AUTOMATIC_TRIES;
}
