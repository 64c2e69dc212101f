import { z } from "zod";
import type { EmbedRequest, ProviderEmbedResult } from "../../core/types.ts";
import { parseBody } from "../hosted/body.ts";

// Gemini embeddings (the SDK's embedContent, which the Gemini API serves as batchEmbedContents).
// The reply carries no token counts, so usage is estimated from the text (about 4 characters a
// token, without the tokenizer: production loads this file too) and flagged as such. The budget's
// worst case for an embedding allows for this estimate (collect/worst-case.ts). Loaded only when a
// router embeds.

/** Input tokens of an embedding, estimated at 4 characters a token. */
export function estimatedEmbedTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function geminiEmbedConfig(request: EmbedRequest): { outputDimensionality?: number } {
  return request.dimensions !== undefined ? { outputDimensionality: request.dimensions } : {};
}

export const GeminiEmbeddingResponse = z.looseObject({
  embeddings: z.array(z.looseObject({ values: z.array(z.number()) })).min(1, "expected one embedding"),
});

/** An embedContent reply -> ProviderEmbedResult (latency is filled in by the caller). */
export function readGeminiEmbedding(body: unknown, request: EmbedRequest): Omit<ProviderEmbedResult, "latencyMs"> {
  const reply = parseBody("google", GeminiEmbeddingResponse, body);
  return {
    text: "",
    vector: Float32Array.from(reply.embeddings[0]!.values),
    usage: {
      input: { noCache: estimatedEmbedTokens(request.input), cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 },
      output: { text: 0, reasoning: 0 },
    },
    usageEstimated: true,
  };
}
