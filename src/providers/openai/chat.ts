import type OpenAI from "openai";
import type { ModelSpec } from "../../contracts/model-spec.ts";
import { InputError } from "../../core/errors.ts";
import type {
  ChatRequest,
  EmbedRequest,
  ProviderCallContext,
  ProviderEmbedResult,
  ProviderResult,
} from "../../core/types.ts";
import { ClientCache, type KeyedClient } from "../hosted/client-cache.ts";
import { type Env, requireKey, requireUrl } from "../hosted/credentials.ts";
import { DEFAULT_TIMEOUT_MS, sdkTimeoutMs, timedRequest, underDeadline } from "../hosted/deadline.ts";
import { PROVIDER_ENDPOINTS, providerSecrets } from "../hosted/endpoints.ts";
import { globalFetchCustomised, type JsonPost } from "../hosted/json-post.ts";
import type { HostedProviderOptions } from "../hosted/options.ts";
import { mapStainlessError } from "../hosted/stainless-errors.ts";
import { underStreamDeadline } from "../hosted/stream-deadline.ts";
import type { Provider } from "../provider.ts";
import type { StreamEvent } from "../stream.ts";
import { postChatCompletion, VIA_SDK } from "./fast-chat.ts";
import { openaiChatStream } from "./stream.ts";
import { openaiChatBody, readOpenAIChat } from "./wire.ts";

// `openai:` (OpenAI's Chat Completions API) and `vllm:` (any OpenAI-compatible server at a base
// URL) through the official openai SDK. Retries are routegate's (collect/retry.ts), so the SDK's
// own are off; the deadline and the caller's abort signal bound every call. A host that passes a
// plain HTTP transport (`post`, the gateway does) gets non-streamed calls sent over it instead of
// the SDK's fetch (openai/fast-chat.ts): same body, headers, reading and errors, less CPU.

const OPENAI_DEFAULT_URL = PROVIDER_ENDPOINTS.openai.baseUrl;
const OPENAI_KEY_VARS = PROVIDER_ENDPOINTS.openai.keyVars;
const VLLM_KEY_VARS = PROVIDER_ENDPOINTS.vllm.keyVars;
const NO_AUTH_KEY = "EMPTY";

type Sdk = typeof import("openai");
let sdk: Promise<Sdk> | undefined;
/** The SDK loads on first use: a run on sim or replay models never pays for it. */
function loadSdk(): Promise<Sdk> {
  sdk ??= import("openai");
  return sdk;
}

export class OpenAIProvider implements Provider {
  readonly specificationVersion = "v1";
  readonly offline = false;
  private readonly timeoutMs: number;
  private readonly env: Env;
  private readonly clients: ClientCache<OpenAI>;
  private readonly post: JsonPost | undefined;

  constructor(
    readonly id: "openai" | "vllm",
    opts: HostedProviderOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.env = opts.env ?? process.env;
    this.clients = new ClientCache(this.env, OPENAI_KEY_VARS);
    this.post = opts.post;
  }

  /** The SDK and a keyed client for `spec`: what the Batch API (openai/batch.ts) works with. */
  async connect(spec: ModelSpec): Promise<KeyedClient<OpenAI> & { loaded: Sdk; timeoutMs: number }> {
    const loaded = await loadSdk();
    return { ...this.client(loaded, spec), loaded, timeoutMs: this.timeoutMs };
  }

  /**
   * Provider-qualified, so an openai: and a vllm: model of the same name never share outcomes; the
   * server is part of it when the spec or the environment names one (another server may serve
   * other weights).
   */
  snapshot(spec: ModelSpec): string {
    // The endpoint it resolves to, OPENAI_BASE_URL included: a judge or model behind another URL is another cache entry.
    const fromEnv = this.id === "vllm" ? undefined : this.env.OPENAI_BASE_URL;
    // A spec's own URL always counts (as it always has); the environment's only when it moves the default.
    const url = spec.baseUrl ?? (fromEnv !== OPENAI_DEFAULT_URL ? fromEnv : undefined);
    return url ? `${this.id}:${spec.model}@${url}` : `${this.id}:${spec.model}`;
  }

  secrets(spec?: ModelSpec): readonly string[] {
    return providerSecrets(this.env, this.id, spec);
  }

