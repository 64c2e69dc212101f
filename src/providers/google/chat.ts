import type { GoogleGenAI } from "@google/genai";
import type { ModelSpec } from "../../contracts/model-spec.ts";
import type {
  ChatRequest,
  EmbedRequest,
  ProviderCallContext,
  ProviderEmbedResult,
  ProviderResult,
} from "../../core/types.ts";
import { ClientCache, type KeyedClient } from "../hosted/client-cache.ts";
import { type Env, requireKey, requireUrl } from "../hosted/credentials.ts";
import { DEFAULT_TIMEOUT_MS, timedRequest, underDeadline } from "../hosted/deadline.ts";
import { PROVIDER_ENDPOINTS, providerSecrets } from "../hosted/endpoints.ts";
import {
  badResponse,
  connectionError,
  errorBodyMessage,
  errorFromStatus,
  errorObjectInBody,
  isConnectionCut,
  replyCutError,
} from "../hosted/errors.ts";
import type { HostedProviderOptions } from "../hosted/options.ts";
import { headerLookup, parseGoogleRetryDelay, parseRetryAfter } from "../hosted/retry-after.ts";
import { underStreamDeadline } from "../hosted/stream-deadline.ts";
import type { Provider } from "../provider.ts";
import { ProviderError, ProviderErrorCode } from "../provider-error.ts";
import type { StreamEvent } from "../stream.ts";
import { geminiStreamEvents } from "./stream.ts";
import { geminiRequest, readGeminiResponse } from "./wire.ts";

// `google:` through the official @google/genai SDK (Gemini API, generateContent). The SDK does not
// retry unless `retryOptions` is set (it is not: routegate retries in collect/retry.ts). Its
// ApiError carries the status and the body but no headers, so each call goes through a fetch
// wrapper that keeps the HTTP response: a `retry-after` header is honoured where a server sends
// one, besides the RetryInfo `retryDelay` that Google puts in the error body.

const DEFAULT_URL = PROVIDER_ENDPOINTS.google.baseUrl;
const KEY_VARS = PROVIDER_ENDPOINTS.google.keyVars;

type Sdk = typeof import("@google/genai");
let sdk: Promise<Sdk> | undefined;
/** The SDK loads on first use: a run on sim or replay models never pays for it. */
function loadSdk(): Promise<Sdk> {
  sdk ??= import("@google/genai");
  return sdk;
}

/** A network failure inside fetch, told apart from the SDK's own TypeErrors on odd bodies. */
class FetchFailure extends Error {}

/** What the fetch wrapper saw of one call's HTTP exchange. */
interface Exchange {
  response?: Response;
  /** An unread copy of a 2xx body, read only when the SDK's result does not validate. */
  okCopy?: Response;
}

export class GoogleProvider implements Provider {
  readonly specificationVersion = "v1";
  readonly id = "google";
  readonly offline = false;
  private readonly timeoutMs: number;
  private readonly env: Env;
  private readonly clients: ClientCache<GoogleGenAI>;

  constructor(opts: HostedProviderOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.env = opts.env ?? process.env;
    this.clients = new ClientCache(this.env, KEY_VARS);
  }

  /** The SDK and a keyed client for `spec`: what Gemini batch mode (google/batch.ts) works with. */
  async connect(spec: ModelSpec): Promise<KeyedClient<GoogleGenAI> & { loaded: Sdk }> {
    const loaded = await loadSdk();
    return { ...this.client(loaded, spec), loaded };
  }

  /** The endpoint it resolves to is part of it (GOOGLE_GEMINI_BASE_URL included): another server, another cache entry. */
  snapshot(spec: ModelSpec): string {
    const fromEnv = this.env.GOOGLE_GEMINI_BASE_URL;
    // A spec's own URL always counts (as it always has); the environment's only when it moves the default.
    const url = spec.baseUrl ?? (fromEnv !== DEFAULT_URL ? fromEnv : undefined);
    return url ? `google:${spec.model}@${url}` : `google:${spec.model}`;
  }

  secrets(spec?: ModelSpec): readonly string[] {
    return providerSecrets(this.env, this.id, spec);
  }

  validate(spec: ModelSpec, site: { file: string; where: string }): void {
    requireKey(this.env, spec, KEY_VARS, site);
    requireUrl(
      spec.baseUrl ?? this.env.GOOGLE_GEMINI_BASE_URL,
      spec.baseUrl ? "baseUrl" : "GOOGLE_GEMINI_BASE_URL",
      site,
    );
  }

  async prepare(spec: ModelSpec): Promise<void> {
    this.client(await loadSdk(), spec);
  }

  async complete(spec: ModelSpec, request: ChatRequest, ctx: ProviderCallContext): Promise<ProviderResult> {
    // Loading the SDK (once per process) and building the client do not count against the
    // request's deadline: it starts when the request is sent.
    const loaded = await loadSdk();
    const { client } = this.client(loaded, spec);
    const { contents, config } = geminiRequest(request);
    return underDeadline(this.timeoutMs, ctx.signal, async (deadline) => {
      const exchange: Exchange = {};
      const { reply, latencyMs } = await timedRequest(
        deadline,
        this.id,
        (abortSignal) =>
          client.models.generateContent({
            model: spec.model,
            contents,
            config: { ...config, abortSignal, httpOptions: { fetch: watchedFetch(exchange) } },
          }),
        (e) => mapGeminiError(e, exchange, loaded.ApiError),
      );
      try {
        return { ...readGeminiResponse(reply), latencyMs };
      } catch (err) {
        throw await errorObjectInstead(err, exchange);
      }
    });
  }

