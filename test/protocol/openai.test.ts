import { describe, expect, it } from "vitest";
import { openaiBody } from "../../devkit/fake-provider/wire.ts";
import { ask, ctx, KEYS, listCost, onlyBody, SPECS, useFakeProvider, withSystem } from "./harness.ts";

const h = useFakeProvider();
const spec = SPECS.openai;

describe("openai adapter over HTTP (chat completions)", () => {
  it("normalises cached usage and reproduces the docs/metrics.md fixture cost ($0.0001062)", async () => {
    h.server.enqueue({
      body: openaiBody({
        text: "Paris",
        model: "gpt-4o-mini-2024-07-18",
        usage: { prompt_tokens: 1200, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 1024 } },
      }),
    });
    const r = await h.provider("openai").complete(spec, ask("capital of France?"), ctx());
    expect(r.text).toBe("Paris");
    expect(r.usage).toEqual({
      input: { noCache: 176, cacheRead: 1024, cacheWrite5m: 0, cacheWrite1h: 0 },
      output: { text: 5, reasoning: 0 },
    });
    expect(listCost(spec, r)).toBeCloseTo(0.0001062, 12);
    expect(r.snapshot).toBe("gpt-4o-mini-2024-07-18");
    expect(r.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("counts reasoning tokens inside completion_tokens as reasoning output", async () => {
    h.server.enqueue({
      body: openaiBody({
        text: "42",
        usage: { prompt_tokens: 100, completion_tokens: 900, completion_tokens_details: { reasoning_tokens: 880 } },
      }),
    });
    const r = await h.provider("openai").complete(spec, ask("q"), ctx());
    expect(r.usage.output).toEqual({ text: 20, reasoning: 880 });
  });

  it("sends the model, messages, max_completion_tokens, sampling, JSON mode and the bearer key", async () => {
    await h
      .provider("openai")
      .complete(
        spec,
        ask("give JSON", { maxTokens: 77, temperature: 0, topP: 0.9, seed: 7, stop: ["\n\n"], responseFormat: "json" }),
        ctx(),
      );
    const body = onlyBody(h.server);
    expect(body).toMatchObject({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "give JSON" }],
      max_completion_tokens: 77,
      temperature: 0,
      top_p: 0.9,
      seed: 7,
      stop: ["\n\n"],
      response_format: { type: "json_object" },
    });
    expect(body).not.toHaveProperty("max_tokens");
    expect(body).not.toHaveProperty("logprobs");
    expect(body).not.toHaveProperty("prompt_cache_key");
    const req = h.server.requests[0]!;
    expect(req.path).toBe("/v1/chat/completions");
    expect(req.headers.authorization).toBe(`Bearer ${KEYS.openai}`);
    // routegate owns retries: the SDK reports attempt 0 and never makes another.
    expect(req.headers["x-stainless-retry-count"]).toBe("0");
  });

  it("asks for logprobs and summarises them to mean and min over the answer's tokens", async () => {
    h.server.enqueue({
      body: openaiBody({
        text: "yes",
        usage: { prompt_tokens: 9, completion_tokens: 3 },
        logprobs: [-0.1, -2.3, -0.6],
      }),
    });
    const r = await h.provider("openai").complete(spec, ask("q", { logprobs: true }), ctx());
    expect(onlyBody(h.server).logprobs).toBe(true);
    expect(r.logprobs?.mean).toBeCloseTo(-1, 12);
    expect(r.logprobs?.min).toBe(-2.3);
  });

  it("sends a prompt_cache_key shared by requests with the same stable prefix, and the caller's key when given", async () => {
    const p = h.provider("openai");
    await p.complete(spec, withSystem("You are a support agent. Policy: ...", "item one"), ctx());
    await p.complete(spec, withSystem("You are a support agent. Policy: ...", "item two"), ctx());
    await p.complete(spec, withSystem("A different system prompt", "item one"), ctx());
    await p.complete(
      spec,
      withSystem("You are a support agent. Policy: ...", "x", { cache: { prefixMessages: 1, key: "team-a" } }),
      ctx(),
    );
    const keys = h.server.requests.map((r) => (r.body as { prompt_cache_key?: string }).prompt_cache_key);
    expect(keys[0]).toMatch(/^rg-[0-9a-f]{32}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
    expect(keys[3]).toBe("team-a");
    // The prompt text never appears in the key.
    expect(keys[0]).not.toContain("support");
  });

  it("reads service_tier; a batch-tier call is priced at the batch price", async () => {
    h.server.enqueue({
      body: openaiBody({
        text: "ok",
        usage: { prompt_tokens: 1200, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 1024 } },
        serviceTier: "batch",
      }),
    });
    const r = await h.provider("openai").complete(spec, ask("q"), ctx());
    expect(r.serviceTier).toBe("batch");
    expect(listCost(spec, r)).toBeCloseTo(0.0001062 / 2, 12);
  });

  it("uses the spec's apiKeyEnv and baseUrl over the usual variables", async () => {
    const p = h.provider("openai", { env: { TEAM_KEY: "sk-team-5", OPENAI_BASE_URL: "http://127.0.0.1:9/v1" } });
    await p.complete({ ...spec, apiKeyEnv: "TEAM_KEY", baseUrl: h.server.openaiBaseUrl }, ask("q"), ctx());
    expect(h.server.requests[0]!.headers.authorization).toBe("Bearer sk-team-5");
  });
});
