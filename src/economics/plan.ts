import type { RouterSummary, Summary } from "../contracts/summary.ts";
import type { PriceBook } from "../pricing/price-book.ts";
import { type ModelProfile, modelProfiles } from "./model-costs.ts";
import { costWeights, type HostedLever, measuredPerRequest, policyFactor } from "./policy-costs.ts";
import { busySeconds, type Deployment, deployment, selfHostMonthlyUsd } from "./self-hosting.ts";
import type { TrafficProfile } from "./traffic-profile.ts";

// The planner: every policy of an eval, projected onto a traffic profile under each cost lever.
// Levers: "list" (no caching, real time: what the API charges by default), "caching",
// "batch", "caching+batch", and with a self-hosting option "self-hosting" (the replaced model's
// traffic on your GPUs, the rest at list) and "all": per policy, the cheapest combination of the
// levers, so a lever that makes a policy's bill higher (self-hosting a model it barely uses, on
// GPUs paid by the hour) is left out of it rather than added.

export type Lever = HostedLever | "self-hosting" | "all";

export interface Projection {
  lever: Lever;
  monthlyUsd: number;
  /** USD per request: mean (monthly / requests), p90 and p99 (the measured percentiles scaled by the lever). */
  meanUsd: number;
  p90Usd: number;
  p99Usd: number | null;
  /** 1 - monthly / the reference's monthly bill (always-flagship at list price, real time). */
  savingVsReference: number | null;
  /** Deprecated: the same as `savingVsReference`, under its first name (`plan --json` readers). */
  savingVsBaseline: number | null;
  /**
   * Lever "all" only: the levers of the cheapest combination, e.g. ["caching", "batch"] when
   * self-hosting would raise this policy's bill; [] when no lever lowers it.
   */
  combination?: SingleLever[];
}

/** The levers a combination is made of. */
export type SingleLever = "caching" | "batch" | "self-hosting";

export interface PolicyPlan {
  id: string;
  quality: number;
  projections: Projection[];
}

export interface PlanContext {
  summary: Summary;
  profile: TrafficProfile;
  profiles: Map<string, ModelProfile>;
  /** The self-hosted deployment, its throughput resolved; undefined without a selfHosting option. */
  deployment?: Deployment;
  throughputBasis?: "configured" | "measured";
}

export function planContext(summary: Summary, profile: TrafficProfile, book: PriceBook): PlanContext {
  const profiles = modelProfiles(summary, book);
  const sh = profile.selfHosting;
  // Self-hosting moves a model's traffic: without that model in the eval there is nothing to move.
  if (!sh || !profiles.has(sh.replaces)) return { summary, profile, profiles };
  if (sh.outputTokensPerSec !== undefined)
    return {
      summary,
      profile,
      profiles,
      deployment: deployment(sh, sh.outputTokensPerSec),
      throughputBasis: "configured",
    };
  // Measured: the replaced model's mean output tokens over its median latency is one stream's rate;
  // a batching server runs `concurrency` streams at once.
  const model = summary.models.find((m) => m.id === sh.replaces);
  const p = profiles.get(sh.replaces);
  const seconds = (model?.latencyMs.p50 ?? 0) / 1000;
  const tps = p && seconds > 0 ? (p.output / seconds) * sh.concurrency : 0;
  return tps > 0
    ? { summary, profile, profiles, deployment: deployment(sh, tps), throughputBasis: "measured" }
    : { summary, profile, profiles };
}

export function totalRequests(profile: TrafficProfile): number {
  return profile.features.reduce((a, f) => a + f.requestsPerMonth, 0);
}

const HOSTED_LEVERS: readonly HostedLever[] = ["list", "caching", "batch", "caching+batch"];

/**
 * A policy's projection under one lever, summed over the profile's features. "all" is the
 * cheapest of every combination of caching, batch and (with a deployment) self-hosting.
 */
export function projectPolicy(
  ctx: PlanContext,
  policy: RouterSummary,
  lever: Lever,
): Omit<Projection, "savingVsReference" | "savingVsBaseline"> {
  if (lever !== "all") {
    const selfHosted = lever === "self-hosting";
    return projectCombination(ctx, policy, selfHosted ? "list" : lever, selfHosted, lever);
  }
  const combinations = HOSTED_LEVERS.flatMap((hosted) =>
    (ctx.deployment ? [false, true] : [false]).map((selfHosted) => ({
      ...projectCombination(ctx, policy, hosted, selfHosted),
      combination: [
        ...(hosted === "caching" || hosted === "caching+batch" ? ["caching" as const] : []),
        ...(hosted === "batch" || hosted === "caching+batch" ? ["batch" as const] : []),
        ...(selfHosted ? ["self-hosting" as const] : []),
      ],
    })),
  );
  // Ties go to the combination with more levers (listed last), so "all" never drops a lever for nothing.
  return combinations.reduce((best, c) => (c.monthlyUsd <= best.monthlyUsd ? c : best));
}

