import type { CallOptions, CallResult, ChatRequest, Item, RequestIdentity } from "../core/types.ts";
import { type BillableResult, resultCost } from "../pricing/result-cost.ts";
import type { ServedOutcome } from "../store/outcome-store.ts";
import type { ResolvedModel } from "./resolved-model.ts";

// How a stored outcome becomes the CallResult routers and judges see: priced at evaluation time.

export const ZERO_USAGE = {
  input: { noCache: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 },
  output: { text: 0, reasoning: 0 },
} as const;

export function identityOf(item: Item, opts: CallOptions): RequestIdentity {
  return { itemId: item.id, role: opts.role ?? "answer", sample: opts.sample ?? 0, parents: opts.parents ?? [] };
}

export function withoutTransportHints(request: ChatRequest): Omit<ChatRequest, "cache"> {
  const { cache: _hint, ...rest } = request;
  return rest;
}

/**
 * Cost is derived here, at evaluation time, from stored usage and the model's price in force, by
 * the one cost rule (pricing/result-cost.ts). A result that needs a price its model lacks is an
 * error, never a silent zero: a replay model without a price row whose record carries no cost, or
 * a self-hosted model read before its throughput was measured.
 */
export function toCallResult(record: ServedOutcome, resolved: ResolvedModel, cached: boolean): CallResult {
  const usage = record.usage ?? ZERO_USAGE;
  const costUsd = priceOf(record, resolved);
  return {
    model: resolved.spec.id,
    requestHash: record.hash,
    text: record.output,
    usage,
    latencyMs: record.latencyMs,
    snapshot: record.snapshot,
    costUsd,
    cached,
    ...(record.logprobs ? { logprobs: record.logprobs } : {}),
    ...(record.usageEstimated ? { usageEstimated: true } : {}),
    ...(record.recordedCostUsd !== null ? { recordedCostUsd: record.recordedCostUsd } : {}),
    ...(record.error ? { error: record.error } : {}),
    ...(record.serviceTier ? { serviceTier: record.serviceTier } : {}),
    ...(record.redacted ? { redacted: true } : {}),
  };
}

/** What a result costs at its model's price in force (the one cost rule); a missing price is an error. */
export function priceOf(result: BillableResult, resolved: ResolvedModel): number {
  const cost = resultCost(result, resolved.pricing);
  if (cost.basis === "unpriced") throw resolved.missingPrice ?? new Error(`no price for ${resolved.spec.id}`);
  return cost.usd;
}
