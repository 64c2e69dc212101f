import { describe, expect, it } from "vitest";
import { geminiBody } from "../../devkit/fake-provider/wire.ts";
import { ask, ctx, KEYS, listCost, onlyBody, SPECS, useFakeProvider, withSystem } from "./harness.ts";

const h = useFakeProvider();
const spec = SPECS.google;

describe("google adapter over HTTP (generateContent)", () => {
  it("takes cached tokens out of promptTokenCount and reproduces the docs/metrics.md fixture cost ($0.0000452)", async () => {
    h.server.enqueue({
      body: geminiBody({
        text: "Paris",
        model: "gemini-2.0-flash-001",
        usage: { promptTokenCount: 1200, candidatesTokenCount: 5, cachedContentTokenCount: 1024 },
      }),
    });
    const r = await h.provider("google").complete(spec, ask("capital of France?"), ctx());
    expect(r.text).toBe("Paris");
    expect(r.usage).toEqual({
      input: { noCache: 176, cacheRead: 1024, cacheWrite5m: 0, cacheWrite1h: 0 },
      output: { text: 5, reasoning: 0 },
    });
    expect(listCost(spec, r)).toBeCloseTo(0.0000452, 12);
    expect(r.snapshot).toBe("gemini-2.0-flash-001");
  });

  it("bills thoughtsTokenCount as reasoning output, outside the candidates count", async () => {
    h.server.enqueue({
      body: geminiBody({
        text: "42",
        usage: {
          promptTokenCount: 1200,
          candidatesTokenCount: 5,
          cachedContentTokenCount: 1024,
          thoughtsTokenCount: 300,
        },
      }),
    });
    const r = await h.provider("google").complete(spec, ask("q"), ctx());
    expect(r.usage.output).toEqual({ text: 5, reasoning: 300 });
    expect(listCost(spec, r)).toBeCloseTo(0.0000452 + (300 * 0.4) / 1e6, 12);
  });

  it("leaves thought parts out of the answer text", async () => {
    h.server.enqueue({
      body: {
        ...geminiBody({ text: "", usage: { promptTokenCount: 3, candidatesTokenCount: 1 } }),
        candidates: [{ content: { role: "model", parts: [{ text: "thinking...", thought: true }, { text: "B" }] } }],
      },
    });
    const r = await h.provider("google").complete(spec, ask("q"), ctx());
    expect(r.text).toBe("B");
  });

  it("sends system instruction, maxOutputTokens, JSON mode and logprobs flags; nothing for caching; the key header", async () => {
    h.server.enqueue({
      body: geminiBody({ text: "{}", usage: { promptTokenCount: 9, candidatesTokenCount: 2 }, logprobs: [-0.5, -1.5] }),
    });
    const r = await h.provider("google").complete(
      spec,
      withSystem("stable system", "the item", {
        maxTokens: 33,
        responseFormat: "json",
        logprobs: true,
        temperature: 0,
        seed: 3,
      }),
      ctx(),
    );
    const req = h.server.requests[0]!;
    expect(req.path).toBe("/v1beta/models/gemini-2.0-flash:generateContent");
    expect(req.headers["x-goog-api-key"]).toBe(KEYS.google);
    const body = onlyBody(h.server);
    expect(body.systemInstruction).toMatchObject({ parts: [{ text: "stable system" }] });
    expect(body.contents).toEqual([{ role: "user", parts: [{ text: "the item" }] }]);
    expect(body.generationConfig).toEqual({
      maxOutputTokens: 33,
      temperature: 0,
      seed: 3,
      responseMimeType: "application/json",
      responseLogprobs: true,
    });
    expect(JSON.stringify(body)).not.toMatch(/cache/i);
    expect(r.logprobs).toEqual({ mean: -1, min: -1.5 });
  });

  it("falls back to avgLogprobs when the reply has no per-token logprobs", async () => {
    h.server.enqueue({
      body: geminiBody({ text: "x", usage: { promptTokenCount: 9, candidatesTokenCount: 1 }, avgLogprobs: -0.25 }),
    });
    const r = await h.provider("google").complete(spec, ask("q", { logprobs: true }), ctx());
    expect(r.logprobs).toEqual({ mean: -0.25, min: -0.25 });
  });

  it("maps assistant turns to the model role", async () => {
    await h.provider("google").complete(
      spec,
      {
        messages: [
          { role: "user", content: "a" },
          { role: "assistant", content: "b" },
          { role: "user", content: "c" },
        ],
        maxTokens: 5,
      },
      ctx(),
    );
    expect((onlyBody(h.server).contents as { role: string }[]).map((c) => c.role)).toEqual(["user", "model", "user"]);
  });
});
