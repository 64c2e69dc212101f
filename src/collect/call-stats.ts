import type { Role } from "../core/types.ts";

/** One failed outcome the run used, for the report's error list. */
export interface Failure {
  model: string;
  itemId: string;
  role: Role;
  /** ProviderErrorCode, or null for an outcome stored without one. */
  code: string | null;
  error: string;
  /** Set when a configured key was found in the error and replaced. */
  redacted?: true;
}

/** Counters of one run's traffic: what came from the store, what went to providers, what is missing. */
export class CallStats {
  requests = 0;
  fromStore = 0;
  providerCalls = 0;
  /** Provider attempts, retries included. */
  attempts = 0;
  errors = 0;
  /** Attempts that hit the per-request timeout (each charged at its worst case: docs/metrics.md#cost). */
  timedOut = 0;
  /** Failed outcomes the run used, stored or new, once each. */
  readonly failures: Failure[] = [];
  /** Outcomes the run used whose text held a configured key, replaced before storing (once each). */
  readonly redacted: Array<Pick<Failure, "model" | "itemId" | "role">> = [];
  /** "model item" pairs an offline run could not answer. */
  readonly missing: string[] = [];
}
