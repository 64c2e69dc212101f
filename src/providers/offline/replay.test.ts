import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ModelSpec } from "../../contracts/model-spec.ts";
import { parseModelSpec } from "../../contracts/model-spec.ts";
import { InputError } from "../../core/errors.ts";
import type { ChatRequest, ProviderCallContext } from "../../core/types.ts";
import { MissingOutcomeError, ProviderError } from "../provider-error.ts";
import { countChatTokens, countTokens } from "../tokens.ts";
import { createReplayProvider } from "./replay.ts";

const dir = mkdtempSync(join(tmpdir(), "rg-replay-"));
function file(name: string, lines: unknown[], blankAt?: number): string {
  const text = lines.map((l) => JSON.stringify(l));
  if (blankAt !== undefined) text.splice(blankAt, 0, "");
  const path = join(dir, name);
  writeFileSync(path, `${text.join("\n")}\n`);
  return path;
}

const request: ChatRequest = {
  messages: [{ role: "user", content: "What is 2 + 2? Answer with a number." }],
  maxTokens: 50,
};
const ctx = (itemId: string, sample = 0): ProviderCallContext => ({
  identity: { itemId, role: "answer", sample, parents: [] },
});

const outcomes = file("outcomes.jsonl", [
  {
    itemId: "q1",
    model: "gpt-4o",
    output: "#### 4",
    usage: { inputTokens: 1200, cachedInputTokens: 1024, outputTokens: 5 },
    latencyMs: 812,
    logprobs: { mean: -0.1, min: -2 },
  },
  { itemId: "q1", model: "mixtral", output: "#### 5", costUsd: 0.0003 },
  { itemId: "q1", model: "mixtral", output: "#### 4", sample: 1 },
  { itemId: "q2", model: "gpt-4o", output: "", error: "rate limited after 5 retries" },
]);
const spec = (model: string, path = outcomes): ModelSpec => parseModelSpec(`replay:${model}@${path}`);

