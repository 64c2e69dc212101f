import type { ResolvedModel } from "../../collect/resolved-model.ts";
import type { ResolvedEval } from "../../config/load-eval.ts";
import { InputError } from "../../core/errors.ts";
import type { PriceBook } from "../../pricing/price-book.ts";
import type { PriceQuote } from "../../pricing/price-quote.ts";
import { measuredThroughput, type ThroughputSample } from "../../pricing/throughput.ts";
import type { ResultColumns } from "../matrix/result-columns.ts";

/** A self-hosted model priced by GPU-hour with no configured throughput: the run measures it. */
export function needsMeasuredThroughput(model: Pick<ResolvedModel, "spec">): boolean {
  return model.spec.gpuPricing !== undefined && model.spec.gpuPricing.outputTokensPerSec === undefined;
}

/**
 * Such a model has no price until its answers are in: any cost read before then is an error
 * (never a zero written now and patched later).
 */
export function pendingMeasurement(id: string): Error {
  return new Error(`internal: ${id} is priced from the throughput this run measures, and was costed before it`);
}

/**
 * Prices GPU-hour models from the output throughput this run's answers show, before any of their
 * answers is costed (collectAnswers' `beforeCosting`). Later calls (routers, judges) read the
 * price from the shared model map.
 */
export function priceMeasuredModels(
  answers: readonly ResultColumns[],
  modelIds: readonly string[],
  models: Map<string, ResolvedModel>,
  config: ResolvedEval,
  prices: PriceBook,
  concurrency: number,
): void {
  modelIds.forEach((id, k) => {
    const model = models.get(id)!;
    if (!needsMeasuredThroughput(model)) return;
    const column = answers[k]!;
    const samples: ThroughputSample[] = [];
    for (let i = 0; i < column.length; i++) {
      const a = column.billable(i);
      if (!a.error) samples.push({ usage: a.usage ?? null, latencyMs: a.latencyMs });
    }
    const measured = measuredThroughput(samples, { concurrency: Math.min(concurrency, column.length) });
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
    delete model.missingPrice;
  });
}
