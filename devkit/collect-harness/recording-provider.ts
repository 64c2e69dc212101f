import type { ModelSpec } from "../../src/contracts/model-spec.ts";
import type { ChatRequest, ProviderCallContext, ProviderResult, Role, Usage } from "../../src/core/types.ts";
import type { Provider } from "../../src/providers/provider.ts";
import { ProviderError, type ProviderErrorCode } from "../../src/providers/provider-error.ts";
import { countChatTokens } from "../../src/providers/tokens.ts";

// A scriptable Provider for tests of collection (retries, limits, budgets, resume): it answers
// what its script says, throws what its script throws, and records every attempt it sees.

/** One attempt as the provider saw it. */
export interface RecordedCall {
  /** The model spec's id. */
  model: string;
  itemId: string;
  role: Role;
  sample: number;
  /** 1 for the first attempt at this (model, item, role, sample), 2 for its first retry, ... */
  attempt: number;
  request: ChatRequest;
  signal: AbortSignal | undefined;
  /** Attempts of this provider in flight when this one started (itself included). */
  inFlightAtStart: number;
  /** How the attempt ended, once it has. */
  outcome?: { ok: true; usage: Usage } | { ok: false; error: unknown };
}

/** Answers one attempt: return a result, throw a ProviderError, or never settle (see `hang`). */
export type Script = (call: RecordedCall) => ProviderResult | Promise<ProviderResult>;

export interface RecordingProviderOptions {
  /** Provider id (limits and lanes are keyed by it). Default "recording". */
  id?: string;
  /** Default false: the collector treats it as networked (offline runs never call it). */
  offline?: boolean;
  /** Default: `reply()` for every attempt. */
  script?: Script;
}

export class RecordingProvider implements Provider {
  readonly specificationVersion = "v1";
  readonly id: string;
  readonly offline: boolean;
  readonly calls: RecordedCall[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private readonly script: Script;
  private readonly attempts = new Map<string, number>();

  constructor(opts: RecordingProviderOptions = {}) {
    this.id = opts.id ?? "recording";
    this.offline = opts.offline ?? false;
    this.script = opts.script ?? ((call) => reply(call.request));
  }

  snapshot(spec: ModelSpec): string {
    return `${this.id}:${spec.model}`;
  }

  async complete(spec: ModelSpec, request: ChatRequest, ctx: ProviderCallContext): Promise<ProviderResult> {
    const { itemId, role, sample } = ctx.identity;
    const key = `${spec.id}\u0000${itemId}\u0000${role}\u0000${sample}`;
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempt);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const call: RecordedCall = {
      model: spec.id,
      itemId,
      role,
      sample,
      attempt,
      request,
      signal: ctx.signal,
      inFlightAtStart: this.inFlight,
    };
    this.calls.push(call);
    try {
      const result = await this.script(call);
      call.outcome = { ok: true, usage: result.usage };
      return result;
    } catch (error) {
      call.outcome = { ok: false, error };
      throw error;
    } finally {
      this.inFlight--;
    }
  }

  /** Attempts that returned a result. */
  succeeded(): Array<RecordedCall & { outcome: { ok: true; usage: Usage } }> {
    return this.calls.filter(
      (c): c is RecordedCall & { outcome: { ok: true; usage: Usage } } => c.outcome?.ok === true,
    );
  }
}

/** Usage with `input` uncached input tokens and `output` output tokens. */
export function usage(input: number, output: number): Usage {
  return {
    input: { noCache: input, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 },
    output: { text: output, reasoning: 0 },
  };
}

/** A successful reply: the request's real input tokens and `outputTokens` (default maxTokens / 4) of output. */
export function reply(request: ChatRequest, opts: { text?: string; outputTokens?: number } = {}): ProviderResult {
  const output = opts.outputTokens ?? Math.floor(request.maxTokens / 4);
  return { text: opts.text ?? "ok", usage: usage(countChatTokens(request.messages), output), latencyMs: 1 };
}

/** The errors providers raise, with the retry and billing facts of docs/metrics.md#cost. */
export const errors = {
  rateLimited: (retryAfterMs?: number) =>
    new ProviderError("429 rate limited", "rate_limited", true, 429, retryAfterMs, false),
  server: (status = 500) => new ProviderError(`${status} server error`, "server_error", true, status, undefined, false),
  badRequest: () => new ProviderError("400 bad request", "bad_request", false, 400),
  of: (code: ProviderErrorCode, opts: { retryable?: boolean; billed?: boolean; retryAfterMs?: number } = {}) =>
    new ProviderError(code, code, opts.retryable ?? false, undefined, opts.retryAfterMs, opts.billed ?? false),
};

/** Never settles unless `signal` aborts (then rejects with its reason): a hung connection. */
export function hang(signal: AbortSignal | undefined): Promise<never> {
  return new Promise<never>((_, reject) => {
    signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}

/** Resolves after the current macrotask queue drains: lets concurrent attempts pile up for real. */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
