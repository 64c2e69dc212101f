import { RunError } from "../core/errors.ts";
import { type Budget, BudgetExceededError, ReservationTooSmallError, usd } from "./budget.ts";
import type { CallStats } from "./call-stats.ts";
import { BUDGET_INPUT_FACTOR } from "./worst-case.ts";

/**
 * The run failure (exit 3) for a run the budget stopped, written once its calls in flight have
 * settled: what was spent, what was still reserved, what the refused call needed, and that
 * everything collected stays in the store.
 */
export function budgetRunError(
  evalName: string,
  stop: BudgetExceededError,
  budget: Budget,
  stats: CallStats,
): RunError {
  const timedOut =
    budget.timedOutUsd > 0
      ? ` (of which $${usd(budget.timedOutUsd)} for ${stats.timedOut} timed-out attempt(s), counted at their worst case)`
      : "";
  const kept = `The ${stats.providerCalls} outcome(s) collected by this run are kept in the store`;
  if (stop instanceof ReservationTooSmallError) {
    return new RunError(
      `eval ${evalName}: stopped at once under the --max-cost budget of $${stop.capUsd}: ${stop.message}. ` +
        `Spent $${usd(budget.spentUsd)}${timedOut} (the calls that were in flight finished and are counted). ` +
        `${kept}. Each call reserves ${BUDGET_INPUT_FACTOR}x routegate's input estimate plus its max tokens of output; ` +
        `with a provider that counts more, a capped run stops at its first such reply: rerun without --max-cost, ` +
        `or with --concurrency 1 to keep any overshoot to one call.`,
    );
  }
  return new RunError(
    `eval ${evalName}: stopped at the --max-cost budget of $${stop.capUsd}: spent $${usd(budget.spentUsd)}${timedOut}, ` +
      `reserved $${usd(budget.reservedUsdNow)} by calls still in flight; the next call needed up to $${usd(stop.neededUsd)}. ` +
      `${kept}: rerun (stored outcomes cost nothing against the budget) or raise --max-cost to continue.`,
  );
}

/**
 * Runs one phase of collection; if it fails, waits for every call in flight to settle (and be
 * stored) before failing, and turns a budget stop into its run failure.
 */
export async function settleOnStop<T>(
  run: () => Promise<T>,
  caller: { settled(): Promise<void> },
  onBudget: (stop: BudgetExceededError) => RunError,
): Promise<T> {
  try {
    return await run();
  } catch (err) {
    await caller.settled();
    throw err instanceof BudgetExceededError ? onBudget(err) : err;
  }
}