describe("replay", () => {
  const replay = createReplayProvider();

  it("answers from the record with its usage, latency and logprobs", async () => {
    const r = await replay.complete(spec("gpt-4o"), request, ctx("q1"));
    expect(r.text).toBe("#### 4");
    expect(r.usage).toEqual({
      input: { noCache: 176, cacheRead: 1024, cacheWrite5m: 0, cacheWrite1h: 0 },
      output: { text: 5, reasoning: 0 },
    });
    expect(r.usageEstimated).toBeUndefined();
    expect(r.recordedCostUsd).toBeUndefined();
    expect(r.latencyMs).toBe(812);
    expect(r.logprobs).toEqual({ mean: -0.1, min: -2 });
    expect(replay.offline).toBe(true);
  });

  it("estimates usage with the tokenizer when the record has none, and passes the recorded cost", async () => {
    const r = await replay.complete(spec("mixtral"), request, ctx("q1"));
    expect(r.text).toBe("#### 5");
    expect(r.usageEstimated).toBe(true);
    expect(r.usage.input.noCache).toBe(countChatTokens(request.messages));
    expect(r.usage.output.text).toBe(countTokens("#### 5"));
    expect(r.recordedCostUsd).toBe(0.0003);
    expect(r.latencyMs).toBe(0);
  });

  it("looks samples up separately", async () => {
    expect((await replay.complete(spec("mixtral"), request, ctx("q1", 1))).text).toBe("#### 4");
    const s1 = await replay.complete(spec("mixtral"), request, ctx("q1", 1));
    expect(s1.recordedCostUsd).toBeUndefined();
  });

  it("a missing record is a MissingOutcomeError (model, item, sample or whole model)", async () => {
    await expect(replay.complete(spec("gpt-4o"), request, ctx("q9"))).rejects.toBeInstanceOf(MissingOutcomeError);
    await expect(replay.complete(spec("gpt-4o"), request, ctx("q1", 3))).rejects.toBeInstanceOf(MissingOutcomeError);
    const err = await replay.complete(spec("claude"), request, ctx("q1")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingOutcomeError);
    expect((err as MissingOutcomeError).modelId).toBe("replay:claude");
    expect((err as MissingOutcomeError).itemId).toBe("q1");
  });

  it("a recorded error is a non-retryable ProviderError", async () => {
    const err = await replay.complete(spec("gpt-4o"), request, ctx("q2")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).not.toBeInstanceOf(MissingOutcomeError);
    expect((err as ProviderError).code).toBe("recorded_error");
    expect((err as ProviderError).isRetryable).toBe(false);
    expect((err as ProviderError).message).toContain("rate limited after 5 retries");
  });

  it("snapshots hash the model's records: edits change it, other models' edits do not", () => {
    const a = file("snap.jsonl", [
      { itemId: "q1", model: "m", output: "1" },
      { itemId: "q1", model: "n", output: "1" },
    ]);
    const first = createReplayProvider().snapshot(spec("m", a));
    expect(first).toMatch(/^replay:m@[0-9a-f]{12}$/);
    file("snap.jsonl", [
      { itemId: "q1", model: "m", output: "1" },
      { itemId: "q1", model: "n", output: "2" },
    ]);
    expect(createReplayProvider().snapshot(spec("m", a))).toBe(first);
    file("snap.jsonl", [
      { itemId: "q1", model: "m", output: "one" },
      { itemId: "q1", model: "n", output: "2" },
    ]);
    expect(createReplayProvider().snapshot(spec("m", a))).not.toBe(first);
  });

  it("loads each file once", async () => {
    const path = file("once.jsonl", [{ itemId: "q1", model: "m", output: "before" }]);
    const r = createReplayProvider();
    expect((await r.complete(spec("m", path), request, ctx("q1"))).text).toBe("before");
    file("once.jsonl", [{ itemId: "q1", model: "m", output: "after" }]);
    expect((await r.complete(spec("m", path), request, ctx("q1"))).text).toBe("before");
    r.clearCache();
    expect((await r.complete(spec("m", path), request, ctx("q1"))).text).toBe("after");
  });

  it("rejects a duplicate (model, item, sample) naming both lines", () => {
    const path = file(
      "dup.jsonl",
      [
        { itemId: "q1", model: "m", output: "a" },
        { itemId: "q2", model: "m", output: "b" },
        { itemId: "q1", model: "m", output: "c" },
      ],
      1,
    );
    let err: unknown;
    try {
      createReplayProvider().snapshot(spec("m", path));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).where).toBe("line 4");
    expect((err as InputError).problem).toContain("first at line 1");
  });

  it("reports bad lines and inconsistent usage with their line numbers", () => {
    const bad = file("bad.jsonl", [
      { itemId: "q1", model: "m", output: "a" },
      { itemId: "q2", model: "m" },
    ]);
    expect(() => createReplayProvider().snapshot(spec("m", bad))).toThrow(/line 2, field output/);
    const inconsistent = file("usage.jsonl", [
      { itemId: "q1", model: "m", output: "a", usage: { inputTokens: 5, cachedInputTokens: 9, outputTokens: 1 } },
    ]);
    expect(() => createReplayProvider().snapshot(spec("m", inconsistent))).toThrow(/line 1, field usage/);
    expect(() => createReplayProvider().snapshot(spec("m", join(dir, "absent.jsonl")))).toThrow(InputError);
    expect(() => createReplayProvider().snapshot({ id: "replay:m", provider: "replay", model: "m" })).toThrow(
      /needs the recorded-outcomes file/,
    );
  });

  it("answers from preloaded in-memory records", async () => {
    const r = createReplayProvider();
    r.preload("import:gsm8k", [
      { itemId: "7", model: "gpt-4-1106-preview", output: "#### 18" },
      { itemId: "7", model: "mixtral", output: "#### 17" },
    ]);
    const s = {
      id: "replay:gpt-4-1106-preview",
      provider: "replay" as const,
      model: "gpt-4-1106-preview",
      file: "import:gsm8k",
    };
    expect((await r.complete(s, request, ctx("7"))).text).toBe("#### 18");
    expect(r.snapshot(s)).toMatch(/^replay:gpt-4-1106-preview@[0-9a-f]{12}$/);
    expect(() =>
      r.preload("import:dup", [
        { itemId: "7", model: "m", output: "a" },
        { itemId: "7", model: "m", output: "b" },
      ]),
    ).toThrow(/record 2/);
    expect(() => r.preload("import:bad", [{ itemId: "7", model: "m" }])).toThrow(/record 1, field output/);
  });
});
