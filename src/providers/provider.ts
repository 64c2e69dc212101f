import type { ModelSpec } from "../contracts/model-spec.ts";
import type {
  ChatRequest,
  EmbedRequest,
  ProviderCallContext,
  ProviderEmbedResult,
  ProviderResult,
  RequestIdentity,
} from "../core/types.ts";
import type { BatchCapable } from "./batch.ts";
import type { StreamEvent } from "./stream.ts";

/**
 * Version 1 of the provider interface. One small file per provider implements it; retries,
 * concurrency and budgets live in collect/, not here.
 */
export interface Provider {
  readonly specificationVersion: "v1";
  readonly id: string;
  /** Whether this provider can answer without the network (sim, replay). */
  readonly offline: boolean;
  /** The snapshot that goes into the request hash (e.g. a dated model name). */
  snapshot(model: ModelSpec): string;
  /**
   * Checks what a model needs before any call is made (an API key variable, a base URL) and throws
   * an InputError naming the variable or field. Runs for every candidate at the start of a run.
   */
  validate?(model: ModelSpec, site: { file: string; where: string }): void;
  /** Defaults the provider knows about a model (tier, fine-tune facts); the spec's own fields win. */
  defaults?(model: ModelSpec): Partial<ModelSpec>;
  complete(model: ModelSpec, request: ChatRequest, ctx: ProviderCallContext): Promise<ProviderResult>;
  /**
   * A hint that `complete` is about to be called for these requests (a window of items): an
   * offline provider reading answers from disk reads them in one go, not one lookup per call.
   * Only a hint: every call must still be answered without it. What was read and not asked for
   * is dropped at the next `readAhead` for the model.
   */
  readAhead?(model: ModelSpec, identities: readonly RequestIdentity[]): void;
  /**
   * The answer in pieces as they arrive (providers/stream.ts), where the provider can stream. A
   * failure before the first piece is thrown by the first `next()`.
   */
  stream?(model: ModelSpec, request: ChatRequest, ctx: ProviderCallContext): AsyncIterable<StreamEvent>;
  /**
   * Loads what a first call to `model` needs (the SDK, its client), so that a per-attempt deadline
   * started after it times the request alone. Idempotent and cheap once done. Callers that time
   * attempts (collect/call-guard.ts) await it before starting the clock.
   */
  prepare?(model: ModelSpec): Promise<void>;
  /**
   * Present where the provider serves embedding models (routers' ctx.embed). Adapters import
   * their embedding code on first use, so a service that never embeds never loads it.
   */
  embed?(model: ModelSpec, request: EmbedRequest, ctx: ProviderCallContext): Promise<ProviderEmbedResult>;
  /** True for a provider that only embeds (`local`): its models cannot be candidates. */
  readonly embedOnly?: boolean;
  /** Present where the provider has a batch API (`routegate eval --batch`). */
  readonly batch?: BatchCapable;
  /**
   * The credential values this provider may send: those it would use for `model`, and without a
   * model those of its default variables. Callers scrub them from everything it returns
   * (providers/scrub); the values stay in memory and are never written.
   */
  secrets?(model?: ModelSpec): readonly string[];
}
