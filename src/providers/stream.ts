import type { ModelSpec } from "../contracts/model-spec.ts";
import type { ChatRequest, ProviderCallContext, ProviderResult } from "../core/types.ts";

// Streamed answers (the gateway's `stream: true`). A provider that can stream yields the answer's
// pieces as they arrive and ends with the whole result (full text, tool calls, usage), so callers
// price and log a streamed call exactly like a plain one. A failure before the first piece is
// thrown by the first `next()`: callers may still fall back to another model then, never after.

export type StreamEvent =
  | { type: "text"; text: string }
  /** A piece of tool call `index`: its id and name come first, its arguments in pieces. */
  | { type: "tool_call"; index: number; id?: string; name?: string; arguments?: string }
  | { type: "end"; result: ProviderResult };

export interface StreamingProvider {
  stream(model: ModelSpec, request: ChatRequest, ctx: ProviderCallContext): AsyncIterable<StreamEvent>;
}

/** A finished result as a stream (a provider that cannot stream, or an answer already obtained). */
export async function* resultAsStream(result: ProviderResult): AsyncGenerator<StreamEvent> {
  if (result.text) yield { type: "text", text: result.text };
  for (const [index, call] of (result.toolCalls ?? []).entries())
    yield { type: "tool_call", index, id: call.id, name: call.name, arguments: call.arguments };
  yield { type: "end", result };
}

/** Collects tool call pieces into whole calls (the end result of a stream). */
export class ToolCallAssembler {
  private readonly calls: Array<{ id: string; name: string; arguments: string }> = [];

  add(e: Extract<StreamEvent, { type: "tool_call" }>): void {
    let c = this.calls[e.index];
    if (!c) {
      c = { id: "", name: "", arguments: "" };
      this.calls[e.index] = c;
    }
    if (e.id) c.id = e.id;
    if (e.name) c.name = e.name;
    if (e.arguments) c.arguments += e.arguments;
  }

  get result(): ProviderResult["toolCalls"] {
    const calls = this.calls.filter(Boolean);
    return calls.length ? calls : undefined;
  }
}
