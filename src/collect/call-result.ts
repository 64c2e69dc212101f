import type { CallOptions, CallResult, ChatRequest, Item, RequestIdentity } from "../core/types.ts";
import { costOfUsage } from "../pricing/cost.ts";
import type { OutcomeRecord } from "../store/outcome-store.ts";
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
 * A recorded cost is used only where usage is unknown or was merely estimated (recorded outcomes
 * that carry a bill but no token counts); everywhere else cost comes from usage and the price table.
 */
function costOf(record: OutcomeRecord, resolved: ResolvedModel): number {
  const preferRecorded = record.recordedCostUsd !== null && (record.usage === null || record.usageEstimated);
  if (preferRecorded) return record.recordedCostUsd!;
  if (record.usage === null) return 0;
  if (resolved.pricing === null) throw resolved.missingPrice ?? new Error(`no price for ${resolved.spec.id}`);
  return costOfUsage(record.usage, resolved.pricing, { batch: record.serviceTier === "batch" });
}

/** Cost is derived here, at evaluation time, from stored usage and the price table in force. */
export function toCallResult(record: OutcomeRecord, resolved: ResolvedModel, cached: boolean): CallResult {
  const usage = record.usage ?? ZERO_USAGE;
  const costUsd = record.error ? 0 : costOf(record, resolved);
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
