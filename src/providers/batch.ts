import type { ModelSpec } from "../contracts/model-spec.ts";
import type { ChatRequest, ProviderResult } from "../core/types.ts";
import { ProviderError, ProviderErrorCode } from "./provider-error.ts";

// Batch APIs (OpenAI Batch, Anthropic Message Batches, Gemini batch mode) behind one small
// interface, so collect/batch-collector.ts never special-cases a provider. Results are read with
// the same body readers as the synchronous adapters, so usage is normalised identically.

/** One request of a batch; its id at the provider (custom_id, metadata key) is the request hash. */
export interface BatchEntry {
  hash: string;
  request: ChatRequest;
}

export interface BatchPoll {
  /** True once the provider will change nothing more (ended, completed, failed, expired, cancelled). */
  done: boolean;
  /** The provider's own status word, kept in the store's batches table. */
  status: string;
}

export type BatchItemResult =
  | { hash: string; result: Omit<ProviderResult, "latencyMs"> }
  | { hash: string; error: ProviderError };

export interface BatchCapable {
  /** Submits one batch for `model`; returns the provider's batch id. */
  submit(model: ModelSpec, entries: readonly BatchEntry[]): Promise<string>;
  poll(model: ModelSpec, batchId: string): Promise<BatchPoll>;
  /** Per-request results of a finished batch; requests without a line are the caller's to fail. */
  results(model: ModelSpec, batchId: string): Promise<BatchItemResult[]>;
}

/** A request the provider did not run (the batch expired or was cancelled first): retried next run. */
export function notRun(provider: string, why: "expired" | "canceled", detail = ""): ProviderError {
  const code = why === "expired" ? ProviderErrorCode.BatchExpired : ProviderErrorCode.BatchCanceled;
  return new ProviderError(`${provider}: batch request ${why}${detail ? ` (${detail})` : ""}`, code, true);
}
