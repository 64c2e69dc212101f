import type { ResolvedModel } from "../collect/resolved-model.ts";
import type { ResolvedEval } from "../config/load-eval.ts";
import type { ChatRequest, Item } from "../core/types.ts";
import type { DatasetIndex } from "../datasets/dataset-index.ts";
import { type Dataset, openDataset } from "../datasets/load-dataset.ts";
import { createPromptRenderer } from "../datasets/prompt.ts";
import type { PriceBook } from "../pricing/price-book.ts";
import type { ProviderRegistry } from "../providers/registry.ts";
import type { SecretScrubber } from "../providers/scrub/secret-scrubber.ts";
import { createScorer } from "../scoring/index.ts";
import type { AnyScorer } from "../scoring/scorer.ts";
import { addJudgeModels } from "./models/judge-models.ts";
import { resolveEmbedders, resolveModels, scrubModels } from "./models/resolve-models.ts";

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
  /** Where dataset files' checks are remembered between runs (openDataset); absent: none. */
  datasetIndex?: DatasetIndex;
}

/**
 * Loads the dataset, the scorer, the prompt and the models (keys, base URLs, prices) of one eval.
 * Runs before the outcome store is opened, so a run refused for bad input writes nothing.
 */
export function prepareEval(config: ResolvedEval, opts: PrepareOptions): PreparedEval {
  // Read again a window at a time as the run goes: the items' text is not held for the whole run.
  const dataset = opts.dataset ?? openDataset(config.dataset, opts.datasetIndex);
  const scorer = createScorer(config.scorer as Parameters<typeof createScorer>[0], { file: config.source });
  const render = opts.render ?? createPromptRenderer(config.prompt, config.request);
  const models = resolveModels(config, opts);
  addJudgeModels(models, scorer, opts, config.source);
  const scrubber = scrubModels(models, opts.registry);
  // The eval's own routers' embedding models are checked now (keys, prices); built-in families' at their run.
  resolveEmbedders(config.routers, models, opts, config.source);
  return { dataset, scorer, render, models, scrubber };
}
