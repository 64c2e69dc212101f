import type Anthropic from "@anthropic-ai/sdk";
import type { MessageCreateParamsNonStreaming } from "@anthropic-ai/sdk/resources/messages";
import type { FinishReason, ProviderResult } from "../../core/types.ts";
import { type StreamEvent, ToolCallAssembler } from "../stream.ts";
import { anthropicFinishReason } from "./tools.ts";
import { usageFromAnthropic } from "./usage.ts";

/**
 * A Messages request with `stream: true`, its server-sent events read into StreamEvents. Usage
 * arrives in two halves: input and cache tokens in `message_start`, the output count (cumulative)
 * in `message_delta`.
 */
export async function* anthropicMessageStream(
  client: Anthropic,
  body: MessageCreateParamsNonStreaming,
  signal: AbortSignal,
): AsyncGenerator<StreamEvent> {
  const started = performance.now();
  const stream = await client.messages.create({ ...body, stream: true }, { signal });
  let text = "";
  let usage: Record<string, unknown> = {};
  let snapshot: string | undefined;
  let finish: FinishReason | undefined;
  const tools = new ToolCallAssembler();
  /** Content block index -> tool call index (text blocks take none). */
  const toolIndex = new Map<number, number>();
  for await (const event of stream) {
    if (event.type === "message_start") {
      snapshot = event.message.model;
      usage = { ...event.message.usage };
    } else if (event.type === "message_delta") {
      usage = { ...usage, ...definedOnly(event.usage as unknown as Record<string, unknown>) };
      finish = anthropicFinishReason(event.delta.stop_reason) ?? finish;
    } else if (event.type === "content_block_start" && event.content_block.type === "tool_use") {
      const index = toolIndex.size;
      toolIndex.set(event.index, index);
      const piece: StreamEvent = {
        type: "tool_call",
        index,
        id: event.content_block.id,
        name: event.content_block.name,
      };
      tools.add(piece);
      yield piece;
    } else if (event.type === "content_block_delta") {
      if (event.delta.type === "text_delta") {
        text += event.delta.text;
        yield { type: "text", text: event.delta.text };
      } else if (event.delta.type === "input_json_delta") {
        const index = toolIndex.get(event.index);
        if (index === undefined) continue;
        const piece: StreamEvent = { type: "tool_call", index, arguments: event.delta.partial_json };
        tools.add(piece);
        yield piece;
      }
    }
  }
  const result: ProviderResult = {
    text,
    usage: usageFromAnthropic(usage),
    latencyMs: Math.round(performance.now() - started),
    ...(snapshot ? { snapshot } : {}),
    ...(finish ? { finishReason: finish } : {}),
  };
  if (typeof usage.service_tier === "string") result.serviceTier = usage.service_tier;
  const calls = tools.result;
  if (calls) result.toolCalls = calls;
  yield { type: "end", result };
}

/** message_delta's usage repeats fields as null that message_start gave: keep the known ones. */
function definedOnly(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));
}
