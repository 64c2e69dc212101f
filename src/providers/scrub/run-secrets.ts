import type { ModelSpec } from "../../contracts/model-spec.ts";
import type { ProviderLookup } from "../provider-lookup.ts";
import { SecretScrubber } from "./secret-scrubber.ts";

/**
 * The scrubber of one run (an evaluation, a production router): every key it resolved, that is
 * the default key variables of each registered provider (OPENAI_API_KEY, ANTHROPIC_API_KEY,
 * GEMINI_API_KEY, GOOGLE_API_KEY, VLLM_API_KEY) and the variables its models name (`apiKeyEnv`).
 * A key found in a reply is removed whichever model's reply it is.
 */
export function scrubberForRun(registry: ProviderLookup, models: Iterable<ModelSpec>): SecretScrubber {
  return new SecretScrubber(registrySecrets(registry, models));
}

/** The credential values behind scrubberForRun. */
export function registrySecrets(registry: ProviderLookup, models: Iterable<ModelSpec>): string[] {
  const values: string[] = [];
  for (const name of registry.names()) values.push(...(registry.get(name as ModelSpec["provider"]).secrets?.() ?? []));
  for (const spec of models) values.push(...(registry.get(spec.provider).secrets?.(spec) ?? []));
  return values;
}
