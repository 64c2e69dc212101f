import { requestHash } from "../core/request-hash.ts";
import type {
  CallOptions,
  CallResult,
  ChatRequest,
  Expected,
  Item,
  ModelCaller,
  ModelId,
  RequestIdentity,
} from "../core/types.ts";
import { costOfUsage } from "../pricing/cost.ts";
import { MissingOutcomeError, ProviderError, ProviderErrorCode } from "../providers/provider-error.ts";
import type { SecretScrubber } from "../providers/scrub/secret-scrubber.ts";
import type { OutcomeRecord, OutcomeStore } from "../store/outcome-store.ts";
import type { CallGuard } from "./call-guard.ts";
import type { CallStats } from "./call-stats.ts";
import type { ResolvedModel } from "./resolved-model.ts";
import { scrubRecord } from "./scrub-record.ts";

export interface StoreCallerOptions {
  store: OutcomeStore;
  models: ReadonlyMap<ModelId, ResolvedModel>;
  /** Concurrency, rate limits, retries, timeouts and the budget for every provider call. */
  guard: CallGuard;
  stats: CallStats;
  /** When true, a request the store cannot answer is never sent to a networked provider. */
  offline: boolean;
  answerSpace?: readonly Expected[];
  /** The run's keys: removed from every outcome stored or read back (providers/scrub). */
  scrubber?: SecretScrubber;
}

/**
 * Stored failures that a later run may well not repeat (a rate limit, an outage, a timeout): they
 * are collected again instead of being served from the store forever. Other failures (a bad
 * request, a recorded error) would fail the same way, so they are kept.
 */
export const RETRY_ON_NEXT_RUN: ReadonlySet<string> = new Set([
  ProviderErrorCode.RateLimited,
  ProviderErrorCode.Server,
  ProviderErrorCode.Connection,
  ProviderErrorCode.Timeout,
  ProviderErrorCode.BatchExpired,
  ProviderErrorCode.BatchCanceled,
]);

/**
 * The evaluation-side caller: answers from the outcome store, collects what is missing from the
 * provider (storing it before returning, so a killed run keeps every finished call), and prices
 * every result from its usage and the price table in force.
 */
export class StoreCaller {
  private readonly inFlight = new Map<string, Promise<CallResult>>();
  /** Hashes this run stored through a provider batch: provider calls of this run, not store hits. */
  private readonly batched = new Set<string>();

  constructor(private readonly opts: StoreCallerOptions) {}

  /** Marks an outcome the batch collector just stored (collect/batch-collector.ts). */
  noteBatched(hash: string): void {
    this.batched.add(hash);
  }

  /** A ModelCaller bound to one item, as routers and judges see it. */
  forItem(item: Item): ModelCaller {
    return { call: (model, request, callOpts) => this.call(item, model, request, callOpts) };
  }

  resolve(model: ModelId): ResolvedModel {
    const resolved = this.opts.models.get(model);
    if (!resolved) {
      throw new ProviderError(
        `model "${model}" is not a candidate of this eval (known: ${[...this.opts.models.keys()].join(", ")})`,
        ProviderErrorCode.BadRequest,
        false,
      );
    }
    return resolved;
  }

  hashOf(item: Item, model: ModelId, request: ChatRequest, callOpts: CallOptions = {}): string {
    return requestHash(this.resolve(model).snapshot, request, identityOf(item, callOpts));
  }

  call(item: Item, model: ModelId, request: ChatRequest, callOpts: CallOptions = {}): Promise<CallResult> {
    const resolved = this.resolve(model);
    const identity = identityOf(item, callOpts);
    const hash = requestHash(resolved.snapshot, request, identity);
    this.opts.stats.requests++;
    // Two routers asking for the same outcome at once share one provider call.
    let pending = this.inFlight.get(hash);
    if (!pending) {
      pending = this.answer(item, resolved, request, identity, hash, callOpts.signal);
      this.inFlight.set(hash, pending);
    }
    return pending;
  }

