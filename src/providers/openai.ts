import type OpenAI from "openai";
import type { ModelSpec } from "../config/model-spec.ts";
import { InputError } from "../core/errors.ts";
import type { ChatRequest, ProviderCallContext, ProviderResult } from "../core/types.ts";
import { type Env, keyVariables, readKey, requireKey, requireUrl } from "./hosted/credentials.ts";
import { DEFAULT_TIMEOUT_MS, Deadline, sdkTimeoutMs } from "./hosted/deadline.ts";
import { withoutSecret } from "./hosted/errors.ts";
import type { HostedProviderOptions } from "./hosted/options.ts";
import { mapStainlessError } from "./hosted/stainless-errors.ts";
import { OpenAIBatch } from "./openai-batch.ts";
import { openaiChatBody, readOpenAIChat } from "./openai-wire.ts";
import type { Provider } from "./provider.ts";

// `openai:` (OpenAI's Chat Completions API) and `vllm:` (any OpenAI-compatible server at a base
// URL) through the official openai SDK. Retries are routegate's (collect/retry.ts), so the SDK's
// own are off; the deadline and the caller's abort signal bound every call.

const OPENAI_DEFAULT_URL = "https://api.openai.com/v1";
const OPENAI_KEY_VARS = ["OPENAI_API_KEY"] as const;
/** vLLM's own server reads VLLM_API_KEY for --api-key; a server without auth takes any key. */
const VLLM_KEY_VARS = ["VLLM_API_KEY"] as const;
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
  private readonly clients = new Map<string, { client: OpenAI; key: string }>();
  /** OpenAI's Batch API; vLLM servers have none. */
  readonly batch?: OpenAIBatch;

  constructor(
    readonly id: "openai" | "vllm",
    opts: HostedProviderOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.env = opts.env ?? process.env;
    if (id === "openai") {
      this.batch = new OpenAIBatch(async (spec) => {
        const loaded = await loadSdk();
        return { ...this.client(loaded, spec), loaded, timeoutMs: this.timeoutMs };
      });
    }
  }

  /**
   * Provider-qualified, so an openai: and a vllm: model of the same name never share outcomes; the
   * server is part of it when the spec names one (another server may serve other weights).
   */
  snapshot(spec: ModelSpec): string {
    return spec.baseUrl ? `${this.id}:${spec.model}@${spec.baseUrl}` : `${this.id}:${spec.model}`;
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

  async complete(spec: ModelSpec, request: ChatRequest, ctx: ProviderCallContext): Promise<ProviderResult> {
    // Loading the SDK (once per process) does not count against the request's deadline.
    const loaded = await loadSdk();
    const deadline = new Deadline(this.timeoutMs, ctx.signal);
    try {
      deadline.throwIfCancelled();
      const { client, key } = this.client(loaded, spec);
      const body = openaiChatBody(spec, request, this.id === "openai" ? "openai" : "compatible");
      const started = performance.now();
      let reply: unknown;
      try {
        reply = await client.chat.completions.create(body, { signal: deadline.signal });
      } catch (err) {
        throw withoutSecret(
          deadline.settle(this.id, err, (e) => mapStainlessError(this.id, e, loaded, this.timeoutMs)),
          key,
        );
      }
      const latencyMs = Math.round(performance.now() - started);
      return { ...readOpenAIChat(this.id, reply), latencyMs };
    } finally {
      deadline.dispose();
    }
  }

  /** One client per (base URL, key variable); built on first use, so construction needs no key. */
  private client(loaded: Sdk, spec: ModelSpec): { client: OpenAI; key: string } {
    const vllm = this.id === "vllm";
    const baseURL = spec.baseUrl ?? (vllm ? undefined : this.env.OPENAI_BASE_URL) ?? OPENAI_DEFAULT_URL;
    const variables = keyVariables(spec, vllm ? VLLM_KEY_VARS : OPENAI_KEY_VARS);
    const cacheKey = `${baseURL}\u0000${variables.join(",")}`;
    let entry = this.clients.get(cacheKey);
    if (!entry) {
      // validate() normally reports a missing key before the run; production callers may skip it.
      if (!vllm) requireKey(this.env, spec, OPENAI_KEY_VARS, { file: "environment", where: spec.id });
      const key = readKey(this.env, variables) ?? NO_AUTH_KEY;
      const client = new loaded.OpenAI({
        apiKey: key,
        baseURL,
        // Never forward OpenAI account headers or an admin key to another server.
        adminAPIKey: null,
        organization: vllm ? null : (this.env.OPENAI_ORG_ID ?? null),
        project: vllm ? null : (this.env.OPENAI_PROJECT_ID ?? null),
        maxRetries: 0,
        // A backstop only: the Deadline aborts first and classifies the timeout.
        timeout: sdkTimeoutMs(this.timeoutMs),
      });
      entry = { client, key };
      this.clients.set(cacheKey, entry);
    }
    return entry;
  }
}

export function createOpenAIProvider(opts: HostedProviderOptions = {}): OpenAIProvider {
  return new OpenAIProvider("openai", opts);
}

export function createVllmProvider(opts: HostedProviderOptions = {}): OpenAIProvider {
  return new OpenAIProvider("vllm", opts);
}
