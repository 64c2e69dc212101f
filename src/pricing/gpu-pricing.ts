import type { GpuPricing } from "../contracts/model-spec.ts";
import type { PriceQuote } from "./price-quote.ts";

// Self-hosted models are paid by the GPU-hour, not by the token. To compare them with hosted APIs
// on one axis, the GPU bill is spread over the tokens the GPUs produce:
//   USD per output token = gpuHourUsd x gpus / 3600 / (outputTokensPerSec x utilisation)
// `utilisation` is the share of paid time spent serving: at 25% every served token also pays for
// three idle ones. Input tokens: a throughput benchmark's output figure already includes the time
// spent on its prompts' prefill, so by default input is free and its cost sits inside the output
// price (exact for workloads with the benchmark's prompt/output ratio). A deployment that
// measured its prefill rate can give `inputTokensPerSec` to price input apart; cached input is
// then free (a prefix-cache hit skips the prefill) and cache writes cost as plain input.

export type ThroughputBasis = "configured" | "measured";

/**
 * Per-1M-token prices equivalent to a GPU-hour spec. `measuredOutputTokensPerSec` (from
 * `measuredThroughput`) wins over the configured `outputTokensPerSec`; the quote's `source` says
 * which was used. Throws a RangeError when there is neither.
 */
export function gpuTokenPricing(gpu: GpuPricing, measuredOutputTokensPerSec?: number): PriceQuote {
  const measured = measuredOutputTokensPerSec !== undefined && measuredOutputTokensPerSec > 0;
  const tps = measured ? measuredOutputTokensPerSec : gpu.outputTokensPerSec;
  if (tps === undefined || !(tps > 0)) {
    throw new RangeError("GPU-hour pricing needs an output throughput: set outputTokensPerSec or measure it in a run");
  }
  const usdPerSecond = (gpu.gpuHourUsd * gpu.gpus) / 3600;
  const per1M = (tokensPerSec: number) => (usdPerSecond / (tokensPerSec * gpu.utilisation)) * 1e6;
  const input = gpu.inputTokensPerSec ? per1M(gpu.inputTokensPerSec) : 0;
  const basis: ThroughputBasis = measured ? "measured" : "configured";
  return {
    input,
    cachedInput: 0,
    cacheWrite5m: input,
    cacheWrite1h: input,
    output: per1M(tps),
    // Your own GPUs have no batch tier: a batch there costs what it costs.
    batchMultiplier: 1,
    source: `GPU-hour: ${basis} throughput`,
    note:
      `${gpu.gpus} x $${gpu.gpuHourUsd}/GPU-hour at ${round(tps)} output tok/s (${basis}), utilisation ${gpu.utilisation}; ` +
      (gpu.inputTokensPerSec
        ? `input at ${round(gpu.inputTokensPerSec)} prefill tok/s`
        : "input inside the output price"),
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
