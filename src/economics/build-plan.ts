import type { Summary } from "../contracts/summary.ts";
import type { PriceBook } from "../pricing/price-book.ts";
import { arrivalRegimes, cacheHitProbability } from "./cache-hit.ts";
import { observedPrefixShare } from "./model-costs.ts";
import {
  type PlanContext,
  type PolicyPlan,
  planContext,
  planPolicies,
  projectPolicy,
  referencePolicy,
  totalRequests,
} from "./plan.ts";
import { type SelfHostEconomics, type SensitivityCell, selfHostEconomics, sensitivity } from "./self-hosting.ts";
import type { TrafficProfile } from "./traffic-profile.ts";

export interface FineTunePlan {
  candidate: string | null;
  quality: number | null;
  perRequestUsd: number;
  trainingCostUsd: number;
  /** "job": the candidate's own fineTune.trainingCostUsd (what its job reported); "profile": fineTune.trainingCostUsd. */
  trainingCostSource: "job" | "profile";
  /** fineTune.setupCostUsd: people's one-off cost, counted with training at every retraining. */
  setupCostUsd: number;
  amortiseMonths: number;
  retrainEveryMonths: number | null;
  /** (training + setup) / min(amortiseMonths, retrainEveryMonths): what training adds to every month. */
  trainingMonthlyUsd: number;
  /** What the profile's volume pays each month: requests x perRequest + trainingMonthlyUsd. */
  monthlyUsd: number;
  /**
   * Per policy: list mean cost, saving per request, and the break-even volume V where
   * V x perRequest + trainingMonthlyUsd = V x policy mean, i.e. trainingMonthlyUsd / saving.
   */
  versus: { policy: string; meanUsd: number; savingPerRequestUsd: number; breakEvenRequestsPerMonth: number | null }[];
}

export interface SelfHostPlan extends SelfHostEconomics {
  replaces: string;
  outputTokensPerSec: number;
  inputTokensPerSec: number | null;
  throughputBasis: "configured" | "measured";
  utilisation: number;
  apiPerRequestUsd: number;
  sensitivity: SensitivityCell[][];
}

export interface Plan {
  eval: string;
  runId: string;
  simulated: boolean;
  requestsPerMonth: number;
  cacheTtlSeconds: number;
  /** What savings are measured against: always-flagship at list price, real time. */
  reference: { id: string; monthlyUsd: number } | null;
  /** Deprecated: the same as `reference`, under its first name (`plan --json` readers). */
  baseline: { id: string; monthlyUsd: number } | null;
  /** Per feature: volume, batchable share and the prefix-cache hit probability at full traffic. */
  features: { name: string; requestsPerMonth: number; batchableShare: number; cacheHit: number }[];
  policies: PolicyPlan[];
  selfHosting: SelfHostPlan | null;
  fineTune: FineTunePlan | null;
  notes: string[];
}

export function buildPlan(summary: Summary, profile: TrafficProfile, book: PriceBook): Plan {
  const ctx = planContext(summary, profile, book);
  const refPolicy = referencePolicy(summary);
  const reference = refPolicy
    ? { id: refPolicy.id, monthlyUsd: projectPolicy(ctx, refPolicy, "list").monthlyUsd }
    : null;
  const notes: string[] = [];
  for (const p of ctx.profiles.values()) {
    if (!p.pricing) notes.push(`No price row for ${p.id}: its share keeps its measured cost under every lever.`);
    else if (observedPrefixShare(p) === 0 && profile.features.every((f) => f.stablePrefixShare === undefined))
      notes.push(
        `${p.id} read no cached input in the eval: caching projects no saving unless the profile sets stablePrefixShare.`,
      );
  }
  const featureNames = new Set(summary.routers.flatMap((r) => (r.features ?? []).map((f) => f.feature)));
  for (const f of profile.features)
    if (featureNames.size > 0 && !featureNames.has(f.name))
      notes.push(`Feature "${f.name}" is not in the eval: priced at each policy's overall cost per request.`);
  const sh = profile.selfHosting?.replaces;
  if (sh !== undefined && !ctx.profiles.has(sh))
    notes.push(`selfHosting.replaces "${sh}" is not a model of this eval: the self-hosting lever is left out.`);
  const ft = profile.fineTune;
  if (ft?.candidate !== undefined && !ctx.profiles.has(ft.candidate))
    notes.push(
      ft.perRequestUsd === undefined
        ? `fineTune.candidate "${ft.candidate}" is not a model of this eval and no perRequestUsd is given: the fine-tune section is left out.`
        : `fineTune.candidate "${ft.candidate}" is not a model of this eval: priced at perRequestUsd, quality unknown.`,
    );
  if (profile.selfHosting && ctx.profiles.has(profile.selfHosting.replaces) && !ctx.deployment)
    notes.push(
      `Self-hosting skipped: no throughput for ${profile.selfHosting.replaces} (set selfHosting.outputTokensPerSec).`,
    );
  notes.push(
    "Policies are priced from their measured cost split over models by cost weight (modelShare x model cost); a cascade's extra calls ride with the model that answered.",
  );
  return {
    eval: summary.eval,
    runId: summary.runId,
    simulated: summary.simulated,
    requestsPerMonth: totalRequests(profile),
    cacheTtlSeconds: profile.cacheTtlSeconds,
    reference,
    baseline: reference,
    features: profile.features.map((f) => ({
      name: f.name,
      requestsPerMonth: f.requestsPerMonth,
      batchableShare: f.batchableShare ?? profile.batchableShare,
      cacheHit: cacheHitProbability(arrivalRegimes(f.arrival, f.requestsPerMonth), profile.cacheTtlSeconds),
    })),
    policies: planPolicies(ctx, reference?.monthlyUsd ?? null),
    selfHosting: selfHostPlan(ctx),
    fineTune: fineTunePlan(ctx, notes),
    notes,
  };
}

