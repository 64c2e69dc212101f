/**
 * The run's spending cap (`--max-cost`). Each provider attempt reserves its worst case before it
 * starts (k x the estimated input plus maxTokens of output: worst-case.ts) and settles at its
 * actual cost when it returns, so spent + reserved never passes the cap.
 *
 * The promise: no overspend while the provider counts at most k x our input estimate. When a
 * reply costs more than its reservation (the provider counted more), the estimate cannot be
 * trusted: the budget stops at once, refusing every later reservation, and the run ends (exit 3)
 * once the calls already in flight are stored. The overspend is then at most what those calls
 * cost beyond their own reservations. Without a cap it still adds up what the run spent.
 */
export class Budget {
  /** Actual cost of finished attempts, plus the worst case of those that may have been billed blind. */
  spentUsd = 0;
  /** Of spentUsd: what timed-out attempts were charged at their worst case. */
  timedOutUsd = 0;
  private reservedUsd = 0;
  private inFlight = 0;
  private exhausted: BudgetExceededError | null = null;
  private wakeups: Array<() => void> = [];

  constructor(readonly capUsd: number | null) {}

  /** Held by attempts in flight. */
  get reservedUsdNow(): number {
    return this.reservedUsd;
  }

  /** Set once the cap has stopped the run. */
  get stopped(): BudgetExceededError | null {
    return this.exhausted;
  }

  /**
   * Reserves `worstCaseUsd` for one attempt. When it does not fit beside the reservations of
   * attempts in flight, waits for them to settle (actual costs are usually far below worst cases);
   * when it does not fit with nothing in flight, the budget is exhausted: this and every later
   * reservation fail with BudgetExceededError and the run stops, with nothing left in flight.
   */
  async reserve(worstCaseUsd: number): Promise<Reservation> {
    for (;;) {
      if (this.exhausted) throw this.exhausted;
      if (this.capUsd === null || this.spentUsd + this.reservedUsd + worstCaseUsd <= this.capUsd) {
        this.reservedUsd += worstCaseUsd;
        this.inFlight++;
        return new Reservation(this, worstCaseUsd);
      }
      if (this.inFlight === 0) {
        this.exhausted = new BudgetExceededError(this.capUsd, this.spentUsd, this.reservedUsd, worstCaseUsd);
        this.wake();
        throw this.exhausted;
      }
      await new Promise<void>((resolve) => this.wakeups.push(resolve));
    }
  }

  /** @internal Reservation's way back in. */
  finish(reservedUsd: number, spentUsd: number, timedOut: boolean): void {
    // A cent's millionth of float noise is not a reservation found too small.
    if (this.capUsd !== null && !this.exhausted && spentUsd > reservedUsd * (1 + 1e-9) + 1e-12) {
      this.exhausted = new ReservationTooSmallError(this.capUsd, this.spentUsd + spentUsd, reservedUsd, spentUsd);
    }
    this.inFlight--;
    // Reset at zero in flight so repeated float additions and subtractions leave no residue.
    this.reservedUsd = this.inFlight === 0 ? 0 : this.reservedUsd - reservedUsd;
    this.spentUsd += spentUsd;
    if (timedOut) this.timedOutUsd += spentUsd;
    this.wake();
  }

  private wake(): void {
    const waiting = this.wakeups;
    this.wakeups = [];
    for (const w of waiting) w();
  }
}

/** One attempt's hold on the budget; closed exactly once (later calls are ignored). */
export class Reservation {
  private done = false;
  constructor(
    private readonly budget: Budget,
    readonly amountUsd: number,
  ) {}

  /** The attempt returned: charge what it actually cost. */
  settle(actualUsd: number): void {
    this.close(actualUsd, false);
  }

  /** The provider did not bill the attempt (429, 5xx: docs/metrics.md#cost): nothing is charged. */
  release(): void {
    this.close(0, false);
  }

  /**
   * The attempt's cost is unknown but the provider may have billed it (a timeout, a billed
   * failure): charge its worst case. Without a cap nothing was reserved, so the caller passes it.
   */
  chargeWorstCase(worstCaseUsd: number, timedOut: boolean): void {
    this.close(Math.max(worstCaseUsd, this.amountUsd), timedOut);
  }

  private close(spentUsd: number, timedOut: boolean): void {
    if (this.done) return;
    this.done = true;
    this.budget.finish(this.amountUsd, spentUsd, timedOut);
  }
}

/** A call's worst case does not fit in what is left of the cap: the run stops (exit 3). */
export class BudgetExceededError extends Error {
  override readonly name = "BudgetExceededError";
  constructor(
    readonly capUsd: number,
    readonly spentUsd: number,
    readonly reservedUsd: number,
    readonly neededUsd: number,
  ) {
    super(
      `budget of $${capUsd} reached: spent $${usd(spentUsd)}, reserved $${usd(reservedUsd)}, the next call needs up to $${usd(neededUsd)}`,
    );
  }
}

/**
 * A reply cost more than the worst case reserved for it: the provider counted more input tokens
 * than k x our estimate. The run stops at once (exit 3), before the next call.
 */
export class ReservationTooSmallError extends BudgetExceededError {
  constructor(
    capUsd: number,
    spentUsd: number,
    readonly reservationUsd: number,
    readonly actualUsd: number,
  ) {
    super(capUsd, spentUsd, 0, 0);
    this.message =
      `a reply cost $${usd(actualUsd)}, above the $${usd(reservationUsd)} reserved for it: the provider counted more ` +
      `input tokens than the budget's factor allows over routegate's estimate, so later reservations cannot be trusted`;
  }
}

export function usd(v: number): string {
  return v === 0 ? "0" : v.toPrecision(4);
}
