// Response bodies in each provider's wire format, as the real APIs send them (trimmed to what the
// SDKs and routegate read). Raw usage objects go in unchanged, so tests can send exactly the usage
// fixtures of docs/metrics.md#cost.

/** A scripted HTTP reply. `body` is sent as JSON; `raw` is sent as is (a malformed body). */
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  raw?: string;
  /** Never answer (the client's timeout must fire); the socket is destroyed on close(). */
  hang?: boolean;
  delayMs?: number;
  /**
   * Send the headers (content-length of the whole body) and this share (0..1) of the body, then
   * destroy the socket: a body that ends early.
   */
  truncateAt?: number;
  /** Send the body in this many pieces, `dripMs` apart (a slow, trickling reply). */
  dripChunks?: number;
  dripMs?: number;
  /** Streamed replies: wait this long between server-sent events. */
  streamChunkMs?: number;
  /** Streamed replies: destroy the socket after this many events (a stream cut mid-answer). */
  failAfterChunks?: number;
}

export type WireProvider = "openai" | "anthropic" | "google";

/** Provider-neutral usage for the deterministic answerer: totals include cached and reasoning tokens. */
export interface AnswerUsage {
  prompt: number;
  cached: number;
  output: number;
  reasoning?: number;
}

export interface OpenAIBodyOptions {
  text: string;
  usage: unknown;
  model?: string;
  /** Per-token logprobs of the answer (choices[0].logprobs.content). */
  logprobs?: number[];
  serviceTier?: string;
}

export function openaiBody(o: OpenAIBodyOptions): Record<string, unknown> {
  return {
    id: "chatcmpl-fake",
    object: "chat.completion",
    created: 1_764_000_000,
    model: o.model ?? "gpt-4o-mini-2024-07-18",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: o.text, refusal: null },
        finish_reason: "stop",
        logprobs: o.logprobs
          ? { content: o.logprobs.map((logprob, i) => ({ token: `t${i}`, logprob, bytes: null, top_logprobs: [] })) }
          : null,
      },
    ],
    usage: o.usage,
    ...(o.serviceTier ? { service_tier: o.serviceTier } : {}),
  };
}

export interface AnthropicBodyOptions {
  text: string;
  usage: Record<string, unknown>;
  model?: string;
  serviceTier?: string;
}

export function anthropicBody(o: AnthropicBodyOptions): Record<string, unknown> {
  return {
    id: "msg_fake",
    type: "message",
    role: "assistant",
    model: o.model ?? "claude-3-5-haiku-20241022",
    content: [{ type: "text", text: o.text }],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: { ...o.usage, ...(o.serviceTier ? { service_tier: o.serviceTier } : {}) },
  };
}

export interface GeminiBodyOptions {
  text: string;
  usage: unknown;
  model?: string;
  /** Per-token log probabilities of the chosen tokens (logprobsResult.chosenCandidates). */
  logprobs?: number[];
  avgLogprobs?: number;
}

export function geminiBody(o: GeminiBodyOptions): Record<string, unknown> {
  return {
    candidates: [
      {
        content: { role: "model", parts: [{ text: o.text }] },
        finishReason: "STOP",
        index: 0,
        ...(o.avgLogprobs !== undefined ? { avgLogprobs: o.avgLogprobs } : {}),
        ...(o.logprobs
          ? {
              logprobsResult: {
                chosenCandidates: o.logprobs.map((logProbability, i) => ({ token: `t${i}`, logProbability })),
                topCandidates: [],
              },
            }
          : {}),
      },
    ],
    usageMetadata: o.usage,
    modelVersion: o.model ?? "gemini-2.0-flash-001",
    responseId: "fake-response",
  };
}

/** A success body for `provider` from provider-neutral usage (the deterministic answerer's). */
export function replyFor(
  provider: WireProvider,
  o: { text: string; usage: AnswerUsage; model: string | undefined },
): Record<string, unknown> {
  const { prompt, cached, output } = o.usage;
  const reasoning = o.usage.reasoning ?? 0;
  const model = o.model;
  if (provider === "openai") {
    return openaiBody({
      text: o.text,
      ...(model ? { model } : {}),
      usage: {
        prompt_tokens: prompt,
        completion_tokens: output,
        total_tokens: prompt + output,
        prompt_tokens_details: { cached_tokens: cached },
        completion_tokens_details: { reasoning_tokens: reasoning },
      },
    });
  }
  if (provider === "anthropic") {
    return anthropicBody({
      text: o.text,
      ...(model ? { model } : {}),
      usage: {
        input_tokens: prompt - cached,
        output_tokens: output,
        cache_read_input_tokens: cached,
        cache_creation_input_tokens: 0,
      },
    });
  }
  return geminiBody({
    text: o.text,
    ...(model ? { model } : {}),
    usage: {
      promptTokenCount: prompt,
      cachedContentTokenCount: cached,
      candidatesTokenCount: output - reasoning,
      ...(reasoning ? { thoughtsTokenCount: reasoning } : {}),
      totalTokenCount: prompt + output,
    },
  });
}

const ANTHROPIC_ERROR_TYPE: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  404: "not_found_error",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};

const GEMINI_STATUS: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
};

/** An HTTP error with the provider's error object as its body. */
export function errorReply(
  provider: WireProvider,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): Reply {
  if (provider === "openai") {
    return {
      status,
      headers,
      body: { error: { message, type: status === 429 ? "rate_limit_error" : "api_error", param: null, code: null } },
    };
  }
  if (provider === "anthropic") {
    return {
      status,
      headers,
      body: { type: "error", error: { type: ANTHROPIC_ERROR_TYPE[status] ?? "api_error", message } },
    };
  }
  return { status, headers, body: { error: { code: status, message, status: GEMINI_STATUS[status] ?? "UNKNOWN" } } };
}
