import type {
  ContentBlockParam,
  MessageParam,
  Tool,
  ToolChoice,
  ToolResultBlockParam,
} from "@anthropic-ai/sdk/resources/messages";
import type { ChatMessage, ChatRequest, FinishReason, ToolCall } from "../../core/types.ts";
import { UnsupportedRequestError } from "../provider-error.ts";

// Tool use in the Messages API, translated from and to the OpenAI chat shape the core types
// follow: tools -> input_schema, an assistant's tool calls -> tool_use blocks, "tool" messages ->
// tool_result blocks in a user turn (consecutive results share one turn, as Anthropic requires).

const JSON_SCHEMA = "a JSON Schema response format (route such requests to an OpenAI or Gemini model)";

export function anthropicTools(request: ChatRequest): { tools?: Tool[]; tool_choice?: ToolChoice } {
  // Evaluation requests ask for JSON on Anthropic models through the prompt and have always been
  // sent without a JSON mode; a JSON Schema (only the gateway's clients send one) cannot be honoured.
  if (request.jsonSchema) throw new UnsupportedRequestError("anthropic", "response_format", JSON_SCHEMA);
  const out: { tools?: Tool[]; tool_choice?: ToolChoice } = {};
  if (request.tools?.length)
    out.tools = request.tools.map((t) => ({
      name: t.name,
      ...(t.description !== undefined ? { description: t.description } : {}),
      input_schema: { type: "object", ...(t.parameters ?? {}) } as Tool["input_schema"],
    }));
  const c = request.toolChoice;
  if (c)
    out.tool_choice =
      c === "auto"
        ? { type: "auto" }
        : c === "none"
          ? { type: "none" }
          : c === "required"
            ? { type: "any" }
            : { type: "tool", name: c.name };
  return out;
}

/** Appends a non-system message, merging tool results into one user turn. */
export function pushAnthropicMessage(messages: MessageParam[], m: ChatMessage, plain: MessageParam["content"]): void {
  if (m.role === "tool") {
    const block: ToolResultBlockParam = { type: "tool_result", tool_use_id: m.toolCallId ?? "", content: m.content };
    const last = messages.at(-1);
    if (last?.role === "user" && Array.isArray(last.content) && last.content.every((b) => b.type === "tool_result")) {
      last.content.push(block);
      return;
    }
    messages.push({ role: "user", content: [block] });
    return;
  }
  if (m.role === "assistant" && m.toolCalls?.length) {
    const blocks: ContentBlockParam[] = m.content ? [{ type: "text", text: m.content }] : [];
    for (const call of m.toolCalls)
      blocks.push({ type: "tool_use", id: call.id, name: call.name, input: parseArguments(call.arguments) });
    messages.push({ role: "assistant", content: blocks });
    return;
  }
  messages.push({ role: m.role === "assistant" ? "assistant" : "user", content: plain });
}

function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text || "{}");
  } catch {
    return {};
  }
}

/** A tool_use block's input as the JSON text OpenAI's clients expect. */
export function toolCallOf(block: { id: string; name: string; input: unknown }): ToolCall {
  return { id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) };
}

export function anthropicFinishReason(stop: string | null | undefined): FinishReason | undefined {
  if (stop === "end_turn" || stop === "stop_sequence" || stop === "pause_turn") return "stop";
  if (stop === "max_tokens" || stop === "model_context_window_exceeded") return "length";
  if (stop === "tool_use") return "tool_calls";
  if (stop === "refusal") return "content_filter";
  return undefined;
}
