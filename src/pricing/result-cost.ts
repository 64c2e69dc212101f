import type { TokenPricing } from "../contracts/model-spec.ts";
import type { Usage } from "../core/types.ts";
import { costOfUsage } from "./cost.ts";

// The one cost rule: what a result cost, and whether that figure is an estimate. The collector's
// outcomes, the budget's reconciliation, the production caller, the evaluation's model figures and
// the cost planner all ask here, so a rule changed here changes every figure at once.

/** What a result says about its bill: the fields outcomes, provider results and call results share. */
export interface BillableResult {
  /** Normalised usage; null or absent when the result carries none (a failure, a bill without tokens). */
  usage?: Usage | null;
  /** The usage was counted with a tokenizer, not reported by the provider. */
  usageEstimated?: boolean;
  /** A cost the result was recorded with (recorded outcomes); used only where usage is unknown or estimated. */
  recordedCostUsd?: number | null;
  /** The tier that billed the call: "batch" is charged at the batch price. */
  serviceTier?: string | null;
  /** Set on a failed call: it costs 0 in the figures (the budget counts what failures may have cost). */
  error?: string | null;
}

/**
 * "usage": usage at the price; "recorded": the bill the result was recorded with; "unbilled": a
 * failure or a result without usage; "unpriced": usage but no price to apply (the figure is 0 and
 * the caller decides whether that is an error).
 */
export type CostBasis = "usage" | "recorded" | "unbilled" | "unpriced";

export interface ResultCost {
  usd: number;
  /** True when the figure is not the provider's exact bill: usage counted by a tokenizer, or no price. */
  estimated: boolean;
  basis: CostBasis;
}

/**
 * The cost of one result. `pricing` is the model's resolved price (PriceBook.priceFor: the spec's
 * own pricing first, then the price table; GPU-hour pricing converted per token, at the measured
 * throughput where the run measured it). A recorded cost wins only where usage is unknown or was
 * merely estimated; everywhere else cost is usage times the price, at the batch price for a call
 * the batch tier billed.
 */
export function resultCost(result: BillableResult, pricing: TokenPricing | null): ResultCost {
  if (result.error) return { usd: 0, estimated: false, basis: "unbilled" };
  const recorded = result.recordedCostUsd;
  const usage = result.usage ?? null;
  if (recorded !== undefined && recorded !== null && (usage === null || result.usageEstimated === true))
    return { usd: recorded, estimated: false, basis: "recorded" };
  if (usage === null) return { usd: 0, estimated: false, basis: "unbilled" };
  if (pricing === null) return { usd: 0, estimated: true, basis: "unpriced" };
  const usd = costOfUsage(usage, pricing, { batch: result.serviceTier === "batch" });
  return { usd, estimated: result.usageEstimated === true, basis: "usage" };
}
