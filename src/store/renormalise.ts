import type { RawUsage, Usage } from "../core/types.ts";
import type { OutcomeStore } from "./outcome-store.ts";

// Re-deriving stored usage from the raw usage each provider returned: a normaliser bug is fixed by
// re-reading the store, not by paying to collect again. The normaliser comes from the caller (the
// providers' registry of normalisers), so the store stays below the providers.

/** How many changed (and unreadable) outcomes a report shows as examples. */
export const RENORMALISE_EXAMPLES = 5;
const PAGE = 1000;

export interface RenormaliseExample {
  hash: string;
  model: string;
  itemId: string;
  before: Usage | null;
  after: Usage;
}

export interface RenormaliseReport {
  /** Outcomes with raw usage that were read again. */
  checked: number;
  /** Those whose usage the current normalisers read differently (rewritten unless a dry run). */
  changed: number;
  /** Those whose raw usage the current normalisers reject: their stored usage is kept. */
  unreadable: number;
  dryRun: boolean;
  /** Per model id: checked, changed, unreadable. */
  byModel: Record<string, { checked: number; changed: number; unreadable: number }>;
  examples: RenormaliseExample[];
  unreadableExamples: Array<{ hash: string; model: string; itemId: string; error: string }>;
}

/**
 * Reads every outcome that kept its raw usage, normalises that again and, where the result differs
 * from the stored usage, rewrites the stored usage (all in one transaction; none with `dryRun`).
 * Costs follow by themselves: they are derived from usage whenever a run reads the store.
 */
export function renormaliseStore(
  store: OutcomeStore,
  normalise: (raw: RawUsage) => Usage,
  opts: { dryRun?: boolean } = {},
): RenormaliseReport {
  const report: RenormaliseReport = {
    checked: 0,
    changed: 0,
    unreadable: 0,
    dryRun: opts.dryRun ?? false,
    byModel: {},
    examples: [],
    unreadableExamples: [],
  };
  const updates = new Map<string, Usage>();
  let after = "";
  for (let page = store.withRawUsage(after, PAGE); page.length > 0; page = store.withRawUsage(after, PAGE)) {
    for (const record of page) {
      report.byModel[record.modelId] ??= { checked: 0, changed: 0, unreadable: 0 };
      const model = report.byModel[record.modelId]!;
      report.checked++;
      model.checked++;
      let usage: Usage;
      try {
        usage = normalise(record.rawUsage!);
      } catch (err) {
        report.unreadable++;
        model.unreadable++;
        if (report.unreadableExamples.length < RENORMALISE_EXAMPLES)
          report.unreadableExamples.push({
            hash: record.hash,
            model: record.modelId,
            itemId: record.identity.itemId,
            error: (err as Error).message,
          });
        continue;
      }
      if (sameUsage(record.usage, usage)) continue;
      report.changed++;
      model.changed++;
      updates.set(record.hash, usage);
      if (report.examples.length < RENORMALISE_EXAMPLES)
        report.examples.push({
          hash: record.hash,
          model: record.modelId,
          itemId: record.identity.itemId,
          before: record.usage,
          after: usage,
        });
    }
    after = page[page.length - 1]!.hash;
  }
  if (!report.dryRun && updates.size > 0) store.updateUsage(updates);
  return report;
}

function sameUsage(a: Usage | null, b: Usage): boolean {
  if (a === null) return false;
  return (
    a.input.noCache === b.input.noCache &&
    a.input.cacheRead === b.input.cacheRead &&
    a.input.cacheWrite5m === b.input.cacheWrite5m &&
    a.input.cacheWrite1h === b.input.cacheWrite1h &&
    a.output.text === b.output.text &&
    a.output.reasoning === b.output.reasoning
  );
}
