import type OpenAI from "openai";
import type { ChatCompletionCreateParamsNonStreaming } from "openai/resources/chat/completions";
import type { FinishReason, ProviderResult } from "../../core/types.ts";
import { UNKNOWN_USAGE } from "../hosted/stream-deadline.ts";
import { type StreamEvent, ToolCallAssembler } from "../stream.ts";
import { usageFromOpenAI } from "./usage.ts";
import { openaiFinishReason } from "./wire.ts";

/**
 * A Chat Completions request with `stream: true`, the usage asked for in the last chunk
 * (`stream_options.include_usage`), read into StreamEvents. Errors go to the caller's mapping.
 */
export async function* openaiChatStream(
  client: OpenAI,
  body: ChatCompletionCreateParamsNonStreaming,
  signal: AbortSignal,
): AsyncGenerator<StreamEvent> {
  const started = performance.now();
  const stream = await client.chat.completions.create(
    { ...body, stream: true, stream_options: { include_usage: true } },
    { signal },
  );
  let text = "";
  let usage: unknown;
  let snapshot: string | undefined;
  let finish: FinishReason | undefined;
  let serviceTier: string | undefined;
  const tools = new ToolCallAssembler();
  for await (const chunk of stream) {
    if (chunk.model) snapshot = chunk.model;
    if (chunk.usage) usage = chunk.usage;
    if (chunk.service_tier) serviceTier = chunk.service_tier;
    const choice = chunk.choices[0];
    if (!choice) continue;
    finish = openaiFinishReason(choice.finish_reason) ?? finish;
    const piece = choice.delta?.content ?? choice.delta?.refusal;
    if (piece) {
      text += piece;
      yield { type: "text", text: piece };
    }
    for (const call of choice.delta?.tool_calls ?? []) {
      const event: StreamEvent = {
        type: "tool_call",
        index: call.index,
        ...(call.id ? { id: call.id } : {}),
        ...(call.function?.name ? { name: call.function.name } : {}),
        ...(call.function?.arguments ? { arguments: call.function.arguments } : {}),
      };
      tools.add(event);
      yield event;
    }
  }
  const result: ProviderResult = {
    text,
    usage: usage === undefined ? UNKNOWN_USAGE : usageFromOpenAI(usage),
    latencyMs: Math.round(performance.now() - started),
    ...(usage === undefined ? { usageEstimated: true } : {}),
    ...(snapshot ? { snapshot } : {}),
    ...(serviceTier ? { serviceTier } : {}),
    ...(finish ? { finishReason: finish } : {}),
  };
  const calls = tools.result;
  if (calls) result.toolCalls = calls;
  yield { type: "end", result };
}