/** A policy's projection with the hosted levers `hosted`, and its replaced model self-hosted or not. */
export function projectCombination(
  ctx: PlanContext,
  policy: RouterSummary,
  hosted: HostedLever,
  selfHosted: boolean,
  lever: Lever = "all",
): Omit<Projection, "savingVsReference" | "savingVsBaseline"> {
  const { profile, profiles } = ctx;
  const weights = costWeights(policy, profiles);
  const exclude = selfHosted && ctx.deployment ? profile.selfHosting?.replaces : undefined;
  let apiMonthly = 0;
  let measuredMonthly = 0;
  let busy = 0;
  for (const f of profile.features) {
    const base = measuredPerRequest(policy, f.name);
    apiMonthly += f.requestsPerMonth * base * policyFactor(weights, profiles, hosted, f, profile, exclude);
    measuredMonthly += f.requestsPerMonth * base;
    const moved = exclude ? profiles.get(exclude) : undefined;
    if (moved && ctx.deployment)
      busy += (f.requestsPerMonth * (policy.modelShare[exclude!] ?? 0) * busySeconds(moved, ctx.deployment)) / 3600;
  }
  // The operations cost rides with the GPUs: whoever self-hosts pays the people who run it.
  const gpu = ctx.deployment ? selfHostMonthlyUsd(busy, ctx.deployment) : 0;
  const requests = totalRequests(profile);
  const monthly = apiMonthly + gpu;
  // Percentiles: the measured per-request percentile times the volume-weighted API factor, plus the
  // GPU bill spread evenly per request (GPU time is paid by the hour, not by the request).
  const factor = measuredMonthly > 0 ? apiMonthly / measuredMonthly : 1;
  const gpuPerRequest = requests > 0 ? gpu / requests : 0;
  return {
    lever,
    monthlyUsd: monthly,
    meanUsd: requests > 0 ? monthly / requests : 0,
    p90Usd: policy.cost.p90 * factor + gpuPerRequest,
    p99Usd: policy.cost.p99 === null ? null : policy.cost.p99 * factor + gpuPerRequest,
  };
}

/** The plan's reference model (always-flagship, real time): the eval's strong model, else the dearest single model. */
export function flagshipId(summary: Summary): string | undefined {
  if (summary.twoTier) return summary.twoTier.strong;
  return [...summary.models].sort((a, b) => b.costPer1k - a.costPer1k)[0]?.id;
}

/** The plan's reference policy: `always:<flagship>`, or one built from the model's own figures. */
export function referencePolicy(summary: Summary): RouterSummary | undefined {
  const id = flagshipId(summary);
  if (id === undefined) return undefined;
  const existing = summary.routers.find((r) => r.id === `always:${id}`);
  if (existing) return existing;
  const m = summary.models.find((x) => x.id === id)!;
  return {
    id: `always:${id}`,
    params: {},
    heldOut: false,
    items: summary.dataset.items,
    quality: { mean: m.quality, ci: m.qualityCi },
    costPer1k: m.costPer1k,
    cost: m.cost,
    latencyMs: m.latencyMs,
    modelShare: { [id]: 1 },
    strongShare: null,
    pgr: null,
    apgr: null,
    apgrDollar: null,
    cpt: null,
    cptDollar: null,
    oracleGap: 0,
    errors: m.errors,
  };
}

export function leversOf(ctx: PlanContext): Lever[] {
  const hosted: Lever[] = ["list", "caching", "batch", "caching+batch"];
  return ctx.deployment ? [...hosted, "self-hosting", "all"] : hosted;
}

export function planPolicies(ctx: PlanContext, referenceMonthly: number | null): PolicyPlan[] {
  const policies = [...ctx.summary.routers];
  const reference = referencePolicy(ctx.summary);
  if (reference && !policies.some((p) => p.id === reference.id)) policies.unshift(reference);
  return policies.map((policy) => ({
    id: policy.id,
    quality: policy.quality.mean,
    projections: leversOf(ctx).map((lever) => {
      const p = projectPolicy(ctx, policy, lever);
      const saving = referenceMonthly && referenceMonthly > 0 ? 1 - p.monthlyUsd / referenceMonthly : null;
      return { ...p, savingVsReference: saving, savingVsBaseline: saving };
    }),
  }));
}
