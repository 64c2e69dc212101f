import { RunError } from "../core/errors.ts";

/** Above this share of failed outcomes a run's figures describe outages more than models: exit 3. */
export const DEFAULT_MAX_ERROR_SHARE = 0.1;

/**
 * The run failure for a run whose share of failed outcomes (errors over the outcomes it used,
 * stored or new) is above `maxShare`, or null. The caller raises it after writing the report, so
 * the report shows which calls failed.
 */
export function errorShareFailure(
  evalName: string,
  collection: { errors: number; fromStore: number; providerCalls: number },
  maxShare: number,
): RunError | null {
  const outcomes = collection.fromStore + collection.providerCalls;
  if (outcomes === 0) return null;
  const share = collection.errors / outcomes;
  if (share <= maxShare) return null;
  return new RunError(
    `eval ${evalName}: ${collection.errors} of ${outcomes} outcomes are errors (${(100 * share).toFixed(1)}%), above --max-error-share ${maxShare}. ` +
      "The report lists them; rate limits, outages and timeouts are collected again by the next run.",
  );
}
