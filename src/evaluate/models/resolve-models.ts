import type { ResolvedModel } from "../../collect/resolved-model.ts";
import type { ResolvedEval } from "../../config/load-eval.ts";
import { type ModelSpec, parseModelSpec } from "../../contracts/model-spec.ts";
import { InputError } from "../../core/errors.ts";
import type { PriceBook } from "../../pricing/price-book.ts";
import type { ProviderRegistry } from "../../providers/registry.ts";
import { scrubberForRun } from "../../providers/scrub/run-secrets.ts";
import { scrubbedProvider } from "../../providers/scrub/scrubbed-provider.ts";
import type { SecretScrubber } from "../../providers/scrub/secret-scrubber.ts";
import type { AnyRouter } from "../../routing/router.ts";
import { needsMeasuredThroughput, pendingMeasurement } from "./measured-pricing.ts";

// The run's models, resolved before any call: candidates (provider, key check, price, snapshot)
// and the embedding models routers name, each wrapped so its keys never leave the provider layer.

interface Resolve {
  registry: ProviderRegistry;
  prices: PriceBook;
}

export function resolveModels(config: ResolvedEval, opts: Resolve): Map<string, ResolvedModel> {
  const resolved = new Map<string, ResolvedModel>();
  config.models.forEach((given, i) => {
    const provider = opts.registry.get(given.provider);
    if (provider.embedOnly)
      throw new InputError(
        config.source,
        `field models[${i}]`,
        `${given.id} is an embedding model and cannot answer`,
        "list answering models; a router's embedding model goes in its embedders",
      );
    const spec = { ...provider.defaults?.(given), ...given };
    provider.validate?.(spec, { file: config.source, where: `field models[${i}]` });
    const snapshot = provider.snapshot(spec);
    if (needsMeasuredThroughput({ spec })) {
      resolved.set(spec.id, { spec, provider, pricing: null, missingPrice: pendingMeasurement(spec.id), snapshot });
      return;
    }
    try {
      const pricing = opts.prices.priceFor(spec, { file: config.source, where: `field models[${i}]` });
      resolved.set(spec.id, { spec, provider, pricing, snapshot });
    } catch (err) {
      // Recorded outcomes may carry their own cost; the missing price only matters for a record without one.
      if (!(err instanceof InputError) || spec.provider !== "replay") throw err;
      resolved.set(spec.id, { spec, provider, pricing: null, missingPrice: err, snapshot });
    }
  });
  return resolved;
}

/**
 * The embedding models routers name (`embedders`), resolved like candidates: provider, key check,
 * price row (an unknown one is exit 2, never free) and snapshot. They join the caller's models, so
 * ctx.embed is answered from the store, collected when missing, and charged to the policy.
 */
export function resolveEmbedders(
  routers: readonly AnyRouter[],
  models: Map<string, ResolvedModel>,
  opts: Resolve,
  source: string,
): void {
  for (const router of routers) {
    for (const [i, name] of (router.embedders ?? []).entries()) {
      if (models.has(name)) continue;
      const where = `router ${router.id} embedders[${i}]`;
      let spec: ModelSpec;
      try {
        spec = parseModelSpec(name);
      } catch (err) {
        throw new InputError(source, where, (err as Error).message, "name an embedding model, e.g. local:hashed-tfidf");
      }
      const provider = opts.registry.get(spec.provider, { file: source, where });
      if (!provider.embed)
        throw new InputError(
          source,
          where,
          `provider ${spec.provider} has no embedding API`,
          "use local:hashed-tfidf, openai:text-embedding-3-small or google:gemini-embedding-001",
        );
      provider.validate?.(spec, { file: source, where });
      const pricing = opts.prices.priceFor(spec, { file: source, where });
      // Its key is scrubbed from whatever it returns or throws, as for every candidate.
      const scrubbed = scrubbedProvider(provider, scrubberForRun(opts.registry, [spec]));
      models.set(name, { spec, provider: scrubbed, pricing, snapshot: provider.snapshot(spec) });
    }
  }
}

/**
 * Every key the run resolved (candidates' and judges') is scrubbed from whatever their providers
 * return or throw, live or batched, before the store or anything else sees it.
 */
export function scrubModels(models: Map<string, ResolvedModel>, registry: ProviderRegistry): SecretScrubber {
  const scrubber = scrubberForRun(
    registry,
    [...models.values()].map((m) => m.spec),
  );
  for (const m of models.values()) m.provider = scrubbedProvider(m.provider, scrubber);
  return scrubber;
}
