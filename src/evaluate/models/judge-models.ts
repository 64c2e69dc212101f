import type { ResolvedModel } from "../../collect/resolved-model.ts";
import type { PriceBook } from "../../pricing/price-book.ts";
import type { ProviderRegistry } from "../../providers/registry.ts";
import type { AnyScorer } from "../../scoring/scorer.ts";

/**
 * Adds a judge scorer's judge models to the run's resolved models, so the store-backed caller can
 * call, cache and price them like candidates. They are not candidates: no policy can route to
 * them, and their cost is reported as the evaluation's own (summary.judge.costUsd). A judge that is
 * also a candidate keeps the candidate's resolution.
 */
export function addJudgeModels(
  models: Map<string, ResolvedModel>,
  scorer: AnyScorer,
  opts: { registry: ProviderRegistry; prices: PriceBook },
  file: string,
): void {
  if (scorer.kind !== "judge") return;
  scorer.judges.forEach((given, j) => {
    if (models.has(given.id)) return;
    const where = scorer.judges.length > 1 ? `field scorer.judge[${j}]` : "field scorer.judge";
    const provider = opts.registry.get(given.provider, { file, where });
    const spec = { ...provider.defaults?.(given), ...given };
    provider.validate?.(spec, { file, where });
    const pricing = opts.prices.priceFor(spec, { file, where });
    models.set(spec.id, { spec, provider, pricing, snapshot: provider.snapshot(spec) });
  });
}
