import type { WireProvider } from "./wire.ts";

// Streamed replies: a success body in a provider's plain wire format, turned into the server-sent
// events that provider's streaming API sends, so one scripted reply serves a plain and a streamed
// request alike. Text is cut into word-sized pieces, as real servers send tokens.

type Json = Record<string, unknown>;

/** The SSE frames (each "event:"/"data:" block with its blank line) for `body`. */
export function sseFrames(provider: WireProvider, body: unknown, includeUsage: boolean): string[] {
  const b = (body ?? {}) as Json;
  if (provider === "openai") return openaiFrames(b, includeUsage);
  if (provider === "anthropic") return anthropicFrames(b);
  return geminiFrames(b);
}

/** "Hello big world" -> ["Hello", " big", " world"]. */
export function pieces(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? (text ? [text] : []);
}

const data = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
const event = (name: string, o: unknown) => `event: ${name}\ndata: ${JSON.stringify(o)}\n\n`;

function openaiFrames(b: Json, includeUsage: boolean): string[] {
  const choice = ((b.choices as Json[]) ?? [])[0] ?? {};
  const message = (choice.message ?? {}) as Json;
  const head = { id: b.id ?? "chatcmpl-fake", object: "chat.completion.chunk", created: b.created, model: b.model };
  const chunk = (delta: Json, finish: unknown = null) =>
    data({ ...head, choices: [{ index: 0, delta, finish_reason: finish }] });
  const frames = [chunk({ role: "assistant", content: "" })];
  for (const p of pieces(String(message.content ?? ""))) frames.push(chunk({ content: p }));
  ((message.tool_calls as Json[]) ?? []).forEach((call, index) => {
    const fn = call.function as Json;
    frames.push(
      chunk({ tool_calls: [{ index, id: call.id, type: "function", function: { name: fn.name, arguments: "" } }] }),
    );
    for (const p of chop(String(fn.arguments ?? "")))
      frames.push(chunk({ tool_calls: [{ index, function: { arguments: p } }] }));
  });
  frames.push(chunk({}, choice.finish_reason ?? "stop"));
  if (includeUsage) frames.push(data({ ...head, choices: [], usage: b.usage }));
  frames.push("data: [DONE]\n\n");
  return frames;
}

function anthropicFrames(b: Json): string[] {
  const usage = (b.usage ?? {}) as Json;
  const frames = [
    event("message_start", {
      type: "message_start",
      message: { ...b, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } },
    }),
  ];
  ((b.content as Json[]) ?? []).forEach((block, index) => {
    if (block.type === "tool_use") {
      frames.push(
        event("content_block_start", {
          type: "content_block_start",
          index,
          content_block: { type: "tool_use", id: block.id, name: block.name, input: {} },
        }),
      );
      for (const p of chop(JSON.stringify(block.input ?? {})))
        frames.push(
          event("content_block_delta", {
            type: "content_block_delta",
            index,
            delta: { type: "input_json_delta", partial_json: p },
          }),
        );
    } else {
      frames.push(
        event("content_block_start", { type: "content_block_start", index, content_block: { type: "text", text: "" } }),
      );
      for (const p of pieces(String(block.text ?? "")))
        frames.push(
          event("content_block_delta", { type: "content_block_delta", index, delta: { type: "text_delta", text: p } }),
        );
    }
    frames.push(event("content_block_stop", { type: "content_block_stop", index }));
  });
  frames.push(
    event("message_delta", {
      type: "message_delta",
      delta: { stop_reason: b.stop_reason ?? "end_turn", stop_sequence: null },
      usage: { output_tokens: usage.output_tokens ?? 0 },
    }),
  );
  frames.push(event("message_stop", { type: "message_stop" }));
  return frames;
}

function geminiFrames(b: Json): string[] {
  const candidate = ((b.candidates as Json[]) ?? [])[0] ?? {};
  const parts = (((candidate.content ?? {}) as Json).parts as Json[]) ?? [];
  const out: Json[] = [];
  for (const part of parts) {
    if (typeof part.text === "string") for (const p of pieces(part.text)) out.push({ text: p });
    else out.push(part);
  }
  const frame = (ps: Json[], last: boolean) =>
    data({
      candidates: [
        {
          content: { role: "model", parts: ps },
          index: 0,
          ...(last ? { finishReason: candidate.finishReason ?? "STOP" } : {}),
        },
      ],
      modelVersion: b.modelVersion,
      ...(last ? { usageMetadata: b.usageMetadata } : {}),
    });
  if (out.length === 0) return [frame([], true)];
  return out.map((p, i) => frame([p], i === out.length - 1));
}

/** JSON text in small pieces, as tool-call arguments stream. */
function chop(text: string, size = 8): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
