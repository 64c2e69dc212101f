import type { Usage } from "../core/types.ts";

// The output throughput a self-hosted model delivered in a run, for GPU-hour pricing
// (gpuTokenPricing's `measuredOutputTokensPerSec`).
//
// How the engine should use it: after collection, pass the model's calls made live in this run
// (not those answered from the store, not failures: they carry no usage), each with its latency and
// the time it finished. The figure is the run's aggregate tokens per second while that model was
// being called; then price the model with `priceFor(spec, site, { measuredOutputTokensPerSec })`
// and show the quote's source ("GPU-hour: measured throughput") in the report.

export interface ThroughputSample {
  usage: Usage | null | undefined;
  latencyMs: number;
  /** When the call finished (ms since the epoch). With it the span of the calls is known. */
  finishedAtMs?: number;
}

export interface MeasuredThroughput {
  outputTokensPerSec: number;
  /**
   * "wall-clock": output tokens over the span from the first call's start to the last call's end
   * (the deployment's aggregate rate at the run's load). "per-stream": tokens over the summed
   * latencies, i.e. one request stream's rate, which understates a batching server's capacity (and
   * so overstates cost) when calls overlapped; times `concurrency` when given, which assumes every
   * slot was busy all along.
   */
  basis: "wall-clock" | "per-stream";
  calls: number;
  outputTokens: number;
  /** The seconds the rate is taken over (the span, or the summed latencies). */
  seconds: number;
}

/** Output tokens per second from a run's calls; undefined when no call produced usable figures. */
export function measuredThroughput(
  results: readonly ThroughputSample[],
  opts: { concurrency?: number } = {},
): MeasuredThroughput | undefined {
  const usable = results.filter((r) => r.usage && Number.isFinite(r.latencyMs) && r.latencyMs > 0);
  if (usable.length === 0) return undefined;
  let outputTokens = 0;
  let busyMs = 0;
  for (const r of usable) {
    outputTokens += r.usage!.output.text + r.usage!.output.reasoning;
    busyMs += r.latencyMs;
  }
  if (outputTokens === 0) return undefined;
  const timed = usable.every((r) => r.finishedAtMs !== undefined);
  if (timed) {
    const start = Math.min(...usable.map((r) => r.finishedAtMs! - r.latencyMs));
    const end = Math.max(...usable.map((r) => r.finishedAtMs!));
    const seconds = (end - start) / 1000;
    if (seconds > 0) {
      return {
        outputTokensPerSec: outputTokens / seconds,
        basis: "wall-clock",
        calls: usable.length,
        outputTokens,
        seconds,
      };
    }
  }
  const seconds = busyMs / 1000;
  const streams = opts.concurrency && opts.concurrency > 1 ? opts.concurrency : 1;
  return {
    outputTokensPerSec: (outputTokens / seconds) * streams,
    basis: "per-stream",
    calls: usable.length,
    outputTokens,
    seconds,
  };
}
