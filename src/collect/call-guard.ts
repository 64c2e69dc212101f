import type {
  ChatRequest,
  EmbedRequest,
  EvaluationCallContext,
  ProviderEmbedResult,
  ProviderResult,
} from "../core/types.ts";
import { ProviderError, ProviderErrorCode } from "../providers/provider-error.ts";
import type { Budget } from "./budget.ts";
import type { CallStats } from "./call-stats.ts";
import type { Clock } from "./clock.ts";
import type { Lane, ProviderLanes } from "./lanes.ts";
import type { ResolvedModel } from "./resolved-model.ts";
import { type RetryPolicy, withRetries } from "./retry.ts";
import { withTimeout } from "./timeout.ts";
import { actualCost, actualTokens, embedWorstCase, type WorstCase, worstCase } from "./worst-case.ts";

/**
 * Long enough for a long generation at a slow provider, short enough to notice a hung connection.
 * The hosted adapters' own deadline has the same default, and `routegate eval` hands them --timeout-ms.
 */
export const DEFAULT_TIMEOUT_MS = 60_000;

export interface CallGuardOptions {
  lanes: ProviderLanes;
  budget: Budget;
  retry: RetryPolicy;
  /** Per attempt; 0 for none. */
  timeoutMs: number;
  clock: Clock;
  random?: () => number;
  stats: CallStats;
  /**
   * Every model the run may call: the first call that goes to a provider prepares all of them
   * (loads their SDKs, builds their clients) before any deadline starts, so one SDK's import
   * cannot stall another's requests in flight into timeouts.
   */
  models?: readonly ResolvedModel[];
}

/** One provider call, retries included, made within a lane slot already held. */
export type SlotCall = (request: ChatRequest, ctx: EvaluationCallContext) => Promise<ProviderResult>;
/** One embedding call, retries included, made within a lane slot already held. */
export type EmbedSlotCall = (request: EmbedRequest, ctx: EvaluationCallContext) => Promise<ProviderEmbedResult>;
/** Attempts of one call (budget, admission, deadline, retries) in the slot held. */
type Guarded = <R extends ProviderResult>(
  ctx: EvaluationCallContext,
  worst: () => WorstCase,
  send: (signal: AbortSignal | undefined) => Promise<R>,
) => Promise<R>;

/**
 * Resilience, owned in one place: every provider call of a run passes here. Per call: a slot of
 * its provider's lane (concurrency). Per attempt: a budget reservation of its worst case, the
 * lane's RPM/TPM admission, the call under a deadline, then the reconciliation of both.
 */
export class CallGuard {
  private warming: Promise<unknown> | undefined;

  constructor(private readonly opts: CallGuardOptions) {}

  get budget(): Budget {
    return this.opts.budget;
  }

  complete(resolved: ResolvedModel, request: ChatRequest, ctx: EvaluationCallContext): Promise<ProviderResult> {
    return this.inSlot(resolved, (call) => call(request, ctx));
  }

  /** An embedding call, under the same lane, retries, timeout and budget as any call. */
  embed(resolved: ResolvedModel, request: EmbedRequest, ctx: EvaluationCallContext): Promise<ProviderEmbedResult> {
    return this.inEmbedSlot(resolved, (call) => call(request, ctx));
  }

  /**
   * Runs `work` in a slot of the model's provider lane; `call` makes one call (its attempts,
   * deadlines, budget and rate limits) in that slot. The store-backed caller claims the request
   * here, so a process holds no more claims than it has calls in flight.
   */
  inSlot<T>(resolved: ResolvedModel, work: (call: SlotCall) => Promise<T>): Promise<T> {
    const { provider, spec, pricing } = resolved;
    return this.slot(resolved, (guarded) =>
      work((request, ctx) =>
        guarded(
          ctx,
          () => worstCase(request, pricing, provider.id),
          // The same context when the signal is the caller's (an offline call): copying an object
          // with a spread costs about 2 us, a tenth of what answering from a replay file does.
          (signal) => provider.complete(spec, request, signal === ctx.signal ? ctx : { ...ctx, signal }),
        ),
      ),
    );
  }

