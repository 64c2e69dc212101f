import type { ModelSpec } from "../contracts/model-spec.ts";
import type { CallResult } from "../core/types.ts";
import { ProviderError } from "../providers/provider-error.ts";
import type { StreamEvent } from "../providers/stream.ts";
import type { DecisionLog, RoutePlan } from "./route-plan.ts";
import { fallbackOrder } from "./route-plan.ts";

// Answering a decided request: the chosen model first, then the others, on retryable failures
// (429, 5xx, timeouts, dropped connections). A streamed answer falls back only before its first
// piece: once a piece reached the client, another model's answer cannot replace it.

export interface AnswerOptions {
  signal?: AbortSignal;
  /** Models that cannot serve this request (a JSON mode they lack) are skipped as fallbacks. */
  usable?: (spec: ModelSpec) => boolean;
}

export class AllModelsFailed extends ProviderError {
  constructor(readonly fallbacks: DecisionLog["fallbacks"]) {
    super(`every model failed: ${fallbacks.map((f) => `${f.model}: ${f.error}`).join("; ")}`, "server_error", true);
  }
}

export async function answerPlan(
  plan: RoutePlan,
  opts: AnswerOptions = {},
): Promise<{ answer: CallResult; fallbacks: DecisionLog["fallbacks"] }> {
  const fallbacks: DecisionLog["fallbacks"] = [];
  for (const spec of candidates(plan, opts)) {
    try {
      const answer = await plan.caller.call(spec.id, plan.input.request, opts.signal ? { signal: opts.signal } : {});
      return { answer, fallbacks };
    } catch (err) {
      if (!(err instanceof ProviderError) || !err.isRetryable) throw err;
      fallbacks.push({ model: spec.id, error: err.message });
    }
  }
  throw new AllModelsFailed(fallbacks);
}

export interface StartedStream {
  model: string;
  /** The first piece, already read: the stream is committed to this model. */
  first: StreamEvent;
  rest: AsyncIterator<StreamEvent>;
  fallbacks: DecisionLog["fallbacks"];
}

/**
 * Starts the answer's stream, falling back while no piece has arrived. The caller reads `first`,
 * then `rest`; the call is recorded on the plan's caller (priced, logged) when the stream ends.
 */
export async function streamPlan(plan: RoutePlan, opts: AnswerOptions = {}): Promise<StartedStream> {
  const fallbacks: DecisionLog["fallbacks"] = [];
  for (const spec of candidates(plan, opts)) {
    const iterator = plan.caller.stream(spec.id, plan.input.request, opts.signal)[Symbol.asyncIterator]();
    try {
      const first = await iterator.next();
      if (first.done) throw new ProviderError(`${spec.id}: the stream ended without an answer`, "bad_response", false);
      return { model: spec.id, first: first.value, rest: iterator, fallbacks };
    } catch (err) {
      if (!(err instanceof ProviderError) || !err.isRetryable) throw err;
      fallbacks.push({ model: spec.id, error: err.message });
    }
  }
  throw new AllModelsFailed(fallbacks);
}

function candidates(plan: RoutePlan, opts: AnswerOptions): ModelSpec[] {
  const order = fallbackOrder(plan);
  // The chosen model is never skipped: the gateway checks it first and answers 400 itself.
  return order.filter((spec, i) => i === 0 || !opts.usable || opts.usable(spec));
}
