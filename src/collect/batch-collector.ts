import { RunError } from "../core/errors.ts";
import type { ChatRequest, Item, ModelId } from "../core/types.ts";
import type { DatasetItems } from "../datasets/dataset-items.ts";
import type { BatchItemResult } from "../providers/batch.ts";
import { notRun } from "../providers/batch.ts";
import { ProviderError, ProviderErrorCode } from "../providers/provider-error.ts";
import type { OutcomeRecord, OutcomeStore } from "../store/outcome-store.ts";
import type { Clock } from "./clock.ts";
import type { RequestClaims } from "./request-claims.ts";
import type { ResolvedModel } from "./resolved-model.ts";
import type { StoreCaller } from "./store-caller.ts";

// `routegate eval --batch`: the answer matrix's missing outcomes of models whose provider has a
// batch API are collected as one batch per model before the matrix is read, so the matrix then
// finds them in the store. Everything else (vllm, sim, replay, judge calls) stays synchronous.

/** Production poll interval: batches take minutes to hours, and each poll is a request. */
export const DEFAULT_BATCH_POLL_MS = 30_000;

export interface BatchCollectOptions {
  store: OutcomeStore;
  caller: StoreCaller;
  /** Read a window at a time: a dataset file's items are not kept. */
  items: DatasetItems;
  models: readonly ModelId[];
  render: (item: Item) => ChatRequest;
  pollMs: number;
  clock: Clock;
  log?: (line: string) => void;
  /** Claims shared with other processes using the store (the run's); absent: no coordination. */
  claims?: RequestClaims;
}

interface Pending {
  item: Item;
  request: ChatRequest;
  /** Runs that will have collected this outcome, this one included. */
  tries: number;
}

export async function collectByBatch(o: BatchCollectOptions): Promise<void> {
  // Models batch in parallel: each waits on its own provider.
  await Promise.all(o.models.map((model) => collectModel(o, o.caller.resolve(model))));
}

async function collectModel(o: BatchCollectOptions, resolved: ResolvedModel): Promise<void> {
  const { provider, spec } = resolved;
  if (!provider.batch || provider.offline) return;
  const pending = new Map<string, Pending>();
  o.items.forEach((item) => {
    const request = o.render(item);
    const hash = o.caller.hashOf(item, spec.id, request);
    const stored = o.store.get(hash);
    if (stored && !o.caller.collectsAgain(stored)) return;
    pending.set(hash, { item, request, tries: stored ? (stored.tries ?? 1) + 1 : 1 });
  });

  // A batch a killed run left behind is polled, never resubmitted: its requests may already be billed.
  for (const open of o.store.batches.open(spec.id)) {
    const covered = open.hashes.filter((h) => pending.has(h));
    if (covered.length === 0) {
      if (open.hashes.every((h) => o.store.get(h)))
        o.store.batches.update(open.provider, open.batchId, open.status, true);
      continue;
    }
    o.log?.(`batch ${open.batchId} (${spec.id}): resuming, ${covered.length} request(s)`);
    await finish(o, resolved, open.batchId, new Map(covered.map((h) => [h, pending.get(h)!])));
    for (const h of covered) pending.delete(h);
  }
  if (pending.size === 0) return;

  // Claimed before submitting, held until the answers are stored: another run sharing the store
  // (a parallel job) that looks meanwhile neither submits them again nor pays for them by a
  // synchronous call; it waits for these answers. What another run holds is left to it.
  const held = o.claims?.holdMany([...pending.keys()]);
  try {
    if (held) {
      let others = 0;
      for (const hash of [...pending.keys()]) {
        if (!held.has(hash)) {
          pending.delete(hash);
          others++;
          continue;
        }
        // Stored by the run that held it until a moment ago: nothing left to pay for.
        const now = o.store.get(hash);
        if (now && !o.caller.collectsAgain(now)) {
          held.release(hash);
          pending.delete(hash);
        }
      }
      if (others > 0)
        o.log?.(
          `${spec.id}: ${others} request(s) are being collected by another run on this store; waiting for its answers`,
        );
      if (pending.size === 0) return;
    }
    const entries = [...pending].map(([hash, p]) => ({ hash, request: p.request }));
    const batchId = await guarded(spec.id, "submit", () => provider.batch!.submit(spec, entries));
    o.store.batches.add({
      provider: provider.id,
      batchId,
      modelId: spec.id,
      status: "submitted",
      hashes: entries.map((e) => e.hash),
    });
    o.log?.(`batch ${batchId} (${spec.id}): submitted ${entries.length} request(s)`);
    await finish(o, resolved, batchId, pending);
  } finally {
    held?.releaseAll();
  }
}

