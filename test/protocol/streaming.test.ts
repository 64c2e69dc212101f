import { describe, expect, it } from "vitest";
import { anthropicBody, errorReply, geminiBody, openaiBody, replyFor } from "../../devkit/fake-provider/wire.ts";
import type { ChatRequest } from "../../src/core/types.ts";
import { ProviderError } from "../../src/providers/provider-error.ts";
import { scrubbedProvider } from "../../src/providers/scrub/scrubbed-provider.ts";
import { REDACTED_KEY, SecretScrubber } from "../../src/providers/scrub/secret-scrubber.ts";
import type { StreamEvent } from "../../src/providers/stream.ts";
import { ask, ctx, KEYS, SPECS, useFakeProvider } from "./harness.ts";

// Streaming through each official SDK against the fake server's server-sent events: the pieces
// arrive in order, the end result carries the whole text, tool calls and usage, and errors are
// classified as for plain calls.

const h = useFakeProvider();
const ids = ["openai", "anthropic", "google"] as const;

async function collect(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const e of stream) out.push(e);
  return out;
}

const weather: ChatRequest = {
  ...ask("weather in Paris?"),
  tools: [{ name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } }],
  toolChoice: "auto",
};

function toolReply(id: (typeof ids)[number]) {
  if (id === "openai")
    return openaiBody({
      text: "",
      usage: { prompt_tokens: 20, completion_tokens: 7 },
    });
  if (id === "anthropic") return anthropicBody({ text: "", usage: { input_tokens: 20, output_tokens: 7 } });
  return geminiBody({ text: "", usage: { promptTokenCount: 20, candidatesTokenCount: 7 } });
}

describe.each(ids)("%s streaming", (id) => {
  it("yields the text in pieces and ends with the whole result and usage", async () => {
    h.server.setAnswerer({ text: () => "the quick brown fox", usage: () => ({ prompt: 30, cached: 8, output: 4 }) });
    const events = await collect(h.provider(id).stream!(SPECS[id], ask("hi"), ctx()));
    const texts = events.filter((e) => e.type === "text").map((e) => (e as { text: string }).text);
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.join("")).toBe("the quick brown fox");
    const end = events.at(-1)!;
    expect(end.type).toBe("end");
    const result = (end as Extract<StreamEvent, { type: "end" }>).result;
    expect(result.text).toBe("the quick brown fox");
    expect(result.usage.input.noCache + result.usage.input.cacheRead).toBe(30);
    expect(result.usage.output.text).toBe(4);
    expect(result.finishReason).toBe("stop");
    expect(result.usageEstimated).toBeUndefined();
    const sent = h.server.requests[0]!;
    expect(sent.stream).toBe(true);
    if (id === "openai") expect(sent.body).toMatchObject({ stream_options: { include_usage: true } });
  });

  it("streams tool calls and sends the tools in the provider's shape", async () => {
    const body = toolReply(id) as Record<string, unknown>;
    if (id === "openai") {
      const choice = (body.choices as Record<string, unknown>[])[0]!;
      choice.message = {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
        ],
      };
      choice.finish_reason = "tool_calls";
    } else if (id === "anthropic") {
      body.content = [{ type: "tool_use", id: "call_1", name: "get_weather", input: { city: "Paris" } }];
      body.stop_reason = "tool_use";
    } else {
      const cand = (body.candidates as Record<string, unknown>[])[0]!;
      cand.content = {
        role: "model",
        parts: [{ functionCall: { id: "call_1", name: "get_weather", args: { city: "Paris" } } }],
      };
    }
    h.server.enqueue({ body }, { body });
    const events = await collect(h.provider(id).stream!(SPECS[id], weather, ctx()));
    const end = (events.at(-1) as Extract<StreamEvent, { type: "end" }>).result;
    expect(end.toolCalls).toEqual([{ id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' }]);
    expect(end.finishReason).toBe("tool_calls");
    const plain = await h.provider(id).complete(SPECS[id], weather, ctx());
    expect(plain.toolCalls).toEqual(end.toolCalls);
    const sent = JSON.stringify(h.server.requests[0]!.body);
    expect(sent).toContain("get_weather");
    if (id === "anthropic") expect(sent).toContain('"input_schema"');
    if (id === "google") expect(sent).toContain('"functionDeclarations"');
  });

  it("throws a retryable error before the first piece on a 429, and a connection error when cut mid-stream", async () => {
    h.server.enqueue(errorReply(id, 429, "slow down"));
    const first = await collect(h.provider(id).stream!(SPECS[id], ask("hi"), ctx())).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(ProviderError);
    expect(first).toMatchObject({ code: "rate_limited", isRetryable: true });
    const long = "one two three four five six seven eight";
    h.server.enqueue((req) => ({
      body: replyFor(id, { text: long, usage: { prompt: 3, cached: 0, output: 8 }, model: req.model }),
      failAfterChunks: 4,
    }));
    const seen: StreamEvent[] = [];
    const cut = await (async () => {
      for await (const e of h.provider(id).stream!(SPECS[id], ask("hi"), ctx())) seen.push(e);
    })().catch((e: unknown) => e);
    expect(seen.some((e) => e.type === "text")).toBe(true);
    expect(seen.some((e) => e.type === "end")).toBe(false);
    expect(cut).toBeInstanceOf(ProviderError);
    expect(cut).toMatchObject({ code: "connection_error", isRetryable: true });
  });

  it("scrubs a key split across two pieces before any piece is passed on", async () => {
    const key = id === "openai" ? KEYS.openai : id === "anthropic" ? KEYS.anthropic : KEYS.google;
    h.server.setAnswerer({ text: () => `here is ${key} ok`, usage: () => ({ prompt: 3, cached: 0, output: 4 }) });
    const inner = h.provider(id);
    const wrapped = scrubbedProvider(inner, new SecretScrubber([key]));
    const events = await collect(wrapped.stream!(SPECS[id], ask("hi"), ctx()));
    const streamed = events
      .filter((e) => e.type === "text")
      .map((e) => (e as { text: string }).text)
      .join("");
    expect(streamed).toBe(`here is ${REDACTED_KEY} ok`);
    expect(JSON.stringify(events)).not.toContain(key);
  });
});
