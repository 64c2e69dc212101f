// The seams every room of routegate shares. Routers, judges and the production runtime depend on
// the caller interface here and nothing else, so this file must stay free of store/CLI imports.

export type ModelId = string;

export type Role = "answer" | "classify" | "verify" | "judge" | "embed";

export interface ChatMessage {
  /** "tool" carries a tool's result back to the model (the gateway's clients send them). */
  role: "system" | "user" | "assistant" | "tool";
  content: string;
  /** The tool calls an assistant turn made (OpenAI's `tool_calls`). */
  toolCalls?: ToolCall[];
  /** For a "tool" message: the id of the call it answers. */
  toolCallId?: string;
}

/** A function tool call, its arguments as the JSON text the model wrote. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** A function the model may call: its JSON Schema parameters, as OpenAI's `tools[].function`. */
export interface ToolDefinition {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
  strict?: boolean;
}

/**
 * A request as routers and judges build it. Everything except `cache` is part of the request's
 * identity (hashed); `cache` only tells providers where the stable, cacheable prefix ends.
 */
export interface ChatRequest {
  messages: ChatMessage[];
  /** Every call has an output cap: it bounds the budget's worst case and the sim's output. */
  maxTokens: number;
  temperature?: number;
  topP?: number;
  seed?: number;
  stop?: string[];
  /** Ask for JSON output (providers that support a JSON mode use it). */
  responseFormat?: "text" | "json";
  /** With responseFormat "json": the JSON Schema the answer must follow (structured outputs). */
  jsonSchema?: { name: string; schema: Record<string, unknown>; strict?: boolean };
  /** Functions the model may call; absent in evaluation requests (they never hash a tool). */
  tools?: ToolDefinition[];
  toolChoice?: "auto" | "none" | "required" | { name: string };
  /** Ask for token logprobs where the provider offers them (one outcome serves cascades too). */
  logprobs?: boolean;
  /** Transport hint, excluded from the request hash. */
  cache?: CacheHint;
}

export interface CacheHint {
  /** Messages [0, prefixMessages) are the stable prefix (system prompt, few-shot examples). */
  prefixMessages: number;
  ttl?: "5m" | "1h";
  key?: string;
}

/** Normalised token usage (docs/metrics.md#cost). Cost is derived from it, never stored alone. */
export interface Usage {
  input: { noCache: number; cacheRead: number; cacheWrite5m: number; cacheWrite1h: number };
  output: { text: number; reasoning: number };
}

export interface LogprobSummary {
  mean: number;
  min: number;
}

/** Which normaliser reads a raw usage object: the provider's wire shape, or the recorded-outcomes format. */
export type UsageFormat = "openai" | "anthropic" | "google" | "recorded";

/**
 * The usage object a provider returned, as it came (secrets scrubbed), kept beside the normalised
 * usage so that a normaliser fixed later can re-derive usage from the store without a new call.
 */
export interface RawUsage {
  format: UsageFormat;
  usage: unknown;
}

/** What a provider returns for one call. Errors are thrown as ProviderError, not returned. */
export interface ProviderResult {
  text: string;
  usage: Usage;
  /** The usage as the provider sent it, where it sent one (the sim has none). */
  rawUsage?: RawUsage;
  latencyMs: number;
  /** The exact model snapshot that answered (e.g. "gpt-4o-2024-08-06"), where the provider says. */
  snapshot?: string;
  logprobs?: LogprobSummary;
  /** Used only when usage is unknown (recorded outcomes that carry a cost but no tokens). */
  recordedCostUsd?: number;
  /** True when usage was estimated with a tokenizer rather than reported by the provider. */
  usageEstimated?: boolean;
  /** The service tier that billed the call ("batch" is charged at the batch price). */
  serviceTier?: string;
  /** True when a configured secret (an API key) was found in the answer and replaced by a marker. */
  redacted?: boolean;
  /** Function calls the model made instead of (or besides) its text. */
  toolCalls?: ToolCall[];
  /** Why generation stopped, in OpenAI's words, where the provider says. */
  finishReason?: FinishReason;
}

export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter";

/** What ctx.call returns to routers: the provider result plus where it came from and its cost. */
export interface CallResult extends ProviderResult {
  model: ModelId;
  requestHash: string;
  costUsd: number;
  /** Set when the call failed after retries; text is then "". */
  error?: string;
  /** True when the answer came from the outcome store rather than a live provider call. */
  cached: boolean;
}

/**
 * A request to an embedding model: one text. Its identity is hashed like a chat request's (the
 * model snapshot, the text, the dimensions, and who asked), so a stored vector is reused.
 */
export interface EmbedRequest {
  input: string;
  /** Output dimensions, where the model can shorten its vectors (OpenAI text-embedding-3, Gemini). */
  dimensions?: number;
}

/** What a provider returns for an embedding: the vector, with usage like any call (text is ""). */
export interface ProviderEmbedResult extends ProviderResult {
  vector: Float32Array;
}

/** What ctx.embed returns to routers: the vector plus the call's identity, cost and origin. */
export interface EmbedResult extends CallResult {
  vector: Float32Array;
}

/**
 * The second door, beside ModelCaller: embeddings, for routers that compare items (kNN). Stored,
 * priced and charged to the policy exactly like calls; in production answered by the providers.
 */
export interface ModelEmbedder {
  embed(model: ModelId, request: EmbedRequest, opts?: CallOptions): Promise<EmbedResult>;
}

/** Who asked, for what: part of the request identity (docs/architecture.md#two-phases). */
export interface RequestIdentity {
  itemId: string;
  role: Role;
  sample: number;
  /** Request hashes of outcomes whose output this request embeds (a verifier, a second turn). */
  parents: string[];
}

export interface CallOptions {
  role?: Role;
  sample?: number;
  parents?: string[];
  signal?: AbortSignal;
}

/** The only door to a model, for routers, judges and classifiers alike. */
export interface ModelCaller {
  call(model: ModelId, request: ChatRequest, opts?: CallOptions): Promise<CallResult>;
}

export type Expected = string | number | boolean | Record<string, unknown> | unknown[] | null;

export interface Item {
  id: string;
  /** Per-item input: a string, or variables for the prompt template. */
  input: string | Record<string, unknown>;
  expected?: Expected;
  metadata?: Record<string, unknown>;
  /**
   * A recorded live request (shadow traffic): the messages and parameters sent verbatim, no
   * template applied, so the evaluation's request (and its hash) is the one production sent.
   * `input` then holds what the router scored.
   */
  request?: Omit<ChatRequest, "cache">;
}

/** What every provider knows about a call beyond the request: production passes no more. */
export interface ProviderCallContext {
  identity: RequestIdentity;
  signal?: AbortSignal;
}

/**
 * The call context of an evaluation: the dataset item and its answer space ride along for the
 * simulated provider, which needs them to answer; production never builds one.
 */
export interface EvaluationCallContext extends ProviderCallContext {
  item?: Item;
  /** The distinct expected values of the dataset: lets the sim give plausible wrong answers. */
  answerSpace?: readonly Expected[];
}
