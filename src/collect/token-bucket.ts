import type { Clock } from "./clock.ts";

interface Waiter {
  amount: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

// Float refills land a hair below whole numbers; this keeps a full bucket from sleeping 1 ms more.
const EPSILON = 1e-9;

/**
 * A token bucket for requests or tokens per minute. It refills continuously at perMinute / 60 s
 * up to `capacity` (the burst). Takers are served first come, first served; one larger than the
 * capacity waits for a full bucket and leaves it in debt, so the average rate still holds.
 */
export class TokenBucket {
  private level: number;
  private last: number;
  private readonly queue: Waiter[] = [];
  private pumping = false;

  constructor(
    readonly perMinute: number,
    readonly capacity: number,
    private readonly clock: Clock,
  ) {
    if (!(perMinute > 0) || !(capacity > 0)) throw new Error("a token bucket needs a positive rate and capacity");
    this.level = capacity;
    this.last = clock.now();
  }

  /** Resolves when `amount` may be spent now (and spends it). */
  take(amount: number): Promise<void> {
    if (this.queue.length === 0 && this.refill() + EPSILON >= this.needed(amount)) {
      this.level -= amount;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ amount, resolve, reject });
      void this.pump();
    });
  }

  /** Gives back what was over-charged (positive) or charges what was under-estimated (negative). */
  adjust(delta: number): void {
    this.refill();
    this.level = Math.min(this.capacity, this.level + delta);
  }

  private needed(amount: number): number {
    return Math.min(amount, this.capacity);
  }

  private refill(): number {
    const now = this.clock.now();
    this.level = Math.min(this.capacity, this.level + ((now - this.last) * this.perMinute) / 60_000);
    this.last = now;
    return this.level;
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0) {
        const head = this.queue[0]!;
        const missing = this.needed(head.amount) - this.refill();
        if (missing <= EPSILON) {
          this.level -= head.amount;
          this.queue.shift();
          head.resolve();
          continue;
        }
        await this.clock.sleep(Math.ceil((missing * 60_000) / this.perMinute));
      }
    } catch (err) {
      for (const w of this.queue.splice(0)) w.reject(err);
    } finally {
      this.pumping = false;
    }
  }
}
