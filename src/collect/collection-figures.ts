import type { CallStats, Failure } from "./call-stats.ts";

/** How many failed outcomes summary.json and the report list (the counts cover all of them). */
export const FAILURES_LISTED = 10;
const MAX_ERROR_CHARS = 300;

/** summary.json `collection`: the run's traffic, its spending and the failures it met. */
export function collectionFigures(stats: CallStats, spend: { spentUsd: number; budgetUsd: number | null }) {
  return {
    requests: stats.requests,
    fromStore: stats.fromStore,
    providerCalls: stats.providerCalls,
    errors: stats.errors,
    spentUsd: spend.spentUsd,
    budgetUsd: spend.budgetUsd,
    timedOut: stats.timedOut,
    failures: listedFailures(stats.failures),
    // Additive: present only when a reply held a configured key (replaced before it was stored).
    ...(stats.redacted.length > 0
      ? {
          redacted: stats.redacted.length,
          redactedOutcomes: distinct(stats.redacted).sort(byOutcome).slice(0, FAILURES_LISTED),
        }
      : {}),
  };
}

/** The first failures by model, item and role: the same run lists the same lines whatever the call order. */
function listedFailures(failures: readonly Failure[]): Failure[] {
  return [...failures]
    .sort(byOutcome)
    .slice(0, FAILURES_LISTED)
    .map((f) => ({ ...f, error: oneLine(f.error) }));
}

type OutcomeRef = Pick<Failure, "model" | "itemId" | "role">;
const keyOf = (f: OutcomeRef) => `${f.model}\u0000${f.itemId}\u0000${f.role}`;
function byOutcome(a: OutcomeRef, b: OutcomeRef): number {
  return keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0;
}

/** One line per (model, item, role): a judge's several verdicts on one item are one line. */
function distinct(outcomes: readonly OutcomeRef[]): OutcomeRef[] {
  return [...new Map(outcomes.map((o) => [keyOf(o), { model: o.model, itemId: o.itemId, role: o.role }])).values()];
}

/** Each failure is one list line in report.md. */
function oneLine(error: string): string {
  const flat = error.replace(/\s+/g, " ").trim();
  return flat.length > MAX_ERROR_CHARS ? `${flat.slice(0, MAX_ERROR_CHARS)}…` : flat;
}