  private async answer(
    item: Item,
    resolved: ResolvedModel,
    request: ChatRequest,
    identity: RequestIdentity,
    hash: string,
    signal: AbortSignal | undefined,
  ): Promise<CallResult> {
    const { provider, spec } = resolved;
    const mayCall = !this.opts.offline || provider.offline;
    const stored = this.read(hash);
    // A batch failure of this run is kept as it is: it is retried by a later run, not synchronously now.
    const batched = this.batched.delete(hash);
    const retry = mayCall && stored?.errorCode != null && RETRY_ON_NEXT_RUN.has(stored.errorCode);
    if (stored && (batched || !retry)) {
      if (batched) this.opts.stats.providerCalls++;
      else this.opts.stats.fromStore++;
      if (stored.error) this.failed(stored);
      this.used(stored);
      return toCallResult(stored, resolved, !batched);
    }
    if (!mayCall) return this.missing(resolved, identity, hash);

    const started = Date.now();
    let record: OutcomeRecord;
    try {
      const result = await this.opts.guard.complete(resolved, request, {
        identity,
        item,
        answerSpace: this.opts.answerSpace,
        ...(signal ? { signal } : {}),
      });
      record = {
        hash,
        modelId: spec.id,
        snapshot: result.snapshot ?? resolved.snapshot,
        identity,
        request: withoutTransportHints(request),
        output: result.text,
        usage: result.usage,
        usageEstimated: result.usageEstimated ?? false,
        recordedCostUsd: result.recordedCostUsd ?? null,
        latencyMs: result.latencyMs,
        error: null,
        errorCode: null,
        logprobs: result.logprobs ?? null,
        createdAt: new Date().toISOString(),
        serviceTier: result.serviceTier ?? null,
        redacted: result.redacted ?? false,
      };
    } catch (err) {
      if (err instanceof MissingOutcomeError) return this.missing(resolved, identity, hash);
      if (!(err instanceof ProviderError)) throw err;
      // A failed outcome is stored with its error: the report shows it and the item scores 0.
      record = {
        hash,
        modelId: spec.id,
        snapshot: resolved.snapshot,
        identity,
        request: withoutTransportHints(request),
        output: "",
        usage: null,
        usageEstimated: false,
        recordedCostUsd: null,
        latencyMs: Date.now() - started,
        error: err.message,
        errorCode: err.code,
        logprobs: null,
        createdAt: new Date().toISOString(),
        serviceTier: null,
        redacted: err.redacted,
      };
    }
    record = this.scrub(record);
    if (record.error) this.failed(record);
    this.used(record);
    this.opts.store.put(record);
    this.opts.stats.providerCalls++;
    return toCallResult(record, resolved, false);
  }

  /**
   * Resolves once every call started so far has settled, including calls started meanwhile: a run
   * that stops (a budget reached) lets its calls in flight finish and be stored before it exits.
   */
  async settled(): Promise<void> {
    for (let seen = -1; seen !== this.inFlight.size; ) {
      seen = this.inFlight.size;
      await Promise.allSettled([...this.inFlight.values()]);
    }
  }

  /** A stored outcome, scrubbed; one that still held a key (an older routegate stored it) is rewritten clean. */
  private read(hash: string): OutcomeRecord | undefined {
    const stored = this.opts.store.get(hash);
    if (!stored) return undefined;
    const clean = this.scrub(stored, "answer");
    if (clean !== stored) this.opts.store.put(clean);
    return clean;
  }

  private scrub(record: OutcomeRecord, parts: "all" | "answer" = "all"): OutcomeRecord {
    return this.opts.scrubber ? scrubRecord(record, this.opts.scrubber, parts) : record;
  }

  private used(record: OutcomeRecord): void {
    if (record.redacted)
      this.opts.stats.redacted.push({
        model: record.modelId,
        itemId: record.identity.itemId,
        role: record.identity.role,
      });
  }

  private failed(record: OutcomeRecord): void {
    this.opts.stats.errors++;
    this.opts.stats.failures.push({
      model: record.modelId,
      itemId: record.identity.itemId,
      role: record.identity.role,
      code: record.errorCode,
      error: record.error ?? "",
      ...(record.redacted ? { redacted: true as const } : {}),
    });
  }

  private missing(resolved: ResolvedModel, identity: RequestIdentity, hash: string): CallResult {
    this.opts.stats.missing.push(
      `${resolved.spec.id} ${identity.itemId}${identity.role === "answer" ? "" : ` (${identity.role})`}`,
    );
    return {
      model: resolved.spec.id,
      requestHash: hash,
      text: "",
      usage: ZERO_USAGE,
      latencyMs: 0,
      costUsd: 0,
      cached: false,
      error: `missing outcome for ${resolved.spec.id} on item ${identity.itemId}`,
    };
  }
}

const ZERO_USAGE = {
  input: { noCache: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 },
  output: { text: 0, reasoning: 0 },
} as const;

function identityOf(item: Item, opts: CallOptions): RequestIdentity {
  return { itemId: item.id, role: opts.role ?? "answer", sample: opts.sample ?? 0, parents: opts.parents ?? [] };
}

function withoutTransportHints(request: ChatRequest): Omit<ChatRequest, "cache"> {
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
function toCallResult(record: OutcomeRecord, resolved: ResolvedModel, cached: boolean): CallResult {
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