/** Polls a batch until it ends, then stores one outcome per covered request. */
async function finish(
  o: BatchCollectOptions,
  resolved: ResolvedModel,
  batchId: string,
  covered: ReadonlyMap<string, Pending>,
): Promise<void> {
  const { provider, spec } = resolved;
  const batch = provider.batch!;
  let poll = await guarded(spec.id, "poll", () => batch.poll(spec, batchId));
  while (!poll.done) {
    o.store.batches.update(provider.id, batchId, poll.status, false);
    await o.clock.sleep(o.pollMs);
    poll = await guarded(spec.id, "poll", () => batch.poll(spec, batchId));
  }
  const results = await guarded(spec.id, "read results", () => batch.results(spec, batchId));
  const byHash = new Map(results.map((r) => [r.hash, r]));
  for (const [hash, p] of covered) {
    const result = byHash.get(hash) ?? { hash, error: withoutLine(provider.id, poll.status) };
    o.store.put(recordOf(resolved, hash, p, result));
    o.caller.noteBatched(hash);
  }
  o.store.batches.update(provider.id, batchId, poll.status, true);
}

/** A request the ended batch has no line for: not run if the batch expired or was cancelled. */
function withoutLine(provider: string, status: string): ProviderError {
  const s = status.toLowerCase();
  if (s.includes("expire")) return notRun(provider, "expired", `batch ${status}`);
  if (s.includes("cancel")) return notRun(provider, "canceled", `batch ${status}`);
  return new ProviderError(
    `${provider}: batch ended (${status}) without a result for this request`,
    ProviderErrorCode.BadResponse,
    false,
  );
}

/** Submitting or polling failed: the run stops; a persisted batch is resumed by the next run. */
async function guarded<T>(model: string, what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    throw new RunError(`batch ${what} for ${model} failed: ${err.message}`);
  }
}

function recordOf(resolved: ResolvedModel, hash: string, p: Pending, r: BatchItemResult): OutcomeRecord {
  const { cache: _hint, ...request } = p.request;
  const base = {
    hash,
    modelId: resolved.spec.id,
    identity: { itemId: p.item.id, role: "answer" as const, sample: 0, parents: [] },
    request,
    // A batch answer has no per-request latency worth reporting: it waited in the provider's queue.
    latencyMs: 0,
    createdAt: new Date().toISOString(),
    recordedCostUsd: null,
    tries: p.tries,
  };
  if ("error" in r) {
    return {
      ...base,
      snapshot: resolved.snapshot,
      output: "",
      usage: null,
      usageEstimated: false,
      error: r.error.message,
      errorCode: r.error.code,
      logprobs: null,
      serviceTier: null,
      redacted: r.error.redacted,
    };
  }
  return {
    ...base,
    snapshot: r.result.snapshot ?? resolved.snapshot,
    output: r.result.text,
    usage: r.result.usage,
    rawUsage: r.result.rawUsage ?? null,
    usageEstimated: r.result.usageEstimated ?? false,
    error: null,
    errorCode: null,
    logprobs: r.result.logprobs ?? null,
    // What prices the outcome at the batch multiplier (pricing/cost.ts).
    serviceTier: "batch",
    redacted: r.result.redacted ?? false,
  };
}
