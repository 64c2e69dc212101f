import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
  ChatCompletionTool,
  ChatCompletionToolChoiceOption,
} from "openai/resources/chat/completions";
import type { ResponseFormatJSONObject, ResponseFormatJSONSchema } from "openai/resources/shared";
import { z } from "zod";
import type { ModelSpec } from "../../contracts/model-spec.ts";
import type { ChatMessage, ChatRequest, FinishReason, ProviderResult, ToolDefinition } from "../../core/types.ts";
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
    messages: request.messages.map(openaiMessage),
    // OpenAI's reasoning models refuse the deprecated max_tokens; many compatible servers know only it.
    ...(flavour === "openai" ? { max_completion_tokens: request.maxTokens } : { max_tokens: request.maxTokens }),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.topP !== undefined ? { top_p: request.topP } : {}),
    ...(request.seed !== undefined ? { seed: request.seed } : {}),
    ...(request.stop?.length ? { stop: request.stop } : {}),
    ...(request.responseFormat === "json" ? { response_format: openaiResponseFormat(request) } : {}),
    ...(request.tools?.length ? { tools: request.tools.map(openaiTool) } : {}),
    ...(request.toolChoice ? { tool_choice: openaiToolChoice(request.toolChoice) } : {}),
    ...(request.logprobs ? { logprobs: true } : {}),
    // vLLM caches prefixes by itself (automatic prefix caching) and has no use for the key.
    ...(cacheKey ? { prompt_cache_key: cacheKey } : {}),
  };
}

function openaiMessage(m: ChatMessage): ChatCompletionMessageParam {
  if (m.role === "tool") return { role: "tool", content: m.content, tool_call_id: m.toolCallId ?? "" };
  if (m.role === "assistant" && m.toolCalls?.length)
    return {
      role: "assistant",
      content: m.content || null,
      tool_calls: m.toolCalls.map((c) => ({
        id: c.id,
        type: "function" as const,
        function: { name: c.name, arguments: c.arguments },
      })),
    };
  return { role: m.role, content: m.content };
}

function openaiResponseFormat(request: ChatRequest): ResponseFormatJSONObject | ResponseFormatJSONSchema {
  const s = request.jsonSchema;
  if (!s) return { type: "json_object" };
  return {
    type: "json_schema",
    json_schema: { name: s.name, schema: s.schema, ...(s.strict !== undefined ? { strict: s.strict } : {}) },
  };
}

function openaiTool(t: ToolDefinition): ChatCompletionTool {
  return {
    type: "function",
    function: {
      name: t.name,
      ...(t.description !== undefined ? { description: t.description } : {}),
      ...(t.parameters !== undefined ? { parameters: t.parameters } : {}),
      ...(t.strict !== undefined ? { strict: t.strict } : {}),
    },
  };
}

function openaiToolChoice(choice: NonNullable<ChatRequest["toolChoice"]>): ChatCompletionToolChoiceOption {
  return typeof choice === "string" ? choice : { type: "function", function: { name: choice.name } };
}

const TokenLogprob = z.looseObject({ logprob: z.number() });

export const OpenAIChatResponse = z.looseObject({
  model: z.string().nullish(),
  choices: z
    .array(
      z.looseObject({
        message: z.looseObject({
          content: z.string().nullish(),
          refusal: z.string().nullish(),
          tool_calls: z
            .array(
              z.looseObject({
                id: z.string(),
                function: z.looseObject({ name: z.string(), arguments: z.string() }),
              }),
            )
            .nullish(),
        }),
        finish_reason: z.string().nullish(),
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
  const calls = choice.message.tool_calls;
  if (calls?.length)
    result.toolCalls = calls.map((c) => ({ id: c.id, name: c.function.name, arguments: c.function.arguments }));
  const finish = openaiFinishReason(choice.finish_reason);
  if (finish) result.finishReason = finish;
  if (reply.service_tier) result.serviceTier = reply.service_tier;
  const logprobs = summariseLogprobs((choice.logprobs?.content ?? []).map((t) => t.logprob));
  if (logprobs) result.logprobs = logprobs;
  return result;
}

/** OpenAI's finish_reason as routegate keeps it (unknown values are dropped). */
export function openaiFinishReason(reason: string | null | undefined): FinishReason | undefined {
  return reason === "stop" || reason === "length" || reason === "tool_calls" || reason === "content_filter"
    ? reason
    : reason === "function_call"
      ? "tool_calls"
      : undefined;
}
