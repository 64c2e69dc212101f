import type {
  MessageCreateParamsNonStreaming,
  MessageParam,
  TextBlockParam,
} from "@anthropic-ai/sdk/resources/messages";
import { z } from "zod";
import type { ModelSpec } from "../../contracts/model-spec.ts";
import type { ChatRequest, ProviderResult } from "../../core/types.ts";
import { parseBody } from "../hosted/body.ts";
import { anthropicFinishReason, anthropicTools, pushAnthropicMessage, toolCallOf } from "./tools.ts";
import { usageFromAnthropic } from "./usage.ts";

// The Messages API wire format. Pure: the request body routegate sends and the reading of the reply.

/**
 * System messages go to `system` as text blocks; the rest stay in order as `messages`. When the
 * request marks a stable prefix (`cache.prefixMessages`), the prefix's last message carries the
 * cache breakpoint: `cache_control: {type: "ephemeral", ttl?}` on its (last) text block, so the
 * system prompt and any few-shot turns before it are cached and read back at the cached price.
 * Anthropic has no JSON mode and no seed: a request for JSON output is refused (UnsupportedRequestError),
 * the seed is not sent. Tools are translated in tools.ts.
 */
export function anthropicMessagesBody(spec: ModelSpec, request: ChatRequest): MessageCreateParamsNonStreaming {
  const breakpointAt = (request.cache?.prefixMessages ?? 0) - 1;
  const cacheControl = {
    type: "ephemeral" as const,
    ...(request.cache?.ttl ? { ttl: request.cache.ttl } : {}),
  };
  const system: TextBlockParam[] = [];
  const messages: MessageParam[] = [];
  request.messages.forEach((m, i) => {
    const breakpoint = i === breakpointAt;
    const block: TextBlockParam = {
      type: "text",
      text: m.content,
      ...(breakpoint ? { cache_control: cacheControl } : {}),
    };
    if (m.role === "system") system.push(block);
    else pushAnthropicMessage(messages, m, breakpoint ? [block] : m.content);
  });
  return {
    model: spec.model,
    max_tokens: request.maxTokens,
    messages,
    ...(system.length ? { system } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.topP !== undefined ? { top_p: request.topP } : {}),
    ...(request.stop?.length ? { stop_sequences: request.stop } : {}),
    ...anthropicTools(request),
  };
}

export const AnthropicMessageResponse = z.looseObject({
  model: z.string().nullish(),
  content: z.array(
    z.looseObject({
      type: z.string(),
      text: z.string().optional(),
      id: z.string().optional(),
      name: z.string().optional(),
      input: z.unknown().optional(),
    }),
  ),
  stop_reason: z.string().nullish(),
  usage: z.looseObject({ service_tier: z.string().nullish() }),
});

/** A Messages reply -> ProviderResult (latency is filled in by the caller). Anthropic offers no logprobs. */
export function readAnthropicMessage(body: unknown): Omit<ProviderResult, "latencyMs"> {
  const reply = parseBody("anthropic", AnthropicMessageResponse, body);
  const result: Omit<ProviderResult, "latencyMs"> = {
    text: reply.content
      .filter((b) => b.type === "text")
      .map((b) => b.text ?? "")
      .join(""),
    usage: usageFromAnthropic(reply.usage),
    rawUsage: { format: "anthropic", usage: reply.usage },
  };
  if (reply.model) result.snapshot = reply.model;
  const calls = reply.content.filter((b) => b.type === "tool_use");
  if (calls.length)
    result.toolCalls = calls.map((b) => toolCallOf({ id: b.id ?? "", name: b.name ?? "", input: b.input }));
  const finish = anthropicFinishReason(reply.stop_reason);
  if (finish) result.finishReason = finish;
  if (reply.usage.service_tier) result.serviceTier = reply.usage.service_tier;
  return result;
}
