import type { ResolvedModel } from "../../collect/resolved-model.ts";
import type { ResolvedEval } from "../../config/load-eval.ts";
import { InputError } from "../../core/errors.ts";
import { costOfUsage } from "../../pricing/cost.ts";
import type { PriceBook } from "../../pricing/price-book.ts";
import type { PriceQuote } from "../../pricing/price-quote.ts";
import { measuredThroughput } from "../../pricing/throughput.ts";
import type { AnswerMatrix } from "../matrix/answer-matrix.ts";

/** Until its throughput is measured, a self-hosted model's calls are priced at zero. */
export const PENDING_GPU_PRICE: PriceQuote = {
  input: 0,
  cachedInput: 0,
  output: 0,
  source: "GPU-hour: pending measurement",
};

/** A self-hosted model priced by GPU-hour with no configured throughput: the run measures it. */
export function needsMeasuredThroughput(model: ResolvedModel): boolean {
  return model.spec.gpuPricing !== undefined && model.spec.gpuPricing.outputTokensPerSec === undefined;
}

/**
 * Prices GPU-hour models from the output throughput this run's answers show (METRICS.md: cost is
 * derived from usage), then re-prices their answers in the matrix. Later calls (routers, judges)
 * read the updated price from the shared model map.
 */
export function priceMeasuredModels(
  matrix: AnswerMatrix,
  models: Map<string, ResolvedModel>,
  config: ResolvedEval,
  prices: PriceBook,
  concurrency: number,
): void {
  matrix.models.forEach((id, k) => {
    const model = models.get(id)!;
    if (!needsMeasuredThroughput(model)) return;
    const results = matrix.results[k]!;
    const measured = measuredThroughput(
      results.filter((r) => !r.error).map((r) => ({ usage: r.usage, latencyMs: r.latencyMs })),
      { concurrency: Math.min(concurrency, results.length) },
    );
    const where = `field models[${config.models.findIndex((m) => m.id === id)}].gpuPricing`;
    if (!measured) {
      throw new InputError(
        config.source,
        where,
        `no throughput could be measured for ${id} (no answer with output tokens and a latency)`,
        "set gpuPricing.outputTokensPerSec",
      );
    }
    const quote = prices.priceFor(
      model.spec,
      { file: config.source, where },
      { measuredOutputTokensPerSec: measured.outputTokensPerSec },
    );
    const priced: PriceQuote = {
      ...quote,
      note: `${quote.note ?? ""}; measured over ${measured.calls} calls (${measured.basis})`,
    };
    model.pricing = priced;
    results.forEach((r, i) => {
      const cost = r.error ? 0 : costOfUsage(r.usage, priced);
      r.costUsd = cost;
      matrix.cost[k]![i] = cost;
    });
  });
}
