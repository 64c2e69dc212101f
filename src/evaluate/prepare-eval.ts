import type { ResolvedModel } from "../collect/resolved-model.ts";
import type { ResolvedEval } from "../config/load-eval.ts";
import { InputError } from "../core/errors.ts";
import type { ChatRequest, Item } from "../core/types.ts";
import { type Dataset, loadDataset } from "../datasets/load-dataset.ts";
import { createPromptRenderer } from "../datasets/prompt.ts";
import type { PriceBook } from "../pricing/price-book.ts";
import type { ProviderRegistry } from "../providers/registry.ts";
import { scrubberForRun } from "../providers/scrub/run-secrets.ts";
import { scrubbedProvider } from "../providers/scrub/scrubbed-provider.ts";
import type { SecretScrubber } from "../providers/scrub/secret-scrubber.ts";
import { createScorer } from "../scoring/index.ts";
import type { AnyScorer } from "../scoring/scorer.ts";
import { addJudgeModels } from "./models/judge-models.ts";
import { needsMeasuredThroughput, pendingMeasurement } from "./models/measured-pricing.ts";

/** What a run needs before it collects anything; every bad input of an eval surfaces here (exit 2). */
export interface PreparedEval {
  dataset: Dataset;
  scorer: AnyScorer;
  render: (item: Item) => ChatRequest;
  models: Map<string, ResolvedModel>;
  scrubber: SecretScrubber;
}

export interface PrepareOptions {
  registry: ProviderRegistry;
  prices: PriceBook;
  dataset?: Dataset;
  render?: (item: Item) => ChatRequest;
}

/**
 * Loads the dataset, the scorer, the prompt and the models (keys, base URLs, prices) of one eval.
 * Runs before the outcome store is opened, so a run refused for bad input writes nothing.
 */
export function prepareEval(config: ResolvedEval, opts: PrepareOptions): PreparedEval {
  const dataset = opts.dataset ?? loadDataset(config.dataset);
  const scorer = createScorer(config.scorer as Parameters<typeof createScorer>[0], { file: config.source });
  const render = opts.render ?? createPromptRenderer(config.prompt, config.request);
  const models = resolveModels(config, opts);
  addJudgeModels(models, scorer, opts, config.source);
  const scrubber = scrubModels(models, opts.registry);
  return { dataset, scorer, render, models, scrubber };
}

function resolveModels(config: ResolvedEval, opts: PrepareOptions): Map<string, ResolvedModel> {
  const resolved = new Map<string, ResolvedModel>();
  config.models.forEach((given, i) => {
    const provider = opts.registry.get(given.provider);
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
 * Every key the run resolved (candidates' and judges') is scrubbed from whatever their providers
 * return or throw, live or batched, before the store or anything else sees it.
 */
function scrubModels(models: Map<string, ResolvedModel>, registry: ProviderRegistry): SecretScrubber {
  const scrubber = scrubberForRun(
    registry,
    [...models.values()].map((m) => m.spec),
  );
  for (const m of models.values()) m.provider = scrubbedProvider(m.provider, scrubber);
  return scrubber;
}