  validate(spec: ModelSpec, site: { file: string; where: string }): void {
    if (this.id === "vllm") {
      if (!spec.baseUrl) {
        throw new InputError(
          site.file,
          site.where,
          `vLLM model ${spec.id} has no base URL`,
          "write vllm:MODEL@http://host:8000/v1, or set baseUrl in the model spec",
        );
      }
      requireUrl(spec.baseUrl, `the base URL of ${spec.id}`, site);
      // A key is optional for vLLM; one named by apiKeyEnv must be set.
      if (spec.apiKeyEnv) requireKey(this.env, spec, [], site);
      return;
    }
    requireKey(this.env, spec, OPENAI_KEY_VARS, site);
    requireUrl(spec.baseUrl ?? this.env.OPENAI_BASE_URL, spec.baseUrl ? "baseUrl" : "OPENAI_BASE_URL", site);
  }

  async prepare(spec: ModelSpec): Promise<void> {
    this.client(await loadSdk(), spec);
  }

  async complete(spec: ModelSpec, request: ChatRequest, ctx: ProviderCallContext): Promise<ProviderResult> {
    // Loading the SDK (once per process) and building the client do not count against the
    // request's deadline: it starts when the request is sent.
    const loaded = await loadSdk();
    const { client } = this.client(loaded, spec);
    const body = openaiChatBody(spec, request, this.id === "openai" ? "openai" : "compatible");
    return underDeadline(this.timeoutMs, ctx.signal, async (deadline) => {
      const post = this.post && !globalFetchCustomised() ? this.post : undefined;
      const { reply, latencyMs } = await timedRequest(
        deadline,
        this.id,
        async (signal) => {
          const fast = post
            ? await postChatCompletion(post, loaded, client, this.id, body, signal, sdkTimeoutMs(this.timeoutMs))
            : VIA_SDK;
          return fast === VIA_SDK ? client.chat.completions.create(body, { signal }) : fast;
        },
        (e) => mapStainlessError(this.id, e, loaded, this.timeoutMs),
      );
      return { ...readOpenAIChat(this.id, reply), latencyMs };
    });
  }

  /** Embeddings (POST /embeddings); the wire code is imported the first time a router embeds. */
  async embed(spec: ModelSpec, request: EmbedRequest, ctx: ProviderCallContext): Promise<ProviderEmbedResult> {
    const [loaded, wire] = await Promise.all([loadSdk(), import("./embed.ts")]);
    return underDeadline(this.timeoutMs, ctx.signal, async (deadline) => {
      const { client } = this.client(loaded, spec);
      const { reply, latencyMs } = await timedRequest(
        deadline,
        this.id,
        (signal) => client.embeddings.create(wire.openaiEmbedBody(spec, request), { signal }),
        (e) => mapStainlessError(this.id, e, loaded, this.timeoutMs),
      );
      return { ...wire.readOpenAIEmbedding(this.id, reply), latencyMs };
    });
  }

  async *stream(spec: ModelSpec, request: ChatRequest, ctx: ProviderCallContext): AsyncGenerator<StreamEvent> {
    const loaded = await loadSdk();
    const { client } = this.client(loaded, spec);
    const body = openaiChatBody(spec, request, this.id === "openai" ? "openai" : "compatible");
    yield* underStreamDeadline(
      this.timeoutMs,
      ctx.signal,
      this.id,
      (e) => mapStainlessError(this.id, e, loaded, this.timeoutMs),
      (signal) => openaiChatStream(client, body, signal),
    );
  }

  /** One client per (base URL, key variable); built on first use, so construction needs no key. */
  private client(loaded: Sdk, spec: ModelSpec): KeyedClient<OpenAI> {
    const vllm = this.id === "vllm";
    const baseURL = spec.baseUrl ?? (vllm ? undefined : this.env.OPENAI_BASE_URL) ?? OPENAI_DEFAULT_URL;
    // A vLLM key is optional (the server may run without auth); OpenAI's is required.
    const opts = vllm ? { keyVars: VLLM_KEY_VARS, required: false, fallbackKey: NO_AUTH_KEY } : {};
    return this.clients.get(
      spec,
      baseURL,
      (apiKey) =>
        new loaded.OpenAI({
          apiKey,
          baseURL,
          // Never forward OpenAI account headers or an admin key to another server.
          adminAPIKey: null,
          organization: vllm ? null : (this.env.OPENAI_ORG_ID ?? null),
          project: vllm ? null : (this.env.OPENAI_PROJECT_ID ?? null),
          maxRetries: 0,
          // A backstop only: the Deadline aborts first and classifies the timeout.
          timeout: sdkTimeoutMs(this.timeoutMs),
        }),
      opts,
    );
  }
}

export function createOpenAIProvider(opts: HostedProviderOptions = {}): OpenAIProvider {
  return new OpenAIProvider("openai", opts);
}

export function createVllmProvider(opts: HostedProviderOptions = {}): OpenAIProvider {
  return new OpenAIProvider("vllm", opts);
}
