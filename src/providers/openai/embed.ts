import type { EmbeddingCreateParams } from "openai/resources/embeddings";
import { z } from "zod";
import type { ModelSpec } from "../../contracts/model-spec.ts";
import type { EmbedRequest, ProviderEmbedResult } from "../../core/types.ts";
import { parseBody } from "../hosted/body.ts";

// The Embeddings API wire format (POST /v1/embeddings), for OpenAI and compatible servers. Pure:
// the body routegate sends and the reading of the reply. Loaded only when a router embeds.

export function openaiEmbedBody(spec: ModelSpec, request: EmbedRequest): EmbeddingCreateParams {
  return {
    model: spec.model,
    input: request.input,
    ...(request.dimensions !== undefined ? { dimensions: request.dimensions } : {}),
  };
}

// The SDK asks for base64 and decodes it to numbers; a server answering floats is read the same.
const Vector = z.union([z.array(z.number()), z.instanceof(Float32Array)]);

export const OpenAIEmbeddingResponse = z.looseObject({
  model: z.string().nullish(),
  data: z.array(z.looseObject({ embedding: Vector })).min(1, "expected one embedding"),
  usage: z.looseObject({ prompt_tokens: z.number().int().nonnegative() }).nullish(),
});

/** An Embeddings reply -> ProviderEmbedResult (latency is filled in by the caller). */
export function readOpenAIEmbedding(provider: string, body: unknown): Omit<ProviderEmbedResult, "latencyMs"> {
  const reply = parseBody(provider, OpenAIEmbeddingResponse, body);
  const embedding = reply.data[0]!.embedding;
  const result: Omit<ProviderEmbedResult, "latencyMs"> = {
    text: "",
    vector: Float32Array.from(embedding),
    usage: {
      input: { noCache: reply.usage?.prompt_tokens ?? 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 },
      output: { text: 0, reasoning: 0 },
    },
  };
  if (reply.model) result.snapshot = reply.model;
  return result;
}
