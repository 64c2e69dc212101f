import type { GenerateContentResponse } from "@google/genai";
import type { FinishReason, ProviderResult } from "../../core/types.ts";
import { UNKNOWN_USAGE } from "../hosted/stream-deadline.ts";
import type { StreamEvent } from "../stream.ts";
import { geminiFinishReason, geminiToolCall } from "./tools.ts";
import { usageFromGemini } from "./usage.ts";

/**
 * generateContentStream's responses read into StreamEvents. Each response carries the next text
 * parts; function calls arrive whole; usageMetadata is cumulative, so the last one counts.
 */
export async function* geminiStreamEvents(
  responses: AsyncIterable<GenerateContentResponse>,
  started: number,
): AsyncGenerator<StreamEvent> {
  let text = "";
  let usage: unknown;
  let snapshot: string | undefined;
  let reason: string | undefined;
  const calls: ReturnType<typeof geminiToolCall>[] = [];
  for await (const response of responses) {
    if (response.usageMetadata) usage = response.usageMetadata;
    if (response.modelVersion) snapshot = response.modelVersion;
    const candidate = response.candidates?.[0];
    if (candidate?.finishReason) reason = candidate.finishReason;
    for (const part of candidate?.content?.parts ?? []) {
      if (part.thought) continue;
      if (part.text) {
        text += part.text;
        yield { type: "text", text: part.text };
      }
      if (part.functionCall) {
        const call = geminiToolCall(part.functionCall, calls.length);
        yield { type: "tool_call", index: calls.length, id: call.id, name: call.name, arguments: call.arguments };
        calls.push(call);
      }
    }
  }
  const finish: FinishReason | undefined = geminiFinishReason(reason, calls.length > 0);
  const result: ProviderResult = {
    text,
    usage: usage === undefined ? UNKNOWN_USAGE : usageFromGemini(usage),
    latencyMs: Math.round(performance.now() - started),
    ...(usage === undefined ? { usageEstimated: true } : {}),
    ...(snapshot ? { snapshot } : {}),
    ...(finish ? { finishReason: finish } : {}),
  };
  if (calls.length) result.toolCalls = calls;
  yield { type: "end", result };
}