  /** Embeddings (embedContent); the wire code is imported the first time a router embeds. */
  async embed(spec: ModelSpec, request: EmbedRequest, ctx: ProviderCallContext): Promise<ProviderEmbedResult> {
    const [loaded, wire] = await Promise.all([loadSdk(), import("./embed.ts")]);
    return underDeadline(this.timeoutMs, ctx.signal, async (deadline) => {
      const { client } = this.client(loaded, spec);
      const exchange: Exchange = {};
      const { reply, latencyMs } = await timedRequest(
        deadline,
        this.id,
        (abortSignal) =>
          client.models.embedContent({
            model: spec.model,
            contents: request.input,
            config: { ...wire.geminiEmbedConfig(request), abortSignal, httpOptions: { fetch: watchedFetch(exchange) } },
          }),
        (e) => mapGeminiError(e, exchange, loaded.ApiError),
      );
      try {
        return { ...wire.readGeminiEmbedding(reply, request), latencyMs };
      } catch (err) {
        throw await errorObjectInstead(err, exchange);
      }
    });
  }

  async *stream(spec: ModelSpec, request: ChatRequest, ctx: ProviderCallContext): AsyncGenerator<StreamEvent> {
    const loaded = await loadSdk();
    const { client } = this.client(loaded, spec);
    const { contents, config } = geminiRequest(request);
    const exchange: Exchange = {};
    yield* underStreamDeadline(
      this.timeoutMs,
      ctx.signal,
      this.id,
      (e) => mapGeminiError(e, exchange, loaded.ApiError),
      async function* (abortSignal) {
        const started = performance.now();
        const responses = await client.models.generateContentStream({
          model: spec.model,
          contents,
          config: { ...config, abortSignal, httpOptions: { fetch: watchedFetch(exchange) } },
        });
        yield* geminiStreamEvents(responses, started);
      },
    );
  }

  private client(loaded: Sdk, spec: ModelSpec): KeyedClient<GoogleGenAI> {
    const baseUrl = spec.baseUrl ?? this.env.GOOGLE_GEMINI_BASE_URL ?? DEFAULT_URL;
    return this.clients.get(spec, baseUrl, (apiKey) => {
      return new loaded.GoogleGenAI({
        apiKey,
        // Explicit, so GOOGLE_GENAI_USE_VERTEXAI in the environment cannot reroute the calls.
        vertexai: false,
        // No retryOptions: routegate owns retries. No timeout: the Deadline bounds each call.
        httpOptions: { baseUrl },
      });
    });
  }
}

/** fetch, recording the response and telling network failures apart from other TypeErrors. */
function watchedFetch(exchange: Exchange): typeof fetch {
  return async (input, init) => {
    let response: Response;
    try {
      response = await fetch(input, init);
    } catch (err) {
      if (init?.signal?.aborted) throw err;
      throw new FetchFailure("fetch failed", { cause: (err as Error).cause ?? err });
    }
    exchange.response = response;
    if (response.ok) exchange.okCopy = response.clone();
    return response;
  };
}

function mapGeminiError(err: unknown, exchange: Exchange, ApiError: Sdk["ApiError"]): unknown {
  if (err instanceof ApiError) {
    const body = parseJson(err.message);
    const retryAfterMs = parseGoogleRetryDelay(body) ?? parseRetryAfter(headerLookup(exchange.response?.headers));
    return errorFromStatus("google", err.status, errorBodyMessage(body) ?? err.message, retryAfterMs);
  }
  if (err instanceof FetchFailure) return connectionError("google", err);
  // The headers came, then the body was cut short (undici's `TypeError: terminated`).
  if (isConnectionCut(err)) return exchange.response ? replyCutError("google", err) : connectionError("google", err);
  if (err instanceof SyntaxError) return badResponse("google", `body is not valid JSON: ${err.message}`);
  // The SDK converts the body before returning it; a body of the wrong shape can break that.
  if (err instanceof TypeError && exchange.response?.ok) return badResponse("google", err.message);
  return err;
}

/**
 * The SDK keeps only the fields it knows, so an error object in a 2xx body arrives as an empty
 * reply. When the reply does not validate, the raw body says whether it was an error object.
 */
async function errorObjectInstead(err: unknown, exchange: Exchange): Promise<unknown> {
  if (!(err instanceof ProviderError) || err.code !== ProviderErrorCode.BadResponse || !exchange.okCopy) return err;
  const raw = parseJson(await exchange.okCopy.text().catch(() => ""));
  return errorObjectInBody("google", raw) ?? err;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function createGoogleProvider(opts: HostedProviderOptions = {}): GoogleProvider {
  return new GoogleProvider(opts);
}
