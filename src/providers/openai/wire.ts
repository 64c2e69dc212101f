import type { ChatCompletionCreateParamsNonStreaming } from "openai/resources/chat/completions";
import { z } from "zod";
import type { ModelSpec } from "../../contracts/model-spec.ts";
import type { ChatRequest, ProviderResult } from "../../core/types.ts";
import { parseBody } from "../hosted/body.ts";
import { promptCacheKey } from "../hosted/cache-key.ts";
import { summariseLogprobs } from "../hosted/logprobs.ts";
import { usageFromOpenAI } from "./usage.ts";

// The Chat Completions wire format, for OpenAI and OpenAI-compatible servers (vLLM). Pure: the
// request body routegate sends and the reading of the reply, tested without a network.

/** "openai" is OpenAI's API; "compatible" any other server that speaks it (vLLM, TGI, llama.cpp). */
export type OpenAIFlavour = "openai" | "compatible";

export function openaiChatBody(
  spec: ModelSpec,
  request: ChatRequest,
  flavour: OpenAIFlavour,
): ChatCompletionCreateParamsNonStreaming {
  const cacheKey = flavour === "openai" ? promptCacheKey(spec, request) : undefined;
  return {
    model: spec.model,
    messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
    // OpenAI's reasoning models refuse the deprecated max_tokens; many compatible servers know only it.
    ...(flavour === "openai" ? { max_completion_tokens: request.maxTokens } : { max_tokens: request.maxTokens }),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.topP !== undefined ? { top_p: request.topP } : {}),
    ...(request.seed !== undefined ? { seed: request.seed } : {}),
    ...(request.stop?.length ? { stop: request.stop } : {}),
    ...(request.responseFormat === "json" ? { response_format: { type: "json_object" as const } } : {}),
    ...(request.logprobs ? { logprobs: true } : {}),
    // vLLM caches prefixes by itself (automatic prefix caching) and has no use for the key.
    ...(cacheKey ? { prompt_cache_key: cacheKey } : {}),
  };
}

const TokenLogprob = z.looseObject({ logprob: z.number() });

export const OpenAIChatResponse = z.looseObject({
  model: z.string().nullish(),
  choices: z
    .array(
      z.looseObject({
        message: z.looseObject({ content: z.string().nullish(), refusal: z.string().nullish() }),
        logprobs: z.looseObject({ content: z.array(TokenLogprob).nullish() }).nullish(),
      }),
    )
    .min(1, "expected at least one choice"),
  usage: z.unknown(),
  service_tier: z.string().nullish(),
});

/** A Chat Completions reply -> ProviderResult (latency is filled in by the caller). */
export function readOpenAIChat(provider: string, body: unknown): Omit<ProviderResult, "latencyMs"> {
  const reply = parseBody(provider, OpenAIChatResponse, body);
  const choice = reply.choices[0]!;
  const result: Omit<ProviderResult, "latencyMs"> = {
    // A refusal is the model's answer; it is scored like any other text.
    text: choice.message.content ?? choice.message.refusal ?? "",
    usage: usageFromOpenAI(reply.usage),
    rawUsage: { format: "openai", usage: reply.usage },
  };
  if (reply.model) result.snapshot = reply.model;
  if (reply.service_tier) result.serviceTier = reply.service_tier;
  const logprobs = summariseLogprobs((choice.logprobs?.content ?? []).map((t) => t.logprob));
  if (logprobs) result.logprobs = logprobs;
  return result;
}
