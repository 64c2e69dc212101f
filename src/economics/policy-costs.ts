import type { RouterSummary } from "../contracts/summary.ts";
import { arrivalRegimes, cacheHitProbability } from "./cache-hit.ts";
import {
  costUnder,
  type LeverSetting,
  type ModelProfile,
  measuredFromTokens,
  observedPrefixShare,
} from "./model-costs.ts";
import type { FeatureTraffic, TrafficProfile } from "./traffic-profile.ts";

// Scales one policy's measured cost per request onto one feature's traffic under one lever.
//
// A policy's per-request cost is a mix of its models' costs. Its measured cost is split over the
// models by cost weight, w_m = modelShare_m x cost_m / sum_k modelShare_k x cost_k, and each
// model's part is scaled by factor_m = (its cost under the lever) / (its cost as measured). The
// policy's factor is sum_m w_m x factor_m. modelShare counts final answers, so a cascade's extra
// weak call is weighted as if it were the weak model's: an approximation the report notes.

export type HostedLever = "list" | "caching" | "batch" | "caching+batch";

export interface ModelWeight {
  id: string;
  /** Share of the feature's requests this model answers. */
  share: number;
  /** Share of the policy's measured cost. */
  weight: number;
}

export function costWeights(policy: RouterSummary, profiles: ReadonlyMap<string, ModelProfile>): ModelWeight[] {
  const parts = Object.entries(policy.modelShare).map(([id, share]) => ({
    id,
    share,
    cost: share * (profiles.get(id)?.measuredUsd ?? 0),
  }));
  const total = parts.reduce((a, p) => a + p.cost, 0);
  return parts.map((p) => ({
    id: p.id,
    share: p.share,
    weight: total > 0 ? p.cost / total : parts.length > 0 ? 1 / parts.length : 0,
  }));
}

/** The measured cost per request of a policy on a feature: the feature's figure when the summary has one. */
export function measuredPerRequest(policy: RouterSummary, feature: string): number {
  const f = policy.features?.find((x) => x.feature === feature);
  return (f ? f.costPer1k : policy.costPer1k) / 1000;
}

export function leverSetting(
  lever: HostedLever,
  feature: FeatureTraffic,
  profile: TrafficProfile,
  model: ModelProfile,
  share: number,
): LeverSetting {
  const caching = lever === "caching" || lever === "caching+batch";
  const batching = lever === "batch" || lever === "caching+batch";
  const regimes = arrivalRegimes(feature.arrival, feature.requestsPerMonth);
  return {
    hit: caching ? cacheHitProbability(regimes, profile.cacheTtlSeconds, share) : 0,
    prefixShare: caching ? (feature.stablePrefixShare ?? observedPrefixShare(model)) : 0,
    batchShare: batching ? (feature.batchableShare ?? profile.batchableShare) : 0,
    ttl: profile.cacheTtlSeconds > 300 ? "1h" : "5m",
  };
}

/**
 * The policy's lever factor on a feature. `exclude` drops a model's part (its traffic moved to
 * self-hosted GPUs, priced apart). A model without a price row keeps its measured cost (factor 1).
 */
export function policyFactor(
  weights: readonly ModelWeight[],
  profiles: ReadonlyMap<string, ModelProfile>,
  lever: HostedLever,
  feature: FeatureTraffic,
  profile: TrafficProfile,
  exclude?: string,
): number {
  // A policy that records no model mix (an older summary) keeps its measured cost.
  if (weights.length === 0) return 1;
  let factor = 0;
  for (const w of weights) {
    if (w.id === exclude) continue;
    const model = profiles.get(w.id);
    const measured = model?.pricing ? measuredFromTokens(model, model.pricing) : 0;
    if (!model?.pricing || measured === 0) {
      factor += w.weight;
      continue;
    }
    const projected = costUnder(model, model.pricing, leverSetting(lever, feature, profile, model, w.share));
    factor += w.weight * (projected / measured);
  }
  return factor;
}
