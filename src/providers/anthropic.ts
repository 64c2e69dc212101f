import type Anthropic from "@anthropic-ai/sdk";
import type { ModelSpec } from "../config/model-spec.ts";
import type { ChatRequest, ProviderCallContext, ProviderResult } from "../core/types.ts";
import { AnthropicBatch } from "./anthropic-batch.ts";
import { anthropicMessagesBody, readAnthropicMessage } from "./anthropic-wire.ts";
import { type Env, keyVariables, readKey, requireKey, requireUrl } from "./hosted/credentials.ts";
import { DEFAULT_TIMEOUT_MS, Deadline, sdkTimeoutMs } from "./hosted/deadline.ts";
import { withoutSecret } from "./hosted/errors.ts";
import type { HostedProviderOptions } from "./hosted/options.ts";
import { mapStainlessError } from "./hosted/stainless-errors.ts";
import type { Provider } from "./provider.ts";

// `anthropic:` through the official @anthropic-ai/sdk (Messages API). SDK retries are off
// (routegate retries in collect/retry.ts); a 529 "overloaded" is a retryable server error.

const DEFAULT_URL = "https://api.anthropic.com";
const KEY_VARS = ["ANTHROPIC_API_KEY"] as const;
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
  private readonly clients = new Map<string, { client: Anthropic; key: string }>();
  readonly batch = new AnthropicBatch(async (spec) => {
    const loaded = await loadSdk();
    return { ...this.client(loaded, spec), loaded, timeoutMs: this.timeoutMs };
  });

  constructor(opts: HostedProviderOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.env = opts.env ?? process.env;
  }

  snapshot(spec: ModelSpec): string {
    return spec.baseUrl ? `anthropic:${spec.model}@${spec.baseUrl}` : `anthropic:${spec.model}`;
  }

  validate(spec: ModelSpec, site: { file: string; where: string }): void {
    requireKey(this.env, spec, KEY_VARS, site);
    requireUrl(spec.baseUrl ?? this.env.ANTHROPIC_BASE_URL, spec.baseUrl ? "baseUrl" : "ANTHROPIC_BASE_URL", site);
  }

  async complete(spec: ModelSpec, request: ChatRequest, ctx: ProviderCallContext): Promise<ProviderResult> {
    // Loading the SDK (once per process) does not count against the request's deadline.
    const loaded = await loadSdk();
    const deadline = new Deadline(this.timeoutMs, ctx.signal);
    try {
      deadline.throwIfCancelled();
      const { client, key } = this.client(loaded, spec);
      const body = anthropicMessagesBody(spec, request);
      const started = performance.now();
      let reply: unknown;
      try {
        reply = await client.messages.create(body, { signal: deadline.signal });
      } catch (err) {
        throw withoutSecret(
          deadline.settle(this.id, err, (e) => mapStainlessError(this.id, e, loaded, this.timeoutMs)),
          key,
        );
      }
      const latencyMs = Math.round(performance.now() - started);
      return { ...readAnthropicMessage(reply), latencyMs };
    } finally {
      deadline.dispose();
    }
  }

  private client(loaded: Sdk, spec: ModelSpec): { client: Anthropic; key: string } {
    const baseURL = spec.baseUrl ?? this.env.ANTHROPIC_BASE_URL ?? DEFAULT_URL;
    const variables = keyVariables(spec, KEY_VARS);
    const cacheKey = `${baseURL}\u0000${variables.join(",")}`;
    let entry = this.clients.get(cacheKey);
    if (!entry) {
      requireKey(this.env, spec, KEY_VARS, { file: "environment", where: spec.id });
      const key = readKey(this.env, variables)!;
      const client = new loaded.Anthropic({
        // Passing the key explicitly keeps the SDK from looking for other credentials.
        apiKey: key,
        baseURL,
        maxRetries: 0,
        timeout: sdkTimeoutMs(this.timeoutMs),
      });
      entry = { client, key };
      this.clients.set(cacheKey, entry);
    }
    return entry;
  }
}

export function createAnthropicProvider(opts: HostedProviderOptions = {}): AnthropicProvider {
  return new AnthropicProvider(opts);
}
