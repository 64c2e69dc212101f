import { afterAll, beforeAll, beforeEach } from "vitest";
import { type FakeProvider, startFakeProvider } from "../../devkit/fake-provider/server.ts";
import type { ModelSpec } from "../../src/contracts/model-spec.ts";
import type { ChatRequest, ProviderCallContext, ProviderResult } from "../../src/core/types.ts";
import { costOfUsage } from "../../src/pricing/cost.ts";
import { defaultPriceBook } from "../../src/pricing/price-book.ts";
import { createAnthropicBatchingProvider } from "../../src/providers/anthropic/batch.ts";
import { createGoogleBatchingProvider } from "../../src/providers/google/batch.ts";
import type { Env } from "../../src/providers/hosted/credentials.ts";
import { createOpenAIBatchingProvider } from "../../src/providers/openai/batch.ts";
import { createVllmProvider } from "../../src/providers/openai/chat.ts";
import type { Provider } from "../../src/providers/provider.ts";
import { ProviderError } from "../../src/providers/provider-error.ts";

// Protocol tests: the real SDKs, over real HTTP, through routegate's adapters, against the local
// fake server. Each test file gets its own server; the queue and the request log are reset per test.

export const KEYS = {
  openai: "sk-test-openai-0001",
  anthropic: "sk-ant-test-0002",
  google: "AIza-test-0003",
  vllm: "vllm-test-0004",
} as const;

export interface Harness {
  server: FakeProvider;
  env: Env;
  provider(id: "openai" | "vllm" | "anthropic" | "google", opts?: { timeoutMs?: number; env?: Env }): Provider;
}

/** Starts one fake server for the file; `h.server` and `h.env` are ready inside tests. */
export function useFakeProvider(): Harness {
  const h = {} as Harness;
  beforeAll(async () => {
    h.server = await startFakeProvider();
    h.env = {
      OPENAI_API_KEY: KEYS.openai,
      OPENAI_BASE_URL: h.server.openaiBaseUrl,
      ANTHROPIC_API_KEY: KEYS.anthropic,
      ANTHROPIC_BASE_URL: h.server.rootUrl,
      GEMINI_API_KEY: KEYS.google,
      GOOGLE_GEMINI_BASE_URL: h.server.rootUrl,
    };
    h.provider = (id, opts = {}) => {
      const o = { env: opts.env ?? h.env, timeoutMs: opts.timeoutMs ?? 5000 };
      // The evaluation's adapters: the synchronous API and, where the provider has one, its batch API.
      if (id === "openai") return createOpenAIBatchingProvider(o);
      if (id === "vllm") return createVllmProvider(o);
      if (id === "anthropic") return createAnthropicBatchingProvider(o);
      return createGoogleBatchingProvider(o);
    };
  });
  beforeEach(() => h.server.reset());
  afterAll(async () => h.server.close());
  return h;
}

export const SPECS = {
  openai: { id: "openai:gpt-4o-mini", provider: "openai", model: "gpt-4o-mini" },
  anthropic: { id: "anthropic:claude-3-5-haiku-20241022", provider: "anthropic", model: "claude-3-5-haiku-20241022" },
  google: { id: "google:gemini-2.0-flash", provider: "google", model: "gemini-2.0-flash" },
} satisfies Record<string, ModelSpec>;

export function ctx(extra: Partial<ProviderCallContext> = {}): ProviderCallContext {
  return { identity: { itemId: "i1", role: "answer", sample: 0, parents: [] }, ...extra };
}

export function ask(text: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return { messages: [{ role: "user", content: text }], maxTokens: 64, ...extra };
}

/** The request a stable system prompt and one per-item question make (the prompt renderer's shape). */
export function withSystem(system: string, question: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return {
    messages: [
      { role: "system", content: system },
      { role: "user", content: question },
    ],
    maxTokens: 64,
    cache: { prefixMessages: 1 },
    ...extra,
  };
}

/** A call's cost at the shipped list prices (docs/metrics.md#cost). */
export function listCost(spec: ModelSpec, result: ProviderResult): number {
  return costOfUsage(result.usage, defaultPriceBook().priceFor(spec), { batch: result.serviceTier === "batch" });
}

/** The ProviderError a call failed with (fails the test if it succeeded or threw something else). */
export async function failure(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ProviderError) return err;
    throw new Error(`expected a ProviderError, got ${String(err)}`);
  }
  throw new Error("expected the call to fail, it succeeded");
}

/** The JSON body of the only request the server received. */
export function onlyBody(server: FakeProvider): Record<string, unknown> {
  if (server.requests.length !== 1) throw new Error(`expected one request, got ${server.requests.length}`);
  return server.requests[0]!.body as Record<string, unknown>;
}
