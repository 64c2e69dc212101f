import { describe, expect, it } from "vitest";
import { usageFromAnthropic } from "./anthropic/usage.ts";
import { usageFromGemini } from "./google/usage.ts";
import { usageFromRecorded } from "./offline/recorded-usage.ts";
import { usageFromOpenAI } from "./openai/usage.ts";
import { ProviderError } from "./provider-error.ts";

describe("usageFromOpenAI", () => {
  it("splits cached prompt tokens and reasoning out of the totals that include them", () => {
    expect(
      usageFromOpenAI({
        prompt_tokens: 2000,
        completion_tokens: 900,
        prompt_tokens_details: { cached_tokens: 1536, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 700 },
        total_tokens: 2900,
      }),
    ).toEqual({
      input: { noCache: 464, cacheRead: 1536, cacheWrite5m: 0, cacheWrite1h: 0 },
      output: { text: 200, reasoning: 700 },
    });
  });

  it("accepts null or missing details and cache_write_tokens", () => {
    expect(usageFromOpenAI({ prompt_tokens: 10, completion_tokens: 1, prompt_tokens_details: null })).toEqual({
      input: { noCache: 10, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 },
      output: { text: 1, reasoning: 0 },
    });
    const u = usageFromOpenAI({
      prompt_tokens: 100,
      completion_tokens: 1,
      prompt_tokens_details: { cached_tokens: 20, cache_write_tokens: 30 },
    });
    expect(u.input).toEqual({ noCache: 50, cacheRead: 20, cacheWrite5m: 30, cacheWrite1h: 0 });
  });

  it("reads the Responses API shape", () => {
    expect(
      usageFromOpenAI({
        input_tokens: 1200,
        output_tokens: 50,
        input_tokens_details: { cached_tokens: 1024 },
        output_tokens_details: { reasoning_tokens: 30 },
      }),
    ).toEqual({
      input: { noCache: 176, cacheRead: 1024, cacheWrite5m: 0, cacheWrite1h: 0 },
      output: { text: 20, reasoning: 30 },
    });
  });

  it("rejects malformed or inconsistent usage as a bad response", () => {
    expect(() => usageFromOpenAI({ prompt_tokens: "12", completion_tokens: 1 })).toThrow(ProviderError);
    expect(() => usageFromOpenAI({ completion_tokens: 1 })).toThrow(/prompt_tokens/);
    let err: ProviderError | undefined;
    try {
      usageFromOpenAI({ prompt_tokens: 10, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 11 } });
    } catch (e) {
      err = e as ProviderError;
    }
    expect(err?.code).toBe("bad_response");
    expect(err?.billed).toBe(true);
  });
});

describe("usageFromAnthropic", () => {
  it("keeps input_tokens as noCache (it excludes cache reads and writes)", () => {
    expect(
      usageFromAnthropic({
        input_tokens: 20,
        output_tokens: 5,
        cache_read_input_tokens: 1024,
        cache_creation_input_tokens: 0,
      }),
    ).toEqual({
      input: { noCache: 20, cacheRead: 1024, cacheWrite5m: 0, cacheWrite1h: 0 },
      output: { text: 5, reasoning: 0 },
    });
  });

  it("splits cache writes into 5m and 1h by cache_creation", () => {
    const u = usageFromAnthropic({
      input_tokens: 3,
      output_tokens: 7,
      cache_read_input_tokens: null,
      cache_creation_input_tokens: 3000,
      cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 2000 },
    });
    expect(u.input).toEqual({ noCache: 3, cacheRead: 0, cacheWrite5m: 1000, cacheWrite1h: 2000 });
  });

  it("counts all writes as 5m when the split is absent", () => {
    const u = usageFromAnthropic({ input_tokens: 3, output_tokens: 7, cache_creation_input_tokens: 1500 });
    expect(u.input).toEqual({ noCache: 3, cacheRead: 0, cacheWrite5m: 1500, cacheWrite1h: 0 });
  });

  it("uses the split alone when the total is absent, and rejects a split above the total", () => {
    const u = usageFromAnthropic({
      input_tokens: 1,
      output_tokens: 1,
      cache_creation: { ephemeral_1h_input_tokens: 1200 },
    });
    expect(u.input).toEqual({ noCache: 1, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 1200 });
    expect(() =>
      usageFromAnthropic({
        input_tokens: 1,
        output_tokens: 1,
        cache_creation_input_tokens: 10,
        cache_creation: { ephemeral_1h_input_tokens: 1200 },
      }),
    ).toThrow(ProviderError);
  });
});

describe("usageFromGemini", () => {
  it("takes cached tokens out of promptTokenCount and bills thoughts as reasoning output", () => {
    expect(
      usageFromGemini({
        promptTokenCount: 1200,
        cachedContentTokenCount: 1024,
        candidatesTokenCount: 5,
        thoughtsTokenCount: 300,
        totalTokenCount: 1505,
      }),
    ).toEqual({
      input: { noCache: 176, cacheRead: 1024, cacheWrite5m: 0, cacheWrite1h: 0 },
      output: { text: 5, reasoning: 300 },
    });
  });

  it("treats missing counts as zero (an empty reply)", () => {
    expect(usageFromGemini({ promptTokenCount: 9 })).toEqual({
      input: { noCache: 9, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 },
      output: { text: 0, reasoning: 0 },
    });
    expect(() => usageFromGemini({ promptTokenCount: 9, cachedContentTokenCount: 10 })).toThrow(ProviderError);
    expect(() => usageFromGemini(null)).toThrow(ProviderError);
  });
});

describe("usageFromRecorded", () => {
  it("reads totals that include cached and reasoning tokens", () => {
    expect(
      usageFromRecorded({
        inputTokens: 1500,
        cachedInputTokens: 1024,
        cacheWriteTokens: 100,
        outputTokens: 400,
        reasoningTokens: 300,
      }),
    ).toEqual({
      input: { noCache: 376, cacheRead: 1024, cacheWrite5m: 100, cacheWrite1h: 0 },
      output: { text: 100, reasoning: 300 },
    });
    expect(usageFromRecorded({ inputTokens: 12, outputTokens: 3 })).toEqual({
      input: { noCache: 12, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 },
      output: { text: 3, reasoning: 0 },
    });
  });

  it("rejects parts larger than their totals", () => {
    expect(() => usageFromRecorded({ inputTokens: 10, cachedInputTokens: 11, outputTokens: 1 })).toThrow(
      /exceed inputTokens/,
    );
    expect(() => usageFromRecorded({ inputTokens: 10, outputTokens: 1, reasoningTokens: 2 })).toThrow(
      /exceed outputTokens/,
    );
  });
});
