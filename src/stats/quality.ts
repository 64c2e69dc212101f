import { isBinary } from "./binary.ts";
import { type BootstrapOptions, bootstrapMeanInterval, type MeanInterval } from "./bootstrap.ts";
import { zForAlpha } from "./normal.ts";
import { wilsonInterval, Z95 } from "./wilson.ts";

export interface QualityInterval extends MeanInterval {
  method: "wilson" | "bootstrap";
}

/**
 * Interval for one policy's quality (docs/metrics.md#the-gate): Wilson when every score is 0 or 1,
 * otherwise the percentile bootstrap. At alpha 0.05 Wilson uses the spec's literal z = 1.959964 so
 * the published fixtures reproduce digit for digit.
 */
export function qualityInterval(scores: Float64Array, opts: BootstrapOptions = {}): QualityInterval {
  if (scores.length === 0) throw new RangeError("qualityInterval of an empty sample");
  if (isBinary(scores)) {
    let successes = 0;
    for (let i = 0; i < scores.length; i++) successes += scores[i] as number;
    const alpha = opts.alpha ?? 0.05;
    const z = alpha === 0.05 ? Z95 : zForAlpha(alpha);
    const [lower, upper] = wilsonInterval(successes, scores.length, z);
    return { mean: successes / scores.length, lower, upper, method: "wilson" };
  }
  return { ...bootstrapMeanInterval(scores, opts), method: "bootstrap" };
}