function selfHostPlan(ctx: PlanContext): SelfHostPlan | null {
  const sh = ctx.profile.selfHosting;
  const d = ctx.deployment;
  const p = sh ? ctx.profiles.get(sh.replaces) : undefined;
  const policy = sh ? ctx.summary.routers.find((r) => r.id === `always:${sh.replaces}`) : undefined;
  if (!sh || !d || !p || !policy) return null;
  // The comparison is the replaced model taking all the profile's traffic, at its best API price.
  const requests = totalRequests(ctx.profile);
  const api = projectPolicy(ctx, policy, "caching+batch");
  return {
    replaces: sh.replaces,
    outputTokensPerSec: d.outputTokensPerSec,
    inputTokensPerSec: d.inputTokensPerSec ?? null,
    throughputBasis: ctx.throughputBasis ?? "configured",
    utilisation: d.utilisation,
    apiPerRequestUsd: api.meanUsd,
    ...selfHostEconomics(requests, p, api.meanUsd, d),
    sensitivity: sensitivity(requests, p, api.meanUsd, d),
  };
}

function fineTunePlan(ctx: PlanContext, notes: string[]): FineTunePlan | null {
  const ft = ctx.profile.fineTune;
  if (!ft) return null;
  const policy = ft.candidate ? ctx.summary.routers.find((r) => r.id === `always:${ft.candidate}`) : undefined;
  const model = ft.candidate ? ctx.summary.models.find((m) => m.id === ft.candidate) : undefined;
  const measured = policy ? projectPolicy(ctx, policy, "list").meanUsd : model ? model.costPer1k / 1000 : undefined;
  const perRequest = ft.perRequestUsd ?? measured;
  if (perRequest === undefined) return null;
  // The candidate's own training cost (registered by `finetune status` from the job) wins over a
  // figure typed into the profile, which is an estimate made before the job ran.
  const jobCost = model?.fineTune?.trainingCostUsd;
  const training = jobCost ?? ft.trainingCostUsd;
  if (training === undefined) {
    notes.push(
      `fineTune.candidate "${ft.candidate}" carries no training cost (no fineTune.trainingCostUsd in its model spec): give fineTune.trainingCostUsd in the profile.`,
    );
    return null;
  }
  if (jobCost !== undefined && ft.trainingCostUsd !== undefined && ft.trainingCostUsd !== jobCost)
    notes.push(
      `fineTune.trainingCostUsd ${ft.trainingCostUsd} in the profile is replaced by ${jobCost}, the training cost ${ft.candidate} carries from its job.`,
    );
  const horizon = Math.min(ft.amortiseMonths, ft.retrainEveryMonths ?? Number.POSITIVE_INFINITY);
  const trainingMonthly = (training + ft.setupCostUsd) / horizon;
  const requests = totalRequests(ctx.profile);
  const versus = planPolicies(ctx, null)
    .filter((p) => p.id !== `always:${ft.candidate}`)
    .map((p) => {
      const mean = p.projections[0]!.meanUsd;
      const saving = mean - perRequest;
      return {
        policy: p.id,
        meanUsd: mean,
        savingPerRequestUsd: saving,
        breakEvenRequestsPerMonth: saving > 0 ? trainingMonthly / saving : null,
      };
    });
  return {
    candidate: ft.candidate ?? null,
    quality: policy?.quality.mean ?? model?.quality ?? null,
    perRequestUsd: perRequest,
    trainingCostUsd: training,
    trainingCostSource: jobCost !== undefined ? "job" : "profile",
    setupCostUsd: ft.setupCostUsd,
    amortiseMonths: ft.amortiseMonths,
    retrainEveryMonths: ft.retrainEveryMonths ?? null,
    trainingMonthlyUsd: trainingMonthly,
    monthlyUsd: requests * perRequest + trainingMonthly,
    versus,
  };
}
