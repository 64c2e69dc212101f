import type { ModelSpec } from "../../contracts/model-spec.ts";
import { InputError } from "../../core/errors.ts";
import type { EmbedRequest, ProviderEmbedResult, ProviderResult } from "../../core/types.ts";
import { fnv1a } from "../../routing/learn/hashing.ts";
import type { Provider } from "../provider.ts";
import { ProviderError, ProviderErrorCode } from "../provider-error.ts";

// `local:hashed-tfidf`: the keyless, offline embedder. A text becomes hashed term frequencies of its
// words, word pairs and character 4-grams (sublinear: 1 + ln tf; each term's sign from a second
// hash bit so collisions cancel on average), L2-normalised. No network, no key, no bill, the same
// vector on every machine. The inverse-document-frequency half of TF-IDF is fitted by the router
// that compares vectors (a kNN router weighs each dimension by how rarely calibration items use it),
// since it depends on the items, not on one text.

export const LOCAL_EMBEDDER_MODELS = ["hashed-tfidf"] as const;
/** Dimensions when the request names none: a power of two. */
export const LOCAL_DEFAULT_DIMENSIONS = 1024;

/** The terms of a text: lowercase words (numbers by their digit count), word pairs, character 4-grams. */
export function localTerms(text: string): Map<string, number> {
  const words = (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).map((w) =>
    /^\d+$/.test(w) ? `<n${Math.min(w.length, 6)}>` : w,
  );
  const counts = new Map<string, number>();
  const add = (term: string) => counts.set(term, (counts.get(term) ?? 0) + 1);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    add(`w:${w}`);
    if (i > 0) add(`b:${words[i - 1]} ${w}`);
    const padded = ` ${w} `;
    for (let j = 0; j + 4 <= padded.length; j++) add(`c:${padded.slice(j, j + 4)}`);
  }
  return counts;
}

/** The hashed, sublinear, L2-normalised term-frequency vector of a text. */
export function hashedTermVector(text: string, dimensions = LOCAL_DEFAULT_DIMENSIONS): Float32Array {
  const vector = new Float64Array(dimensions);
  for (const [term, tf] of localTerms(text)) {
    const h = fnv1a(term);
    vector[h % dimensions]! += (h & 0x80000000 ? -1 : 1) * (1 + Math.log(tf));
  }
  let norm = 0;
  for (const v of vector) norm += v * v;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  return Float32Array.from(vector, (v) => v * scale);
}

export function createLocalEmbedder(): Provider {
  return {
    specificationVersion: "v1",
    id: "local",
    offline: true,
    embedOnly: true,
    snapshot: (spec: ModelSpec) => `local:${spec.model}`,
    validate(spec, site) {
      if (!(LOCAL_EMBEDDER_MODELS as readonly string[]).includes(spec.model))
        throw new InputError(
          site.file,
          site.where,
          `unknown local embedder "${spec.model}"`,
          `use local:${LOCAL_EMBEDDER_MODELS.join(" or local:")}`,
        );
    },
    async complete(spec): Promise<ProviderResult> {
      throw new ProviderError(
        `${spec.id} is an embedding model: it cannot answer requests (use it as a router's embedder)`,
        ProviderErrorCode.BadRequest,
        false,
      );
    },
    async embed(spec, request: EmbedRequest): Promise<ProviderEmbedResult> {
      if (!(LOCAL_EMBEDDER_MODELS as readonly string[]).includes(spec.model))
        throw new ProviderError(`unknown local embedder "${spec.model}"`, ProviderErrorCode.BadRequest, false);
      const dimensions = request.dimensions ?? LOCAL_DEFAULT_DIMENSIONS;
      if (!Number.isInteger(dimensions) || dimensions < 1)
        throw new ProviderError(`dimensions must be a positive integer`, ProviderErrorCode.BadRequest, false);
      return {
        text: "",
        vector: hashedTermVector(request.input, dimensions),
        // No provider, no tokens, no bill: the usage of an in-process computation is zero.
        usage: {
          input: { noCache: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 },
          output: { text: 0, reasoning: 0 },
        },
        latencyMs: 0,
      };
    },
  };
}
