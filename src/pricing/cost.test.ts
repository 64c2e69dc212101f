import { describe, expect, it } from "vitest";
import type { ModelSpec } from "../contracts/model-spec.ts";
import { usageFromAnthropic } from "../providers/anthropic/usage.ts";
import { usageFromGemini } from "../providers/google/usage.ts";
import { usageFromOpenAI } from "../providers/openai/usage.ts";
import { costOfUsage, inputTokens, outputTokens, zeroUsage } from "./cost.ts";
import { defaultPriceBook } from "./price-book.ts";

const book = defaultPriceBook();
const price = (model: string, provider: ModelSpec["provider"] = "openai") =>
  book.priceFor({ id: model, provider, model });

describe("docs/metrics.md#cost fixtures", () => {
  it("OpenAI: 1200 prompt (1024 cached) + 5 completion at gpt-4o-mini = $0.0001062", () => {
    const usage = usageFromOpenAI({
      prompt_tokens: 1200,
      completion_tokens: 5,
      prompt_tokens_details: { cached_tokens: 1024 },
    });
    expect(usage.input).toEqual({ noCache: 176, cacheRead: 1024, cacheWrite5m: 0, cacheWrite1h: 0 });
    expect(usage.output).toEqual({ text: 5, reasoning: 0 });
    const cost = costOfUsage(usage, price("gpt-4o-mini"));
    expect(cost.toFixed(7)).toBe("0.0001062");
    expect(cost).toBeCloseTo(0.0001062, 12);
    expect((cost * 1000).toFixed(4)).toBe("0.1062");
  });

  it("Anthropic: 20 input + 1024 cache read + 5 output at claude-3-5-haiku-20241022 = $0.00011792", () => {
    const usage = usageFromAnthropic({
      input_tokens: 20,
      output_tokens: 5,
      cache_read_input_tokens: 1024,
      cache_creation_input_tokens: 0,
    });
    const cost = costOfUsage(usage, price("claude-3-5-haiku-20241022", "anthropic"));
    expect(cost.toFixed(8)).toBe("0.00011792");
    expect(cost).toBeCloseTo(0.00011792, 12);
  });

  it("Gemini: 1200 prompt (1024 cached) + 5 candidates at gemini-2.0-flash = $0.0000452", () => {
    const usage = usageFromGemini({ promptTokenCount: 1200, candidatesTokenCount: 5, cachedContentTokenCount: 1024 });
    const cost = costOfUsage(usage, price("gemini-2.0-flash", "google"));
    expect(cost.toFixed(7)).toBe("0.0000452");
    expect(cost).toBeCloseTo(0.0000452, 12);
  });
});

describe("costOfUsage", () => {
  const usage = {
    input: { noCache: 1000, cacheRead: 2000, cacheWrite5m: 300, cacheWrite1h: 400 },
    output: { text: 50, reasoning: 150 },
  };

  it("prices every component, reasoning at the output price", () => {
    const p = { input: 1, cachedInput: 0.1, cacheWrite5m: 1.25, cacheWrite1h: 2, output: 5 };
    expect(costOfUsage(usage, p)).toBeCloseTo((1000 + 200 + 375 + 800 + 1000) / 1e6, 15);
  });

  it("defaults cached input and cache writes to the input price when the row lists none", () => {
    expect(costOfUsage(usage, { input: 2, output: 4 })).toBeCloseTo((3700 * 2 + 200 * 4) / 1e6, 15);
  });

  it("batch multiplies everything by batchMultiplier, 0.5 by default", () => {
    const p = { input: 1, cachedInput: 0.1, output: 5 };
    const full = costOfUsage(usage, p);
    expect(costOfUsage(usage, p, { batch: true })).toBeCloseTo(full * 0.5, 15);
    expect(costOfUsage(usage, { ...p, batchMultiplier: 0.6 }, { batch: true })).toBeCloseTo(full * 0.6, 15);
    expect(costOfUsage(usage, { ...p, batchMultiplier: 0.6 })).toBe(full);
  });

  it("costs nothing for zero usage and counts totals", () => {
    expect(costOfUsage(zeroUsage(), { input: 5, output: 15 })).toBe(0);
    expect(inputTokens(usage)).toBe(3700);
    expect(outputTokens(usage)).toBe(200);
  });
});