  /** As inSlot, for an embedding model's calls (ctx.embed). */
  inEmbedSlot<T>(resolved: ResolvedModel, work: (call: EmbedSlotCall) => Promise<T>): Promise<T> {
    const { provider, spec, pricing } = resolved;
    const embed = provider.embed;
    if (!embed)
      return Promise.reject(
        new ProviderError(
          `${spec.id}: provider ${provider.id} has no embedding API`,
          ProviderErrorCode.BadRequest,
          false,
        ),
      );
    return this.slot(resolved, (guarded) =>
      work((request, ctx) =>
        guarded(
          ctx,
          () => embedWorstCase(request, pricing, provider.id),
          (signal) => embed.call(provider, spec, request, { ...ctx, signal }),
        ),
      ),
    );
  }

  private async slot<T>(resolved: ResolvedModel, work: (guarded: Guarded) => Promise<T>): Promise<T> {
    await this.prepare(resolved);
    const lane = this.opts.lanes.for(resolved.provider.id);
    // Offline providers keep the concurrency slot (--concurrency holds for them too) and nothing else.
    if (resolved.provider.offline)
      return lane.run(() => work((ctx, worst, send) => this.offline(resolved, ctx, worst, send)));
    const { retry, clock, random } = this.opts;
    return lane.run(() =>
      work((ctx, worst, send) =>
        withRetries(() => this.attempt(resolved, ctx, lane, worst, send), retry, {
          clock,
          ...(random ? { random } : {}),
          ...(ctx.signal ? { signal: ctx.signal } : {}),
        }),
      ),
    );
  }

  /**
   * Loads what the first request needs before its deadline starts: the per-attempt deadline times
   * the request, never an SDK's import or a client's construction. A failure to prepare another
   * model is that model's to report, when it is called.
   */
  private async prepare(resolved: ResolvedModel): Promise<void> {
    this.warming ??= Promise.allSettled((this.opts.models ?? []).map((m) => m.provider.prepare?.(m.spec)));
    await this.warming;
    await resolved.provider.prepare?.(resolved.spec);
  }

  /**
   * An offline provider (replay, sim) answers from memory or a file: no rate limit, deadline,
   * abort signal or retry, whose timers and promises cost more than the answer. Its
   * notional cost still counts against the budget, so a capped sim run stops as a paid one would.
   */
  private async offline<R extends ProviderResult>(
    resolved: ResolvedModel,
    ctx: EvaluationCallContext,
    worstOfCall: () => WorstCase,
    send: (signal: AbortSignal | undefined) => Promise<R>,
  ): Promise<R> {
    const { budget, stats } = this.opts;
    // The worst case (tokenizing) only when a cap needs it; the spend is counted either way.
    const reservation = await budget.reserve(budget.capUsd === null ? 0 : worstOfCall().costUsd);
    stats.attempts++;
    try {
      // The caller's own signal only (a run stopping): no deadline of ours.
      const result = await send(ctx.signal);
      reservation.settle(actualCost(result, resolved.pricing));
      return result;
    } catch (err) {
      reservation.release();
      throw err;
    }
  }

  private async attempt<R extends ProviderResult>(
    resolved: ResolvedModel,
    ctx: EvaluationCallContext,
    lane: Lane,
    worstOfCall: () => WorstCase,
    send: (signal: AbortSignal | undefined) => Promise<R>,
  ): Promise<R> {
    const { budget, stats, timeoutMs } = this.opts;
    // Tokenizing takes time: the worst case is worked out only when a cap, a TPM limit or a timeout needs it.
    let worst: WorstCase | undefined;
    const worstOf = () => {
      worst ??= worstOfCall();
      return worst;
    };
    const reservation = await budget.reserve(budget.capUsd === null ? 0 : worstOf().costUsd);
    const estimated = lane.countsTokens ? worstOf().tokens : 0;
    try {
      await lane.admit(estimated);
    } catch (err) {
      reservation.release();
      throw err;
    }
    stats.attempts++;
    try {
      const result = await withTimeout((signal) => send(signal), timeoutMs, ctx.signal);
      reservation.settle(actualCost(result, resolved.pricing));
      lane.reconcile(estimated, lane.countsTokens ? actualTokens(result) : 0);
      return result;
    } catch (err) {
      const timedOut = err instanceof ProviderError && err.code === ProviderErrorCode.Timeout;
      if (timedOut || (err instanceof ProviderError && err.billed)) {
        // Unknown cost, possibly billed: the worst case counts as spent, and its tokens stay charged.
        if (timedOut) stats.timedOut++;
        reservation.chargeWorstCase(worstOf().costUsd, timedOut);
      } else {
        reservation.release();
        lane.reconcile(estimated, 0);
      }
      throw err;
    }
  }
}
