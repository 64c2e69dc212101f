import { describe, expect, it } from "vitest";
import type { ModelSpec } from "../contracts/model-spec.ts";
import { InputError } from "../core/errors.ts";
import { costOfUsage } from "./cost.ts";
import { gpuTokenPricing } from "./gpu-pricing.ts";
import { defaultPriceBook } from "./price-book.ts";

// Llama 3.1 70B on 2 x H100 at $3/GPU-hour, 1,700 output tok/s (notes/pricing.md), 50% busy.
const gpu = { gpuHourUsd: 3, gpus: 2, utilisation: 0.5, outputTokensPerSec: 1700 };

describe("gpuTokenPricing", () => {
  it("spreads the GPU-hours over the tokens actually produced", () => {
    const q = gpuTokenPricing(gpu);
    // $6/h = $0.0016667/s; 1700 tok/s x 0.5 = 850 tok/s -> $1.96078 per 1M output tokens.
    expect(q.output).toBeCloseTo((6 / 3600 / 850) * 1e6, 10);
    expect(q.output).toBeCloseTo(1.960784, 5);
    expect(q.input).toBe(0);
    expect(q.cachedInput).toBe(0);
    expect(q.batchMultiplier).toBe(1);
    expect(q.source).toBe("GPU-hour: configured throughput");
    expect(q.note).toMatch(/2 x \$3\/GPU-hour at 1700 output tok\/s/);
  });

  it("halving utilisation doubles the price; a measured throughput wins over the configured one", () => {
    expect(gpuTokenPricing({ ...gpu, utilisation: 0.25 }).output).toBeCloseTo(2 * gpuTokenPricing(gpu).output, 10);
    const measured = gpuTokenPricing(gpu, 3400);
    expect(measured.output).toBeCloseTo(gpuTokenPricing(gpu).output / 2, 10);
    expect(measured.source).toBe("GPU-hour: measured throughput");
  });

  it("prices input apart when a prefill rate is given (cache hits free, writes as input)", () => {
    const q = gpuTokenPricing({ ...gpu, inputTokensPerSec: 17000 });
    expect(q.input).toBeCloseTo(q.output / 10, 10);
    expect(q.cacheWrite5m).toBe(q.input);
    expect(q.cachedInput).toBe(0);
  });

  it("needs a throughput from somewhere", () => {
    const { outputTokensPerSec: _t, ...noThroughput } = gpu;
    expect(() => gpuTokenPricing(noThroughput)).toThrow(RangeError);
    expect(gpuTokenPricing(noThroughput, 850).output).toBeCloseTo(gpuTokenPricing(gpu).output * 2, 10);
  });
});

describe("PriceBook.priceFor with gpuPricing", () => {
  const book = defaultPriceBook();
  const spec: ModelSpec = {
    id: "vllm:llama-3.1-70b",
    provider: "vllm",
    model: "meta-llama/Llama-3.1-70B-Instruct",
    baseUrl: "http://gpu-box:8000/v1",
    gpuPricing: gpu,
  };

  it("quotes the configured throughput and costs usage like any price", () => {
    const q = book.priceFor(spec);
    expect(q.source).toBe("GPU-hour: configured throughput");
    const usage = {
      input: { noCache: 500, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 },
      output: { text: 850, reasoning: 0 },
    };
    // 850 output tokens = one paid second of the deployment ($6/h) at 50% utilisation; input is free.
    expect(costOfUsage(usage, q)).toBeCloseTo(0.0016666667, 10);
  });

  it("takes the run's measured throughput when the engine passes it", () => {
    expect(book.priceFor(spec, {}, { measuredOutputTokensPerSec: 3400 }).source).toBe("GPU-hour: measured throughput");
  });

  it("refuses pricing and gpuPricing together, and gpuPricing without a throughput, naming the field", () => {
    expect(() => book.priceFor({ ...spec, pricing: { input: 1, output: 1 } })).toThrow(/both pricing and gpuPricing/);
    const { outputTokensPerSec: _t, ...noThroughput } = gpu;
    let err: unknown;
    try {
      book.priceFor({ ...spec, gpuPricing: noThroughput }, { file: "evals/x.eval.ts", where: "models[1]" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).where).toBe("models[1]");
    expect((err as InputError).fix).toMatch(/outputTokensPerSec/);
  });
});
