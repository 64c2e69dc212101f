import type { CallResult, FinishReason, ToolCall } from "../core/types.ts";
import type { StreamEvent } from "../providers/stream.ts";

// routegate's answers in the OpenAI Chat Completions format: the whole completion, and the chunks
// of a streamed one. `model` is the route the client named (`routegate/triage`); the model that
// answered is in the `x-routegate-model` header, as OpenAI reports its snapshot in `model`.

export interface CompletionUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
}

export function usageOf(answer: CallResult): CompletionUsage {
  const i = answer.usage.input;
  const prompt = i.noCache + i.cacheRead + i.cacheWrite5m + i.cacheWrite1h;
  const completion = answer.usage.output.text + answer.usage.output.reasoning;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: i.cacheRead },
    completion_tokens_details: { reasoning_tokens: answer.usage.output.reasoning },
  };
}

const wireToolCall = (c: ToolCall) => ({
  id: c.id,
  type: "function" as const,
  function: { name: c.name, arguments: c.arguments },
});

function finishOf(answer: CallResult): FinishReason {
  return answer.finishReason ?? (answer.toolCalls?.length ? "tool_calls" : "stop");
}

export function completionBody(id: string, model: string, created: number, answer: CallResult) {
  const calls = answer.toolCalls ?? [];
  return {
    id,
    object: "chat.completion" as const,
    created,
    model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant" as const,
          content: calls.length && !answer.text ? null : answer.text,
          refusal: null,
          ...(calls.length ? { tool_calls: calls.map(wireToolCall) } : {}),
        },
        finish_reason: finishOf(answer),
        logprobs: null,
      },
    ],
    usage: usageOf(answer),
  };
}

/** Builds the `chat.completion.chunk` objects of one streamed answer. */
export class ChunkWriter {
  private roleSent = false;

  constructor(
    private readonly id: string,
    private readonly model: string,
    private readonly created: number,
    /** OpenAI's `stream_options.include_usage`: `usage: null` on every chunk, then a usage chunk. */
    private readonly includeUsage: boolean,
  ) {}

  private chunk(choices: unknown[], usage?: CompletionUsage | null) {
    return {
      id: this.id,
      object: "chat.completion.chunk" as const,
      created: this.created,
      model: this.model,
      choices,
      ...(this.includeUsage ? { usage: usage ?? null } : {}),
    };
  }

  private delta(delta: Record<string, unknown>, finish: FinishReason | null = null) {
    // The first delta names the role, as OpenAI's streams do.
    const withRole = this.roleSent ? delta : { role: "assistant", ...delta };
    this.roleSent = true;
    return this.chunk([{ index: 0, delta: withRole, finish_reason: finish, logprobs: null }]);
  }

  /** The chunks for one stream event: a piece of text or of a tool call, or the end (finish, usage). */
  event(e: StreamEvent): unknown[] {
    if (e.type === "text") return e.text ? [this.delta({ content: e.text })] : [];
    if (e.type === "tool_call") {
      const call: Record<string, unknown> = { index: e.index };
      if (e.id) call.id = e.id;
      if (e.id || e.name) call.type = "function";
      const fn: Record<string, string> = {};
      if (e.name) fn.name = e.name;
      if (e.arguments !== undefined) fn.arguments = e.arguments;
      call.function = fn;
      return [this.delta({ tool_calls: [call] })];
    }
    const answer = e.result as CallResult;
    const out = [this.delta({}, finishOf(answer))];
    if (this.includeUsage) out.push(this.chunk([], usageOf(answer)));
    return out;
  }
}
