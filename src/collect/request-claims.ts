import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { type ClaimOwner, claimOwner } from "../store/claims.ts";
import type { OutcomeStore, ServedOutcome } from "../store/outcome-store.ts";

// Two runs sharing one store file (parallel jobs on one machine) must not pay twice for the same
// request. Before it calls a provider, a run claims the request's hash in the store; a run that
// finds it claimed waits for the answer the other one stores instead of calling. The claim is
// renewed while the call lives (a slow call with retries keeps it) and expires when its owner
// stops renewing (a killed process; on this machine a dead owner frees it at once).

export interface ClaimTiming {
  /** How long a claim lasts without renewal. */
  ttlMs: number;
  /** How often a live call renews its claim (well under ttlMs). */
  heartbeatMs: number;
  /** How often a waiting run looks for the answer. */
  pollMs: number;
}

export const DEFAULT_CLAIM_TIMING: ClaimTiming = { ttlMs: 30_000, heartbeatMs: 5_000, pollMs: 200 };

/** A claim this run holds while it pays for a request: released once its outcome is stored. */
export interface HeldClaim {
  release(): void;
}

/** Claims a batch holds (RequestClaims.holdMany) until its answers are stored. */
export interface HeldClaims {
  has(hash: string): boolean;
  /** Lets go of one claim (its answer was found stored meanwhile). */
  release(hash: string): void;
  /** Lets go of every claim still held (after the answers are stored, or when the batch failed). */
  releaseAll(): void;
}

export type ClaimResult = { claim: HeldClaim } | { answer: ServedOutcome };

export class RequestClaims {
  private readonly owner: ClaimOwner = claimOwner(randomUUID().slice(0, 8));
  /** Requests this run waited for because another process held them. */
  waited = 0;

  constructor(
    private readonly store: OutcomeStore,
    private readonly timing: ClaimTiming = DEFAULT_CLAIM_TIMING,
  ) {}

  /**
   * Claims `hash`, or waits while another process holds it. Resolves to the answer that process
   * stored, as soon as `read()` returns one that `answers` accepts, or to a claim of this run's own
   * (then the caller pays, stores, and releases). Looks again after taking the claim: the other
   * process may have stored its answer and let go between two polls.
   */
  async acquire(
    hash: string,
    read: () => ServedOutcome | undefined,
    answers: (record: ServedOutcome) => boolean,
    signal?: AbortSignal,
  ): Promise<ClaimResult> {
    let counted = false;
    for (;;) {
      if (this.store.claims.take(hash, this.owner, this.timing.ttlMs)) {
        const now = read();
        if (now && answers(now)) {
          this.store.claims.release(hash, this.owner);
          return { answer: now };
        }
        return { claim: this.hold(hash) };
      }
      if (!counted) {
        this.waited++;
        counted = true;
      }
      await sleep(this.timing.pollMs, undefined, signal ? { signal } : {});
      const now = read();
      if (now && answers(now)) return { answer: now };
    }
  }

  /**
   * Takes, without waiting, the claims on `hashes` that no live run holds: a batch claims its
   * requests before submitting them and keeps them until their answers are stored, which may take
   * hours (one heartbeat renews them all). A hash another run holds is that run's to pay for.
   */
  holdMany(hashes: readonly string[]): HeldClaims {
    const { store, owner, timing } = this;
    const held = new Set(store.claims.takeMany(hashes, owner, timing.ttlMs));
    const heartbeat = setInterval(() => {
      try {
        store.claims.renewMany(held, owner, timing.ttlMs);
      } catch {
        // The store is closing (the run ended or failed): the claims go with it.
      }
    }, timing.heartbeatMs);
    heartbeat.unref();
    return {
      has: (hash) => held.has(hash),
      release(hash) {
        if (held.delete(hash)) store.claims.release(hash, owner);
      },
      releaseAll() {
        clearInterval(heartbeat);
        store.claims.releaseMany(held, owner);
        held.clear();
      },
    };
  }

  private hold(hash: string): HeldClaim {
    const { store, owner } = this;
    const heartbeat = setInterval(() => {
      try {
        store.claims.renew(hash, owner, this.timing.ttlMs);
      } catch {
        // The store is closing (the run ended or failed): the claim goes with it.
      }
    }, this.timing.heartbeatMs);
    // A claim must never keep a finished run alive.
    heartbeat.unref();
    let released = false;
    return {
      release() {
        if (released) return;
        released = true;
        clearInterval(heartbeat);
        store.claims.release(hash, owner);
      },
    };
  }
}
