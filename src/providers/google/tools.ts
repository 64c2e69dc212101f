import type { Content, FunctionCallingConfigMode, GenerateContentConfig, Part } from "@google/genai";
import type { ChatMessage, ChatRequest, FinishReason, ToolCall } from "../../core/types.ts";

// Function calling and structured output in the Gemini API, from and to the OpenAI chat shape the
// core types follow. A tool result names its function in Gemini (not a call id): the name is found
// from the assistant turn that made the call.

// String values, not the SDK's enum: importing a value would load the SDK with the wire module.
const MODE = { AUTO: "AUTO", ANY: "ANY", NONE: "NONE" } as Record<string, FunctionCallingConfigMode>;

export function geminiToolConfig(request: ChatRequest): GenerateContentConfig {
  const config: GenerateContentConfig = {};
  if (request.tools?.length)
    config.tools = [
      {
        functionDeclarations: request.tools.map((t) => ({
          name: t.name,
          ...(t.description !== undefined ? { description: t.description } : {}),
          ...(t.parameters !== undefined ? { parametersJsonSchema: t.parameters } : {}),
        })),
      },
    ];
  const c = request.toolChoice;
  if (c)
    config.toolConfig = {
      functionCallingConfig:
        typeof c === "object"
          ? { mode: MODE.ANY!, allowedFunctionNames: [c.name] }
          : {
              mode: c === "none" ? MODE.NONE! : c === "required" ? MODE.ANY! : MODE.AUTO!,
            },
    };
  if (request.jsonSchema) config.responseJsonSchema = request.jsonSchema.schema;
  return config;
}

/** The non-system messages as Gemini contents, tool calls and results included. */
export function geminiContents(messages: readonly ChatMessage[]): Content[] {
  const names = new Map<string, string>();
  const contents: Content[] = [];
  for (const m of messages) {
    if (m.role === "system") continue;
    if (m.role === "tool") {
      const part: Part = {
        functionResponse: { name: names.get(m.toolCallId ?? "") ?? "", response: { result: m.content } },
      };
      const last = contents.at(-1);
      if (last?.role === "user" && last.parts?.every((p) => p.functionResponse)) last.parts.push(part);
      else contents.push({ role: "user", parts: [part] });
      continue;
    }
    const parts: Part[] = m.content || !m.toolCalls?.length ? [{ text: m.content }] : [];
    for (const call of m.toolCalls ?? []) {
      names.set(call.id, call.name);
      parts.push({ functionCall: { name: call.name, args: parseArgs(call.arguments) } });
    }
    contents.push({ role: m.role === "assistant" ? "model" : "user", parts });
  }
  return contents;
}

function parseArgs(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text || "{}");
    return typeof v === "object" && v !== null && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
}

/** A functionCall part as an OpenAI-style tool call (Gemini gives no id: one is made from its place). */
export function geminiToolCall(
  fc: { id?: string | null; name?: string | null; args?: unknown },
  index: number,
): ToolCall {
  return { id: fc.id || `call_${index}`, name: fc.name ?? "", arguments: JSON.stringify(fc.args ?? {}) };
}

export function geminiFinishReason(reason: string | null | undefined, toolCalls: boolean): FinishReason | undefined {
  if (!reason) return undefined;
  if (reason === "STOP") return toolCalls ? "tool_calls" : "stop";
  if (reason === "MAX_TOKENS") return "length";
  return "content_filter";
}
