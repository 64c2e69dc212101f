import { describe, expect, it } from "vitest";
import { anthropicBody } from "../../devkit/fake-provider/wire.ts";
import type { ChatRequest } from "../../src/core/types.ts";
import { ask, ctx, KEYS, listCost, onlyBody, SPECS, useFakeProvider, withSystem } from "./harness.ts";

const h = useFakeProvider();
const spec = SPECS.anthropic;

describe("anthropic adapter over HTTP (messages)", () => {
  it("keeps input_tokens apart from cache reads and reproduces the docs/metrics.md fixture cost ($0.00011792)", async () => {
    h.server.enqueue({
      body: anthropicBody({
        text: "Paris",
        usage: { input_tokens: 20, output_tokens: 5, cache_read_input_tokens: 1024, cache_creation_input_tokens: 0 },
      }),
    });
    const r = await h.provider("anthropic").complete(spec, ask("capital of France?"), ctx());
    expect(r.text).toBe("Paris");
    expect(r.usage).toEqual({
      input: { noCache: 20, cacheRead: 1024, cacheWrite5m: 0, cacheWrite1h: 0 },
      output: { text: 5, reasoning: 0 },
    });
    expect(listCost(spec, r)).toBeCloseTo(0.00011792, 12);
    expect(r.snapshot).toBe("claude-3-5-haiku-20241022");
  });

  it("prices 5m and 1h cache writes at their own rates", async () => {
    h.server.enqueue({
      body: anthropicBody({
        text: "ok",
        usage: {
          input_tokens: 10,
          output_tokens: 2,
          cache_read_input_tokens: null,
          cache_creation_input_tokens: 3000,
          cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 2000 },
        },
      }),
    });
    const r = await h.provider("anthropic").complete(spec, ask("q"), ctx());
    expect(r.usage.input).toEqual({ noCache: 10, cacheRead: 0, cacheWrite5m: 1000, cacheWrite1h: 2000 });
    // 10 x 0.80 + 1000 x 1.00 + 2000 x 1.60 + 2 x 4.00 per 1M.
    expect(listCost(spec, r)).toBeCloseTo((8 + 1000 + 3200 + 8) / 1e6, 12);
  });

  it("puts the system prompt in `system` with a cache_control breakpoint (TTL passed through)", async () => {
    await h
      .provider("anthropic")
      .complete(
        spec,
        withSystem("Long stable policy text", "the item", { cache: { prefixMessages: 1, ttl: "1h" } }),
        ctx(),
      );
    const body = onlyBody(h.server);
    expect(body.system).toEqual([
      { type: "text", text: "Long stable policy text", cache_control: { type: "ephemeral", ttl: "1h" } },
    ]);
    expect(body.messages).toEqual([{ role: "user", content: "the item" }]);
    expect(body.max_tokens).toBe(64);
  });

  it("puts the breakpoint on the last prefix message when few-shot turns are part of the prefix", async () => {
    const request: ChatRequest = {
      messages: [
        { role: "system", content: "Classify tickets." },
        { role: "user", content: "example ticket" },
        { role: "assistant", content: "billing" },
        { role: "user", content: "the item" },
      ],
      maxTokens: 8,
      cache: { prefixMessages: 3 },
    };
    await h.provider("anthropic").complete(spec, request, ctx());
    const body = onlyBody(h.server);
    expect(body.system).toEqual([{ type: "text", text: "Classify tickets." }]);
    expect(body.messages).toEqual([
      { role: "user", content: "example ticket" },
      { role: "assistant", content: [{ type: "text", text: "billing", cache_control: { type: "ephemeral" } }] },
      { role: "user", content: "the item" },
    ]);
    expect(JSON.stringify(body).match(/cache_control/g)).toHaveLength(1);
  });

  it("sends no breakpoint without a cache hint, no logprobs or JSON-mode fields, and the key and version headers", async () => {
    await h
      .provider("anthropic")
      .complete(spec, ask("q", { logprobs: true, responseFormat: "json", temperature: 0.2, stop: ["END"] }), ctx());
    const body = onlyBody(h.server);
    expect(JSON.stringify(body)).not.toContain("cache_control");
    expect(body).not.toHaveProperty("logprobs");
    expect(body).not.toHaveProperty("response_format");
    expect(body).toMatchObject({ temperature: 0.2, stop_sequences: ["END"] });
    const req = h.server.requests[0]!;
    expect(req.path).toBe("/v1/messages");
    expect(`${req.headers["x-api-key"] ?? ""}${req.headers.authorization ?? ""}`).toContain(KEYS.anthropic);
    expect(req.headers["anthropic-version"]).toBeTruthy();
    expect(req.headers["x-stainless-retry-count"]).toBe("0");
  });

  it("returns no logprobs (Anthropic offers none) and reads service_tier from usage", async () => {
    h.server.enqueue({
      body: anthropicBody({ text: "ok", usage: { input_tokens: 20, output_tokens: 5 }, serviceTier: "batch" }),
    });
    const r = await h.provider("anthropic").complete(spec, ask("q", { logprobs: true }), ctx());
    expect(r.logprobs).toBeUndefined();
    expect(r.serviceTier).toBe("batch");
    expect(listCost(spec, r)).toBeCloseTo((20 * 0.8 + 5 * 4) / 2 / 1e6, 12);
  });

  it("joins the text blocks of the reply and skips the others", async () => {
    h.server.enqueue({
      body: {
        ...anthropicBody({ text: "", usage: { input_tokens: 1, output_tokens: 1 } }),
        content: [
          { type: "thinking", thinking: "hmm", signature: "s" },
          { type: "text", text: "Hello, " },
          { type: "text", text: "world" },
        ],
      },
    });
    const r = await h.provider("anthropic").complete(spec, ask("q"), ctx());
    expect(r.text).toBe("Hello, world");
  });
});
