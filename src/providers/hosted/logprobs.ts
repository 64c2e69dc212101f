import type { LogprobSummary } from "../../core/types.ts";

/**
 * Mean and minimum of the answer's token logprobs: the confidence signal cascades threshold on.
 * Undefined when there are none (a provider without logprobs, an empty answer).
 */
export function summariseLogprobs(values: readonly number[]): LogprobSummary | undefined {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return undefined;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  for (const v of finite) {
    sum += v;
    if (v < min) min = v;
  }
  return { mean: sum / finite.length, min };
}
