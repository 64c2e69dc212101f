import type { ResolvedModel } from "../../collect/resolved-model.ts";
import type { TokenPricing } from "../../contracts/model-spec.ts";
import type { ModelSummary } from "../../contracts/summary.ts";
import { resultCost } from "../../pricing/result-cost.ts";
import { costPercentiles, percentile, qualityInterval } from "../../stats/index.ts";
import type { AnswerMatrix } from "../matrix/answer-matrix.ts";

/**
 * Per-model figures over every item (nothing is fitted to a single model, so no split is needed),
 * except the items kept for fine-tuning (`train`): a fine-tuned candidate would be scored on its
 * own training data.
 */
export function modelFigures(
  matrix: AnswerMatrix,
  k: number,
  resolved: ResolvedModel,
  seed: string,
  train?: Uint8Array,
): ModelSummary {
  const kept = (i: number) => train?.[i] !== 1;
  const numbers = (xs: Float64Array) => (train ? xs.filter((_, i) => kept(i)) : xs);
  const answers = matrix.answers[k]!;
  const q = qualityInterval(numbers(matrix.score[k]!), { seed: `${seed}:${resolved.spec.id}` });
  const cost = numbers(matrix.cost[k]!);
  const latency = numbers(matrix.latency[k]!);
  let input = 0;
  let cachedInput = 0;
  let output = 0;
  let reasoning = 0;
  let estimated = false;
  let costEstimated = false;
  let errors = 0;
  let batch = 0;
  // What the same calls would have cost with every input token billed uncached (no prompt caching):
  // unknown as soon as one answer's cost did not come from its usage (a recorded bill, no price).
  let uncachedCost: number | null = resolved.pricing ? 0 : null;
  let counted = 0;
  for (let i = 0; i < answers.length; i++) {
    if (!kept(i)) continue;
    counted++;
    const r = answers.get(i);
    const u = r.usage.input;
    input += u.noCache + u.cacheRead + u.cacheWrite5m + u.cacheWrite1h;
    cachedInput += u.cacheRead;
    output += r.usage.output.text + r.usage.output.reasoning;
    reasoning += r.usage.output.reasoning;
    estimated ||= r.usageEstimated === true;
    // A recorded costUsd is the bill itself, even where its tokens were counted here.
    costEstimated ||= resultCost(answers.billable(i), resolved.pricing).estimated;
    if (r.error) errors++;
    // The store keeps the tier that billed each outcome, so this is measured, not assumed.
    if (r.serviceTier === "batch") batch++;
    if (uncachedCost !== null && !r.error) {
      const all = u.noCache + u.cacheRead + u.cacheWrite5m + u.cacheWrite1h;
      const flat = { input: { noCache: all, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 }, output: r.usage.output };
      const uncached = resultCost({ ...r, usage: flat, error: null }, resolved.pricing);
      uncachedCost = uncached.basis === "usage" ? uncachedCost + uncached.usd : null;
    }
  }
  const per1k = (1000 * cost.reduce((a, b) => a + b, 0)) / cost.length;
  return {
    id: resolved.spec.id,
    provider: resolved.spec.provider,
    snapshot: resolved.snapshot,
    tier: resolved.spec.tier ?? null,
    quality: q.mean,
    qualityCi: [q.lower, q.upper],
    costPer1k: per1k,
    cost: { per1k, ...costPercentiles(cost) },
    errors,
    cacheHitRate: input > 0 ? cachedInput / input : null,
    tokens: { input, cachedInput, output, reasoning },
    usageEstimated: estimated,
    costEstimated,
    latencyMs: { p50: percentile(latency, 50), p95: percentile(latency, 95) },
    batchShare: counted ? batch / counted : 0,
    costPer1kWithoutCache: uncachedCost === null ? null : (1000 * uncachedCost) / counted,
    fineTune: resolved.spec.fineTune ?? null,
    ...(pricingOf(resolved) ? { pricing: pricingOf(resolved)! } : {}),
  };
}

/**
 * Where the model's price came from (a table row, the spec, GPU-hours at configured or measured
 * throughput) and the per-token price applied, which the cost planner reuses.
 */
function pricingOf(resolved: ResolvedModel): NonNullable<ModelSummary["pricing"]> | null {
  const p = resolved.pricing as (ResolvedModel["pricing"] & { source?: string; note?: string }) | null;
  if (!p?.source) return null;
  const usdPerMillion: TokenPricing = { input: p.input, output: p.output };
  for (const key of ["cachedInput", "cacheWrite5m", "cacheWrite1h", "batchMultiplier"] as const)
    if (p[key] !== undefined) usdPerMillion[key] = p[key];
  return { source: p.source, ...(p.note ? { note: p.note } : {}), usdPerMillion };
}
