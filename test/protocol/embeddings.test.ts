import { describe, expect, it } from "vitest";
import { fakeEmbedding, fakeEmbeddingTokens } from "../../devkit/fake-provider/server.ts";
import { errorReply } from "../../devkit/fake-provider/wire.ts";
import type { ModelSpec } from "../../src/contracts/model-spec.ts";
import { ctx, failure, KEYS, listCost, useFakeProvider } from "./harness.ts";

// ctx.embed's providers: the official SDKs over HTTP against the fake server's embedding endpoints.

const h = useFakeProvider();
const openaiSpec: ModelSpec = {
  id: "openai:text-embedding-3-small",
  provider: "openai",
  model: "text-embedding-3-small",
};
const googleSpec: ModelSpec = { id: "google:gemini-embedding-001", provider: "google", model: "gemini-embedding-001" };
const text = "my parcel arrived damaged and late";
const embedCtx = () => ctx({ identity: { itemId: "i1", role: "embed", sample: 0, parents: [] } });

describe("embeddings over HTTP", () => {
  it("openai: POST /v1/embeddings through the SDK (base64 on the wire), vector, usage and price", async () => {
    const r = await h.provider("openai").embed!(openaiSpec, { input: text, dimensions: 16 }, embedCtx());
    expect(Array.from(r.vector)).toEqual(Array.from(fakeEmbedding(text, 16)));
    expect(r.usage.input.noCache).toBe(fakeEmbeddingTokens(text));
    expect(r.usage.output).toEqual({ text: 0, reasoning: 0 });
    // text-embedding-3-small at $0.02 per 1M input tokens (price-table row, source and date).
    expect(listCost(openaiSpec, r)).toBeCloseTo((fakeEmbeddingTokens(text) * 0.02) / 1e6, 15);
    const req = h.server.requests[0]!;
    expect(req.path).toBe("/v1/embeddings");
    expect(req.kind).toBe("embedding");
    expect(req.body).toMatchObject({
      model: "text-embedding-3-small",
      input: text,
      dimensions: 16,
      encoding_format: "base64",
    });
    expect(req.headers.authorization).toBe(`Bearer ${KEYS.openai}`);
  });

  it("google: embedContent through the SDK (the Gemini API's batchEmbedContents); usage estimated", async () => {
    const r = await h.provider("google").embed!(googleSpec, { input: text, dimensions: 12 }, embedCtx());
    expect(Array.from(r.vector)).toEqual(Array.from(fakeEmbedding(text, 12)));
    expect(r.usageEstimated).toBe(true);
    expect(r.usage.input.noCache).toBeGreaterThan(0);
    const req = h.server.requests[0]!;
    expect(req.path).toMatch(/\/v1beta\/models\/gemini-embedding-001:batchEmbedContents$/);
    expect(req.body).toMatchObject({
      requests: [{ model: "models/gemini-embedding-001", content: { parts: [{ text }] }, outputDimensionality: 12 }],
    });
    expect(req.headers["x-goog-api-key"]).toBe(KEYS.google);
  });

  it("a 429 is a retryable ProviderError, a 400 is not", async () => {
    h.server.enqueue(errorReply("openai", 429, "slow down", { "retry-after": "2" }));
    const limited = await failure(h.provider("openai").embed!(openaiSpec, { input: text }, embedCtx()));
    expect(limited.isRetryable).toBe(true);
    expect(limited.retryAfterMs).toBe(2000);
    h.server.enqueue(errorReply("google", 400, "bad input"));
    const bad = await failure(h.provider("google").embed!(googleSpec, { input: text }, embedCtx()));
    expect(bad.isRetryable).toBe(false);
  });
});
