import { createHash } from "node:crypto";
import stringify from "safe-stable-stringify";
import type { ModelSpec } from "../../contracts/model-spec.ts";
import type { ChatRequest } from "../../core/types.ts";

/**
 * OpenAI's `prompt_cache_key`: requests with the same key are routed to the same cache shard, so a
 * shared prefix is found. The caller's `cache.key` wins; otherwise a hash of the model id and the
 * stable prefix messages, so every item of an eval that shares a system prompt shares a key and two
 * different prefixes never collide. The id and the prefix are hashed together (not concatenated)
 * to keep the key short and free of prompt text.
 */
export function promptCacheKey(spec: ModelSpec, request: ChatRequest): string | undefined {
  const hint = request.cache;
  if (!hint) return undefined;
  if (hint.key) return hint.key;
  if (hint.prefixMessages <= 0) return undefined;
  const prefix = request.messages.slice(0, hint.prefixMessages);
  const digest = createHash("sha256")
    .update(stringify({ model: spec.id, prefix }) ?? "")
    .digest("hex");
  return `rg-${digest.slice(0, 32)}`;
}
