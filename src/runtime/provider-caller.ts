import { canonicalModelId, type ModelSpec, type TokenPricing } from "../contracts/model-spec.ts";
import { embedRequestHash, requestHash } from "../core/request-hash.ts";
import type {
  CallOptions,
  CallResult,
  ChatRequest,
  EmbedRequest,
  EmbedResult,
  ModelCaller,
  ModelEmbedder,
  ProviderResult,
  RequestIdentity,
} from "../core/types.ts";
import { resultCost } from "../pricing/result-cost.ts";
import type { Provider } from "../providers/provider.ts";
import { ProviderError } from "../providers/provider-error.ts";
import { resultAsStream, type StreamEvent } from "../providers/stream.ts";

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
export class ProviderCaller implements ModelCaller, ModelEmbedder {
  readonly calls: CallResult[] = [];
  private readonly byHash = new Map<string, Promise<CallResult>>();

  constructor(
    private readonly models: ReadonlyMap<string, RuntimeModel>,
    private readonly requestId: string,
    private readonly signal?: AbortSignal,
    /** The config's embedding models, by spec id (ctx.embed reaches only these). */
    private readonly embedders: ReadonlyMap<string, RuntimeModel> = new Map(),
  ) {}

  call(model: string, request: ChatRequest, opts: CallOptions = {}): Promise<CallResult> {
    // Router code may name a model by a spec string of it (`replay:m@file.jsonl` for `replay:m`).
    const id = canonicalModelId(model, [...this.models.keys()]);
    const m = id === undefined ? undefined : this.models.get(id);
    if (!m)
      return Promise.reject(new ProviderError(`model "${model}" is not in the routing config`, "bad_request", false));
    const identity = this.identity(opts, opts.role ?? "answer");
    return m.provider.then((provider) =>
      this.once(requestHash(provider.snapshot(m.spec), request, identity), () =>
        this.run(m, identity, (ctx) => provider.complete(m.spec, request, ctx), opts.signal),
      ),
    );
  }

  /** ctx.embed in production: the embedding model of the config's `embedders`, priced like a call. */
  embed(model: string, request: EmbedRequest, opts: CallOptions = {}): Promise<EmbedResult> {
    const m = this.embedders.get(model);
    if (!m)
      return Promise.reject(
        new ProviderError(`embedding model "${model}" is not in the routing config's embedders`, "bad_request", false),
      );
    const identity = this.identity(opts, "embed");
    return m.provider.then((provider) => {
      const embed = provider.embed;
      if (!embed)
        return Promise.reject(new ProviderError(`provider ${provider.id} has no embedding API`, "bad_request", false));
      return this.once(embedRequestHash(provider.snapshot(m.spec), request, identity), () =>
        this.run(m, identity, (ctx) => embed.call(provider, m.spec, request, ctx), opts.signal),
      ) as Promise<EmbedResult>;
    });
  }

  /**
   * The answer of `model` as a stream. An answer this request already obtained (the accepted
   * attempt of a cascade's score step) is replayed whole rather than asked again; a provider that
   * cannot stream answers in one piece. The call is recorded, priced, when the stream ends.
   */
  stream(model: string, request: ChatRequest, signal?: AbortSignal): AsyncIterable<StreamEvent> {
    const id = canonicalModelId(model, [...this.models.keys()]);
    const m = id === undefined ? undefined : this.models.get(id);
    if (!m) throw new ProviderError(`model "${model}" is not in the routing config`, "bad_request", false);
    const identity = this.identity({}, "answer");
    const self = this;
    return (async function* () {
      const provider = await m.provider;
      const hash = requestHash(provider.snapshot(m.spec), request, identity);
      const known = self.byHash.get(hash);
      if (known) {
        yield* resultAsStream(await known);
        return;
      }
      const own = signal ?? self.signal;
      const ctx = { identity, ...(own ? { signal: own } : {}) };
      const pieces = provider.stream
        ? provider.stream(m.spec, request, ctx)
        : resultAsStream(await provider.complete(m.spec, request, ctx));
      for await (const event of pieces) {
        if (event.type !== "end") {
          yield event;
          continue;
        }
        const call = { ...self.priced(m, event.result), requestHash: hash } as CallResult;
        self.calls.push(call);
        self.byHash.set(hash, Promise.resolve(call));
        yield { type: "end", result: call };
      }
    })();
  }

  private identity(opts: CallOptions, role: RequestIdentity["role"]): RequestIdentity {
    return { itemId: this.requestId, role, sample: opts.sample ?? 0, parents: opts.parents ?? [] };
  }

  /** One request per hash: a router asking twice for the same answer pays once. */
  private once(hash: string, start: () => Promise<Omit<CallResult, "requestHash">>): Promise<CallResult> {
    let pending = this.byHash.get(hash);
    if (!pending) {
      pending = start().then((result) => {
        const call = { ...result, requestHash: hash } as CallResult;
        this.calls.push(call);
        return call;
      });
      this.byHash.set(hash, pending);
    }
    return pending;
  }

  private async run(
    m: RuntimeModel,
    identity: RequestIdentity,
    send: (ctx: { identity: RequestIdentity; signal?: AbortSignal }) => Promise<ProviderResult>,
    ownSignal: AbortSignal | undefined,
  ): Promise<Omit<CallResult, "requestHash">> {
    const signal = ownSignal ?? this.signal;
    const result = await send({ identity, ...(signal ? { signal } : {}) });
    return this.priced(m, result);
  }

  private priced(m: RuntimeModel, result: ProviderResult): Omit<CallResult, "requestHash"> {
    // Production routes on without a price (bindConfig): such a call shows cost 0 in the decision log.
    const costUsd = resultCost(result, m.pricing).usd;
    return { ...result, model: m.spec.id, costUsd, cached: false };
  }
}
