import type Anthropic from "@anthropic-ai/sdk";
import type { ModelSpec } from "../../contracts/model-spec.ts";
import type { ChatRequest, ProviderCallContext, ProviderResult } from "../../core/types.ts";
import { ClientCache, type KeyedClient } from "../hosted/client-cache.ts";
import { type Env, requireKey, requireUrl } from "../hosted/credentials.ts";
import { DEFAULT_TIMEOUT_MS, sdkTimeoutMs, timedRequest, underDeadline } from "../hosted/deadline.ts";
import { PROVIDER_ENDPOINTS, providerSecrets } from "../hosted/endpoints.ts";
import type { HostedProviderOptions } from "../hosted/options.ts";
import { mapStainlessError } from "../hosted/stainless-errors.ts";
import { underStreamDeadline } from "../hosted/stream-deadline.ts";
import type { Provider } from "../provider.ts";
import type { StreamEvent } from "../stream.ts";
import { anthropicMessageStream } from "./stream.ts";
import { anthropicMessagesBody, readAnthropicMessage } from "./wire.ts";

// `anthropic:` through the official @anthropic-ai/sdk (Messages API). SDK retries are off
// (routegate retries in collect/retry.ts); a 529 "overloaded" is a retryable server error.

const DEFAULT_URL = PROVIDER_ENDPOINTS.anthropic.baseUrl;
const KEY_VARS = PROVIDER_ENDPOINTS.anthropic.keyVars;
type Sdk = typeof import("@anthropic-ai/sdk");
let sdk: Promise<Sdk> | undefined;
/** The SDK loads on first use: a run on sim or replay models never pays for it. */
function loadSdk(): Promise<Sdk> {
  sdk ??= import("@anthropic-ai/sdk");
  return sdk;
}

export class AnthropicProvider implements Provider {
  readonly specificationVersion = "v1";
  readonly id = "anthropic";
  readonly offline = false;
  private readonly timeoutMs: number;
  private readonly env: Env;
  private readonly clients: ClientCache<Anthropic>;

  constructor(opts: HostedProviderOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.env = opts.env ?? process.env;
    this.clients = new ClientCache(this.env, KEY_VARS);
  }

  /** The SDK and a keyed client for `spec`: what the Message Batches API (anthropic/batch.ts) works with. */
  async connect(spec: ModelSpec): Promise<KeyedClient<Anthropic> & { loaded: Sdk; timeoutMs: number }> {
    const loaded = await loadSdk();
    return { ...this.client(loaded, spec), loaded, timeoutMs: this.timeoutMs };
  }

  /** The endpoint it resolves to is part of it (ANTHROPIC_BASE_URL included): another server, another cache entry. */
  snapshot(spec: ModelSpec): string {
    const fromEnv = this.env.ANTHROPIC_BASE_URL;
    // A spec's own URL always counts (as it always has); the environment's only when it moves the default.
    const url = spec.baseUrl ?? (fromEnv !== DEFAULT_URL ? fromEnv : undefined);
    return url ? `anthropic:${spec.model}@${url}` : `anthropic:${spec.model}`;
  }

  secrets(spec?: ModelSpec): readonly string[] {
    return providerSecrets(this.env, this.id, spec);
  }

  validate(spec: ModelSpec, site: { file: string; where: string }): void {
    requireKey(this.env, spec, KEY_VARS, site);
    requireUrl(spec.baseUrl ?? this.env.ANTHROPIC_BASE_URL, spec.baseUrl ? "baseUrl" : "ANTHROPIC_BASE_URL", site);
  }

  async prepare(spec: ModelSpec): Promise<void> {
    this.client(await loadSdk(), spec);
  }

  async complete(spec: ModelSpec, request: ChatRequest, ctx: ProviderCallContext): Promise<ProviderResult> {
    // Loading the SDK (once per process) and building the client do not count against the
    // request's deadline: it starts when the request is sent.
    const loaded = await loadSdk();
    const { client } = this.client(loaded, spec);
    const body = anthropicMessagesBody(spec, request);
    return underDeadline(this.timeoutMs, ctx.signal, async (deadline) => {
      const { reply, latencyMs } = await timedRequest(
        deadline,
        this.id,
        (signal) => client.messages.create(body, { signal }),
        (e) => mapStainlessError(this.id, e, loaded, this.timeoutMs),
      );
      return { ...readAnthropicMessage(reply), latencyMs };
    });
  }

  async *stream(spec: ModelSpec, request: ChatRequest, ctx: ProviderCallContext): AsyncGenerator<StreamEvent> {
    const loaded = await loadSdk();
    const { client } = this.client(loaded, spec);
    const body = anthropicMessagesBody(spec, request);
    yield* underStreamDeadline(
      this.timeoutMs,
      ctx.signal,
      this.id,
      (e) => mapStainlessError(this.id, e, loaded, this.timeoutMs),
      (signal) => anthropicMessageStream(client, body, signal),
    );
  }

  private client(loaded: Sdk, spec: ModelSpec): KeyedClient<Anthropic> {
    const baseURL = spec.baseUrl ?? this.env.ANTHROPIC_BASE_URL ?? DEFAULT_URL;
    return this.clients.get(spec, baseURL, (key) => {
      // Passing the key explicitly keeps the SDK from looking for other credentials.
      return new loaded.Anthropic({ apiKey: key, baseURL, maxRetries: 0, timeout: sdkTimeoutMs(this.timeoutMs) });
    });
  }
}

export function createAnthropicProvider(opts: HostedProviderOptions = {}): AnthropicProvider {
  return new AnthropicProvider(opts);
}
