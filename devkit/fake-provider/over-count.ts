import type { ChatMessage } from "../../src/core/types.ts";
import { countChatTokens } from "../../src/providers/tokens.ts";
import type { Answerer, RecordedRequest } from "./server.ts";

// A provider whose tokenizer counts more than routegate's estimate: it reports `factor` x the
// o200k count of the request's messages as input, and every token of max tokens as output (the
// worst case a reservation must cover). For the budget's promise: no overspend up to k x.

/** The request's messages, read back from each wire format (roles as routegate names them). */
export function wireMessages(req: RecordedRequest): ChatMessage[] {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const text = (content: unknown): string =>
    typeof content === "string"
      ? content
      : Array.isArray(content)
        ? content.map((b) => (typeof b?.text === "string" ? b.text : "")).join("")
        : "";
  if (req.provider === "google") {
    const system = (body.systemInstruction as { parts?: unknown } | undefined)?.parts;
    const contents = (body.contents ?? []) as Array<{ role?: string; parts?: unknown }>;
    return [
      ...(system ? [{ role: "system" as const, content: text(system) }] : []),
      ...contents.map((c) => ({
        role: c.role === "model" ? ("assistant" as const) : ("user" as const),
        content: text(c.parts),
      })),
    ];
  }
  const messages = (body.messages ?? []) as Array<{ role: ChatMessage["role"]; content: unknown }>;
  const system =
    req.provider === "anthropic" && body.system ? [{ role: "system" as const, content: text(body.system) }] : [];
  return [...system, ...messages.map((m) => ({ role: m.role, content: text(m.content) }))];
}

/** The max tokens the request allowed, in each wire format. */
export function wireMaxTokens(req: RecordedRequest): number {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const config = (body.generationConfig ?? {}) as Record<string, unknown>;
  const n = body.max_completion_tokens ?? body.max_tokens ?? config.maxOutputTokens;
  return typeof n === "number" ? n : 0;
}

/** routegate's own input estimate for the request (what its budget reserves against). */
export function estimatedInput(req: RecordedRequest): number {
  return countChatTokens(wireMessages(req));
}

export function overCountingAnswerer(factor: number, text = "ok"): Answerer {
  return {
    text: () => text,
    usage: (_lastUser, _text, req) => ({
      prompt: Math.ceil(factor * estimatedInput(req)),
      cached: 0,
      output: wireMaxTokens(req),
    }),
  };
}
