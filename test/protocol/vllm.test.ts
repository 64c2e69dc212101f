import { describe, expect, it } from "vitest";
import { openaiBody } from "../../devkit/fake-provider/wire.ts";
import type { ModelSpec } from "../../src/contracts/model-spec.ts";
import { InputError } from "../../src/core/errors.ts";
import { costOfUsage } from "../../src/pricing/cost.ts";
import { defaultPriceBook } from "../../src/pricing/price-book.ts";
import { ask, ctx, KEYS, onlyBody, useFakeProvider, withSystem } from "./harness.ts";

const h = useFakeProvider();
const spec = (): ModelSpec => ({
  id: "vllm:meta-llama/Llama-3.1-8B-Instruct",
  provider: "vllm",
  model: "meta-llama/Llama-3.1-8B-Instruct",
  baseUrl: h.server.openaiBaseUrl,
  gpuPricing: { gpuHourUsd: 2.5, gpus: 1, utilisation: 0.6, outputTokensPerSec: 4000 },
});

describe("vllm adapter over HTTP (an OpenAI-compatible server at a base URL)", () => {
  it("calls the spec's base URL with max_tokens and logprobs, and summarises the logprobs", async () => {
    h.server.enqueue({
      body: openaiBody({
        text: "4",
        model: "meta-llama/Llama-3.1-8B-Instruct",
        usage: { prompt_tokens: 30, completion_tokens: 2 },
        logprobs: [-0.05, -0.45],
      }),
    });
    const r = await h.provider("vllm").complete(spec(), ask("2+2?", { logprobs: true, maxTokens: 16 }), ctx());
    const body = onlyBody(h.server);
    expect(body).toMatchObject({ model: "meta-llama/Llama-3.1-8B-Instruct", max_tokens: 16, logprobs: true });
    expect(body).not.toHaveProperty("max_completion_tokens");
    expect(r.logprobs?.mean).toBeCloseTo(-0.25, 12);
    expect(r.logprobs?.min).toBe(-0.45);
    expect(r.usage).toEqual({
      input: { noCache: 30, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 },
      output: { text: 2, reasoning: 0 },
    });
    // GPU-hour pricing: $2.5/h over 4000 x 0.6 tok/s -> 2 output tokens cost 2.5/3600/2400 x 2.
    const quote = defaultPriceBook().priceFor(spec());
    expect(quote.source).toBe("GPU-hour: configured throughput");
    expect(costOfUsage(r.usage, quote)).toBeCloseTo((2.5 / 3600 / 2400) * 2, 15);
  });

  it("never sends the OpenAI key or a prompt_cache_key to the server; no key means the EMPTY placeholder", async () => {
    await h.provider("vllm").complete(spec(), withSystem("sys", "q"), ctx());
    const req = h.server.requests[0]!;
    expect(req.headers.authorization).toBe("Bearer EMPTY");
    expect(JSON.stringify(req.headers)).not.toContain(KEYS.openai);
    expect(req.body).not.toHaveProperty("prompt_cache_key");
  });

  it("sends VLLM_API_KEY, or the variable apiKeyEnv names", async () => {
    await h.provider("vllm", { env: { ...h.env, VLLM_API_KEY: KEYS.vllm } }).complete(spec(), ask("q"), ctx());
    await h
      .provider("vllm", { env: { MY_GPU_KEY: "gpu-key-9" } })
      .complete({ ...spec(), apiKeyEnv: "MY_GPU_KEY" }, ask("q"), ctx());
    expect(h.server.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${KEYS.vllm}`, "Bearer gpu-key-9"]);
  });

  it("hashes outcomes by model and server; validate wants a base URL, not a key", () => {
    const p = h.provider("vllm", { env: {} });
    expect(p.snapshot(spec())).toBe(`vllm:meta-llama/Llama-3.1-8B-Instruct@${h.server.openaiBaseUrl}`);
    expect(() => p.validate?.(spec(), { file: "f", where: "w" })).not.toThrow();
    const { baseUrl: _b, ...noUrl } = spec();
    expect(() => p.validate?.(noUrl, { file: "f", where: "w" })).toThrow(InputError);
    expect(() => p.validate?.(noUrl, { file: "f", where: "w" })).toThrow(/vllm:MODEL@http/);
    expect(() => p.validate?.({ ...spec(), apiKeyEnv: "MISSING_KEY" }, { file: "f", where: "w" })).toThrow(
      /MISSING_KEY/,
    );
  });
});
