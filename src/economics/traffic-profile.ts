import { readFileSync } from "node:fs";
import { z } from "zod";
import { InputError } from "../core/errors.ts";
import { parseOrInputError } from "../core/validate.ts";

// A traffic profile describes production, not the eval: how many requests each feature gets per
// month, how much of it can wait for a batch API, and how requests arrive in time (which decides
// whether a cached prompt prefix is still alive when the next request comes). The planner projects
// the eval's measured per-request costs onto it.

const Share = z.number().min(0).max(1);

/** How requests arrive, for cache TTL effects. Omitted: spread evenly over the month. */
export const Arrival = z.union([
  z.strictObject({
    /** Mean seconds between two requests of this feature (Poisson arrivals). */
    meanInterArrivalSeconds: z.number().positive(),
  }),
  z.strictObject({
    /** Requests per hour during the peak hours of a day. */
    peakPerHour: z.number().nonnegative(),
    /** Requests per hour during the other hours. */
    offPeakPerHour: z.number().nonnegative(),
    peakHoursPerDay: z.number().min(0).max(24),
  }),
]);
export type Arrival = z.infer<typeof Arrival>;

export const FeatureTraffic = z.strictObject({
  /** The items' `metadata.feature`; "*" (or a name the summary lacks) uses the policy's overall figures. */
  name: z.string().min(1),
  requestsPerMonth: z.number().nonnegative(),
  /** Share of this feature's requests that tolerate batch turnaround (up to 24 h); default: the profile's. */
  batchableShare: Share.optional(),
  arrival: Arrival.optional(),
  /**
   * Share of input tokens in the stable (cacheable) prompt prefix. Default: each model's
   * cachedInput / input in the eval, which ran back to back and so read nearly every prefix from cache.
   */
  stablePrefixShare: Share.optional(),
});
export type FeatureTraffic = z.infer<typeof FeatureTraffic>;

export const SelfHosting = z.strictObject({
  /** The eval model whose traffic would move to your GPUs (an open model you can run). */
  replaces: z.string().min(1),
  gpuHourUsd: z.number().positive(),
  gpus: z.number().int().positive(),
  /** Output tokens per second of one deployment at full load. Omitted: measured from the eval (see below). */
  outputTokensPerSec: z.number().positive().optional(),
  /** Prefill (input) tokens per second at full load; omitted: the output rate is taken to include prefill. */
  inputTokensPerSec: z.number().positive().optional(),
  /** Concurrent streams a deployment serves; scales the per-stream rate measured in the eval. */
  concurrency: z.number().int().positive().default(1),
  /** Share of paid GPU time spent serving. */
  utilisation: z.number().gt(0).max(1),
  /**
   * What running it costs in people each month: on-call, upgrades, the engineers' time. Added to
   * the GPU bill whenever anything is self-hosted; the report gives the verdict with and without it.
   */
  opsCostPerMonthUsd: z.number().nonnegative().default(0),
  /**
   * A reserved (committed) price: `deployments` always-on deployments at `gpuHourUsd` per GPU-hour,
   * paid whether busy or not; traffic beyond them runs at the on-demand gpuHourUsd above.
   */
  reserved: z
    .strictObject({ gpuHourUsd: z.number().positive(), deployments: z.number().int().positive().default(1) })
    .optional(),
});
export type SelfHosting = z.infer<typeof SelfHosting>;

export const FineTune = z.strictObject({
  /** The fine-tuned candidate in the eval (its measured cost and quality are used). */
  candidate: z.string().min(1).optional(),
  /** Default: the candidate's own fineTune.trainingCostUsd in the eval (what its job reported). */
  trainingCostUsd: z.number().nonnegative().optional(),
  /** USD per request of the fine-tuned model; default: the candidate's measured mean cost. */
  perRequestUsd: z.number().nonnegative().optional(),
  /**
   * One-off cost besides the provider's training bill, paid again at each retraining: the people's
   * time to curate the data, run the eval and ship the model. Default 0.
   */
  setupCostUsd: z.number().nonnegative().default(0),
  /** Months over which the training cost is spread in the monthly bill. */
  amortiseMonths: z.number().positive().default(12),
  /**
   * Months between retrainings (base models are deprecated, data drifts): each retraining pays the
   * training cost again, so the monthly share is training / min(amortiseMonths, retrainEveryMonths).
   */
  retrainEveryMonths: z.number().positive().optional(),
});
export type FineTune = z.infer<typeof FineTune>;

export const TrafficProfile = z
  .strictObject({
    $schema: z.string().optional(),
    description: z.string().optional(),
    features: z.array(FeatureTraffic).min(1, "list at least one feature"),
    /** Default batchable share for features that give none. */
    batchableShare: Share.default(0),
    /** Prompt-cache lifetime: 300 s (OpenAI/Anthropic default), 3600 s for Anthropic's 1 h cache. */
    cacheTtlSeconds: z.number().positive().default(300),
    selfHosting: SelfHosting.optional(),
    fineTune: FineTune.optional(),
  })
  .superRefine((p, ctx) => {
    if (p.fineTune && p.fineTune.candidate === undefined && p.fineTune.perRequestUsd === undefined) {
      ctx.addIssue({ code: "custom", path: ["fineTune"], message: "give candidate or perRequestUsd" });
    }
    if (p.fineTune && p.fineTune.candidate === undefined && p.fineTune.trainingCostUsd === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["fineTune", "trainingCostUsd"],
        message: "give trainingCostUsd, or a candidate whose model spec carries fineTune.trainingCostUsd",
      });
    }
    const seen = new Set<string>();
    p.features.forEach((f, i) => {
      if (seen.has(f.name)) ctx.addIssue({ code: "custom", path: ["features", i, "name"], message: "duplicate" });
      seen.add(f.name);
    });
  });
export type TrafficProfile = z.output<typeof TrafficProfile>;

/** Validates a parsed profile; `file` names it in errors (exit 2, naming the field). */
export function parseTrafficProfile(json: unknown, file: string): TrafficProfile {
  return parseOrInputError(
    TrafficProfile,
    json,
    file,
    "see the traffic profile fields in docs/eval-file.md#traffic-profile (features[].requestsPerMonth, batchableShare, arrival, selfHosting, fineTune)",
  );
}

export function loadTrafficProfile(file: string): TrafficProfile {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new InputError(
      file,
      undefined,
      `cannot read the traffic profile (${(err as Error).message})`,
      "check the path",
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InputError(file, undefined, `not valid JSON (${(err as Error).message})`, "write the profile as JSON");
  }
  return parseTrafficProfile(json, file);
}
