import type { ModelSpec, TokenPricing } from "../contracts/model-spec.ts";
import { requestHash } from "../core/request-hash.ts";
import type { CallOptions, CallResult, ChatRequest, ModelCaller, RequestIdentity } from "../core/types.ts";
import { resultCost } from "../pricing/result-cost.ts";
import type { Provider } from "../providers/provider.ts";
import { ProviderError } from "../providers/provider-error.ts";

export interface RuntimeModel {
  spec: ModelSpec;
  /** Settles once the provider's module is loaded (on first use of the config). */
  provider: Promise<Provider>;
  pricing: TokenPricing | null;
}

/**
 * The production caller: answered by the providers, priced from usage. Unlike the evaluation
 * caller it stores nothing; it only remembers this request's own calls, so a router that already
 * obtained an answer (a cascade's accepted attempt) is not asked to pay for it twice.
 */
export class ProviderCaller implements ModelCaller {
  readonly calls: CallResult[] = [];
  private readonly byHash = new Map<string, Promise<CallResult>>();

  constructor(
    private readonly models: ReadonlyMap<string, RuntimeModel>,
    private readonly requestId: string,
    private readonly signal?: AbortSignal,
  ) {}

  call(model: string, request: ChatRequest, opts: CallOptions = {}): Promise<CallResult> {
    const m = this.models.get(model);
    if (!m)
      return Promise.reject(new ProviderError(`model "${model}" is not in the routing config`, "bad_request", false));
    const identity: RequestIdentity = {
      itemId: this.requestId,
      role: opts.role ?? "answer",
      sample: opts.sample ?? 0,
      parents: opts.parents ?? [],
    };
    return m.provider.then((provider) => {
      const hash = requestHash(provider.snapshot(m.spec), request, identity);
      let pending = this.byHash.get(hash);
      if (!pending) {
        pending = this.run(m, provider, request, identity, hash, opts.signal ?? this.signal);
        this.byHash.set(hash, pending);
      }
      return pending;
    });
  }

  private async run(
    m: RuntimeModel,
    provider: Provider,
    request: ChatRequest,
    identity: RequestIdentity,
    hash: string,
    signal?: AbortSignal,
  ): Promise<CallResult> {
    const result = await provider.complete(m.spec, request, { identity, ...(signal ? { signal } : {}) });
    // Production routes on without a price (bindConfig): such a call shows cost 0 in the decision log.
    const costUsd = resultCost(result, m.pricing).usd;
    const call: CallResult = { ...result, model: m.spec.id, requestHash: hash, costUsd, cached: false };
    this.calls.push(call);
    return call;
  }
}
