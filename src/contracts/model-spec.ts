import { z } from "zod";

// Provider names routegate knows. Hosted ones arrive with their adapters; the spec accepts them now
// so eval files written today keep validating. `local` is an embedder computed in-process (hashed
// term frequencies, no network, no key): a router's embedding model, never a candidate.
export const ProviderName = z.enum(["sim", "replay", "openai", "anthropic", "google", "vllm", "local"]);
export type ProviderName = z.infer<typeof ProviderName>;

/** USD per 1M tokens. Overrides the price table for this model when given. */
export const TokenPricing = z.strictObject({
  input: z.number().nonnegative(),
  cachedInput: z.number().nonnegative().optional(),
  cacheWrite5m: z.number().nonnegative().optional(),
  cacheWrite1h: z.number().nonnegative().optional(),
  output: z.number().nonnegative(),
  /** Fraction of the price paid in batch mode (0.5 at OpenAI, Anthropic, Google). */
  batchMultiplier: z.number().positive().max(1).optional(),
});
export type TokenPricing = z.infer<typeof TokenPricing>;

/**
 * Self-hosted pricing (vLLM on rented GPUs): the GPUs cost by the hour whether busy or not, so a
 * token's price is the GPU-hours divided by the tokens actually produced. Converted to per-1M
 * token prices by `gpuTokenPricing` (src/pricing/gpu-pricing.ts).
 */
export const GpuPricing = z.strictObject({
  /** USD per GPU-hour (on demand, reserved or spot: what you pay). */
  gpuHourUsd: z.number().positive(),
  /** GPUs serving this model (tensor/pipeline parallel replicas count). */
  gpus: z.number().int().positive(),
  /** Share of paid GPU time spent serving, in (0, 1]: idle GPUs are what make self-hosting dear. */
  utilisation: z.number().gt(0).max(1),
  /** Aggregate output tokens per second of the deployment at full load (a benchmark's figure). */
  outputTokensPerSec: z.number().positive().optional(),
  /**
   * Aggregate prompt (prefill) tokens per second, when input should be priced apart. Absent: input
   * tokens cost nothing extra, their prefill time being inside the measured output throughput.
   */
  inputTokensPerSec: z.number().positive().optional(),
});
export type GpuPricing = z.infer<typeof GpuPricing>;

export const ModelSpec = z.strictObject({
  /** Id used in routers, reports and exported configs, e.g. "sim:cheap" or "gpt-4o-mini". */
  id: z.string().min(1),
  provider: ProviderName,
  /** Remote model name (the provider's), e.g. "gpt-4o-mini-2024-07-18"; for replay, the model key in the file. */
  model: z.string().min(1),
  /** Endpoint for vllm/openai-compatible servers. Never a secret. */
  baseUrl: z.string().url().optional(),
  /** Recorded-outcomes JSONL for replay models. */
  file: z.string().optional(),
  /** Name of the environment variable holding the key (the key itself never enters a spec). */
  apiKeyEnv: z.string().optional(),
  pricing: TokenPricing.optional(),
  /** Self-hosted GPU-hour pricing instead of `pricing` (give one of the two). */
  gpuPricing: GpuPricing.optional(),
  tier: z.string().optional(),
  fineTune: z.strictObject({ baseModel: z.string(), trainingCostUsd: z.number().nonnegative() }).optional(),
});
export type ModelSpec = z.infer<typeof ModelSpec>;

/**
 * Parses the short form used on the command line and in eval files:
 *   sim:cheap | replay:MODEL@FILE.jsonl | openai:gpt-4o-mini | vllm:MODEL@http://host:8000/v1
 *   (embedding models, for routers' ctx.embed: local:hashed-tfidf | openai:text-embedding-3-small)
 * Throws an Error whose message says what the accepted forms are.
 */
export function parseModelSpec(spec: string): ModelSpec {
  const colon = spec.indexOf(":");
  const provider = ProviderName.safeParse(colon > 0 ? spec.slice(0, colon) : "");
  if (!provider.success) {
    throw new Error(
      `model spec "${spec}": expected PROVIDER:MODEL with PROVIDER one of ${ProviderName.options.join(", ")} (e.g. sim:cheap, replay:gpt-4o@outcomes.jsonl)`,
    );
  }
  const rest = spec.slice(colon + 1);
  if (!rest) throw new Error(`model spec "${spec}": the model name after "${provider.data}:" is empty`);
  if (provider.data === "replay" || provider.data === "vllm") {
    const at = rest.lastIndexOf("@");
    if (at <= 0 || at === rest.length - 1) {
      const what = provider.data === "replay" ? "MODEL@FILE.jsonl" : "MODEL@http://host:port/v1";
      throw new Error(`model spec "${spec}": ${provider.data} models are written ${provider.data}:${what}`);
    }
    const model = rest.slice(0, at);
    const where = rest.slice(at + 1);
    return provider.data === "replay"
      ? { id: `replay:${model}`, provider: "replay", model, file: where }
      : { id: `vllm:${model}`, provider: "vllm", model, baseUrl: where };
  }
  return { id: spec, provider: provider.data, model: rest };
}

/**
 * The candidate id a model reference names: the id itself, or a spec string whose id is one of
 * `ids` (`replay:m@file.jsonl` names `replay:m`). Routers may be given either form; undefined
 * when the reference names no candidate.
 */
export function canonicalModelId(ref: string, ids: ReadonlySet<string> | readonly string[]): string | undefined {
  const has = (id: string) => (Array.isArray(ids) ? ids.includes(id) : (ids as ReadonlySet<string>).has(id));
  if (has(ref)) return ref;
  try {
    const id = parseModelSpec(ref).id;
    return has(id) ? id : undefined;
  } catch {
    return undefined;
  }
}
