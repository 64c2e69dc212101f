import { fnv1a } from "../../src/routing/learn/hashing.ts";
import type { Reply } from "./wire.ts";

// Embedding endpoints of the fake server: OpenAI's POST /v1/embeddings (float or base64, as the SDK
// asks) and the Gemini API's models/{m}:embedContent and :batchEmbedContents. Vectors are a
// deterministic function of the text (fakeEmbedding), so tests can compute what a call returns.

/** Default vector length when the request names none. */
export const FAKE_EMBEDDING_DIMENSIONS = 8;

/** The fake's vector for a text: a unit vector hashed from it, rounded to float32. */
export function fakeEmbedding(text: string, dimensions = FAKE_EMBEDDING_DIMENSIONS): Float32Array {
  const raw = Array.from({ length: dimensions }, (_, d) => (fnv1a(`${text}\u0000${d}`) % 2001) / 1000 - 1);
  const norm = Math.sqrt(raw.reduce((s, v) => s + v * v, 0)) || 1;
  return Float32Array.from(raw, (v) => v / norm);
}

/** The fake's token count for an embedding input: whitespace words. */
export function fakeEmbeddingTokens(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

export type EmbeddingRoute = { provider: "openai"; model: string | undefined } | { provider: "google"; model: string };

/** Which embedding endpoint a path is, if any. */
export function embeddingRoute(pathname: string, body: unknown): EmbeddingRoute | undefined {
  if (pathname === "/v1/embeddings") {
    const model = isRecord(body) && typeof body.model === "string" ? body.model : undefined;
    return { provider: "openai", model };
  }
  const gemini = /^\/v1beta\/models\/([^/:]+):(?:embedContent|batchEmbedContents)$/.exec(pathname);
  if (gemini) return { provider: "google", model: decodeURIComponent(gemini[1]!) };
  return undefined;
}

/** The default reply of an embedding endpoint. */
export function embeddingReply(route: EmbeddingRoute, pathname: string, body: unknown): Reply {
  if (route.provider === "openai") {
    const inputs = isRecord(body) ? body.input : undefined;
    const texts = Array.isArray(inputs) ? inputs.map(String) : [String(inputs ?? "")];
    const dims = isRecord(body) && typeof body.dimensions === "number" ? body.dimensions : undefined;
    const base64 = isRecord(body) && body.encoding_format === "base64";
    return {
      body: {
        object: "list",
        model: route.model ?? "text-embedding-3-small",
        data: texts.map((t, index) => {
          const v = fakeEmbedding(t, dims);
          return { object: "embedding", index, embedding: base64 ? Buffer.from(v.buffer).toString("base64") : [...v] };
        }),
        usage: {
          prompt_tokens: texts.reduce((s, t) => s + fakeEmbeddingTokens(t), 0),
          total_tokens: texts.reduce((s, t) => s + fakeEmbeddingTokens(t), 0),
        },
      },
    };
  }
  // batchEmbedContents: {requests: [{content: {parts: [{text}]}, outputDimensionality?}]}; embedContent: one request.
  const requests = isRecord(body) && Array.isArray(body.requests) ? body.requests : [body];
  const embeddings = requests.map((r) => {
    const content = isRecord(r) && isRecord(r.content) ? r.content : undefined;
    const parts = content && Array.isArray(content.parts) ? content.parts : [];
    const text = parts.map((p) => (isRecord(p) && typeof p.text === "string" ? p.text : "")).join("");
    const dims = isRecord(r) && typeof r.outputDimensionality === "number" ? r.outputDimensionality : undefined;
    return { values: [...fakeEmbedding(text, dims)] };
  });
  return { body: pathname.endsWith(":embedContent") ? { embedding: embeddings[0] } : { embeddings } };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
